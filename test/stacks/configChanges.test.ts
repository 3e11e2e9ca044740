import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { synthesizeLandingZone } from '../../stacks/synthesize';
import { planStacks, type CfnTemplate, type StackPlan } from '../../stacks/templateDiff';

const NOW = new Date('2026-12-04T00:00:00Z');
const NEW_ACCOUNT_ID = '555555555559';

type Templates = Record<string, CfnTemplate & { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }>;

let workdir: string;
let configDir: string;

/** Synthesizes the working configuration (without cdk-nag: these tests compare templates) and returns its templates by stack. */
function synthesize(): Templates {
  const outdir = fs.mkdtempSync(path.join(workdir, 'out-'));
  const { assembly } = synthesizeLandingZone({ configDir, outdir, nag: false, now: NOW });
  return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));
}

function editYaml(file: string, edit: (doc: Record<string, any>) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const target = path.join(configDir, file);
  const doc = parse(fs.readFileSync(target, 'utf8'));
  edit(doc);
  fs.writeFileSync(target, stringify(doc, { lineWidth: 0 }));
}

/**
 * The workflows' functions carry the configuration they check against, so every configuration change
 * updates them in Rampart-Governance; any other change there counts.
 */
const carriesConfigurationOnly = (plan: StackPlan) => plan.stack === 'Rampart-Governance' && plan.changes.every((c) => c.change === 'change' && c.type === 'AWS::Lambda::Function');
const changed = (plans: StackPlan[]) => plans.filter((p) => p.status !== 'unchanged' && !carriesConfigurationOnly(p)).map((p) => p.stack);
const resourcesOf = (templates: Templates, stack: string, type: string) => Object.values(templates[stack].Resources).filter((r) => r.Type === type);

/** Account ids placed per OU resource, from the placement custom resources. */
function placements(templates: Templates): Map<string, string> {
  const byAccount = new Map<string, string>();
  for (const resource of resourcesOf(templates, 'Rampart-Organization', 'Custom::RampartAccountPlacement')) {
    for (const p of resource.Properties.Placements as { OrganizationalUnitId: { 'Fn::GetAtt': string[] }; AccountIds: string }[]) {
      for (const id of p.AccountIds.split(',')) byAccount.set(id, p.OrganizationalUnitId['Fn::GetAtt'][0]);
    }
  }
  return byAccount;
}

// Each step edits the configuration the previous step left behind and compares the templates.
let previous: Templates;

beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-changes-'));
  configDir = path.join(workdir, 'config');
  fs.cpSync('config/examples/pci-org', configDir, { recursive: true });
  previous = synthesize();
}, 120_000);

afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

