import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { AwsClients, type ClientBase } from '../../aws/clients';
import { collectEvidenceInventory } from '../../aws/evidenceCollection';
import { inspectEvidenceBucket } from '../../aws/evidenceStore';
import { formatIssue } from '../../config/errors';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';
import { BUILTIN_FRAMEWORKS } from '../../config/schema/governance';
import { detectDrift } from '../../engine/detectDrift';
import { formatInventoryIssue, parseInventory, type Inventory } from '../../engine/inventory';
import { accountsFromConfig } from '../../evidence/accounts';
import { loadAttestations, type Attestation } from '../../evidence/attestations';
import { buildEvidenceReport, type EvidenceBuild } from '../../evidence/build';
import { parseCheckResultLines } from '../../evidence/checkResult';
import { auditLogScopes, lakeLoggingCheckResults } from '../../evidence/lakeLoggingChecks';
import type { EvidenceBucketObservation } from '../../evidence/checks/evidenceBucket';
import { CHECK_RESULTS_DIR, CHECK_RESULTS_FILE } from '../../evidence/layout';
import { inventorySha256 } from '../../evidence/manifest';
import { findPreviousReports, PreviousEvidenceError } from '../../evidence/previous';
import { runEvidence } from '../../evidence/run';
import { EvidenceVerifyError, verifyEvidence } from '../../evidence/verify';
import { EVIDENCE_FILES, EvidenceWriteError, writeEvidence, type EvidenceSet } from '../../evidence/write';
import { loadFrameworks, type FrameworkSet } from '../../frameworks/load';
import { DEFAULT_LAKE_LOOKBACK_DAYS, observeLocalLakeLogging, parseLakeLookbackDays } from '../../query/lakeLoggingEvidence';
import { FakeAws } from '../../sandbox';
import { buildEvidenceSettings } from '../../workflows/evidenceSettings';
import { DEFAULT_CONFIG_DIR } from './validate';

interface LiveOptions {
  framework?: string;
  out: string;
  config: string;
  state?: string;
  inventory?: string;
  previous?: string;
  attestations?: string;
  evidenceBucket?: string;
  now?: string;
}

interface ReportOptions {
  results: string;
  out: string;
  config: string;
  framework?: string;
  attestations?: string;
  previous?: string;
  inventory?: string;
  now?: string;
  lake?: string;
  lakeLookbackDays?: number;
}

/** Evidence only reads: the management-account role remediation writes with is named but never assumed. */
const ORGANIZATION_ROLE_NAME = 'RampartOrganizationRemediation';

