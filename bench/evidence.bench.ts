import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildEvidenceReport, type EvidenceInput } from '../evidence/build';
import { evidenceFiles, writeEvidence } from '../evidence/write';
import { loadFrameworks } from '../frameworks/load';
import { medianMs, report, round, timeMs, type Benchmark } from './harness';
import { syntheticCheckResults } from './syntheticCheckResults';

const ACCOUNTS = 1000;
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'ca-central-1'];
const FRAMEWORKS = ['pci-dss-4.0', 'cccs-medium-pbhva', 'nist-800-53-r5'];

/**
 * Evidence for 1,000 accounts x 4 Regions x the three built-in frameworks, from synthetic check
 * results (every check of the catalogue in its scope, Security Hub PCI controls in PCI accounts,
 * conformance-pack rules everywhere; 0.5% failing, 0.1% unknown). Baseline: JSON.stringify of the
 * same check results, in the same process. Figures: the report alone; every file of every set
 * rendered and hashed in memory; and the whole job, files written to disk (the goal).
 */
export const evidenceBenchmark: Benchmark = {
  name: 'evidence.generate',
  async run() {
    const { accounts, results } = syntheticCheckResults({ accounts: ACCOUNTS, regions: REGIONS, failRate: 0.005, unknownRate: 0.001 });
    const set = loadFrameworks();
    const input: EvidenceInput = {
      now: new Date('2026-12-05T06:00:00Z'), frameworks: FRAMEWORKS.map((id) => set.frameworks.get(id)!), describer: set.describer,
      checkResults: results, accounts,
    };
    const baseline = await medianMs(() => JSON.stringify(results), 3);
    const build = await medianMs(() => buildEvidenceReport(input), 3);
    const inMemory = await medianMs(() => evidenceFiles(buildEvidenceReport(input)), 3);

    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-evidence-'));
    let run = 0;
    let bytes = 0;
    const generate = await medianMs(() => {
      const sets = writeEvidence(buildEvidenceReport(input), path.join(root, String(run++)));
      bytes = sets.reduce((n, s) => n + s.files.reduce((m, f) => m + f.content.reduce((k, c) => k + c.byteLength, 0), 0), 0);
    }, 3);
    // CPU time of one more run: on a shared machine wall time also counts waiting for a core.
    const cpuBefore = process.cpuUsage();
    const once = await timeMs(() => writeEvidence(buildEvidenceReport(input), path.join(root, 'cpu')));
    const cpu = process.cpuUsage(cpuBefore);
    fs.rmSync(root, { recursive: true, force: true });

    const common = { accounts: ACCOUNTS, regions: REGIONS.length, frameworks: FRAMEWORKS.length, checkResults: results.length };
    return [
      report({ name: 'evidence.build.1000-accounts-4-regions-3-frameworks', value: build, unit: 'ms', ...common, baseline: { name: 'JSON.stringify of the check results', value: baseline } }),
      report({
        name: 'evidence.files-in-memory.1000-accounts-4-regions-3-frameworks', value: inMemory, unit: 'ms', ...common,
        baseline: { name: 'JSON.stringify of the check results', value: baseline },
      }),
      report({
        name: 'evidence.generate.1000-accounts-4-regions-3-frameworks', value: generate, unit: 'ms', ...common, frameworkSets: once.result.length,
        writtenMegabytes: round(bytes / 1e6, 1), oneRun: { wallMs: round(once.ms), cpuMs: round((cpu.user + cpu.system) / 1000), loadAverage: round(os.loadavg()[0], 2) }, baseline: { name: 'JSON.stringify of the check results', value: baseline }, goal: '< 10000 ms', goalMet: generate < 10000,
      }),
    ];
  },
};
