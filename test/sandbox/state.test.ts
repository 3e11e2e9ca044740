import * as I from '@aws-sdk/client-iam';
import * as O from '@aws-sdk/client-organizations';
import * as S3 from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAws, SandboxState } from '../../sandbox';
import { iamSlot } from '../../sandbox/state/iam';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';

async function populate(fake: FakeAws): Promise<{ session: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } }> {
  const org = fake.createOrganization({ managementAccountId: MANAGEMENT, email: 'm@example.com' });
  org.enablePolicyType(org.rootId, 'SERVICE_CONTROL_POLICY');
  const client = new O.OrganizationsClient(fake.clientConfig({ account: MANAGEMENT }));
  const ou = await client.send(new O.CreateOrganizationalUnitCommand({ ParentId: org.rootId, Name: 'Workloads' }));
  org.addAccount({ id: MEMBER, name: 'member', email: 'member@example.com', parentId: ou.OrganizationalUnit?.Id as string }, fake.clock.now());
  const iam = new I.IAMClient(fake.clientConfig({ account: MEMBER }));
  await iam.send(new I.CreateRoleCommand({
    RoleName: 'RampartExecutionRole',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: 'sts:AssumeRole' }] }),
  }));
  const s3 = new S3.S3Client(fake.clientConfig({ account: MEMBER, region: 'us-east-1' }));
  await s3.send(new S3.CreateBucketCommand({ Bucket: 'saved-evidence', ObjectLockEnabledForBucket: true }));
  await s3.send(new S3.PutObjectCommand({ Bucket: 'saved-evidence', Key: 'report.json', Body: '{"controls":42}' }));
  const sts = new STSClient(fake.clientConfig({ account: MANAGEMENT }));
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/RampartExecutionRole`, RoleSessionName: 'collector' }));
  const creds = assumed.Credentials;
  return { session: { accessKeyId: creds?.AccessKeyId as string, secretAccessKey: creds?.SecretAccessKey as string, sessionToken: creds?.SessionToken } };
}

describe('sandbox state', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fakeaws-state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves to and loads from a JSON file: organization, roles, objects and live sessions survive', async () => {
    const fake = FakeAws.create({ seed: 5 });
    const { session } = await populate(fake);
    const file = path.join(dir, 'sandbox.json');
    fake.save(file);

    const loaded = FakeAws.load(file);
    const org = new O.OrganizationsClient(loaded.clientConfig({ account: MANAGEMENT }));
    const accounts = await org.send(new O.ListAccountsCommand({}));
    expect(accounts.Accounts?.map((a) => a.Id).sort()).toEqual([MANAGEMENT, MEMBER]);
    const s3 = new S3.S3Client(loaded.clientConfig({ account: MEMBER, region: 'us-east-1' }));
    expect(await (await s3.send(new S3.GetObjectCommand({ Bucket: 'saved-evidence', Key: 'report.json' }))).Body?.transformToString()).toBe('{"controls":42}');
    const asSession = new STSClient({ region: 'us-east-1', requestHandler: loaded.requestHandler(), credentials: session });
    expect((await asSession.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/RampartExecutionRole/collector`);
  });

  it('continues the seeded id sequence after a reload, as if it had not stopped', async () => {
    const straight = FakeAws.create({ seed: 9 });
    await populate(straight);
    const file = path.join(dir, 'sandbox.json');
    straight.save(file);
    const reloaded = FakeAws.load(file);
    const a = straight.organization?.createOu(straight.organization.rootId, 'Next', straight.state.random);
    const b = reloaded.organization?.createOu(reloaded.organization.rootId, 'Next', reloaded.state.random);
    expect(b?.id).toBe(a?.id);
  });

  it('gives the same ids for the same seed and calls, and different ids for another seed', async () => {
    const ids = async (seed: number) => {
      const fake = FakeAws.create({ seed });
      await populate(fake);
      return { org: fake.organization?.id, role: fake.state.find(iamSlot, MEMBER, 'us-east-1')?.roles.rampartexecutionrole.id };
    };
    expect(await ids(3)).toEqual(await ids(3));
    expect((await ids(3)).org).not.toBe((await ids(4)).org);
  });

  it('creates per-account state only for accounts something was stored for', async () => {
    const fake = FakeAws.create();
    await populate(fake);
    expect(fake.state.accountsWithState().sort()).toEqual([MEMBER]);
    expect(fake.state.find(iamSlot, '999999999999', 'us-east-1')).toBeUndefined();
    expect(fake.state.accountsWithState()).not.toContain('999999999999');
  });

  it('explains what is wrong with a file that is not a sandbox state', () => {
    const notJson = path.join(dir, 'broken.json');
    fs.writeFileSync(notJson, '{"format":');
    expect(() => SandboxState.load(notJson)).toThrow(/not valid JSON/);
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, '{"hello":"world"}');
    expect(() => SandboxState.load(other)).toThrow(/not a FakeAws state file.*rampart sandbox init/);
    expect(() => SandboxState.load(path.join(dir, 'missing.json'))).toThrow(/ENOENT.*rampart sandbox init/);
  });
});
