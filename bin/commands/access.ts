import * as fs from 'node:fs';
import type { Command } from 'commander';
import { AccessClients, type ClientBase } from '../../aws/accessClients';
import { collectAccessInventory } from '../../aws/accessInventory';
import { REJECTED_ERROR } from '../../aws/stepFunctions';
import { createArchiveRule, readFinding, type ArchiveFilter } from '../../aws/accessFindings';
import { readRole, writeTrustPolicy } from '../../aws/roleTrustPolicy';
import type { RampartConfig } from '../../config/model';
import { accessResolutionSettings, type AccessResolutionSettings, type ResolutionState } from '../../engine/accessResolution';
import { deriveDesiredState } from '../../engine/desiredState';
import { formatInventoryIssue, parseInventory, type Inventory } from '../../engine/inventory';
import { pciSegmentationReport, type SegmentationReport } from '../../engine/pciSegmentation';
import { policyDiff } from '../../engine/policyDiff';
import { parseRoleArn } from '../../engine/roleTrust';
import { planTrustRevert } from '../../engine/trustPolicyDeny';
import { assess, intake } from '../../handlers/access/steps';
import { FakeAws } from '../../sandbox';
import { SynthesisError } from '../../stacks/accountDirectory';
import { loadValidConfig } from '../../stacks/synthesize';
import { runAccessResolutionLocally } from '../../workflows/access/runLocally';
import { prepareLocalAccess } from './accessLocal';
import { DEFAULT_CONFIG_DIR } from './validate';

/**
 * `rampart access`: resolve external trust on IAM roles now (the workflow, run locally), revert
 * one resolution, and the PCI segmentation report. Against a sandbox state file (`--sandbox`,
 * saved back after a change) or against AWS with the caller's credentials, which must be those of
 * the security-tooling account (the Access Analyzer administrator).
 */

interface CommonOptions {
  config: string;
  sandbox?: string;
}

/** Where the commands reach AWS: a sandbox loaded in-process (saved back on `save`), or AWS itself. */
interface Target {
  config: RampartConfig;
  settings: AccessResolutionSettings;
  base: ClientBase;
  fake?: FakeAws;
  now(): Date;
  save(): void;
}

class UsageError extends Error {}

function accountIdsOf(config: RampartConfig): Record<string, string> {
  return Object.fromEntries(config.organization.accounts.flatMap((a) => (a.id ? [[a.name, a.id]] : [])));
}

function openTarget(options: CommonOptions): Target {
  const { config } = loadValidConfig(options.config);
  const settings = accessResolutionSettings(deriveDesiredState(config), config.governance.remediation, accountIdsOf(config));
  if (!options.sandbox) return { config, settings, base: {}, now: () => new Date(), save: () => undefined };
  if (!fs.existsSync(options.sandbox)) throw new UsageError(`${options.sandbox}: no sandbox state here; create one with rampart sandbox init --config ${options.config} --state ${options.sandbox}`);
  const fake = FakeAws.load(options.sandbox);
  const sandbox = options.sandbox;
  return {
    config, settings, fake,
    base: { requestHandler: fake.requestHandler(), credentials: fake.credentials({ account: settings.analyzer.accountId }) },
    now: () => fake.clock.now(),
    save: () => fake.save(sandbox),
  };
}

function clientsFor(target: Target, region = target.settings.analyzer.region): AccessClients {
  return new AccessClients({
    homeAccountId: target.settings.analyzer.accountId, homeRegion: region, executionRoleName: target.settings.executionRoleName, base: target.base,
    sessionName: 'rampart-access-cli', nowMs: () => target.now().getTime(),
  });
}

