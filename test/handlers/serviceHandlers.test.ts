import { AccountAlreadyRegisteredException, AccountNotRegisteredException } from '@aws-sdk/client-organizations';
import { ConflictException, ResourceNotFoundException } from '@aws-sdk/client-securitylake';
import type { CustomResourceEvent } from '../../handlers/customResources/cloudFormationEvent';
import { syncDelegatedAdministrator } from '../../handlers/customResources/delegatedAdministrator';
import { syncAutoEnable, type AutoEnableProps } from '../../handlers/customResources/securityLakeAutoEnable';
import { syncCustomSource, type CustomSourceProps } from '../../handlers/customResources/securityLakeCustomSource';
import { syncSecurityLakeAdministrator } from '../../handlers/customResources/securityLakeDelegatedAdministrator';
import { enableTrustedAccess, STACKSETS_PRINCIPAL } from '../../handlers/customResources/trustedAccess';
import { FakeClient } from './fakeClient';

const metadata = { $metadata: {} };
const conflict = () => new ConflictException({ ...metadata, message: 'exists' } as never);
const notFound = () => new ResourceNotFoundException({ ...metadata, message: 'gone' } as never);

function event<P>(requestType: 'Create' | 'Update' | 'Delete', props: P, old?: P): CustomResourceEvent<P> {
  return {
    RequestType: requestType, LogicalResourceId: 'Resource', ResourceType: 'Custom::Test', StackId: 'stack', RequestId: 'request',
    ResourceProperties: { ...props, ServiceToken: 'token' },
    ...(old ? { OldResourceProperties: old } : {}),
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'physical-id' }),
  };
}

describe('trusted access', () => {
  it('enables each principal through Organizations, and StackSets through CloudFormation', async () => {
    const organizations = new FakeClient();
    const cloudFormation = new FakeClient();
    await enableTrustedAccess(event('Create', { ServicePrincipals: ['config.amazonaws.com', STACKSETS_PRINCIPAL] }), { organizations, cloudFormation });
    expect(organizations.calls).toEqual([{ command: 'EnableAWSServiceAccessCommand', input: { ServicePrincipal: 'config.amazonaws.com' } }]);
    expect(cloudFormation.commands()).toEqual(['ActivateOrganizationsAccessCommand']);
  });

  it('leaves trusted access on when the resource is deleted', async () => {
    const organizations = new FakeClient();
    const cloudFormation = new FakeClient();
    await enableTrustedAccess(event('Delete', { ServicePrincipals: ['config.amazonaws.com'] }), { organizations, cloudFormation });
    expect([...organizations.calls, ...cloudFormation.calls]).toEqual([]);
  });
});

