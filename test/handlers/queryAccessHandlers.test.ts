import { ResourceShareInvitationAlreadyAcceptedException } from '@aws-sdk/client-ram';
import { startViewStatements, viewStatementsDone, type AthenaViewsProps } from '../../handlers/customResources/athenaViews';
import type { CustomResourceEvent, IsCompleteEvent } from '../../handlers/customResources/cloudFormationEvent';
import { lookUpOrganizationId } from '../../handlers/customResources/organizationId';
import { lookUpCustomSources, type CustomSourceLookupProps } from '../../handlers/customResources/securityLakeCustomSourceLookup';
import { acceptLakeShares, sharedTablesReady, type SharedTablesProps } from '../../handlers/customResources/securityLakeSharedTables';
import { awsError, FakeClient } from './fakeClient';

function event<P>(requestType: 'Create' | 'Update' | 'Delete', props: P, old?: P): CustomResourceEvent<P> {
  return {
    RequestType: requestType, LogicalResourceId: 'Resource', ResourceType: 'Custom::Test', StackId: 'stack', RequestId: 'request-1',
    ResourceProperties: { ...props, ServiceToken: 'token' },
    ...(old ? { OldResourceProperties: old } : {}),
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'physical-id' }),
  };
}

describe('Athena views', () => {
  const props: AthenaViewsProps = {
    WorkGroup: 'rampart-security-insights',
    Database: 'rampart_security_insights',
    Views: [
      { Name: 'vpc_flow', Sql: 'CREATE OR REPLACE VIEW rampart_security_insights.vpc_flow AS SELECT 1' },
      { Name: 'cloudtrail_management', Sql: 'CREATE OR REPLACE VIEW rampart_security_insights.cloudtrail_management AS SELECT 2' },
    ],
  };
  const startingAthena = () => {
    let n = 0;
    return new FakeClient(() => ({ QueryExecutionId: `q${++n}` }));
  };

  it('starts one CREATE OR REPLACE VIEW per view in the workgroup and database, with a retry-safe token', async () => {
    const athena = startingAthena();
    const result = await startViewStatements(event('Create', props), athena);
    expect(athena.calls.map((c) => [c.input.QueryString, c.input.WorkGroup, c.input.QueryExecutionContext])).toEqual(props.Views.map((v) => [
      v.Sql, 'rampart-security-insights', { Catalog: 'AwsDataCatalog', Database: 'rampart_security_insights' },
    ]));
    const tokens = athena.calls.map((c) => c.input.ClientRequestToken as string);
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(result).toEqual({ PhysicalResourceId: 'rampart_security_insights-views', Data: { QueryExecutions: JSON.stringify([['vpc_flow', 'q1'], ['cloudtrail_management', 'q2']]) } });
  });

  it('the same request started again gets the same tokens, so Athena does not run it twice', async () => {
    const first = startingAthena();
    const second = startingAthena();
    await startViewStatements(event('Create', props), first);
    await startViewStatements(event('Create', props), second);
    expect(second.calls.map((c) => c.input.ClientRequestToken)).toEqual(first.calls.map((c) => c.input.ClientRequestToken));
  });

  it('replaces the kept views and drops a view no longer configured', async () => {
    const athena = startingAthena();
    await startViewStatements(event('Update', { ...props, Views: [props.Views[0]] }, props), athena);
    expect(athena.calls.map((c) => c.input.QueryString)).toEqual([props.Views[0].Sql, 'DROP VIEW IF EXISTS rampart_security_insights.cloudtrail_management']);
  });

  it('drops every view on delete', async () => {
    const athena = startingAthena();
    await startViewStatements(event('Delete', props), athena);
    expect(athena.calls.map((c) => c.input.QueryString)).toEqual([
      'DROP VIEW IF EXISTS rampart_security_insights.vpc_flow', 'DROP VIEW IF EXISTS rampart_security_insights.cloudtrail_management',
    ]);
  });

  const waiting = (requestType: 'Create' | 'Delete', states: Record<string, { State: string; StateChangeReason?: string }>): [IsCompleteEvent<AthenaViewsProps>, FakeClient] => [
    { ...event(requestType, props), Data: { QueryExecutions: JSON.stringify([['vpc_flow', 'q1'], ['cloudtrail_management', 'q2']]) } },
    new FakeClient((_command, input) => ({ QueryExecution: { Status: states[input.QueryExecutionId as string] } })),
  ];

  it('is complete only when every statement succeeded', async () => {
    await expect(viewStatementsDone(...waiting('Create', { q1: { State: 'SUCCEEDED' }, q2: { State: 'RUNNING' } }))).resolves.toEqual({ IsComplete: false });
    await expect(viewStatementsDone(...waiting('Create', { q1: { State: 'SUCCEEDED' }, q2: { State: 'SUCCEEDED' } }))).resolves.toEqual({ IsComplete: true });
  });

  it('fails the deployment with the view and Athena\'s reason when a statement fails', async () => {
    const [failed, athena] = waiting('Create', { q1: { State: 'SUCCEEDED' }, q2: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: line 3:6: Table does not exist' } });
    await expect(viewStatementsDone(failed, athena)).rejects.toThrow('view rampart_security_insights.cloudtrail_management: Athena query q2 FAILED: TABLE_NOT_FOUND');
  });

  it('does not let a failed drop block deleting the stack', async () => {
    await expect(viewStatementsDone(...waiting('Delete', { q1: { State: 'FAILED' }, q2: { State: 'SUCCEEDED' } }))).resolves.toEqual({ IsComplete: true });
  });
});

describe('Security Lake shared tables in the subscriber account', () => {
  const props: SharedTablesProps = {
    LakeAccountId: '222222222222',
    DatabaseName: 'amazon_security_lake_glue_db_us_east_1',
    NativeTables: ['amazon_security_lake_table_us_east_1_sh_findings_2_0', 'amazon_security_lake_table_us_east_1_vpc_flow_2_0'],
    CustomSources: ['network-firewall'],
  };
  const invitations = [
    { resourceShareInvitationArn: 'arn:inv/1', senderAccountId: '222222222222', status: 'PENDING', resourceShareName: 'LakeFormation-V3-1' },
    { resourceShareInvitationArn: 'arn:inv/2', senderAccountId: '999999999999', status: 'PENDING' },
    { resourceShareInvitationArn: 'arn:inv/3', senderAccountId: '222222222222', status: 'ACCEPTED' },
  ];
  const ram = () => new FakeClient((command) => (command === 'GetResourceShareInvitationsCommand' ? { resourceShareInvitations: invitations } : {}));
  const table = (name: string, location: string) => ({ Name: name, StorageDescriptor: { Location: location } });
  const glueWith = (tables: unknown[] | Error) => new FakeClient(() => (tables instanceof Error ? tables : { TableList: tables }));

  it('accepts only the pending invitations the lake account sent', async () => {
    const client = ram();
    await acceptLakeShares(event('Create', props), { ram: client, glue: glueWith([]) });
    expect(client.calls.filter((c) => c.command === 'AcceptResourceShareInvitationCommand').map((c) => c.input)).toEqual([{ resourceShareInvitationArn: 'arn:inv/1' }]);
  });

  it('takes an invitation accepted meanwhile as accepted', async () => {
    const client = new FakeClient((command) => (command === 'GetResourceShareInvitationsCommand' ? { resourceShareInvitations: invitations }
      : new ResourceShareInvitationAlreadyAcceptedException({ $metadata: {}, message: 'accepted' })));
    await expect(acceptLakeShares(event('Create', props), { ram: client, glue: glueWith([]) })).resolves.toMatchObject({ PhysicalResourceId: expect.stringContaining('222222222222') });
  });

  it('waits while the shared database is not readable or a table is missing', async () => {
    const notShared = glueWith(awsError('EntityNotFoundException'));
    await expect(sharedTablesReady(event('Create', props), { ram: ram(), glue: notShared })).resolves.toEqual({ IsComplete: false });
    const partial = glueWith([table(props.NativeTables[0], 's3://lake/aws/SH_FINDINGS/2.0/'), table(props.NativeTables[1], 's3://lake/aws/VPC_FLOW/2.0/')]);
    await expect(sharedTablesReady(event('Create', props), { ram: ram(), glue: partial })).resolves.toEqual({ IsComplete: false });
  });

  it('returns the custom source\'s table, found by its ext/<source>/ location, once everything is shared', async () => {
    const glue = glueWith([
      table(props.NativeTables[0], 's3://lake/aws/SH_FINDINGS/2.0/'), table(props.NativeTables[1], 's3://lake/aws/VPC_FLOW/2.0/'),
      table('amazon_security_lake_table_us_east_1_ext_network_firewall_other', 's3://lake/ext/network-firewall-old/1.0/'),
      table('amazon_security_lake_table_us_east_1_ext_network_firewall', 's3://lake/ext/network-firewall/1.0/'),
    ]);
    await expect(sharedTablesReady(event('Create', props), { ram: ram(), glue })).resolves.toEqual({
      IsComplete: true, Data: { CustomTable0: 'amazon_security_lake_table_us_east_1_ext_network_firewall' },
    });
    expect(glue.calls[0].input).toMatchObject({ CatalogId: '222222222222', DatabaseName: 'amazon_security_lake_glue_db_us_east_1' });
  });

  it('passes other errors on', async () => {
    await expect(sharedTablesReady(event('Create', props), { ram: ram(), glue: glueWith(awsError('InternalServiceException')) })).rejects.toThrow('InternalServiceException');
  });
});

describe('organization id', () => {
  it('reads it from DescribeOrganization and needs nothing on delete', async () => {
    const organizations = new FakeClient(() => ({ Organization: { Id: 'o-abc123' } }));
    await expect(lookUpOrganizationId(event('Create', {}), organizations)).resolves.toEqual({ PhysicalResourceId: 'o-abc123', Data: { OrganizationId: 'o-abc123' } });
    await expect(lookUpOrganizationId(event('Delete', {}), organizations)).resolves.toEqual({ PhysicalResourceId: 'physical-id' });
    expect(organizations.calls).toHaveLength(1);
  });
});

describe('custom source look-up for a provider account', () => {
  const props: CustomSourceLookupProps = {
    ReaderRoleArn: 'arn:aws:iam::222222222222:role/RampartCustomSourceReader-ca-central-1',
    Region: 'ca-central-1',
    Sources: [{ SourceName: 'perimeter-firewall', SourceVersion: '1.0' }, { SourceName: 'perimeter-alb', SourceVersion: '1.0' }],
  };
  const listed = (names: string[]) => new FakeClient((_command, input) => {
    const wanted = (input.sources as { customLogSource: { sourceName: string } }[])[0].customLogSource.sourceName;
    return { sources: [{ region: 'ca-central-1', sources: names.filter((n) => n === wanted).map((n) => ({ customLogSource: { sourceName: n, sourceVersion: '1.0', provider: { roleArn: `arn:aws:iam::222222222222:role/AmazonSecurityLake-Provider-${n}-ca-central-1`, location: `s3://lake/ext/${n}/1.0/` } } })) }] };
  });

  it('reads each source\'s provider role and location through the reader role', async () => {
    const lake = listed(['perimeter-firewall', 'perimeter-alb']);
    const assumed: string[] = [];
    const result = await lookUpCustomSources(event('Create', props), { securityLake: async (role) => { assumed.push(role); return lake; } });
    expect(assumed).toEqual([props.ReaderRoleArn]);
    expect(result.Data).toEqual({
      ProviderRoleArn0: 'arn:aws:iam::222222222222:role/AmazonSecurityLake-Provider-perimeter-firewall-ca-central-1', Location0: 's3://lake/ext/perimeter-firewall/1.0/',
      ProviderRoleArn1: 'arn:aws:iam::222222222222:role/AmazonSecurityLake-Provider-perimeter-alb-ca-central-1', Location1: 's3://lake/ext/perimeter-alb/1.0/',
    });
  });

  it('says which source is not registered yet and what to deploy first', async () => {
    await expect(lookUpCustomSources(event('Create', props), { securityLake: async () => listed(['perimeter-firewall']) }))
      .rejects.toThrow('custom source perimeter-alb 1.0 is not registered in ca-central-1 yet: deploy the Security Lake stack of that Region first');
  });
});
