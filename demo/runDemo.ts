import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsClients } from '../aws/clients';
import { resolveSource } from '../bin/commands/transform';
import { formatIssue } from '../config/errors';
import { writeScaledConfig } from '../config/generate';
import { loadConfig } from '../config/load';
import { resolveCustomSources, type RampartConfig } from '../config/model';
import { deriveDesiredState } from '../engine/desiredState';
import type { DriftReport } from '../engine/drift';
import { formatDriftReport } from '../engine/driftTable';
import type { EvidenceReport } from '../evidence/report';
import { verifyEvidence } from '../evidence/verify';
import { CHECK_RESULTS_FILE } from '../evidence/layout';
import { EVIDENCE_FILES } from '../evidence/write';
import type { DriftSummary } from '../handlers/workflows/steps';
import { RUN_FILES } from '../handlers/workflows/runFiles';
import type { RemediationPlanFile } from '../handlers/workflows/remediationPlan';
import { transformFiles } from '../ocsf/transformFiles';
import { FakeAws } from '../sandbox';
import { findScenario } from '../sandbox/scenarios';
import { seedNewOrganization } from '../sandbox/seed/fromConfig';
import { ORGANIZATION_REMEDIATION_ROLE_NAME } from '../stacks/organization/organizationStack';
import { DEFAULT_CONFIG_DIR, synthesizeLandingZone } from '../stacks/synthesize';
import { deployLocally } from '../workflows/local/localDeployment';
import { synthesizeLocalWorkflows } from '../workflows/local/assembly';
import { LocalSession, sandboxAccountIds } from '../workflows/local/localSession';
import { bootstrapDelegatedAdministration, buildLandingZone } from './buildLandingZone';
import { DEMO_SCENARIOS } from './driftScenarios';
import type { StepReporter } from './progress';
import { seedWhatTheExecutorLeaves } from './sandboxFillIns';

export interface DemoOptions {
  /** Configuration directory (default config/examples/pci-org). */
  config?: string;
  /** Where every artifact goes (default ./out). */
  out?: string;
  /** Scale the configuration to this many extra workload accounts (written to <out>/config-N). */
  accounts?: number;
}

export interface DemoSummary {
  config: string;
  out: string;
  /** The sandbox state after remediation (rampart drift/remediate --state). */
  sandbox: string;
  accounts: number;
  synth: { stacks: number; resources: number; nagPacks: string[] };
  build: { executorActions: number; rounds: number; seeded: string[]; left: Record<string, number> };
  injected: { scenario: string; drift: string; changes: string[] }[];
  drift: { found: number; byType: Record<string, number>; unknownScopes: number };
  remediation: {
    repaired: number;
    applied: { description: string; driftTypes: string[] }[];
    awaitingApproval: { description: string; driftTypes: string[]; modeReason: string }[];
    reportOnly: { type: string; message: string; reason: string }[];
    notApplied: { description: string; outcome: string }[];
    /** Drift types still present after the Remediate run. */
    remainingByType: Record<string, number>;
  };
  lake: { dir: string; in: number; written: number; rejected: number; bySource: Record<string, { in: number; written: number; rejected: number }> };
  evidence: {
    dir: string;
    frameworks: { id: string; name: string; failed: number; unknown: number; satisfied: number; excepted: number; manual: number; notApplicable: number; html: string; failedControls: string[]; failingChecks: string[] }[];
    /** The run's check results (gzipped JSON lines), under its own manifest. */
    checkResults: string;
  };
  verify: { ok: boolean; manifests: number; files: number; problems: string[] };
  elapsedSeconds: number;
}

/** Sample logs shipped with Rampart for a shipped mapping (builtin:<name>). */
const SAMPLES_DIR = path.join(__dirname, '..', 'ocsf', 'samples');
const NAG_PACKS = ['AwsSolutions', 'NIST 800-53 R5', 'PCI DSS 3.2.1'];

/**
 * The whole job against FakeAws, step by step: validate ▸ synthesize ▸ build the landing zone
 * through the executor ▸ inject drift ▸ DriftCheck ▸ Remediate ▸ custom-source logs into a local
 * lake ▸ Evidence for every framework ▸ verify the manifests. Every artifact goes under `out`.
 */
