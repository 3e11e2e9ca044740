import * as I from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { errorOf, openSandbox, TRANSPORTS, type Sandbox } from './transports';

const ACCOUNT = '444444444444';
const OTHER = '555555555555';

function trust(principal: unknown, condition?: Record<string, unknown>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
  });
}

/** Written from the IAM and STS API references. */
describe.each(TRANSPORTS)('IAM and STS conformance (%s)', (transport) => {
  let sandbox: Sandbox;
  let iam: I.IAMClient;
  let sts: STSClient;

  beforeEach(async () => {
    sandbox = await openSandbox(transport);
    iam = new I.IAMClient(sandbox.client({ account: ACCOUNT }));
    sts = new STSClient(sandbox.client({ account: OTHER }));
  });
  afterEach(() => sandbox.close());

  const createRole = (name: string, document = trust({ AWS: `arn:aws:iam::${OTHER}:root` }), extra: Partial<I.CreateRoleRequest> = {}) =>
    iam.send(new I.CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: document, ...extra }));

  describe('STS GetCallerIdentity', () => {
    it('names the account administrator user, then the assumed-role session', async () => {
      expect(await sts.send(new GetCallerIdentityCommand({}))).toEqual(expect.objectContaining({
        Account: OTHER, Arn: `arn:aws:iam::${OTHER}:user/fakeaws-admin`, UserId: expect.stringMatching(/^AIDA/),
      }));
      await createRole('Auditor');
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Auditor`, RoleSessionName: 'qsa' }));
      const creds = assumed.Credentials;
      const asRole = new STSClient({ ...sandbox.client({ account: ACCOUNT }), credentials: { accessKeyId: creds?.AccessKeyId as string, secretAccessKey: creds?.SecretAccessKey as string, sessionToken: creds?.SessionToken } });
      const identity = await asRole.send(new GetCallerIdentityCommand({}));
      expect(identity).toEqual(expect.objectContaining({
        Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Auditor/qsa`, UserId: `${assumed.AssumedRoleUser?.AssumedRoleId}`,
      }));
      expect(identity.UserId).toMatch(/^AROA[A-Z0-9]+:qsa$/);
    });
  });

  describe('STS AssumeRole', () => {
    it('returns temporary credentials bound to the role account, expiring after DurationSeconds', async () => {
      await createRole('Reader', undefined, { MaxSessionDuration: 7200 });
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Reader`, RoleSessionName: 'collector', DurationSeconds: 7200 }));
      expect(out.Credentials).toEqual(expect.objectContaining({
        AccessKeyId: expect.stringMatching(/^ASIA[A-Z0-9]{16}$/), SecretAccessKey: expect.any(String), SessionToken: expect.any(String), Expiration: expect.any(Date),
      }));
      const lifetime = (out.Credentials?.Expiration as Date).getTime() - Date.now();
      expect(lifetime).toBeGreaterThan(7100 * 1000);
      expect(lifetime).toBeLessThanOrEqual(7200 * 1000);
      expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Reader/collector`);
      const asRole = new I.IAMClient({ ...sandbox.client({ account: ACCOUNT }), credentials: {
        accessKeyId: out.Credentials?.AccessKeyId as string, secretAccessKey: out.Credentials?.SecretAccessKey as string, sessionToken: out.Credentials?.SessionToken,
      } });
      expect((await asRole.send(new I.ListRolesCommand({}))).Roles?.map((r) => r.RoleName)).toEqual(['Reader']);
    });

    it('answers AccessDenied for a role that does not exist or does not trust the caller', async () => {
      const missing = await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Nope`, RoleSessionName: 's1' })));
      expect(missing.name).toBe('AccessDenied');
      expect(missing.$metadata?.httpStatusCode).toBe(403);
      expect(missing.message).toContain('is not authorized to perform: sts:AssumeRole');
      await createRole('Private', trust({ AWS: 'arn:aws:iam::666666666666:root' }));
      expect((await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Private`, RoleSessionName: 's1' })))).name).toBe('AccessDenied');
    });

    it('enforces an sts:ExternalId condition in the trust policy', async () => {
      await createRole('Vendor', trust({ AWS: OTHER }, { StringEquals: { 'sts:ExternalId': 'qsa-2026' } }));
      const arn = `arn:aws:iam::${ACCOUNT}:role/Vendor`;
      expect((await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1' })))).name).toBe('AccessDenied');
      expect((await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', ExternalId: 'wrong-id' })))).name).toBe('AccessDenied');
      expect((await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', ExternalId: 'qsa-2026' }))).AssumedRoleUser).toBeDefined();
    });

    it('refuses DurationSeconds beyond the role maximum and role chaining beyond one hour (ValidationError)', async () => {
      await createRole('Short');
      expect((await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Short`, RoleSessionName: 's1', DurationSeconds: 7200 })))).name)
        .toBe('ValidationError');
      expect((await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Short`, RoleSessionName: 's', DurationSeconds: 900 })))).name)
        .toBe('ValidationError');
    });

    it('refuses a session whose role was deleted', async () => {
      await createRole('Temp');
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Temp`, RoleSessionName: 's1' }));
      await iam.send(new I.DeleteRoleCommand({ RoleName: 'Temp' }));
      const asRole = new STSClient({ ...sandbox.client({ account: ACCOUNT }), credentials: {
        accessKeyId: out.Credentials?.AccessKeyId as string, secretAccessKey: out.Credentials?.SecretAccessKey as string, sessionToken: out.Credentials?.SessionToken,
      } });
      expect((await errorOf(asRole.send(new GetCallerIdentityCommand({})))).name).toBe('AccessDenied');
    });

    it('refuses expired credentials (ExpiredTokenException) and unknown keys (InvalidClientTokenId)', async () => {
      sandbox.fake.clock.set(new Date('2026-12-04T00:00:00Z'));
      await createRole('Clocked');
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Clocked`, RoleSessionName: 's1', DurationSeconds: 900 }));
      sandbox.fake.clock.advance(901 * 1000);
      const asRole = new STSClient({ ...sandbox.client({ account: ACCOUNT }), credentials: {
        accessKeyId: out.Credentials?.AccessKeyId as string, secretAccessKey: out.Credentials?.SecretAccessKey as string, sessionToken: out.Credentials?.SessionToken,
      } });
      expect((await errorOf(asRole.send(new GetCallerIdentityCommand({})))).name).toBe('ExpiredTokenException');
      const stranger = new STSClient({ ...sandbox.client({ account: ACCOUNT }), credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } });
      expect((await errorOf(stranger.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    });
  });

  describe('IAM roles', () => {
    it('creates a role and gets it with its URL-encoded trust policy', async () => {
      const document = trust({ Service: 'lambda.amazonaws.com' });
      const created = await createRole('Collector', document, { Path: '/rampart/', Description: 'collects', Tags: [{ Key: 'team', Value: 'platform' }] });
      expect(created.Role).toEqual(expect.objectContaining({
        RoleName: 'Collector', Path: '/rampart/', RoleId: expect.stringMatching(/^AROA[A-Z0-9]{17}$/), Arn: `arn:aws:iam::${ACCOUNT}:role/rampart/Collector`,
        CreateDate: expect.any(Date), MaxSessionDuration: 3600, Description: 'collects',
      }));
      const { Role } = await iam.send(new I.GetRoleCommand({ RoleName: 'Collector' }));
      expect(decodeURIComponent(Role?.AssumeRolePolicyDocument as string)).toBe(document);
      expect(Role?.Tags).toEqual([{ Key: 'team', Value: 'platform' }]);
      expect(Role?.RoleLastUsed).toEqual({});
    });

    it('answers EntityAlreadyExists (names are case-insensitive), NoSuchEntity and MalformedPolicyDocument', async () => {
      await createRole('Reader');
      expect((await errorOf(createRole('READER'))).name).toBe('EntityAlreadyExistsException');
      const missing = await errorOf(iam.send(new I.GetRoleCommand({ RoleName: 'Nope' })));
      expect(missing.name).toBe('NoSuchEntityException');
      expect(missing.$metadata?.httpStatusCode).toBe(404);
      expect((await errorOf(createRole('Bad', '{"Statement": ['))).name).toBe('MalformedPolicyDocumentException');
      expect((await errorOf(createRole('NoPrincipal', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] })))).name)
        .toBe('MalformedPolicyDocumentException');
      expect((await errorOf(createRole('WithResource', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }] })))).name)
        .toBe('MalformedPolicyDocumentException');
    });

    it('checks role names against the model pattern (ValidationError)', async () => {
      const error = await errorOf(createRole('bad name with spaces'));
      expect(error.name).toBe('ValidationError');
      expect(error.message).toContain('roleName');
    });

    it('limits the trust policy to the account quota (2,048 characters without white space), adjustable per account', async () => {
      const principals = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::${String(100000000000 + i)}:root`);
      const document = trust({ AWS: principals });
      expect(document.replace(/\s/g, '').length).toBeGreaterThan(2048);
      const error = await errorOf(createRole('Wide', document));
      expect(error.name).toBe('LimitExceededException');
      expect(error.message).toContain('ACLSizePerRole: 2048');
      await createRole('Narrow');
      expect((await errorOf(iam.send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'Narrow', PolicyDocument: document })))).name).toBe('LimitExceededException');
      sandbox.fake.state.setQuota(ACCOUNT, 'iam.RoleTrustPolicyLength', 4096);
      await iam.send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'Narrow', PolicyDocument: document }));
      const { Role } = await iam.send(new I.GetRoleCommand({ RoleName: 'Narrow' }));
      expect(decodeURIComponent(Role?.AssumeRolePolicyDocument as string)).toBe(document);
    });

    it('lists roles by path prefix with Marker/IsTruncated pagination (default 100 per page)', async () => {
      for (let i = 0; i < 105; i++) await createRole(`Role${String(i).padStart(3, '0')}`, undefined, { Path: i % 2 ? '/odd/' : '/' });
      const first = await iam.send(new I.ListRolesCommand({}));
      expect(first.Roles).toHaveLength(100);
      expect(first.IsTruncated).toBe(true);
      expect(first.Marker).toEqual(expect.any(String));
      expect(first.Roles?.[0]).not.toHaveProperty('Tags');
      const second = await iam.send(new I.ListRolesCommand({ Marker: first.Marker }));
      expect(second.Roles).toHaveLength(5);
      expect(second.IsTruncated).toBe(false);
      const odd: string[] = [];
      for await (const page of I.paginateListRoles({ client: iam, pageSize: 10 }, { PathPrefix: '/odd/' })) odd.push(...(page.Roles ?? []).map((r) => r.RoleName as string));
      expect(odd).toHaveLength(52);
      expect((await errorOf(iam.send(new I.ListRolesCommand({ MaxItems: 1001 })))).name).toBe('ValidationError');
    });

    it('deletes a role only once its policies are gone (DeleteConflict)', async () => {
      await createRole('Busy');
      await iam.send(new I.AttachRolePolicyCommand({ RoleName: 'Busy', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
      expect((await errorOf(iam.send(new I.DeleteRoleCommand({ RoleName: 'Busy' })))).name).toBe('DeleteConflictException');
      await iam.send(new I.DetachRolePolicyCommand({ RoleName: 'Busy', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
      await iam.send(new I.DeleteRoleCommand({ RoleName: 'Busy' }));
      expect((await errorOf(iam.send(new I.DeleteRoleCommand({ RoleName: 'Busy' })))).name).toBe('NoSuchEntityException');
    });

    it('tags, lists and untags a role; at most 50 tags', async () => {
      await createRole('Tagged');
      await iam.send(new I.TagRoleCommand({ RoleName: 'Tagged', Tags: [{ Key: 'rampart:exempt', Value: 'true' }, { Key: 'team', Value: 'a' }] }));
      await iam.send(new I.UntagRoleCommand({ RoleName: 'Tagged', TagKeys: ['team'] }));
      const tags = await iam.send(new I.ListRoleTagsCommand({ RoleName: 'Tagged' }));
      expect(tags.Tags).toEqual([{ Key: 'rampart:exempt', Value: 'true' }]);
      expect(tags.IsTruncated).toBe(false);
      const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      expect((await errorOf(iam.send(new I.TagRoleCommand({ RoleName: 'Tagged', Tags: many })))).name).toBe('LimitExceededException');
      expect((await errorOf(iam.send(new I.ListRoleTagsCommand({ RoleName: 'Nope' })))).name).toBe('NoSuchEntityException');
    });

    it('puts, gets, lists and deletes inline policies', async () => {
      await createRole('Inline');
      const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'securityhub:Get*', Resource: '*' }] });
      await iam.send(new I.PutRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'read', PolicyDocument: policy }));
      const got = await iam.send(new I.GetRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'read' }));
      expect(got).toEqual(expect.objectContaining({ RoleName: 'Inline', PolicyName: 'read' }));
      expect(decodeURIComponent(got.PolicyDocument as string)).toBe(policy);
      expect((await iam.send(new I.ListRolePoliciesCommand({ RoleName: 'Inline' }))).PolicyNames).toEqual(['read']);
      expect((await errorOf(iam.send(new I.PutRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'p', PolicyDocument: trust('*') })))).name)
        .toBe('MalformedPolicyDocumentException');
      await iam.send(new I.DeleteRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'read' }));
      expect((await errorOf(iam.send(new I.GetRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'read' })))).name).toBe('NoSuchEntityException');
    });

    it('attaches managed policies up to the per-role quota of 10 and lists them', async () => {
      await createRole('Managed');
      const arns = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::aws:policy/Policy${i}`);
      for (const arn of arns) await iam.send(new I.AttachRolePolicyCommand({ RoleName: 'Managed', PolicyArn: arn }));
      const listed = await iam.send(new I.ListAttachedRolePoliciesCommand({ RoleName: 'Managed' }));
      expect(listed.AttachedPolicies).toContainEqual({ PolicyName: 'Policy0', PolicyArn: arns[0] });
      expect(listed.AttachedPolicies).toHaveLength(10);
      expect((await errorOf(iam.send(new I.AttachRolePolicyCommand({ RoleName: 'Managed', PolicyArn: 'arn:aws:iam::aws:policy/Policy10' })))).name).toBe('LimitExceededException');
      expect((await errorOf(iam.send(new I.AttachRolePolicyCommand({ RoleName: 'Managed', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/Missing` })))).name).toBe('NoSuchEntityException');
    });
  });
});
