import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeScaledConfig } from '../config/generate';
import { loadConfig } from '../config/load';
import { synthesizeLandingZone } from '../stacks/synthesize';
import { report, round, timeMs, type Benchmark } from './harness';

const SIZES = [100, 1000, 5000];
const RUNS = 3;

async function median(fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await timeMs(fn)).ms);
  times.sort((a, b) => a - b);
  return round(times[Math.floor(times.length / 2)]);
}

/**
 * Landing-zone synthesis (validate, build every stack, cdk-nag's three packs, write the cloud
 * assembly) for generated organizations, beside loading and validating the same configuration.
 */
export const synthBenchmark: Benchmark = {
  name: 'stacks.synth',
  async run() {
    const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-synth-'));
    const results = [];
    try {
      // Warm-up: module loading and handler bundling happen once per process.
      synthesizeLandingZone({ configDir: 'config/examples/pci-org', outdir: path.join(workdir, 'warmup') });
      for (const accounts of SIZES) {
        const configDir = writeScaledConfig('config/examples/pci-org', path.join(workdir, `config-${accounts}`), { accounts });
        const baseline = await median(() => loadConfig(configDir));
        let run = 0;
        let largest = { stack: '', resources: 0, templateBytes: 0 };
        const synth = await median(() => {
          const outdir = path.join(workdir, `out-${accounts}-${run++}`);
          const { assembly } = synthesizeLandingZone({ configDir, outdir });
          for (const stack of assembly.stacks) {
            const resources = Object.keys(stack.template.Resources).length;
            if (resources > largest.resources) largest = { stack: stack.stackName, resources, templateBytes: fs.statSync(path.join(outdir, stack.templateFile)).size };
          }
          fs.rmSync(outdir, { recursive: true, force: true });
        });
        results.push(report({
          name: `stacks.synth.${accounts}-accounts`, value: synth, unit: 'ms', accounts: accounts + 8, runs: RUNS,
          baseline: { name: 'load and validate the same configuration', value: baseline },
          largestStack: largest,
          ...(accounts === 1000 ? { goal: '< 20000 ms', goalMet: synth < 20000 } : {}),
        }));
      }

      // What a user waits for: `npx cdk synth` from a cold start (tsx, module loading, bundling, cdk-nag).
      const cdkSynth = (configDir: string) => () => {
        const outdir = path.join(workdir, `cli-${run++}`);
        const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '-c', `config=${configDir}`, '-o', outdir], {
          encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: '1' },
        });
        if (result.status !== 0) throw new Error(`npx cdk synth failed: ${result.stderr}`);
        fs.rmSync(outdir, { recursive: true, force: true });
      };
      let run = 0;
      const example = await median(cdkSynth('config/examples/pci-org'));
      const scaled = await median(cdkSynth(path.join(workdir, 'config-1000')));
      results.push(report({
        name: 'stacks.cdk-synth-cli.1000-accounts', value: scaled, unit: 'ms', accounts: 1008, runs: RUNS,
        baseline: { name: 'npx cdk synth of the 8-account PCI example', value: example },
        goal: '< 20000 ms', goalMet: scaled < 20000,
      }));
    } finally {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
    return results;
  },
};