/** `rampart evidence ...`: collect and build evidence, build it from saved check results, verify it. */
export function registerEvidence(program: Command): Command {
  const evidence = program
    .command('evidence')
    .description('Compliance evidence: collect the organization (FakeAws, AWS, or a saved inventory), check it, and write a report set per framework')
    .option('--framework <id>', 'pci-dss-4.0, cccs-medium-pbhva, nist-800-53-r5, another framework id, or "all"; default: governance.yaml evidence.frameworks')
    .option('--out <dir>', 'evidence root: sets go to <out>/<framework>/<date>/, the check results to <out>/_check-results/<date>/')
    .option('--config <dir>', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--state <file>', 'collect from a FakeAws sandbox state (rampart sandbox init)')
    .option('--inventory <file>', 'use a saved inventory (rampart snapshot) instead of collecting')
    .option('--previous <dir>', 'evidence root holding earlier sets for history (default: --out)')
    .option('--attestations <file>', 'manual attestations (default: attestations.yaml in the configuration directory, if present)')
    .option('--evidence-bucket <name>', 'inspect this evidence bucket (Object Lock, encryption, TLS) as evidence; without it that check is unknown')
    .option('--now <iso>', 'the report time (default: now)')
    .addHelpText('after', `
Without --state or --inventory, Rampart collects from AWS with your credentials, which must be the
security-tooling account's (the account the workflows run in); it assumes global.yaml
executionRoleName in the other accounts.

Exit codes: 0 written and no control failed, 1 written with failed controls (or invalid configuration), 2 could not run.`)
    .action(async (options: LiveOptions) => {
      process.exitCode = await runLive(options);
    });

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
    .description('Build the evidence sets (JSON, HTML, CSV, OCSF, raw results, manifests) from saved check results')
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
    .action(async (options: ReportOptions) => {
      process.exitCode = await runReport(options);
    });

  return evidence;
}

class CannotRun extends Error {}

/** What both commands read first: the time, the configuration, the frameworks asked for, attestations and the previous sets. */
interface Prepared {
  now: Date;
  config: RampartConfig;
  set: FrameworkSet;
  wanted: string[];
  attestations: Attestation[];
}

function prepare(options: { now?: string; config: string; framework?: string; attestations?: string }): Prepared | number {
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

  let attestations: Attestation[] = [];
  const attestationFile = options.attestations ?? path.join(config.dir, 'attestations.yaml');
  if (options.attestations !== undefined || fs.existsSync(attestationFile)) {
    const result = loadAttestations(attestationFile);
    for (const issue of result.issues) console.error(formatIssue(issue));
    if (result.issues.some((i) => i.severity === 'error')) return 1;
    attestations = result.attestations;
  }
  return { now, config, set, wanted, attestations };
}

/** The inventory to judge: a saved one, or collected (with the evidence bucket's state when asked) from FakeAws or AWS. */
async function obtainInventory(options: LiveOptions, config: RampartConfig, now: Date): Promise<{ inventory: Inventory; source: string; bucket?: EvidenceBucketObservation }> {
  if (options.inventory) {
    if (options.evidenceBucket) throw new CannotRun('--evidence-bucket reads the bucket from AWS or FakeAws; with --inventory nothing is collected. Drop one of them');
    if (!fs.existsSync(options.inventory)) throw new CannotRun(`${options.inventory}: no such file; pass an inventory written by rampart snapshot`);
    const parsed = parseInventory(fs.readFileSync(options.inventory, 'utf8'));
    if (!parsed.inventory) {
      for (const issue of parsed.issues.slice(0, 20)) console.error(`${options.inventory}: ${formatInventoryIssue(issue)}`);
      throw new CannotRun(`${options.inventory} is not a usable inventory (${parsed.issues.length} problem(s) above)`);
    }
    return { inventory: parsed.inventory, source: path.basename(options.inventory) };
  }
  const home = config.organization.accounts.find((a) => a.name === config.organization.mandatoryAccounts.securityTooling)?.id;
  if (!home) throw new CannotRun(`the security-tooling account ${config.organization.mandatoryAccounts.securityTooling} has no id in organization.yaml; Rampart collects from it`);
  let base: ClientBase = {};
  let source = 'aws';
  if (options.state) {
    if (!fs.existsSync(options.state)) throw new CannotRun(`${options.state}: no such file; create one with rampart sandbox init --config ${options.config} --state ${options.state}`);
    const fake = FakeAws.load(options.state);
    base = { requestHandler: fake.requestHandler(), credentials: fake.credentials({ account: home }) };
    source = `fakeaws:${path.basename(options.state)}`;
  }
  const settings = buildEvidenceSettings(config);
  const clients = new AwsClients({
    homeAccountId: home, homeRegion: config.global.homeRegion, executionRoleName: config.global.executionRoleName,
    organizationRoleName: ORGANIZATION_ROLE_NAME, base, sessionName: 'rampart-evidence',
  });
  try {
    const inventory = await collectEvidenceInventory(clients, settings.desired, settings.conformancePackRules, {
      collectedAt: now.toISOString(), maxConcurrency: config.governance.drift.maxConcurrency,
    });
    const bucket = options.evidenceBucket ? await inspectEvidenceBucket(clients, options.evidenceBucket, now.toISOString()) : undefined;
    return { inventory, source, ...(bucket ? { bucket } : {}) };
  } finally {
    clients.destroy();
  }
}

async function runLive(options: LiveOptions): Promise<number> {
  if (!options.out) return fail('--out <dir> is required: the evidence root to write the sets to');
  if (options.state && options.inventory) return fail('--state and --inventory both name what to judge; pass one of them');
  const prepared = prepare(options);
  if (typeof prepared === 'number') return prepared;
  const { now, config, set, wanted, attestations } = prepared;
  try {
    const { inventory, source, bucket } = await obtainInventory(options, config, now);
    const settings = buildEvidenceSettings(config);
    const driftReport = detectDrift(settings.desired, inventory);
    const previous = findPreviousReports(options.previous ?? options.out, wanted, now.toISOString().slice(0, 10));
    const { checkResults, build } = runEvidence({
      now, settings, inventory, driftReport, describer: set.describer, frameworks: wanted.map((id) => set.frameworks.get(id)!),
      attestations, previous: previous.reports, inventorySource: source, generatorVersion: packageVersion(),
      ...(bucket ? { evidenceBucket: bucket } : {}),
    });
    const sets = writeEvidence(build, options.out, inventory);
    console.log(`Inventory ${source}, collected ${inventory.collectedAt}: ${driftReport.drifts.length} drift(s), ${driftReport.unknownScopes.length} scope(s) that could not be read; ${checkResults.length} check results.`);
    printSummary(build, sets, options.out);
    return build.report.frameworks.some((f) => f.results.failed > 0) ? 1 : 0;
  } catch (error) {
    if (error instanceof CannotRun || error instanceof EvidenceWriteError || error instanceof PreviousEvidenceError) return fail(error.message);
    throw error;
  }
}

const FAILING_SHOWN = 5;

/** One screen per framework: coverage, results, the first failing controls and where the HTML is. */
function printSummary(build: EvidenceBuild, sets: EvidenceSet[], out: string): void {
  for (const f of build.report.frameworks) {
    const s = sets.find((x) => x.framework === f.id) as EvidenceSet;
    const c = f.coverage;
    const r = f.results;
    console.log('');
    console.log(`${f.name} (${f.id}): ${c.total} controls, ${f.accounts.length} accounts`);
    console.log(`  coverage  ${c.automated} automated, ${c.attested} attested, ${c['not-applicable']} not applicable, ${c['not-evaluated']} mapped without a result, ${c.unmapped} unmapped (manual)`);
    console.log(`  results   ${r.failed} failed, ${r.unknown} unknown, ${r.excepted} excepted, ${r.satisfied} satisfied, ${r.manual} manual, ${r['not-applicable']} not applicable`);
    const failing = f.controls.filter((x) => x.result === 'failed');
    for (const control of failing.slice(0, FAILING_SHOWN)) {
      const where = control.failingAccountIds.length
        ? control.failingAccountIds.map((id) => f.accounts.find((a) => a.accountId === id)?.accountName ?? id).join(', ')
        : [...new Set(control.failing.map((x) => [x.accountName, x.ou, x.region].filter(Boolean).join(' ')))].join('; ');
      console.log(`  FAILED    ${control.id}  ${where}: ${control.failing[0]?.detail ?? control.reason}`);
    }
    if (failing.length > FAILING_SHOWN) console.log(`  … and ${failing.length - FAILING_SHOWN} more failed control(s) in the report`);
    if (f.notices.length) console.log(`  note      ${f.notices[0]}`);
    console.log(`  report    ${path.join(out, s.dir, EVIDENCE_FILES.html)}  (manifest sha256:${s.manifestSha256})`);
  }
  const results = sets.find((x) => x.dir.startsWith(`${CHECK_RESULTS_DIR}/`)) as EvidenceSet;
  console.log('');
  console.log(`Check results: ${path.join(out, results.dir, CHECK_RESULTS_FILE)}  (manifest sha256:${results.manifestSha256}); verify with rampart evidence verify ${out}`);
}

async function runReport(options: ReportOptions): Promise<number> {
  const prepared = prepare(options);
  if (typeof prepared === 'number') return prepared;
  const { now, config, set, wanted, attestations } = prepared;

  if (!fs.existsSync(options.results)) return fail(`${options.results}: no such file; pass the check results as JSON lines`);
  const parsed = parseCheckResultLines(fs.readFileSync(options.results, 'utf8'));
  if (parsed.rejected.length) {
    for (const r of parsed.rejected.slice(0, 20)) console.error(`${options.results}:${r.at}  ${r.reason}`);
    return fail(`${parsed.rejected.length} record(s) in ${options.results} are not check results; fix them first: evidence built without them could read as compliant`);
  }

  let inventory;
  let inventoryDocument: unknown;
  if (options.inventory) {
    if (!fs.existsSync(options.inventory)) return fail(`${options.inventory}: no such file`);
    try {
      inventoryDocument = JSON.parse(fs.readFileSync(options.inventory, 'utf8'));
      inventory = { sha256: inventorySha256(inventoryDocument), source: path.basename(options.inventory) };
    } catch (error) {
      return fail(`${options.inventory} is not JSON: ${(error as Error).message}`);
    }
  }

  const lakeResults = options.lake
    ? lakeLoggingCheckResults(await observeLocalLakeLogging({ lake: options.lake, now, lookbackDays: options.lakeLookbackDays }), auditLogScopes(config, accountsFromConfig(config)), now.toISOString())
    : [];
  try {
    const previous = findPreviousReports(options.previous ?? options.out, wanted, now.toISOString().slice(0, 10));
    const build = buildEvidenceReport({
      now, frameworks: wanted.map((id) => set.frameworks.get(id)!), describer: set.describer, checkResults: [...parsed.results, ...lakeResults],
      accounts: accountsFromConfig(config), exceptions: config.governance.evidence.exceptions, attestations, previous: previous.reports, inventory, generatorVersion: packageVersion(),
    });
    const sets = writeEvidence(build, options.out, inventoryDocument);
    for (const f of build.report.frameworks) {
      const s = sets.find((x) => x.framework === f.id) as EvidenceSet;
      console.log(
        `${path.join(options.out, s.dir)}  ${f.name}: ${f.results.failed} failed, ${f.results.unknown} unknown, ${f.results.excepted} excepted, ${f.results.satisfied} satisfied, ` +
          `${f.results.manual} manual, ${f.results['not-applicable']} not applicable  (manifest sha256:${s.manifestSha256})`,
      );
    }
    if (build.report.inputs.unknownChecks.length) console.error(`${build.report.inputs.unknownChecks.reduce((n, u) => n + u.count, 0)} result(s) for checks or items no framework maps; listed in each report`);
    return build.report.frameworks.some((f) => f.results.failed > 0) ? 1 : 0;
  } catch (error) {
    if (error instanceof EvidenceWriteError || error instanceof PreviousEvidenceError) return fail(error.message);
    throw error;
  }
}

function fail(message: string): number {
  console.error(`rampart: ${message}`);
  return 2;
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}
