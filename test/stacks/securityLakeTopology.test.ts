import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { deriveDesiredState } from '../../engine/desiredState';
import { athenaViewStatements } from '../../query/athena';
import { SynthesisError } from '../../stacks/accountDirectory';
import { customSourceReaderRoleName } from '../../stacks/securityLake/topology';
import { synthesizeLandingZone, type SynthesisResult } from '../../stacks/synthesize';
import { cfnLint, describeFindings } from './cfnLint';

const NOW = new Date('2026-12-04T00:00:00Z');

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Templates = Record<string, { Resources: Record<string, Resource> }>;

let workdir: string;
beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lake-topology-'));
});
afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

/** A copy of a shipped example with securitylake.yaml (and other files) edited. */
function variant(name: string, edits: Record<string, (doc: any) => void>, example = 'pci-org'): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const dir = path.join(workdir, name);
  fs.cpSync(path.join('config/examples', example), dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const doc = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    edit(doc);
    fs.writeFileSync(path.join(dir, file), stringify(doc, { lineWidth: 0 }));
  }
  return dir;
}

function synthesize(configDir: string, nag = false): { result: SynthesisResult; templates: Templates; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(workdir, 'out-'));
  const result = synthesizeLandingZone({ configDir, outdir, nag, now: NOW });
  return { result, outdir, templates: Object.fromEntries(result.assembly.stacks.map((s) => [s.stackName, s.template])) };
}

/** The native sources as the query stack's views read them: through the resource links. */
const LINKED_SOURCES = {
  SH_FINDINGS: { database: 'rampart_security_lake', table: 'sh_findings_2_0' },
  CLOUD_TRAIL_MGMT: { database: 'rampart_security_lake', table: 'cloud_trail_mgmt_2_0' },
  VPC_FLOW: { database: 'rampart_security_lake', table: 'vpc_flow_2_0' },
};

const resourcesOf = (templates: Templates, stack: string, type: string) => Object.entries(templates[stack]?.Resources ?? {}).filter(([, r]) => r.Type === type);
const stacksWith = (templates: Templates, type: string) => Object.keys(templates).filter((stack) => resourcesOf(templates, stack, type).length > 0).sort();
const envOf = (result: SynthesisResult, stack: string) => {
  const s = result.assembly.getStackByName(stack);
  return `${s.environment.account}/${s.environment.region}`;
};

/** Where the engine says custom sources live is where the stacks register them and run their ingestion, and nowhere else. */
function expectEngineAndStacksAgree(result: SynthesisResult, templates: Templates): string {
  const region = deriveDesiredState(result.config).securityLake.customSourceRegion;
  expect(stacksWith(templates, 'Custom::RampartSecurityLakeCustomSource')).toEqual([`Rampart-SecurityLake-${region}`]);
  expect(stacksWith(templates, 'AWS::Lambda::EventSourceMapping').map((stack) => result.assembly.getStackByName(stack).environment.region)).toEqual([region]);
  return region;
}

describe('without rollup Regions: the subscriber reads the home Region, custom sources included', () => {
  let synthesized: ReturnType<typeof synthesize>;
  beforeAll(() => {
    const dir = variant('no-rollup', {
      'securitylake.yaml': (lake) => {
        lake.rollupRegions = [];
        lake.subscribers[0].lookbackDays = 30;
      },
    });
    synthesized = synthesize(dir, true);
  }, 180_000);

  it('synthesizes under the cdk-nag packs and passes cfn-lint', () => {
    const { result, outdir } = synthesized;
    const lint = cfnLint(result.assembly.stacks.filter((s) => /LakeQuery|SecurityLake-us-east-1/.test(s.stackName)).map((s) => path.join(outdir, s.templateFile)));
    if ('skipped' in lint) {
      console.warn(`cfn-lint check skipped: ${lint.skipped}`);
      return;
    }
    expect(describeFindings(lint.findings.filter((f) => f.Level === 'Error'))).toEqual([]);
  });

  it('registers and ingests custom sources where the engine says they live', () => {
    expect(expectEngineAndStacksAgree(synthesized.result, synthesized.templates)).toBe('us-east-1');
  });

  it('creates the LAKEFORMATION subscriber in the home Region only, with the custom source', () => {
    const { templates } = synthesized;
    expect(stacksWith(templates, 'AWS::SecurityLake::Subscriber')).toEqual(['Rampart-SecurityLake-us-east-1']);
    const [, subscriber] = resourcesOf(templates, 'Rampart-SecurityLake-us-east-1', 'AWS::SecurityLake::Subscriber')[0];
    expect(subscriber.Properties).toMatchObject({ AccessTypes: ['LAKEFORMATION'], SubscriberIdentity: { Principal: '333333333333' } });
    expect(subscriber.Properties.Sources).toContainEqual({ CustomLogSource: { SourceName: 'network-firewall', SourceVersion: '1.0' } });
  });

  it('puts the query stack in the subscriber account and the home Region, with both grants per table and views over the configured look-back', () => {
    const { result, templates } = synthesized;
    expect(Object.keys(templates).filter((s) => s.startsWith('Rampart-LakeQuery-'))).toEqual(['Rampart-LakeQuery-security-insights-us-east-1']);
    expect(envOf(result, 'Rampart-LakeQuery-security-insights-us-east-1')).toBe('333333333333/us-east-1');
    const query = 'Rampart-LakeQuery-security-insights-us-east-1';
    const links = resourcesOf(templates, query, 'AWS::Glue::Table').map(([, r]) => (r.Properties.TableInput as { Name: string }).Name);
    expect(links).toEqual(['sh_findings_2_0', 'cloud_trail_mgmt_2_0', 'vpc_flow_2_0', 'ext_network_firewall']);
    const analystGrants = resourcesOf(templates, query, 'AWS::LakeFormation::PrincipalPermissions')
      .filter(([, r]) => (r.Properties.Principal as { DataLakePrincipalIdentifier: unknown }).DataLakePrincipalIdentifier === 'arn:aws:iam::333333333333:role/SecurityAnalyst')
      .map(([, r]) => r.Properties);
    const onTables = analystGrants.filter((g) => (g.Resource as { Table?: { Name?: unknown } }).Table?.Name !== undefined);
    // Two grants for each of the four tables: SELECT on the shared table, DESCRIBE on its link.
    expect(onTables.filter((g) => JSON.stringify(g.Permissions) === '["SELECT"]')).toHaveLength(4);
    expect(onTables.filter((g) => JSON.stringify(g.Permissions) === '["DESCRIBE"]')).toHaveLength(4);
    const [, views] = resourcesOf(templates, query, 'Custom::RampartAthenaViews')[0];
    const created = (views.Properties.Views as { Sql: string }[]).map((v) => v.Sql);
    expect(created).toEqual(athenaViewStatements({ sources: LINKED_SOURCES, lookbackDays: 30 }).map((v) => v.createViewSql));
    expect(created).not.toEqual(athenaViewStatements({ sources: LINKED_SOURCES }).map((v) => v.createViewSql));
  });
});

