import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { formatIssue } from '../../config/errors';
import { loadConfig } from '../../config/load';
import { BUILTIN_FRAMEWORKS } from '../../config/schema/governance';
import { accountsFromConfig } from '../../evidence/accounts';
import { loadAttestations, type Attestation } from '../../evidence/attestations';
import { buildEvidenceReport } from '../../evidence/build';
import { auditLogScopes, lakeLoggingCheckResults } from '../../evidence/lakeLoggingChecks';
import { parseCheckResultLines } from '../../evidence/checkResult';
import { inventorySha256 } from '../../evidence/manifest';
import { findPreviousReports } from '../../evidence/previous';
import { EvidenceVerifyError, verifyEvidence } from '../../evidence/verify';
import { writeEvidence } from '../../evidence/write';
import { loadFrameworks } from '../../frameworks/load';
import { DEFAULT_LAKE_LOOKBACK_DAYS, observeLocalLakeLogging, parseLakeLookbackDays } from '../../query/lakeLoggingEvidence';
import { DEFAULT_CONFIG_DIR } from './validate';

/** `rampart evidence ...`: build evidence sets from check results, and verify evidence sets. */
export function registerEvidence(program: Command): Command {
  const evidence = program.command('evidence').description('Compliance evidence: build report sets from check results, verify their integrity');

  evidence
    .command('verify')
    .description('Check every file of an evidence directory against its manifest: any changed, missing or extra byte or file fails')
    .argument('<dir>', 'an evidence set (<framework>/<date>) or a tree of them')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExit codes: 0 intact, 1 tampered (changed, missing or extra files), 2 could not run.')
    .action((dir: string, options: { json?: boolean }) => {
      let result;
      try {
        result = verifyEvidence(dir);
      } catch (error) {
        if (!(error instanceof EvidenceVerifyError)) throw error;
        console.error(`rampart: ${error.message}`);
        process.exitCode = 2;
        return;
      }
      if (options.json) {
        console.log(JSON.stringify({ dir, ...result }, null, 2));
      } else {
        for (const m of result.manifests) console.log(`${m.path}  ${m.framework ?? '?'} ${m.generatedAt ?? ''}  ${m.files} files  manifest sha256:${m.sha256}`);
        for (const p of result.problems) console.log(`${p.kind.toUpperCase()}  ${p.path}  ${p.detail}`);
        console.log(result.ok ? `${dir}: intact — ${result.filesChecked} files match ${result.manifests.length} manifest(s)` : `${dir}: TAMPERED — ${result.problems.length} problem(s)`);
      }
      process.exitCode = result.ok ? 0 : 1;
    });

  evidence
    .command('report')
    .description('Build the evidence sets (JSON, HTML, CSV, OCSF, raw results, manifest) from saved check results')
    .requiredOption('--results <file>', 'check results, one JSON record per line')
    .requiredOption('--out <dir>', 'evidence root: sets are written to <out>/<framework>/<date>/')
    .option('--config <dir>', 'configuration directory (accounts, exceptions, frameworks)', DEFAULT_CONFIG_DIR)
    .option('--framework <id>', 'a framework id, or "all"; default: governance.yaml evidence.frameworks')
    .option('--attestations <file>', 'manual attestations (default: attestations.yaml in the configuration directory, if present)')
    .option('--previous <dir>', 'evidence root holding earlier sets for history (default: --out)')
    .option('--inventory <file>', 'the inventory snapshot the results come from: its hash goes into the manifest')
    .option('--now <iso>', 'the report time (default: now), e.g. to re-run evidence for a past snapshot')
    .option('--lake <dir>', 'a local Security Lake tree: adds logging evidence (PCI DSS requirement 10) from its CloudTrail management events')
    .option('--lake-lookback-days <days>', 'how far back --lake looks for events', parseLakeLookbackDays, DEFAULT_LAKE_LOOKBACK_DAYS)
    .addHelpText('after', '\nExit codes: 0 written and no control failed, 1 written with failed controls (or invalid configuration), 2 could not run.')
    .action(async (options: { results: string; out: string; config: string; framework?: string; attestations?: string; previous?: string; inventory?: string; now?: string; lake?: string; lakeLookbackDays?: number }) => {
      process.exitCode = await runReport(options);
    });

  return evidence;
}

