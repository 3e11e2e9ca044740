import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAws, type FakeAwsServer } from '../../sandbox';
import { topicMessages } from '../../sandbox/state/sns';
import { checkTool, externalSuiteMode, runCommand, type CommandResult } from './externalTools';

const awsCli = checkTool('aws', ['--version']);
const mode = externalSuiteMode('The AWS CLI suite against the loopback server', awsCli);
const MANAGEMENT = '111111111111';

describe('external tool detection', () => {
  it('names a missing tool and why', () => {
    expect(checkTool('rampart-no-such-tool', ['--version'])).toEqual({ ok: false, reason: 'rampart-no-such-tool not found on PATH' });
  });
});

if (mode === 'required-missing') {
  describe('AWS CLI against the loopback server', () => {
    it('has the AWS CLI (RAMPART_REQUIRE_MOTO=1 requires it)', () => {
      expect(awsCli).toEqual({ ok: true });
    });
  });
}

if (mode === 'run') {
  describe(`AWS CLI against the loopback server (${awsCli.version})`, () => {
    let fake: FakeAws;
    let server: FakeAwsServer;
    let dir: string;

    beforeAll(async () => {
      fake = FakeAws.create({ seed: 3 });
      const org = fake.createOrganization({ managementAccountId: MANAGEMENT, email: 'm@example.com' });
      org.enablePolicyType(org.rootId, 'SERVICE_CONTROL_POLICY');
      for (let i = 0; i < 25; i++) org.addAccount({ id: String(300000000000 + i), name: `w${i}`, email: `w${i}@example.com`, parentId: org.rootId }, new Date());
      server = await fake.listen();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fakeaws-cli-'));
    });
    afterAll(async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** `aws <args> --output json` as the management administrator (or another account). */
    async function aws(args: string[], options: { account?: string; region?: string } = {}): Promise<CommandResult & { json: () => Record<string, unknown> }> {
      const env = {
        ...server.env({ account: options.account ?? MANAGEMENT, region: options.region ?? 'us-east-1' }),
        AWS_CONFIG_FILE: path.join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'), AWS_PAGER: '',
      };
      const result = await runCommand('aws', [...args, '--output', 'json'], env);
      return { ...result, json: () => JSON.parse(result.stdout || '{}') as Record<string, unknown> };
    }

    it('Organizations: describes the organization, pages every account, reports named errors', async () => {
      const described = await aws(['organizations', 'describe-organization']);
      expect(described.code).toBe(0);
      expect(described.json().Organization).toEqual(expect.objectContaining({ MasterAccountId: MANAGEMENT, FeatureSet: 'ALL' }));
      const accounts = await aws(['organizations', 'list-accounts']);
      expect((accounts.json().Accounts as unknown[]).length).toBe(26);
      const rootId = fake.organization?.rootId as string;
      fake.organization?.createOu(rootId, 'Pci', fake.state.random);
      const duplicate = await aws(['organizations', 'create-organizational-unit', '--parent-id', rootId, '--name', 'Pci']);
      expect(duplicate.code).not.toBe(0);
      expect(duplicate.stderr).toContain('(DuplicateOrganizationalUnitException)');
    });

    it('STS and IAM: identity, a role with its decoded trust policy, AssumeRole with an external id', async () => {
      const identity = await aws(['sts', 'get-caller-identity']);
      expect(identity.json()).toEqual(expect.objectContaining({ Account: MANAGEMENT, Arn: `arn:aws:iam::${MANAGEMENT}:user/fakeaws-admin` }));
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: MANAGEMENT }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'cli-test' } } }] };
      const created = await aws(['iam', 'create-role', '--role-name', 'CliRole', '--assume-role-policy-document', JSON.stringify(trust)], { account: '300000000001' });
      expect((created.json().Role as Record<string, unknown>).AssumeRolePolicyDocument).toEqual(trust);
      const assumed = await aws(['sts', 'assume-role', '--role-arn', 'arn:aws:iam::300000000001:role/CliRole', '--role-session-name', 'cli', '--external-id', 'cli-test']);
      expect((assumed.json().AssumedRoleUser as Record<string, unknown>).Arn).toBe('arn:aws:sts::300000000001:assumed-role/CliRole/cli');
    });

    it('S3: object with Object Lock retention in, out and listed; a retained version cannot be deleted', async () => {
      await fake.invoke('s3', 'CreateBucket', { Bucket: 'cli-evidence', ObjectLockEnabledForBucket: true, CreateBucketConfiguration: { LocationConstraint: 'us-east-2' } }, { account: MANAGEMENT, region: 'us-east-2' });
      const file = path.join(dir, 'evidence.json');
      fs.writeFileSync(file, '{"pci":"4.0"}');
      const put = await aws(['s3api', 'put-object', '--bucket', 'cli-evidence', '--key', 'reports/r1.json', '--body', file,
        '--object-lock-mode', 'COMPLIANCE', '--object-lock-retain-until-date', '2030-01-01T00:00:00Z'], { region: 'us-east-2' });
      expect(put.json().VersionId).toEqual(expect.any(String));
      const out = path.join(dir, 'out.json');
      const got = await aws(['s3api', 'get-object', '--bucket', 'cli-evidence', '--key', 'reports/r1.json', out], { region: 'us-east-2' });
      expect(got.json()).toEqual(expect.objectContaining({ ObjectLockMode: 'COMPLIANCE', ContentLength: 13 }));
      expect(fs.readFileSync(out, 'utf8')).toBe('{"pci":"4.0"}');
      const listed = await aws(['s3api', 'list-objects-v2', '--bucket', 'cli-evidence', '--prefix', 'reports/'], { region: 'us-east-2' });
      expect((listed.json().Contents as { Key: string }[]).map((o) => o.Key)).toEqual(['reports/r1.json']);
      const deleteVersion = await aws(['s3api', 'delete-object', '--bucket', 'cli-evidence', '--key', 'reports/r1.json', '--version-id', put.json().VersionId as string], { region: 'us-east-2' });
      expect(deleteVersion.stderr).toContain('(AccessDenied)');
    });

    it('SNS: publish with message attributes to a topic', async () => {
      const { TopicArn: arn } = await fake.invoke<{ TopicArn: string }>('sns', 'CreateTopic', { Name: 'cli-drift' }, { account: MANAGEMENT });
      const published = await aws(['sns', 'publish', '--topic-arn', arn, '--message', 'drift', '--message-attributes', '{"severity":{"DataType":"String","StringValue":"HIGH"}}']);
      expect(published.json().MessageId).toEqual(expect.any(String));
      expect(topicMessages(fake.state, arn)[0].attributes).toEqual({ severity: { DataType: 'String', StringValue: 'HIGH' } });
    });

    it('EventBridge: events put and rules listed', async () => {
      await fake.invoke('events', 'PutRule', { Name: 'cli-rule', EventPattern: '{"source":["rampart"]}' }, { account: MANAGEMENT });
      const put = await aws(['events', 'put-events', '--entries', JSON.stringify([{ Source: 'rampart', DetailType: 'Drift', Detail: '{"n":1}' }])]);
      expect(put.json().FailedEntryCount).toBe(0);
      expect((await aws(['events', 'list-rules'])).json().Rules).toEqual([expect.objectContaining({ Name: 'cli-rule', EventPattern: '{"source":["rampart"]}' })]);
    });

    it('Step Functions: answers a waiting task token', async () => {
      const { token, outcome } = fake.taskTokens.register({ account: MANAGEMENT, region: 'us-east-1' });
      expect((await aws(['stepfunctions', 'send-task-success', '--task-token', token, '--task-output', '{"approved":false}'])).code).toBe(0);
      expect(await outcome).toEqual({ status: 'SUCCEEDED', output: '{"approved":false}' });
    });
  });
}
