import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { toCollectionError, type ClientConstructor } from '../../aws/clients';
import { readRecorder } from '../../aws/awsConfig';
import { readAccountHub, ControlCatalog } from '../../aws/securityHub';
import { IDS, seededPciOrg, toolingClients } from './sandbox';

describe('the client factory', () => {
  it('assumes the execution role once per account, whatever the services and Regions, and never in its home account', async () => {
    const fake = await seededPciOrg();
    const clients = toolingClients(fake);
    const catalog = new ControlCatalog();
    await Promise.all([
      readAccountHub(clients, IDS.paymentsProd, 'us-east-1', catalog), readAccountHub(clients, IDS.paymentsProd, 'us-west-2', catalog),
      readRecorder(clients, IDS.paymentsProd, 'us-east-2'), readRecorder(clients, IDS.tooling, 'us-east-1'),
    ]);
    const assumed = fake.calls.filter({ service: 'sts', operation: 'AssumeRole' });
    expect(assumed).toHaveLength(1);
    expect(fake.calls.filter({ service: 'config', account: IDS.tooling })).toHaveLength(2);
    expect(fake.calls.filter({ service: 'securityhub' }).every((c) => c.principal.includes(':assumed-role/RampartExecutionRole/'))).toBe(true);
    expect(clients.calls.counts['sts:AssumeRole']).toBe(1);
  });

  it('counts every attempt of every call, retries included', async () => {
    const fake = await seededPciOrg();
    const clients = toolingClients(fake);
    fake.faults.throttlingStorm({ services: ['organizations'], operations: ['ListRoots'], times: 2 });
    await clients.client(OrganizationsClient as ClientConstructor<OrganizationsClient>, 'organizations', { account: IDS.tooling, region: 'us-east-1' }).send(new ListRootsCommand({}));
    expect(clients.calls.counts['organizations:ListRoots']).toBe(3);
    expect(fake.calls.count({ operation: 'ListRoots' })).toBe(3);
  });

  it('reports a session it could not get as the scope\'s error, naming the role', async () => {
    const fake = await seededPciOrg();
    const clients = toolingClients(fake);
    const hub = clients.client(SecurityHubClient as ClientConstructor<SecurityHubClient>, 'securityhub', { account: '999999999999', region: 'us-east-1' });
    const error = await hub.send(new DescribeHubCommand({})).catch((e: unknown) => e);
    expect(toCollectionError(error)).toEqual({ code: expect.stringMatching(/AccessDenied/), message: expect.stringMatching(/could not assume arn:aws:iam::999999999999:role\/RampartExecutionRole/) });
  });
});