async function runReport(options: { results: string; out: string; config: string; framework?: string; attestations?: string; previous?: string; inventory?: string; now?: string; lake?: string; lakeLookbackDays?: number }): Promise<number> {
  const now = options.now ? new Date(options.now) : new Date();
  if (Number.isNaN(now.getTime())) return fail(`--now ${options.now} is not a date; expected ISO 8601, e.g. 2026-12-05T06:00:00Z`);

  const loaded = loadConfig(options.config, { now });
  for (const issue of loaded.issues) console.error(formatIssue(issue));
  if (!loaded.config) {
    console.error(`${options.config}: invalid configuration; run rampart validate ${options.config}`);
    return 1;
  }
  const config = loaded.config;
  const set = loadFrameworks(config);
  for (const issue of set.issues) console.error(formatIssue(issue));
  if (set.issues.some((i) => i.severity === 'error')) return 1;

  const wanted = options.framework === undefined
    ? config.governance.evidence.frameworks
    : options.framework === 'all'
      ? [...new Set([...BUILTIN_FRAMEWORKS, ...config.governance.evidence.overlays.map((o) => o.id), ...config.governance.evidence.customFrameworks.map((c) => c.id)])]
      : [options.framework];
  const unknown = wanted.filter((id) => !set.frameworks.has(id));
  if (unknown.length) return fail(`unknown framework ${unknown.join(', ')}; expected one of: ${[...set.frameworks.keys()].join(', ')}, or all`);

  if (!fs.existsSync(options.results)) return fail(`${options.results}: no such file; pass the check results as JSON lines`);
  const parsed = parseCheckResultLines(fs.readFileSync(options.results, 'utf8'));
  if (parsed.rejected.length) {
    for (const r of parsed.rejected.slice(0, 20)) console.error(`${options.results}:${r.at}  ${r.reason}`);
    return fail(`${parsed.rejected.length} record(s) in ${options.results} are not check results; fix them first: evidence built without them could read as compliant`);
  }

  let attestations: Attestation[] = [];
  const attestationFile = options.attestations ?? path.join(config.dir, 'attestations.yaml');
  if (options.attestations !== undefined || fs.existsSync(attestationFile)) {
    const result = loadAttestations(attestationFile);
    for (const issue of result.issues) console.error(formatIssue(issue));
    if (result.issues.some((i) => i.severity === 'error')) return 1;
    attestations = result.attestations;
  }

  let inventory;
  if (options.inventory) {
    if (!fs.existsSync(options.inventory)) return fail(`${options.inventory}: no such file`);
    try {
      inventory = { sha256: inventorySha256(JSON.parse(fs.readFileSync(options.inventory, 'utf8'))), source: path.basename(options.inventory) };
    } catch (error) {
      return fail(`${options.inventory} is not JSON: ${(error as Error).message}`);
    }
  }

  const lakeResults = options.lake
    ? lakeLoggingCheckResults(await observeLocalLakeLogging({ lake: options.lake, now, lookbackDays: options.lakeLookbackDays }), auditLogScopes(config, accountsFromConfig(config)), now.toISOString())
    : [];
  const previous = findPreviousReports(options.previous ?? options.out, wanted, now.toISOString().slice(0, 10));
  const build = buildEvidenceReport({
    now, frameworks: wanted.map((id) => set.frameworks.get(id)!), describer: set.describer, checkResults: [...parsed.results, ...lakeResults],
    accounts: accountsFromConfig(config), exceptions: config.governance.evidence.exceptions, attestations, previous: previous.reports, inventory, generatorVersion: packageVersion(),
  });
  const sets = writeEvidence(build, options.out);
  for (const f of build.report.frameworks) {
    const s = sets.find((x) => x.framework === f.id)!;
    console.log(
      `${path.join(options.out, s.dir)}  ${f.name}: ${f.results.failed} failed, ${f.results.unknown} unknown, ${f.results.excepted} excepted, ${f.results.satisfied} satisfied, ` +
        `${f.results.manual} manual, ${f.results['not-applicable']} not applicable  (manifest sha256:${s.manifestSha256})`,
    );
  }
  if (build.report.inputs.unknownChecks.length) console.error(`${build.report.inputs.unknownChecks.reduce((n, u) => n + u.count, 0)} result(s) for checks Rampart does not know; listed in each report`);
  return build.report.frameworks.some((f) => f.results.failed > 0) ? 1 : 0;
}

function fail(message: string): number {
  console.error(`rampart: ${message}`);
  return 2;
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}