describe('configuration changes show up in the templates, and only where they should', () => {
  it('adding an account places it in its OU and changes nothing else', () => {
    editYaml('organization.yaml', (org) => {
      org.accounts.push({ name: 'claims-api', email: 'aws-claims-api@{{ orgDomain }}', ou: 'Workloads/NonPci', id: NEW_ACCOUNT_ID });
    });
    const next = synthesize();
    const plans = planStacks(previous, next);
    expect(changed(plans)).toEqual(['Rampart-Organization']);
    const org = plans.find((p) => p.stack === 'Rampart-Organization') as StackPlan;
    expect(org.changes.map((c) => [c.change, c.type])).toEqual([['change', 'Custom::RampartAccountPlacement']]);
    expect(org.changes[0].details.join('\n')).toContain(`+${NEW_ACCOUNT_ID}`);
    expect(placements(next).get(NEW_ACCOUNT_ID)).toMatch(/^OuWorkloadsNonPci/);
    previous = next;
  }, 60_000);

  it('moving the account to the PCI OU moves its placement, under the PCI guardrails and the PCI Security Hub policy', () => {
    editYaml('organization.yaml', (org) => {
      const account = org.accounts.find((a: { name: string }) => a.name === 'claims-api');
      account.ou = 'Workloads/Pci';
      account.pci = true;
    });
    const next = synthesize();
    const plans = planStacks(previous, next);
    expect(changed(plans)).toEqual(['Rampart-Organization']);
    const details = (plans.find((p) => p.stack === 'Rampart-Organization') as StackPlan).changes.flatMap((c) => c.details);
    expect(details).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`OuWorkloadsPci.*\\+${NEW_ACCOUNT_ID}`)), expect.stringMatching(new RegExp(`OuWorkloadsNonPci.*-${NEW_ACCOUNT_ID}`))]));
    const pciOu = placements(next).get(NEW_ACCOUNT_ID) as string;
    expect(pciOu).toMatch(/^OuWorkloadsPci/);
    const guardrails = resourcesOf(next, 'Rampart-Organization', 'AWS::Organizations::Policy').filter((p) => String(p.Properties.Name).startsWith('RampartPci'));
    for (const policy of guardrails) expect(policy.Properties.TargetIds).toEqual([{ 'Fn::GetAtt': [pciOu, 'Id'] }]);
    previous = next;
  }, 60_000);

  it('adding a rollup Region adds its lake stacks: the rollup Region does not replicate, its contributing Region replicates into it', () => {
    editYaml('global.yaml', (global) => global.enabledRegions.push('eu-west-1', 'eu-central-1'));
    editYaml('securitylake.yaml', (lake) => {
      lake.regions.push('eu-west-1', 'eu-central-1');
      lake.rollupRegions.push({ region: 'eu-west-1', contributingRegions: ['eu-central-1'] });
    });
    const next = synthesize();
    const plans = planStacks(previous, next);
    expect(plans.filter((p) => p.status === 'new').map((p) => p.stack).sort()).toEqual([
      'Rampart-AccessAnalyzer-eu-central-1', 'Rampart-AccessAnalyzer-eu-west-1', 'Rampart-Config-eu-central-1', 'Rampart-Config-eu-west-1',
      'Rampart-LakeQuery-security-insights-eu-west-1', 'Rampart-SecurityLake-eu-central-1', 'Rampart-SecurityLake-eu-west-1',
    ]);
    const lake = (region: string) => resourcesOf(next, `Rampart-SecurityLake-${region}`, 'AWS::SecurityLake::DataLake')[0].Properties;
    expect(lake('eu-west-1').ReplicationConfiguration).toBeUndefined();
    expect(lake('eu-central-1').ReplicationConfiguration).toMatchObject({ Regions: ['eu-west-1'] });
    expect(lake('us-east-2').ReplicationConfiguration).toMatchObject({ Regions: ['us-east-1'] });
    // Queries happen in each rollup Region: the new one gets the subscribers and their query access too.
    expect(resourcesOf(next, 'Rampart-SecurityLake-eu-west-1', 'AWS::SecurityLake::Subscriber')).toHaveLength(1);
    expect(resourcesOf(next, 'Rampart-SecurityLake-eu-central-1', 'AWS::SecurityLake::Subscriber')).toHaveLength(0);
    // The rest of the landing zone follows the new Regions.
    expect(resourcesOf(next, 'Rampart-SecurityHub', 'AWS::SecurityHub::FindingAggregator')[0].Properties.Regions).toEqual(['us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1']);
    expect(resourcesOf(next, 'Rampart-Organization', 'Custom::RampartSecurityLakeAdministrator')[0].Properties.Regions).toEqual(['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1']);
    const regionDeny = resourcesOf(next, 'Rampart-Organization', 'AWS::Organizations::Policy').find((p) => p.Properties.Name === 'RampartPciRegionRestriction') as unknown as { Properties: { Content: { Statement: { Condition: { StringNotEquals: Record<string, string[]> } }[] } } };
    expect(regionDeny.Properties.Content.Statement[0].Condition.StringNotEquals['aws:RequestedRegion']).toEqual(['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1']);
    previous = next;
  }, 60_000);

  it('an SCP aimed at one account is attached to that account id', () => {
    editYaml('organization.yaml', (org) => {
      org.serviceControlPolicies.push({ name: 'DenyClaimsApiBilling', description: 'No billing changes in claims-api', document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'aws-portal:Modify*', Resource: '*' }] }, targets: { accounts: ['claims-api'] } });
    });
    const next = synthesize();
    const plans = planStacks(previous, next);
    expect(changed(plans)).toEqual(['Rampart-Organization']);
    const added = (plans.find((p) => p.stack === 'Rampart-Organization') as StackPlan).changes;
    expect(added.map((c) => [c.change, c.type, c.label])).toEqual([['add', 'AWS::Organizations::Policy', 'DenyClaimsApiBilling']]);
    const policy = resourcesOf(next, 'Rampart-Organization', 'AWS::Organizations::Policy').find((p) => p.Properties.Name === 'DenyClaimsApiBilling');
    expect(policy?.Properties.TargetIds).toEqual([NEW_ACCOUNT_ID]);
    previous = next;
  }, 60_000);

  it('dropping a custom source removes its registration, its ingestion and its query access, in the custom-source Region only', () => {
    editYaml('securitylake.yaml', (lake) => {
      lake.customSources = lake.customSources.filter((s: { name: string }) => s.name !== 'network-firewall');
      for (const subscriber of lake.subscribers) subscriber.sources = subscriber.sources.filter((s: string) => s !== 'network-firewall');
    });
    const next = synthesize();
    const plans = planStacks(previous, next);
    expect(changed(plans).sort()).toEqual(['Rampart-LakeQuery-security-insights-us-east-1', 'Rampart-SecurityLake-us-east-1']);
    const removed = (stack: string) => (plans.find((p) => p.stack === stack) as StackPlan).changes.filter((c) => c.change === 'remove').map((c) => [c.type, c.label]);
    expect(removed('Rampart-SecurityLake-us-east-1')).toEqual(expect.arrayContaining([
      ['Custom::RampartSecurityLakeCustomSource', 'network-firewall'],
      ['AWS::S3::Bucket', expect.stringMatching(/networkfirewallRawLogBucket/)],
      ['AWS::SQS::Queue', expect.stringMatching(/networkfirewallNotifications/)],
      ['AWS::Lambda::EventSourceMapping', expect.stringMatching(/networkfirewallQueueMapping/)],
    ]));
    expect(removed('Rampart-SecurityLake-us-east-1').filter(([type]) => type === 'Custom::RampartSecurityLakeCustomSource')).toHaveLength(1);
    expect(resourcesOf(next, 'Rampart-SecurityLake-us-east-1', 'Custom::RampartSecurityLakeCustomSource').map((r) => r.Properties.SourceName))
      .toEqual(['windows-sysmon-proc', 'windows-sysmon-net', 'windows-sysmon-file', 'windows-sysmon-dns']);
    expect(removed('Rampart-LakeQuery-security-insights-us-east-1')).toContainEqual(['AWS::Glue::Table', expect.stringMatching(/^Linknetworkfirewall/)]);
    for (const rollup of ['us-east-1', 'eu-west-1']) {
      const [subscriber] = resourcesOf(next, `Rampart-SecurityLake-${rollup}`, 'AWS::SecurityLake::Subscriber');
      expect(JSON.stringify(subscriber.Properties.Sources)).not.toContain('network-firewall');
    }
  }, 60_000);
});
