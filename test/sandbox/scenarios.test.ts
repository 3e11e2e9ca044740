import * as AA from '@aws-sdk/client-accessanalyzer';
import * as C from '@aws-sdk/client-config-service';
import * as I from '@aws-sdk/client-iam';
import * as O from '@aws-sdk/client-organizations';
import * as SH from '@aws-sdk/client-securityhub';
import * as SL from '@aws-sdk/client-securitylake';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';
import { FakeAws } from '../../sandbox';
import { findScenario, SCENARIOS } from '../../sandbox/scenarios';
import { seedLandingZone, type SeedReport } from '../../sandbox/seed/fromConfig';
import { busEvents } from '../../sandbox/state/eventbridge';

const EXAMPLE = 'config/examples/pci-org';

function exampleConfig(): RampartConfig {
  const result = loadConfig(EXAMPLE, { now: new Date('2026-12-04T00:00:00Z') });
  if (!result.config) throw new Error(`${EXAMPLE} does not load`);
  return result.config;
}

/** Paths (dot-joined) where two JSON values differ: changed leaves, added or removed keys. */
function changedPaths(before: unknown, after: unknown, at = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(before) || !isObject(after)) return [at];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].flatMap((key) => changedPaths(b[key], a[key], at ? `${at}.${key}` : key));
}