describe('with a rollup Region other than the home Region', () => {
  let synthesized: ReturnType<typeof synthesize>;
  beforeAll(() => {
    const dir = variant('rollup-elsewhere', {
      'securitylake.yaml': (lake) => {
        lake.rollupRegions = [{ region: 'us-west-2', contributingRegions: ['us-east-2'] }];
        lake.subscribers[0].sources = ['SH_FINDINGS', 'CLOUD_TRAIL_MGMT', 'network-firewall'];
      },
    });
    synthesized = synthesize(dir);
  }, 120_000);

  it('keeps custom sources in the home Region, as the engine does', () => {
    expect(expectEngineAndStacksAgree(synthesized.result, synthesized.templates)).toBe('us-east-1');
  });

  it('subscribes in the rollup Region only, without the custom source registered elsewhere, and says so', () => {
    const { result, templates } = synthesized;
    expect(stacksWith(templates, 'AWS::SecurityLake::Subscriber')).toEqual(['Rampart-SecurityLake-us-west-2']);
    const [, subscriber] = resourcesOf(templates, 'Rampart-SecurityLake-us-west-2', 'AWS::SecurityLake::Subscriber')[0];
    expect(subscriber.Properties.Sources).toEqual([
      { AwsLogSource: { SourceName: 'SH_FINDINGS', SourceVersion: '2.0' } }, { AwsLogSource: { SourceName: 'CLOUD_TRAIL_MGMT', SourceVersion: '2.0' } },
    ]);
    expect(result.landingZone.notices).toContainEqual(expect.stringMatching(/subscriber security-insights names custom source\(s\) network-firewall, registered in us-east-1, but subscribers read only us-west-2/));
  });

  it('builds query access in the rollup Region over its tables, with views only for the subscribed sources', () => {
    const { result, templates } = synthesized;
    const query = 'Rampart-LakeQuery-security-insights-us-west-2';
    expect(envOf(result, query)).toBe('333333333333/us-west-2');
    expect(Object.keys(templates).filter((s) => s.startsWith('Rampart-LakeQuery-'))).toEqual([query]);
    const targets = resourcesOf(templates, query, 'AWS::Glue::Table').map(([, r]) => (r.Properties.TableInput as { TargetTable: { DatabaseName: string; Name: string } }).TargetTable);
    expect(targets.map((t) => `${t.DatabaseName}.${t.Name}`)).toEqual([
      'amazon_security_lake_glue_db_us_west_2.amazon_security_lake_table_us_west_2_sh_findings_2_0',
      'amazon_security_lake_glue_db_us_west_2.amazon_security_lake_table_us_west_2_cloud_trail_mgmt_2_0',
    ]);
    const [, views] = resourcesOf(templates, query, 'Custom::RampartAthenaViews')[0];
    expect((views.Properties.Views as { Name: string }[]).map((v) => v.Name)).toEqual(['security_hub_findings', 'cloudtrail_management']);
    const queries = resourcesOf(templates, query, 'AWS::Athena::NamedQuery').map(([, r]) => r.Properties.Name);
    expect(queries).not.toContain('top-outbound-destinations');
    expect(queries).toContain('failed-compliance-controls');
  });
});

