import * as I from '@aws-sdk/client-iam';
import * as O from '@aws-sdk/client-organizations';
import * as S3 from '@aws-sdk/client-s3';
import * as SNS from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { FakeAws } from '../../sandbox';
import { SeededRandom } from '../../sandbox/random';
import { sampleLatency } from '../../sandbox/realism/latency';
import { errorOf } from './transports';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';

function sandbox(options: Parameters<typeof FakeAws.create>[0] = {}) {
  const fake = FakeAws.create({ seed: 21, now: new Date('2026-12-04T12:00:00Z'), ...options });
  const org = fake.createOrganization({ managementAccountId: MANAGEMENT, email: 'm@example.com' });
  org.addAccount({ id: MEMBER, name: 'member', email: 'member@example.com', parentId: org.rootId }, fake.clock.now());
  const client = <T>(make: new (config: object) => T, account = MANAGEMENT, region = 'us-east-1') => new make({ ...fake.clientConfig({ account, region }), maxAttempts: 1 });
  return { fake, client };
}

describe('call log', () => {
  it('records service, operation, account, Region, principal, status, outcome and latency of every call', async () => {
    const { fake, client } = sandbox();
    const org = client(O.OrganizationsClient);
    await org.send(new O.DescribeOrganizationCommand({}));
    await errorOf(org.send(new O.DescribeAccountCommand({ AccountId: '123456789012' })));
    await client(STSClient, MEMBER, 'eu-west-1').send(new GetCallerIdentityCommand({}));
    expect(fake.calls.entries.map(({ service, operation, account, region, status, outcome, transport }) => ({ service, operation, account, region, status, outcome, transport }))).toEqual([
      { service: 'organizations', operation: 'DescribeOrganization', account: MANAGEMENT, region: 'us-east-1', status: 200, outcome: 'ok', transport: 'in-process' },
      { service: 'organizations', operation: 'DescribeAccount', account: MANAGEMENT, region: 'us-east-1', status: 400, outcome: 'AccountNotFoundException', transport: 'in-process' },
      { service: 'sts', operation: 'GetCallerIdentity', account: MEMBER, region: 'eu-west-1', status: 200, outcome: 'ok', transport: 'in-process' },
    ]);
    expect(fake.calls.entries[0].principal).toBe(`arn:aws:iam::${MANAGEMENT}:user/fakeaws-admin`);
    expect(fake.calls.entries.every((c) => c.latencyMs >= 0)).toBe(true);
    expect(fake.calls.count({ service: 'organizations' })).toBe(2);
    expect(fake.calls.count({ ok: false })).toBe(1);
    expect(fake.calls.summary()).toEqual({ 'organizations:DescribeOrganization': 1, 'organizations:DescribeAccount': 1, 'sts:GetCallerIdentity': 1 });
    fake.calls.clear();
    expect(fake.calls.total).toBe(0);
  });
});

describe('rate limits', () => {
  it('throttles past the bucket with each service\'s own error, and refills with the sandbox clock', async () => {
    const { fake, client } = sandbox({ rateLimits: { 'organizations:*': { rate: 1, burst: 2, source: 'test' }, 'iam:*': { rate: 1, burst: 1, source: 'test' }, 's3:*': { rate: 1, burst: 1, source: 'test' }, 'sns:*': { rate: 1, burst: 1, source: 'test' } } });
    const org = client(O.OrganizationsClient);
    await org.send(new O.DescribeOrganizationCommand({}));
    await org.send(new O.DescribeOrganizationCommand({}));
    const throttled = await errorOf(org.send(new O.DescribeOrganizationCommand({})));
    expect(throttled.name).toBe('TooManyRequestsException');
    // Another account has its own bucket.
    await client(O.OrganizationsClient, MEMBER).send(new O.DescribeOrganizationCommand({}));
    fake.clock.advance(1000);
    await org.send(new O.DescribeOrganizationCommand({}));

    const iam = client(I.IAMClient);
    await iam.send(new I.ListRolesCommand({}));
    expect((await errorOf(iam.send(new I.ListRolesCommand({})))).name).toBe('Throttling');
    const s3 = client(S3.S3Client);
    await s3.send(new S3.ListBucketsCommand({}));
    const slow = await errorOf(s3.send(new S3.ListBucketsCommand({})));
    expect(slow.name).toBe('SlowDown');
    expect(slow.$metadata?.httpStatusCode).toBe(503);
    const sns = client(SNS.SNSClient);
    await sns.send(new SNS.ListTopicsCommand({}));
    expect((await errorOf(sns.send(new SNS.ListTopicsCommand({})))).name).toBe('ThrottledException');
  });

  it('applies AWS\'s published rates when asked, e.g. SNS ListTopics at 30 per second', async () => {
    const { client } = sandbox({ rateLimits: true });
    const sns = client(SNS.SNSClient);
    for (let i = 0; i < 30; i++) await sns.send(new SNS.ListTopicsCommand({}));
    expect((await errorOf(sns.send(new SNS.ListTopicsCommand({})))).name).toBe('ThrottledException');
  });

  it('lets the SDK retry a throttled call and succeed once tokens are back', async () => {
    const { fake } = sandbox({ rateLimits: { 'sts:*': { rate: 1000, burst: 1, source: 'test' } } });
    fake.clock.release();
    const sts = new STSClient({ ...fake.clientConfig({ account: MANAGEMENT }), maxAttempts: 3 });
    await sts.send(new GetCallerIdentityCommand({}));
    const second = await sts.send(new GetCallerIdentityCommand({}));
    expect(second.Account).toBe(MANAGEMENT);
  });
});