describe('named drift scenarios on the seeded example organization', () => {
  const config = exampleConfig();
  let fake: FakeAws;
  let report: SeedReport;
  const id = (name: string) => report.accountIds[name];
  const client = <T>(Client: new (config: object) => T, account: string, region = 'us-east-1') => new Client(fake.clientConfig({ account: id(account) ?? account, region }));

  beforeEach(async () => {
    fake = FakeAws.create({ seed: 1, now: new Date('2026-12-04T00:00:00Z') });
    report = await seedLandingZone(fake, config);
  });

  /** Applies a scenario and returns the state paths it changed (ids drawn from the seeded randomness aside). */
  async function apply(name: string, account?: string): Promise<{ changes: string[]; paths: string[] }> {
    const scenario = findScenario(name);
    if (!scenario) throw new Error(`no scenario ${name}`);
    const before = JSON.parse(JSON.stringify(fake.state));
    fake.clock.advance(3_600_000);
    const { changes } = await scenario.apply(fake, { account });
    const paths = changedPaths(before, JSON.parse(JSON.stringify(fake.state))).filter((p) => p !== 'randomPosition');
    return { changes, paths };
  }

  it('lists every scenario once, each with a description', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual([
      'pci-account-moved', 'pci-scp-detached', 'pci-scp-edited', 'pci-standard-disabled', 'pci-control-disabled', 'securitylake-source-stopped',
      'securitylake-replication-removed', 'securitylake-custom-source-deleted', 'config-recorder-stopped', 'conformance-pack-deleted',
      'delegated-admin-deregistered', 'role-trusted-by-external-account', 'pci-role-trusted-by-non-pci-account',
    ]);
    for (const scenario of SCENARIOS) expect(scenario.description.length).toBeGreaterThan(20);
  });

  it('pci-account-moved: only the account\'s parent changes, to the non-PCI sibling OU', async () => {
    const { paths } = await apply('pci-account-moved');
    expect(paths).toEqual([`organization.accounts.${id('payments-prod')}.parentId`]);
    const parents = await client(O.OrganizationsClient, 'management').send(new O.ListParentsCommand({ ChildId: id('payments-prod') }));
    expect(parents.Parents?.[0].Id).toBe(report.ouIds['Workloads/NonPci']);
    // Central configuration follows the OU: the account now gets the baseline policy, without PCI DSS.
    const enabled = await client(SH.SecurityHubClient, 'payments-prod').send(new SH.GetEnabledStandardsCommand({}));
    expect(enabled.StandardsSubscriptions?.map((s) => s.StandardsArn)).toEqual(['arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0']);
  });

  it('pci-account-moved --account moves the chosen account (by name)', async () => {
    const { paths } = await apply('pci-account-moved', 'payments-staging');
    expect(paths).toEqual([`organization.accounts.${id('payments-staging')}.parentId`]);
  });

  it('pci-scp-detached: only the PCI OU\'s attachments change', async () => {
    const { paths } = await apply('pci-scp-detached');
    expect(paths).toEqual([`organization.attachments.${report.ouIds['Workloads/Pci']}`]);
    const attached = await client(O.OrganizationsClient, 'management').send(new O.ListPoliciesForTargetCommand({ TargetId: report.ouIds['Workloads/Pci'], Filter: 'SERVICE_CONTROL_POLICY' }));
    expect(attached.Policies?.map((p) => p.Name)).not.toContain('RampartPciGuardrails');
  });

  it('pci-scp-edited: only the guardrail\'s content changes, losing DenyDisablingSecurityServices', async () => {
    const { paths } = await apply('pci-scp-edited');
    expect(paths).toEqual([`organization.policies.${report.policyIds.RampartPciGuardrails}.content`]);
    const policy = await client(O.OrganizationsClient, 'management').send(new O.DescribePolicyCommand({ PolicyId: report.policyIds.RampartPciGuardrails }));
    expect(JSON.parse(policy.Policy?.Content as string).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['DenyLeaveOrganization', 'ProtectRampartRoles']);
  });

  it('pci-standard-disabled: the account becomes self-managed and loses PCI DSS in the home Region only', async () => {
    const { paths } = await apply('pci-standard-disabled');
    const account = id('payments-prod');
    // The association, and the settings the account keeps in each Region now that it manages them itself.
    expect(paths.sort()).toEqual([
      `services.${id('security-tooling')}.global.securityhub-account.central.associations.${account}`,
      `services.${account}.us-east-1.securityhub`, `services.${account}.us-east-2.securityhub`, `services.${account}.us-west-2.securityhub`,
    ]);
    const standards = async (region: string) => (await client(SH.SecurityHubClient, 'payments-prod', region).send(new SH.GetEnabledStandardsCommand({}))).StandardsSubscriptions?.map((s) => s.StandardsArn?.split('::')[1]);
    expect(await standards('us-east-1')).toEqual(['standards/aws-foundational-security-best-practices/v/1.0.0']);
    expect((await standards('us-east-2'))?.sort()).toEqual(['standards/aws-foundational-security-best-practices/v/1.0.0', 'standards/pci-dss/v/4.0.1']);
  });

  it('pci-control-disabled: only the PCI policy\'s disabled controls change; the control is disabled in every PCI account', async () => {
    const { paths } = await apply('pci-control-disabled');
    const policy = `services.${id('security-tooling')}.global.securityhub-account.central.policies.${(report as unknown as { security: { securityHubPolicies: Record<string, string> } }).security.securityHubPolicies.pci}`;
    expect(paths.sort()).toEqual([`${policy}.controls.ids`, `${policy}.updatedAt`].sort());
    for (const account of ['payments-prod', 'payments-staging']) {
      const associations = await client(SH.SecurityHubClient, account, 'us-west-2').send(new SH.ListStandardsControlAssociationsCommand({ SecurityControlId: 'CloudTrail.2' }));
      expect(associations.StandardsControlAssociationSummaries?.map((a) => a.AssociationStatus)).toEqual(['DISABLED', 'DISABLED']);
    }
  });

  it('securitylake-source-stopped: CloudTrail stops for one account in a contributing Region only', async () => {
    const { paths } = await apply('securitylake-source-stopped');
    const at = `services.${id('payments-prod')}.us-east-2.securitylake`;
    expect(paths.sort()).toEqual([`${at}.awsSources.CLOUD_TRAIL_MGMT`, `${at}.stopped`].sort());
    const sources = await client(SL.SecurityLakeClient, 'log-archive', 'us-east-2').send(new SL.GetDataLakeSourcesCommand({ accounts: [id('payments-prod')] }));
    expect(sources.dataLakeSources?.find((s) => s.sourceName === 'CLOUD_TRAIL_MGMT')?.sourceStatuses?.[0].status).toBe('NOT_COLLECTING');
  });

  it('securitylake-replication-removed: only the contributing lake\'s replication goes', async () => {
    const { paths } = await apply('securitylake-replication-removed');
    expect(paths).toEqual([`services.${id('log-archive')}.us-east-2.securitylake.dataLake.replication`]);
    const lakes = await client(SL.SecurityLakeClient, 'log-archive').send(new SL.ListDataLakesCommand({ regions: ['us-east-2'] }));
    expect(lakes.dataLakes?.[0].replicationConfiguration).toBeUndefined();
  });

  it('securitylake-custom-source-deleted: the source and its provider role go, nothing else', async () => {
    const { changes, paths } = await apply('securitylake-custom-source-deleted');
    expect(changes).toEqual(['custom source network-firewall deleted in us-east-1']);
    expect(paths.sort()).toEqual([
      `services.${id('log-archive')}.global.iam.roles.amazonsecuritylake-provider-network-firewall-us-east-1`,
      `services.${id('log-archive')}.us-east-1.securitylake.customSources.network-firewall`,
    ].sort());
    const listed = await client(SL.SecurityLakeClient, 'log-archive').send(new SL.ListLogSourcesCommand({ regions: ['us-east-1'], sources: [{ customLogSource: { sourceName: 'network-firewall' } }] }));
    expect(listed.sources).toEqual([]);
  });

  it('config-recorder-stopped: only the recorder status changes, and the aggregator reports the source OUTDATED', async () => {
    const { paths } = await apply('config-recorder-stopped');
    expect(paths.every((p) => p.startsWith(`services.${id('payments-prod')}.us-east-1.config.recorderStatus`))).toBe(true);
    expect(paths.length).toBeGreaterThan(0);
    const status = await client(C.ConfigServiceClient, 'security-tooling').send(new C.DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: 'rampart-organization', UpdateStatus: ['OUTDATED'] }));
    expect(status.AggregatedSourceStatusList?.map((s) => [s.SourceId, s.AwsRegion])).toEqual([[id('payments-prod'), 'us-east-1']]);
  });

  it('conformance-pack-deleted: only that organization pack goes, from every member account of the Region', async () => {
    const { changes, paths } = await apply('conformance-pack-deleted');
    expect(changes).toEqual(['organization conformance pack rampart-nist-800-53-r5 deleted in us-east-1']);
    expect(paths).toEqual([`services.${id('management')}.us-east-1.config.organizationPacks.rampart-nist-800-53-r5`]);
    const packs = await client(C.ConfigServiceClient, 'payments-prod').send(new C.DescribeConformancePacksCommand({}));
    expect(packs.ConformancePackDetails?.map((p) => p.ConformancePackName?.replace(/-[a-z0-9]+$/, ''))).toEqual(['OrgConformsPack-rampart-pci-dss-4']);
  });

  it('delegated-admin-deregistered: only the Security Lake delegation goes, and its lake operations are refused', async () => {
    const { paths } = await apply('delegated-admin-deregistered');
    expect(paths).toEqual(['organization.delegatedAdmins.securitylake.amazonaws.com']);
    const admins = await client(O.OrganizationsClient, 'management').send(new O.ListDelegatedAdministratorsCommand({ ServicePrincipal: 'securitylake.amazonaws.com' }));
    expect(admins.DelegatedAdministrators).toEqual([]);
    const sources = await client(SL.SecurityLakeClient, 'log-archive').send(new SL.GetDataLakeSourcesCommand({}));
    expect(new Set(sources.dataLakeSources?.map((s) => s.account))).toEqual(new Set([id('log-archive')]));
  });

  it('role-trusted-by-external-account: the role appears, and Access Analyzer reports it with an event in each Region', async () => {
    const { paths } = await apply('role-trusted-by-external-account');
    const tooling = id('security-tooling');
    for (const p of paths) {
      expect(p === `services.${id('payments-prod')}.global.iam.roles.vendor-support` || new RegExp(`^services\\.${tooling}\\.[a-z0-9-]+\\.(accessanalyzer|events)(\\.|$)`).test(p)).toBe(true);
    }
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) {
      const analyzer = client(AA.AccessAnalyzerClient, 'security-tooling', region);
      const arn = (await analyzer.send(new AA.GetAnalyzerCommand({ analyzerName: 'rampart-organization' }))).analyzer?.arn;
      const active = await analyzer.send(new AA.ListFindingsCommand({ analyzerArn: arn, filter: { status: { eq: ['ACTIVE'] } } }));
      expect(active.findings?.map((f) => [f.resource, f.principal])).toEqual([[`arn:aws:iam::${id('payments-prod')}:role/vendor-support`, { AWS: 'arn:aws:iam::210987654321:root' }]]);
      expect(busEvents(fake.state, tooling, region).map((e) => e.event['detail-type'])).toEqual(['Access Analyzer Finding']);
    }
  });

  it('pci-role-trusted-by-non-pci-account: the role trusts a non-PCI workload account, inside the zone of trust (no Access Analyzer finding)', async () => {
    const { changes, paths } = await apply('pci-role-trusted-by-non-pci-account');
    // Access Analyzer looked at the new role (lastResourceAnalyzed) and found nothing to report.
    expect(paths.filter((p) => !/\.accessanalyzer\.analyzers\.rampart-organization\.lastResourceAnalyzed(At)?$/.test(p))).toEqual([`services.${id('payments-prod')}.global.iam.roles.shared-deploy`]);
    expect(changes).toEqual([`role shared-deploy in PCI account ${id('payments-prod')} trusts non-PCI account ${id('web-prod')}`]);
    const role = await client(I.IAMClient, 'payments-prod').send(new I.GetRoleCommand({ RoleName: 'shared-deploy' }));
    expect(JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument as string)).Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${id('web-prod')}:root` });
  });

  it('refuses clearly when the sandbox has no landing zone', async () => {
    const empty = FakeAws.create();
    await expect(findScenario('pci-scp-detached')?.apply(empty, {})).rejects.toThrow('the sandbox has no organization; seed the sandbox from a configuration first');
    await expect(findScenario('pci-account-moved')?.apply(fake, { account: 'nobody' })).rejects.toThrow('--account nobody is neither an account id nor an account name');
  });
});

describe('rampart sandbox scenario', () => {
  it('applies a scenario to a state file and lists the scenarios', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-scenario-'));
    const state = path.join(dir, 'state.json');
    try {
      const run = (...args: string[]) => spawnSync(process.execPath, ['bin/rampart.js', 'sandbox', ...args], { encoding: 'utf8', timeout: 120_000 });
      expect(run('init', '--config', EXAMPLE, '--state', state).status).toBe(0);
      const applied = run('scenario', 'config-recorder-stopped', '--state', state, '--account', 'payments-staging');
      expect(applied.status).toBe(0);
      expect(applied.stdout).toContain('AWS Config recorder default stopped in account 444444444445');
      const saved = FakeAws.load(state);
      expect(JSON.stringify(saved.state.toJSON().services['444444444445']['us-east-1'].config)).toContain('"recording":false');
      const listed = run('scenario');
      expect(listed.stdout).toContain('pci-role-trusted-by-non-pci-account');
      const unknown = run('scenario', 'nope', '--state', state);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('There is no scenario named "nope"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