describe('when the home Region has no data lake', () => {
  it('registers custom sources in the first rollup Region, where the subscriber reads them, as the engine does', () => {
    const dir = variant('home-without-lake', {
      'securitylake.yaml': (lake) => {
        lake.regions = ['us-east-2', 'us-west-2'];
        lake.rollupRegions = [{ region: 'us-west-2', contributingRegions: ['us-east-2'] }];
      },
    });
    const { result, templates } = synthesize(dir);
    expect(expectEngineAndStacksAgree(result, templates)).toBe('us-west-2');
    const [, subscriber] = resourcesOf(templates, 'Rampart-SecurityLake-us-west-2', 'AWS::SecurityLake::Subscriber')[0];
    expect(subscriber.Properties.Sources).toContainEqual({ CustomLogSource: { SourceName: 'network-firewall', SourceVersion: '1.0' } });
  }, 120_000);
});

describe('custom sources written by an account other than the Security Lake administrator (cccs-medium)', () => {
  let synthesized: ReturnType<typeof synthesize>;
  beforeAll(() => {
    synthesized = synthesize('config/examples/cccs-medium');
  }, 120_000);
  const network = () => synthesized.result.config.organization.accounts.find((a) => a.name === 'network')?.id as string;
  const stack = 'Rampart-CustomSources-network';

  it('ingests them in the provider account and the custom-source Region, after the lake stack registered them', () => {
    const { result, templates } = synthesized;
    expect(envOf(result, stack)).toBe(`${network()}/ca-central-1`);
    expect(result.assembly.getStackByName(stack).dependencies.map((d) => d.id)).toContain('Rampart-SecurityLake-ca-central-1');
    expect(resourcesOf(templates, stack, 'AWS::S3::Bucket').map(([, r]) => r.Properties.BucketName).filter(Boolean)).toEqual([
      `rampart-raw-perimeter-firewall-${network()}-ca-central-1`, `rampart-raw-perimeter-alb-${network()}-ca-central-1`,
    ]);
    expect(resourcesOf(templates, 'Rampart-SecurityLake-ca-central-1', 'AWS::Lambda::EventSourceMapping')).toHaveLength(0);
  });

  it('reads where the sources are written through the lake account\'s read-only role, which trusts only the provider account', () => {
    const { result, templates } = synthesized;
    const lakeAccount = result.config.organization.accounts.find((a) => a.name === 'log-archive')?.id as string;
    const readerArn = `arn:aws:iam::${lakeAccount}:role/${customSourceReaderRoleName('ca-central-1')}`;
    const [, lookup] = resourcesOf(templates, stack, 'Custom::RampartSecurityLakeCustomSourceLookup')[0];
    expect(JSON.stringify(lookup.Properties.ReaderRoleArn)).toContain(`:iam::${lakeAccount}:role/${customSourceReaderRoleName('ca-central-1')}`);
    expect(lookup.Properties.Sources).toEqual([{ SourceName: 'perimeter-firewall', SourceVersion: '1.0' }, { SourceName: 'perimeter-alb', SourceVersion: '1.0' }]);
    const [, reader] = resourcesOf(templates, 'Rampart-SecurityLake-ca-central-1', 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === customSourceReaderRoleName('ca-central-1')) as [string, Resource];
    expect(JSON.stringify(reader.Properties.AssumeRolePolicyDocument)).toContain(`:iam::${network()}:root`);
    expect(readerArn).toContain(lakeAccount);
    const functions = resourcesOf(templates, stack, 'AWS::Lambda::Function').filter(([id]) => id.includes('Handler'));
    const firewall = JSON.stringify(functions.find(([id]) => id.includes('perimeterfirewall'))?.[1].Properties.Environment);
    expect(firewall).toContain('{"Fn::GetAtt":["CustomSources","ProviderRoleArn0"]}');
    expect(firewall).toContain('{"Fn::GetAtt":["CustomSources","Location0"]}');
    expect(firewall).toContain(`"externalId\\":\\"rampart-perimeter-firewall-${network()}`);
  });
});

describe('configurations the query access cannot serve', () => {
  it('refuses a principal from another account, naming the field and the fix', () => {
    const dir = variant('foreign-principal', { 'securitylake.yaml': (lake) => void lake.subscribers[0].principals.push('arn:aws:iam::999999999999:role/Outsider') });
    let error: unknown;
    try {
      synthesize(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as SynthesisError).problems).toEqual([expect.stringMatching(/^securitylake\.yaml:\d+:\d+ {2}subscribers\[0\]\.principals\[1\] arn:aws:iam::999999999999:role\/Outsider is not in the subscriber account security-tooling .*hint: /)]);
  }, 60_000);

  it('refuses a recorder that records no types, since the conformance packs need them', () => {
    const dir = variant('no-recording', { 'security.yaml': (security) => void (security.config.recorder.allSupported = false) });
    expect(() => synthesize(dir)).toThrow(/security\.yaml:\d+:\d+ {2}config\.recorder\.allSupported is false/);
  }, 60_000);
});