export async function runDemo(options: DemoOptions, reporter: StepReporter): Promise<DemoSummary> {
  const started = Date.now();
  const out = path.resolve(options.out ?? 'out');
  const baseConfig = options.config ?? DEFAULT_CONFIG_DIR;
  fs.mkdirSync(out, { recursive: true });
  for (const dir of ['cdk.out', 'workflows.out', 'lake', 'evidence']) fs.rmSync(path.join(out, dir), { recursive: true, force: true });

  const config = await reporter.run('Validate the configuration', async () => {
    const dir = options.accounts ? writeScaledConfig(baseConfig, path.join(out, `config-${options.accounts}`), { accounts: options.accounts }) : baseConfig;
    const loaded = loadConfig(dir, { now: new Date() });
    if (!loaded.config) throw new Error(`${dir} is not valid:\n${loaded.issues.filter((i) => i.severity === 'error').map(formatIssue).join('\n')}`);
    return loaded.config;
  }, (c) => `${path.relative(process.cwd(), c.dir) || '.'}: ${c.organization.accounts.length} accounts, ${c.global.enabledRegions.length} Regions, ${c.organization.serviceControlPolicies.length} SCPs`);

  const synth = await reporter.run('Synthesize the stacks (cdk-nag)', async () => {
    const result = synthesizeLandingZone({ configDir: config.dir, outdir: path.join(out, 'cdk.out') });
    const stacks = result.assembly.stacks;
    return { stacks: stacks.length, resources: stacks.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0), nagPacks: NAG_PACKS };
  }, (s) => `${s.stacks} stacks, ${s.resources} resources in ${path.relative(process.cwd(), path.join(out, 'cdk.out')) || '.'}; cdk-nag ${s.nagPacks.join(', ')}: no unacknowledged findings`);

  const fake = FakeAws.create({ seed: 1 });
  let pendingApproval: ((request: { token: string; payload: Record<string, unknown> }) => void) | undefined;
  const build = await reporter.run('Build the landing zone in FakeAws', (note) => buildInSandbox(config, fake, path.join(out, 'workflows.out'), (request) => pendingApproval?.(request), note),
    (b) => `${b.summary.executorActions} actions by Rampart's executor in ${b.summary.rounds} rounds (OUs, SCPs, trusted access, delegated admins, Security Hub, Config, Security Lake, Access Analyzer); `
      + `seeded by the sandbox: ${b.summary.seeded.join(', ')}; no drift left`);
  const live = build.session;
  try {
    const injected = await reporter.run(`Inject ${DEMO_SCENARIOS.length} drifts`, async () => {
      const done: DemoSummary['injected'] = [];
      for (const { scenario, drift } of DEMO_SCENARIOS) {
        const named = findScenario(scenario);
        if (!named) throw new Error(`no sandbox scenario ${scenario}`);
        done.push({ scenario, drift, changes: (await named.apply(fake, {})).changes });
      }
      return done;
    }, (list) => list.map((i) => i.scenario).join(', '));

    const drift = await reporter.run('Run DriftCheck (state machine, locally)', () => live.driftCheck(),
      (run) => `${run.report.drifts.length} drift(s), ${run.report.unknownScopes.length} unreadable scope(s), ${run.execution.transitions} state transitions`);
    reporter.print(formatDriftReport(drift.report));

    const remediation = await reporter.run('Run Remediate with governance.yaml\'s policy', async () => {
      const result = await remediateWithoutAnsweringApprovals(live, fake, drift.summary, (handler) => { pendingApproval = handler; });
      const after = await live.driftCheck();
      fake.save(path.join(out, 'sandbox.json'));
      return { ...result, remainingByType: countByType(after.report) };
    }, (r) => `${r.repaired} repaired, ${r.awaitingApproval.length} awaiting approval, ${r.reportOnly.length} report-only`);
    for (const a of remediation.awaitingApproval) reporter.print(`  awaiting approval: ${a.description}${a.modeReason ? ` (${a.modeReason})` : ''}`);
    for (const r of remediation.reportOnly) reporter.print(`  report-only: ${r.message} (${r.reason})`);

    const lake = await reporter.run('Transform the sample custom-source logs into the local lake', () => transformSamples(config, path.join(out, 'lake')),
      (l) => `${l.in} records in = ${l.written} written + ${l.rejected} rejected (${Object.keys(l.bySource).join(', ')}) in ${path.relative(process.cwd(), l.dir)}`);

    const evidenceDir = path.join(out, 'evidence');
    const evidence = await reporter.run('Run Evidence for every framework (state machine, locally)', () => runAllEvidence(live, evidenceDir),
      (e) => `${e.frameworks.map((f) => `${f.id} ${f.failed} failed / ${f.unknown} unknown / ${f.satisfied} satisfied`).join('; ')}; ${e.transitions} state transitions`);

    const verify = await reporter.run('Verify the evidence manifests', async () => {
      const result = verifyEvidence(evidenceDir);
      if (!result.ok) throw new Error(`evidence does not match its manifests: ${result.problems.map((p) => `${p.kind} ${p.path}`).join(', ')}`);
      return { ok: result.ok, manifests: result.manifests.length, files: result.filesChecked, problems: result.problems.map((p) => `${p.kind} ${p.path} ${p.detail}`) };
    }, (v) => `${v.files} files match ${v.manifests} manifests`);

    return {
      config: config.dir, out, sandbox: path.join(out, 'sandbox.json'), accounts: config.organization.accounts.length, synth, build: build.summary, injected,
      drift: { found: drift.report.drifts.length, byType: countByType(drift.report), unknownScopes: drift.report.unknownScopes.length },
      remediation, lake, evidence: { dir: evidenceDir, checkResults: evidence.checkResults, frameworks: evidence.frameworks }, verify,
      elapsedSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    live.close();
  }
}