describe('latency', () => {
  it('waits the configured latency and logs it', async () => {
    const { fake, client } = sandbox({ latency: { default: { kind: 'fixed', ms: 0 }, overrides: { 'sts:GetCallerIdentity': { kind: 'fixed', ms: 25 } } } });
    await client(STSClient).send(new GetCallerIdentityCommand({}));
    await client(O.OrganizationsClient).send(new O.DescribeOrganizationCommand({}));
    expect(fake.calls.entries[0].latencyMs).toBeGreaterThanOrEqual(25);
    expect(fake.calls.entries[1].latencyMs).toBeLessThan(25);
  });

  it('samples a log-normal distribution with the given median and 99th percentile', () => {
    const random = new SeededRandom(1);
    const samples = Array.from({ length: 20000 }, () => sampleLatency({ kind: 'lognormal', medianMs: 50, p99Ms: 400 }, random)).sort((a, b) => a - b);
    expect(samples[10000]).toBeGreaterThan(45);
    expect(samples[10000]).toBeLessThan(55);
    expect(samples[19800]).toBeGreaterThan(340);
    expect(samples[19800]).toBeLessThan(470);
  });
});

describe('fault injection', () => {
  it('denies calls in chosen accounts with each service\'s AccessDenied, until cleared', async () => {
    const { fake, client } = sandbox();
    const fault = fake.faults.accessDenied({ accounts: [MEMBER] });
    const denied = await errorOf(client(I.IAMClient, MEMBER).send(new I.ListRolesCommand({})));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect((await errorOf(client(O.OrganizationsClient, MEMBER).send(new O.DescribeOrganizationCommand({})))).name).toBe('AccessDeniedException');
    await client(I.IAMClient, MANAGEMENT).send(new I.ListRolesCommand({}));
    expect(fault.injected).toBe(2);
    fault.clear();
    await client(I.IAMClient, MEMBER).send(new I.ListRolesCommand({}));
  });

  it('takes a Region down (ServiceUnavailable, HTTP 503) for the services named', async () => {
    const { fake, client } = sandbox();
    fake.faults.regionOutage('us-east-2', { services: ['s3'] });
    const down = await errorOf(client(S3.S3Client, MEMBER, 'us-east-2').send(new S3.ListBucketsCommand({})));
    expect(down.name).toBe('ServiceUnavailable');
    expect(down.$metadata?.httpStatusCode).toBe(503);
    await client(S3.S3Client, MEMBER, 'us-east-1').send(new S3.ListBucketsCommand({}));
    await client(SNS.SNSClient, MEMBER, 'us-east-2').send(new SNS.ListTopicsCommand({}));
  });

  it('fails the calls after the first N, as many times as asked', async () => {
    const { fake, client } = sandbox();
    fake.faults.failAfter(2, { operations: ['GetCallerIdentity'], times: 1 });
    const sts = client(STSClient);
    await sts.send(new GetCallerIdentityCommand({}));
    await sts.send(new GetCallerIdentityCommand({}));
    const failed = await errorOf(sts.send(new GetCallerIdentityCommand({})));
    expect(failed.name).toBe('InternalFailure');
    expect(failed.$metadata?.httpStatusCode).toBe(500);
    await sts.send(new GetCallerIdentityCommand({}));
  });

  it('throttles a share of calls in a storm, the same calls for the same seed', async () => {
    const storm = async (seed: number) => {
      const { fake, client } = sandbox({ seed });
      fake.faults.throttlingStorm({ services: ['organizations'], probability: 0.5 });
      const org = client(O.OrganizationsClient);
      const outcomes: string[] = [];
      for (let i = 0; i < 40; i++) outcomes.push(await org.send(new O.DescribeOrganizationCommand({})).then(() => 'ok', (e: Error) => e.name));
      return outcomes;
    };
    const first = await storm(7);
    expect(first.filter((o) => o === 'TooManyRequestsException').length).toBeGreaterThan(8);
    expect(first.filter((o) => o === 'ok').length).toBeGreaterThan(8);
    expect(await storm(7)).toEqual(first);
    expect(await storm(8)).not.toEqual(first);
  });

  it('ends a storm after its duration on the sandbox clock', async () => {
    const { fake, client } = sandbox();
    fake.faults.throttlingStorm({ durationMs: 60_000 });
    const sts = client(STSClient);
    expect((await errorOf(sts.send(new GetCallerIdentityCommand({})))).name).toBe('Throttling');
    fake.clock.advance(60_001);
    await sts.send(new GetCallerIdentityCommand({}));
  });
});