async function run(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    if (error instanceof UsageError || error instanceof SynthesisError) {
      console.error(`rampart access: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// resolve

interface ResolveOptions extends CommonOptions {
  dryRun?: boolean;
  approve?: boolean;
  json?: boolean;
  topicArn?: string;
  recordBucket?: string;
}

async function resolve(options: ResolveOptions): Promise<number> {
  const target = openTarget(options);
  if (options.dryRun) return dryRun(target, options);
  if (!target.fake && !(options.topicArn && options.recordBucket)) {
    throw new UsageError('against AWS, pass --topic-arn and --record-bucket (the governance stack\'s notification topic and evidence bucket), or use --dry-run');
  }
  const local = await prepareLocalAccess(target.config, {
    base: target.base, now: target.now,
    ...(options.topicArn && options.recordBucket ? { outputs: { topicArn: options.topicArn, bucket: options.recordBucket } } : {}),
  });
  const fake = target.fake;
  const output = await runAccessResolutionLocally({
    definition: local.definition, input: { sweep: true }, ctx: local.ctx,
    // At the command line the person running it answers approvals: --approve approves what --dry-run showed; otherwise they are declined.
    waitForTaskToken: () => ({
      token: fake?.taskTokens.register({ account: local.settings.analyzer.accountId, region: local.settings.analyzer.region }).token ?? 'cli',
      outcome: Promise.resolve(options.approve
        ? { status: 'SUCCEEDED' as const, output: JSON.stringify({ decision: 'approved', by: 'rampart access resolve --approve', at: target.now().toISOString() }) }
        : { status: 'FAILED' as const, error: REJECTED_ERROR, cause: JSON.stringify({ by: 'rampart access resolve', reason: 'not approved at the command line; review with --dry-run, then run with --approve' }) }),
    }),
  }) as { source: string; results: { role: string; outcomes: { findingId: string; outcome: string; reason: string }[] }[] };
  target.save();
  const outcomes = output.results.flatMap((r) => r.outcomes.map((o) => ({ role: r.role, ...o })));
  if (options.json) console.log(JSON.stringify({ mode: local.settings.mode, outcomes }, null, 2));
  else {
    if (outcomes.length === 0) console.log('No active Access Analyzer findings on IAM roles.');
    for (const o of outcomes) console.log(`${o.outcome.padEnd(17)} ${o.role}  finding ${o.findingId}\n${' '.repeat(18)}${o.reason}`);
  }
  return outcomes.some((o) => ['refused', 'failed', 'declined'].includes(o.outcome)) ? 1 : 0;
}

const DRY_RUN_LABEL: Record<NonNullable<ResolutionState['assessment']>['decision'], string> = {
  apply: 'would write', approve: 'needs approval', report: 'report only', confirm: 'already denied', 'skip-exempt': 'exempt', refuse: 'would refuse', drop: 'dropped',
};

/** Reads and plans every active finding without writing: the decision and the exact policy diff of each. */
async function dryRun(target: Target, options: ResolveOptions): Promise<number> {
  const clients = clientsFor(target);
  const ctx = { clients: () => clients, topicArn: '', recordBucket: '', recordPrefix: '', now: target.now };
  const { roles } = await intake({ event: { sweep: true }, settings: target.settings }, ctx);
  const planned: ResolutionState[] = [];
  for (const role of roles) {
    for (const ref of role.findings) planned.push(await assess({ ref, settings: target.settings }, ctx));
  }
  if (options.json) {
    console.log(JSON.stringify({ mode: target.settings.mode, findings: planned.map((s) => ({ findingId: s.ref.findingId, role: s.finding?.resource, assessment: s.assessment, validation: s.validation })) }, null, 2));
    return 0;
  }
  if (planned.length === 0) console.log('No active Access Analyzer findings on IAM roles.');
  console.log(`Mode for ExternalTrustOnRole: ${target.settings.mode} (${target.settings.modeSource}). Nothing is written in a dry run.`);
  for (const state of planned) {
    const a = state.assessment;
    if (!a) continue;
    console.log(`\n${DRY_RUN_LABEL[a.decision].padEnd(15)} ${state.finding?.resource ?? state.ref.resource ?? ''}  finding ${state.ref.findingId}\n  ${a.reason}`);
    if ('change' in a) console.log(a.change.diff.split('\n').map((line) => `  ${line}`).join('\n'));
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// revert

interface RevertOptions extends CommonOptions {
  finding: string;
  role?: string;
  archive?: boolean;
}

async function revert(options: RevertOptions): Promise<number> {
  const target = openTarget(options);
  const clients = clientsFor(target);
  const { settings } = target;
  const finding = await readFinding(clients.accessAnalyzer(), { findingId: options.finding, analyzerArn: settings.analyzer.arn });
  const known = !finding.isDeleted && finding.resource !== '';
  const roleArn = options.role ?? (known ? finding.resource : undefined);
  if (!roleArn) throw new UsageError(`finding ${options.finding} is not known to ${settings.analyzer.arn}; pass --role ARN (the notification names it)`);
  const role = parseRoleArn(roleArn);
  if (!role) throw new UsageError(`--role ${roleArn} is not an IAM role ARN, e.g. arn:aws:iam::123456789012:role/path/Name`);
  // Archive first: when the Deny goes, the access is back and so are the findings; archived, they do not start the workflow again.
  if (options.archive) await archiveAccess(target, options.finding, known ? { resource: roleArn, principal: finding.principal } : undefined);
  const iam = clients.iam(role.accountId);
  const current = await readRole(iam, role.name);
  if (!current) throw new UsageError(`role ${roleArn} does not exist`);
  const plan = planTrustRevert(current.trustPolicy, options.finding);
  if (plan.status === 'absent') {
    console.log(`${roleArn} has no Deny statement for finding ${options.finding}; nothing to revert`);
    target.save();
    return 0;
  }
  if (plan.status === 'refused') {
    console.error(`rampart access revert: ${plan.reason}`);
    target.save();
    return 1;
  }
  const again = await readRole(iam, role.name);
  if (again?.trustPolicy !== current.trustPolicy) {
    console.error(`rampart access revert: the trust policy of ${roleArn} changed while it was read; nothing was written; run the command again`);
    target.save();
    return 1;
  }
  await writeTrustPolicy(iam, role.name, plan.after);
  target.save();
  console.log(`Removed ${plan.sid} from the trust policy of ${roleArn}`);
  console.log(policyDiff(plan.before, plan.after, { before: `${roleArn} (before)`, after: `${roleArn} (after)` }));
  if (!options.archive) {
    console.log(`Access Analyzer will report finding ${options.finding} again and the workflow will deny it again; to keep the access, add the principal to security.yaml trustedPrincipals, or revert with --archive`);
  }
  return 0;
}

/**
 * Archive rules named after the finding: in every enabled Region for its role and principal (each
 * Region's analyzer reports the role under its own finding id), or, when the finding can no longer
 * be read, for its id in the home Region.
 */
async function archiveAccess(target: Target, findingId: string, access: { resource: string; principal: Record<string, string> } | undefined): Promise<void> {
  const ruleName = `rampart-reverted-${findingId}`.slice(0, 255);
  const { analyzer } = target.settings;
  const regions = access ? target.config.global.enabledRegions : [analyzer.region];
  const filter: ArchiveFilter = access
    ? { resource: [access.resource], ...Object.fromEntries(Object.entries(access.principal).map(([type, value]) => [`principal.${type}`, [value]])) }
    : { id: [findingId] };
  for (const region of regions) {
    const result = await createArchiveRule(clientsFor(target, region).accessAnalyzer(), analyzer.name, ruleName, filter);
    console.log(`${result === 'created' ? 'Created' : 'Kept'} archive rule ${ruleName} on ${analyzer.name} in ${region} (${Object.entries(filter).map(([k, v]) => `${k} = ${v.join(', ')}`).join('; ')})`);
  }
}

// ---------------------------------------------------------------------------------------------
// segmentation

interface SegmentationOptions extends CommonOptions {
  json?: boolean;
  inventory?: string;
}

async function segmentation(options: SegmentationOptions): Promise<number> {
  let report: SegmentationReport;
  if (options.inventory) {
    const { config } = loadValidConfig(options.config);
    if (!fs.existsSync(options.inventory)) throw new UsageError(`${options.inventory}: no such inventory file (take one with rampart snapshot)`);
    const parsed = parseInventory(fs.readFileSync(options.inventory, 'utf8'));
    if (!parsed.inventory) throw new UsageError(`${options.inventory} is not a valid inventory:\n${parsed.issues.map((i) => `  ${formatInventoryIssue(i)}`).join('\n')}`);
    report = pciSegmentationReport(deriveDesiredState(config), parsed.inventory);
  } else {
    const target = openTarget(options);
    const desired = deriveDesiredState(target.config);
    const inventory: Inventory = await collectAccessInventory(desired, (region) => clientsFor(target, region), target.now().toISOString());
    report = pciSegmentationReport(desired, inventory);
  }
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else console.log(formatSegmentation(report));
  return report.status === 'FAIL' ? 1 : report.status === 'UNKNOWN' ? 2 : 0;
}

export function formatSegmentation(report: SegmentationReport): string {
  const lines = [
    `PCI segmentation (${report.checkId}, PCI DSS ${report.requirements.ids.join(', ')}): ${report.status}`,
    `PCI OU ${report.pciOuPath ?? '(none)'}; PCI accounts: ${report.pciAccounts.map((a) => `${a.accountName} (${a.accountId})`).join(', ') || 'none'}`,
    `${report.counts.total} path(s) from outside the PCI OU: ${report.counts.unlisted} unlisted, ${report.counts.allowlisted} allowlisted, ${report.counts.exempt} exempt, ${report.counts.rampart} Rampart's own`,
  ];
  for (const path of report.paths) {
    const from = path.source.kind === 'organization' ? `${path.source.principal} (${path.source.accountName ?? path.source.accountId}, ${path.source.ouPath})` : `${path.source.principal} (${path.source.kind})`;
    lines.push(`  ${path.status.padEnd(11)} ${from} -> ${path.target.resource} [${path.actions.join(', ')}]${path.conditional ? ' (conditional)' : ''}`);
    lines.push(`              ${path.statusReason}${path.findingIds.length ? `; findings ${path.findingIds.join(', ')}` : ''}${path.drift ? `; drift ${path.drift.type} ${path.drift.id}` : ''}`);
  }
  for (const scope of report.unknownScopes) {
    lines.push(`  unknown     ${scope.kind}${scope.accountId ? ` ${scope.accountId}` : ''}${scope.region ? ` ${scope.region}` : ''}: ${scope.error.code}: ${scope.error.message}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

export function registerAccess(program: Command): void {
  const access = program
    .command('access')
    .description('Access boundaries: resolve external trust on IAM roles, revert a resolution, PCI segmentation evidence');
  const common = (command: Command) => command
    .option('--config <dir>', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--sandbox <file>', 'a FakeAws sandbox state (rampart sandbox init); without it, AWS with your credentials (the security-tooling account)');

  common(access.command('resolve')
    .description('Run the access-resolution workflow now over every active Access Analyzer finding on IAM roles')
    .option('--dry-run', 'read and plan only: print each decision and the exact trust-policy diff, write nothing')
    .option('--approve', 'in approve mode, approve every planned change (review them with --dry-run first)')
    .option('--topic-arn <arn>', 'against AWS: the governance stack\'s notification topic')
    .option('--record-bucket <name>', 'against AWS: the governance stack\'s evidence bucket')
    .option('--json', 'print the outcomes as JSON'))
    .action((options: ResolveOptions) => run(() => resolve(options)));

  common(access.command('revert')
    .description('Remove the Deny statement of one finding from its role\'s trust policy (exactly that statement)')
    .requiredOption('--finding <id>', 'the finding id (in the notification)')
    .option('--role <arn>', 'the role (found from the finding when omitted)')
    .option('--archive', 'also create an archive rule for the finding, so it is not resolved again'))
    .action((options: RevertOptions) => run(() => revert(options)));

  common(access.command('segmentation')
    .description('Every principal outside the PCI OU that can reach a PCI account, against security.yaml trustedPrincipals (exit 1 when one is unlisted)')
    .option('--inventory <file>', 'read a saved inventory (rampart snapshot) instead of AWS or the sandbox')
    .option('--json', 'print the typed report as JSON'))
    .action((options: SegmentationOptions) => run(() => segmentation(options)));
}