/**
 * A brand-new organization in the sandbox, the workflows deployed into it (their assembly in
 * `assemblyDir`), and the landing zone built by the executor, with what the sandbox seeds instead
 * named. The session is closed if the build fails.
 */
async function buildInSandbox(config: RampartConfig, fake: FakeAws, assemblyDir: string, onApprovalRequested: (request: { token: string; payload: Record<string, unknown> }) => void,
  note: (detail: string) => void): Promise<{ session: LocalSession; summary: DemoSummary['build'] }> {
  note('a new organization: accounts in the root');
  const seeded = seedNewOrganization(fake, config);
  note('deploying the workflows locally');
  const workflows = synthesizeLocalWorkflows(config, { accountIds: sandboxAccountIds(config, fake), outdir: assemblyDir });
  const session = await LocalSession.open({ config, fake, workflows, approvals: 'wait', onApprovalRequested });
  const { account, region } = session.workflows.env;
  let clients: AwsClients | undefined;
  try {
    const deployment = await deployLocally(session.workflows, session.sandbox);
    clients = new AwsClients({
      homeAccountId: account, homeRegion: region, executionRoleName: config.global.executionRoleName, organizationRoleName: ORGANIZATION_REMEDIATION_ROLE_NAME, base: deployment.handlerBase,
    });
    const desired = deriveDesiredState(config);
    await bootstrapDelegatedAdministration(clients, desired, seeded.accountIds);
    note('Rampart\'s executor applying the plan');
    const first = await buildLandingZone(clients, config, desired, () => new Date());
    const filled = await seedWhatTheExecutorLeaves(fake, config, first, seeded.accountIds);
    const second = filled.length ? await buildLandingZone(clients, config, desired, () => new Date()) : undefined;
    const last = second ?? first;
    const unreadable = last.report.unknownScopes.length;
    if (Object.keys(last.remaining).length || unreadable) {
      // The later steps would measure what the build left, not the drift they inject: stop here and say why.
      const why = last.failed.slice(0, 5).map((f) => `${f.description}: ${f.reason}`);
      throw new Error(`the landing zone could not be built; still drifted: ${formatCounts(last.remaining) || 'nothing'}, unreadable scopes: ${unreadable}`
        + `${why.length ? `; failed writes: ${why.join('; ')}` : ''}`);
    }
    return {
      session,
      summary: {
        executorActions: first.applied + (second?.applied ?? 0), rounds: first.rounds + (second?.rounds ?? 0),
        seeded: [`${Object.keys(seeded.accountIds).length} accounts in the root (account vending)`, `${seeded.executionRoles} execution roles (a StackSet deploys them)`, ...filled],
        left: last.remaining,
      },
    };
  } catch (error) {
    session.close();
    throw error;
  } finally {
    clients?.destroy();
  }
}

/**
 * Runs Remediate after the drift check. Auto actions are applied. Approval actions are asked for
 * and left unanswered: the demo closes each request as its timeout would (approvalTimeoutHours),
 * since the run applies its waves in order and would otherwise wait for a person before the later
 * waves. Their drift stays, to be approved in a later run (rampart remediate + rampart approve).
 */
async function remediateWithoutAnsweringApprovals(session: LocalSession, fake: FakeAws, after: DriftSummary,
  listen: (handler: (request: { token: string; payload: Record<string, unknown> }) => void) => void): Promise<Omit<DemoSummary['remediation'], 'remainingByType'>> {
  const { account, region } = session.workflows.env;
  const asked = new Set<number>();
  listen((request) => {
    asked.add((request.payload as { index: number }).index);
    fake.taskTokens.fail(request.token, account, region, 'States.Timeout', 'not answered: the demo leaves approvals to a person');
  });
  const run = await session.remediate({ after });
  const file = await session.read<RemediationPlanFile>(RUN_FILES.remediationPlan(run.summary.runId));
  const applied = run.records.filter((r) => r.outcome === 'applied');
  return {
    repaired: applied.reduce((n, r) => n + r.driftIds.length, 0),
    applied: applied.map((r) => ({ description: r.description, driftTypes: file.plan.actions.find((a) => a.id === r.actionId)?.driftTypes ?? [] })),
    awaitingApproval: file.plan.actions.flatMap((a, index) => a.mode === 'approve' && asked.has(index) ? [{ description: a.description, driftTypes: a.driftTypes, modeReason: a.modeReason ?? '' }] : []),
    reportOnly: file.plan.reported.map((r) => ({ type: r.type, message: r.message, reason: r.reason })),
    notApplied: run.records.filter((r) => r.mode === 'auto' && r.outcome !== 'applied').map((r) => ({ description: r.description, outcome: r.outcome })),
  };
}