describe('delegated administrator (Organizations principals)', () => {
  const props = { AccountId: '333333333333', ServicePrincipals: ['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com'] };

  it('registers each principal, treating an existing registration as done', async () => {
    const organizations = new FakeClient((_command, input) => (input.ServicePrincipal === 'config.amazonaws.com' ? new AccountAlreadyRegisteredException({ ...metadata, message: 'registered' }) : {}));
    await expect(syncDelegatedAdministrator(event('Create', props), organizations)).resolves.toMatchObject({ Data: { AccountId: '333333333333' } });
    expect(organizations.calls.map((c) => c.input.ServicePrincipal)).toEqual(props.ServicePrincipals);
  });

  it('moves the registration when the account changes', async () => {
    const organizations = new FakeClient();
    await syncDelegatedAdministrator(event('Update', { ...props, AccountId: '444444444444' }, props), organizations);
    expect(organizations.calls.map((c) => [c.command, c.input.AccountId])).toEqual([
      ['DeregisterDelegatedAdministratorCommand', '333333333333'], ['DeregisterDelegatedAdministratorCommand', '333333333333'],
      ['RegisterDelegatedAdministratorCommand', '444444444444'], ['RegisterDelegatedAdministratorCommand', '444444444444'],
    ]);
  });

  it('deregisters on delete, and an account already deregistered is fine', async () => {
    const organizations = new FakeClient(() => new AccountNotRegisteredException({ ...metadata, message: 'not registered' }));
    await expect(syncDelegatedAdministrator(event('Delete', props), organizations)).resolves.toEqual({ PhysicalResourceId: 'physical-id' });
    expect(organizations.commands()).toEqual(['DeregisterDelegatedAdministratorCommand', 'DeregisterDelegatedAdministratorCommand']);
  });

  it('reports other failures', async () => {
    const organizations = new FakeClient(() => Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(syncDelegatedAdministrator(event('Create', props), organizations)).rejects.toThrow('denied');
  });
});

describe('Security Lake delegated administrator', () => {
  const props = { AccountId: '222222222222', Regions: ['us-east-1', 'us-east-2'] };

  it('registers in every Region; a conflict naming this account is success', async () => {
    const lake = new FakeClient((_c, input) => (input.accountId ? conflict() : {}));
    const organizations = new FakeClient(() => ({ DelegatedAdministrators: [{ Id: '222222222222' }] }));
    const regions: string[] = [];
    await syncSecurityLakeAdministrator(event('Create', props), { securityLake: (region) => (regions.push(region), lake), organizations });
    expect(regions).toEqual(['us-east-1', 'us-east-2']);
    expect(lake.commands()).toEqual(['RegisterDataLakeDelegatedAdministratorCommand', 'RegisterDataLakeDelegatedAdministratorCommand']);
  });

  it('a conflict with another administrator says which one and what to do', async () => {
    const lake = new FakeClient(() => conflict());
    const organizations = new FakeClient(() => ({ DelegatedAdministrators: [{ Id: '999999999999' }] }));
    await expect(syncSecurityLakeAdministrator(event('Create', props), { securityLake: () => lake, organizations }))
      .rejects.toThrow('Security Lake already has delegated administrator 999999999999; deregister it');
  });

  it('deregisters on delete, and nothing registered is fine', async () => {
    const lake = new FakeClient(() => notFound());
    await expect(syncSecurityLakeAdministrator(event('Delete', props), { securityLake: () => lake, organizations: new FakeClient() })).resolves.toBeDefined();
    expect(lake.commands()).toEqual(['DeregisterDataLakeDelegatedAdministratorCommand', 'DeregisterDataLakeDelegatedAdministratorCommand']);
  });
});

describe('Security Lake custom source', () => {
  const props: CustomSourceProps = {
    SourceName: 'windows-sysmon-proc', SourceVersion: '1.0', EventClass: 'PROCESS_ACTIVITY',
    CrawlerRoleArn: 'arn:aws:iam::222222222222:role/crawler', ProviderAccountId: '222222222222', ProviderExternalId: 'rampart-windows-sysmon-proc-222222222222',
  };

  it('registers the source with its class, crawler role and provider, and returns where to write', async () => {
    const lake = new FakeClient(() => ({ source: { provider: { roleArn: 'arn:aws:iam::222222222222:role/provider', location: 's3://lake/ext/windows-sysmon-proc/' } } }));
    const result = await syncCustomSource(event('Create', props), lake, 'us-east-1');
    expect(lake.calls).toEqual([{
      command: 'CreateCustomLogSourceCommand',
      input: {
        sourceName: 'windows-sysmon-proc', sourceVersion: '1.0', eventClasses: ['PROCESS_ACTIVITY'],
        configuration: { crawlerConfiguration: { roleArn: props.CrawlerRoleArn }, providerIdentity: { principal: '222222222222', externalId: props.ProviderExternalId } },
      },
    }]);
    expect(result).toEqual({
      PhysicalResourceId: 'windows-sysmon-proc@1.0',
      Data: { ProviderRoleArn: 'arn:aws:iam::222222222222:role/provider', ProviderExternalId: props.ProviderExternalId, Location: 's3://lake/ext/windows-sysmon-proc/', CrawlerArn: '' },
    });
  });

  it('takes over a source a retried create already registered, reading its provider from the listed sources', async () => {
    const existing = { sourceName: 'windows-sysmon-proc', sourceVersion: '1.0', provider: { roleArn: 'arn:aws:iam::222222222222:role/existing', location: 's3://lake/ext/windows-sysmon-proc/1.0/' } };
    const lake = new FakeClient((command) => (command === 'CreateCustomLogSourceCommand' ? conflict()
      : { sources: [{ account: '222222222222', region: 'us-east-1', sources: [{ customLogSource: { ...existing, sourceName: 'other' } }, { customLogSource: existing }] }] }));
    await expect(syncCustomSource(event('Create', props), lake, 'us-east-1')).resolves.toMatchObject({
      PhysicalResourceId: 'windows-sysmon-proc@1.0', Data: { ProviderRoleArn: existing.provider.roleArn, Location: existing.provider.location },
    });
    expect(lake.calls[1]).toEqual({ command: 'ListLogSourcesCommand', input: { regions: ['us-east-1'], sources: [{ customLogSource: { sourceName: 'windows-sysmon-proc', sourceVersion: '1.0' } }], nextToken: undefined } });
  });

  it('fails the deployment when Security Lake says nothing about where to write', async () => {
    const lake = new FakeClient((command) => (command === 'CreateCustomLogSourceCommand' ? conflict() : { sources: [] }));
    await expect(syncCustomSource(event('Create', props), lake, 'us-east-1')).rejects.toThrow(/no provider role or location for custom source windows-sysmon-proc 1.0 in us-east-1/);
  });

  it('re-registers a changed source under the same name (Security Lake cannot update one in place)', async () => {
    const lake = new FakeClient(() => ({ source: { provider: { roleArn: 'arn:aws:iam::222222222222:role/provider', location: 's3://lake/ext/windows-sysmon-proc/' } } }));
    await syncCustomSource(event('Update', { ...props, EventClass: 'FILE_ACTIVITY' }, props), lake, 'us-east-1');
    expect(lake.calls.map((c) => [c.command, c.input.sourceName])).toEqual([
      ['DeleteCustomLogSourceCommand', 'windows-sysmon-proc'], ['CreateCustomLogSourceCommand', 'windows-sysmon-proc'],
    ]);
  });

  it('leaves a renamed source\'s old registration to the delete CloudFormation sends for it', async () => {
    const lake = new FakeClient(() => ({ source: { provider: { roleArn: 'arn:aws:iam::222222222222:role/provider', location: 's3://lake/ext/sysmon-proc/' } } }));
    const result = await syncCustomSource(event('Update', { ...props, SourceName: 'sysmon-proc' }, props), lake, 'us-east-1');
    expect(lake.commands()).toEqual(['CreateCustomLogSourceCommand']);
    expect(result.PhysicalResourceId).toBe('sysmon-proc@1.0');
  });

  it('deletes on delete; already gone is fine', async () => {
    const lake = new FakeClient(() => notFound());
    await expect(syncCustomSource(event('Delete', props), lake, 'us-east-1')).resolves.toEqual({ PhysicalResourceId: 'physical-id' });
    expect(lake.calls).toEqual([{ command: 'DeleteCustomLogSourceCommand', input: { sourceName: 'windows-sysmon-proc', sourceVersion: '1.0' } }]);
  });
});

describe('Security Lake organization auto-enable', () => {
  const props: AutoEnableProps = { Region: 'us-east-1', Sources: [{ SourceName: 'CLOUD_TRAIL_MGMT', SourceVersion: '2.0' }] };
  const api = { autoEnableNewAccount: [{ region: 'us-east-1', sources: [{ sourceName: 'CLOUD_TRAIL_MGMT', sourceVersion: '2.0' }] }] };

  it('creates the Region\'s configuration', async () => {
    const lake = new FakeClient();
    await syncAutoEnable(event('Create', props), lake);
    expect(lake.calls).toEqual([{ command: 'CreateDataLakeOrganizationConfigurationCommand', input: api }]);
  });

  it('replaces a configuration left by an earlier attempt', async () => {
    let creates = 0;
    const lake = new FakeClient((command) => (command.startsWith('Create') && creates++ === 0 ? conflict() : {}));
    await syncAutoEnable(event('Create', props), lake);
    expect(lake.commands()).toEqual(['CreateDataLakeOrganizationConfigurationCommand', 'DeleteDataLakeOrganizationConfigurationCommand', 'CreateDataLakeOrganizationConfigurationCommand']);
  });

  it('on update removes the old sources before adding the new ones; on delete removes them, already gone or not', async () => {
    const lake = new FakeClient((command) => (command.startsWith('Delete') ? notFound() : {}));
    await syncAutoEnable(event('Update', { ...props, Sources: [{ SourceName: 'VPC_FLOW', SourceVersion: '2.0' }] }, props), lake);
    expect(lake.commands()).toEqual(['DeleteDataLakeOrganizationConfigurationCommand', 'CreateDataLakeOrganizationConfigurationCommand']);
    expect(lake.calls[0].input).toEqual(api);
    const deleting = new FakeClient(() => notFound());
    await expect(syncAutoEnable(event('Delete', props), deleting)).resolves.toEqual({ PhysicalResourceId: 'physical-id' });
  });
});