/** Every custom source of securitylake.yaml whose shipped mapping has sample logs, transformed into `dir`. */
async function transformSamples(config: RampartConfig, dir: string): Promise<DemoSummary['lake']> {
  const bySource: DemoSummary['lake']['bySource'] = {};
  const names = [...new Set(resolveCustomSources(config).map((s) => s.configName))];
  for (const name of names) {
    const declared = config.securityLake.customSources.find((s) => s.name === name);
    const builtin = declared?.mapping.startsWith('builtin:') ? declared.mapping.slice('builtin:'.length) : undefined;
    const samples = builtin ? path.join(SAMPLES_DIR, builtin) : undefined;
    if (!samples || !fs.existsSync(samples)) continue;
    const inputs = fs.readdirSync(samples).map((f) => path.join(samples, f));
    const { source, region } = resolveSource({ source: name, config: config.dir });
    const counts = await transformFiles({ source, inputs, outDir: dir, region });
    if (counts.in !== counts.written + counts.rejected) throw new Error(`${name}: ${counts.in} records in but ${counts.written} written + ${counts.rejected} rejected`);
    bySource[name] = { in: counts.in, written: counts.written, rejected: counts.rejected };
  }
  if (!Object.keys(bySource).length) throw new Error(`no custom source in ${config.dir}/securitylake.yaml uses a shipped mapping with sample logs (${fs.readdirSync(SAMPLES_DIR).join(', ')})`);
  const total = (k: 'in' | 'written' | 'rejected') => Object.values(bySource).reduce((n, c) => n + c[k], 0);
  return { dir, in: total('in'), written: total('written'), rejected: total('rejected'), bySource };
}

/**
 * Runs the Evidence workflow locally for every framework the deployment knows: it collects,
 * checks and writes one set per framework (and the run's check results) to the sandbox's evidence
 * bucket. Each set is read back, verified against its manifest there, and copied to `dir`.
 */
async function runAllEvidence(session: LocalSession, dir: string): Promise<Omit<DemoSummary['evidence'], 'dir'> & { transitions: number }> {
  const run = await session.evidence({ frameworks: 'all' });
  if (run.notWritten.length) throw new Error(`evidence not written for ${run.notWritten.map((f) => `${f.framework} (${JSON.stringify(f.failed)})`).join(', ')}`);
  const stored = (location: string) => location.replace(/^s3:\/\/[^/]+\//, '').slice(run.prefix.length).replace(/\/$/, '');
  const checkResultsDir = path.posix.dirname(run.checks.checkResults.key.slice(run.prefix.length));
  for (const set of [checkResultsDir, ...run.sets.map((s) => stored(s.location))]) {
    const { files, verification } = await session.verifyEvidence(set);
    if (!verification.ok) throw new Error(`s3://${run.bucket}/${run.prefix}${set} does not match its manifest: ${verification.problems.map((p) => `${p.kind} ${p.path}`).join(', ')}`);
    for (const [rel, content] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, set, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, set, rel), content);
    }
  }
  return {
    transitions: run.execution.transitions,
    checkResults: path.join(dir, checkResultsDir, CHECK_RESULTS_FILE),
    frameworks: run.sets.map((set) => {
      const report = JSON.parse(fs.readFileSync(path.join(dir, stored(set.location), EVIDENCE_FILES.report), 'utf8')) as EvidenceReport;
      const controls = report.frameworks.find((f) => f.id === set.framework)?.controls ?? [];
      return {
        id: set.framework, name: set.name, failed: set.results.failed, unknown: set.results.unknown, satisfied: set.results.satisfied, excepted: set.results.excepted,
        manual: set.results.manual, notApplicable: set.results['not-applicable'], html: path.join(dir, stored(set.location), EVIDENCE_FILES.html),
        failedControls: controls.filter((c) => c.result === 'failed').map((c) => c.id),
        failingChecks: [...new Set(controls.flatMap((c) => c.failing.map((x) => x.ref)))].sort(),
      };
    }),
  };
}

function countByType(report: DriftReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of report.drifts) out[d.type] = (out[d.type] ?? 0) + 1;
  return out;
}

export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ');
}
