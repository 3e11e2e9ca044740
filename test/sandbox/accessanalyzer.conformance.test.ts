import * as AA from '@aws-sdk/client-accessanalyzer';
import * as I from '@aws-sdk/client-iam';
import * as O from '@aws-sdk/client-organizations';
import { busEvents } from '../../sandbox/state/eventbridge';
import { ACCOUNTS, delegate, openSecurityOrganization, type SecurityOrganization } from './securityOrganization';
import { errorOf, TRANSPORTS } from './transports';

const REGION = 'us-east-1';
const EXTERNAL = '999988887777';
const trust = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (principal: unknown, action: string | string[] = 'sts:AssumeRole', condition?: Record<string, unknown>) => ({ Effect: 'Allow', Principal: principal, Action: action, ...(condition ? { Condition: condition } : {}) });

/** Written from the IAM Access Analyzer API reference and its finding and event documentation. */
describe.each(TRANSPORTS)('IAM Access Analyzer conformance (%s)', (transport) => {
  let sandbox: SecurityOrganization;
  const analyzer = (account: string, region = REGION) => new AA.AccessAnalyzerClient(sandbox.client({ account, region }));
  const iam = (account: string) => new I.IAMClient(sandbox.client({ account }));

  beforeEach(async () => {
    sandbox = await openSecurityOrganization(transport);
    delegate(sandbox, 'access-analyzer.amazonaws.com');
  });
  afterEach(() => sandbox.close());

  async function organizationAnalyzer(): Promise<{ client: AA.AccessAnalyzerClient; arn: string }> {
    const client = analyzer(ACCOUNTS.admin);
    const { arn } = await client.send(new AA.CreateAnalyzerCommand({ analyzerName: 'rampart-organization', type: 'ORGANIZATION' }));
    return { client, arn: arn as string };
  }

  async function findings(client: AA.AccessAnalyzerClient, arn: string, filter?: Record<string, AA.Criterion>): Promise<AA.FindingSummary[]> {
    let out: AA.FindingSummary[] = [];
    for await (const page of AA.paginateListFindings({ client, pageSize: 2 }, { analyzerArn: arn, filter })) out = out.concat(page.findings ?? []);
    return out;
  }

  describe('analyzers', () => {
    it('creates, gets, lists and deletes analyzers', async () => {
      const { client, arn } = await organizationAnalyzer();
      expect(arn).toBe(`arn:aws:access-analyzer:${REGION}:${ACCOUNTS.admin}:analyzer/rampart-organization`);
      const got = await client.send(new AA.GetAnalyzerCommand({ analyzerName: 'rampart-organization' }));
      expect(got.analyzer).toEqual(expect.objectContaining({ arn, name: 'rampart-organization', type: 'ORGANIZATION', status: 'ACTIVE', createdAt: expect.any(Date) }));
      await client.send(new AA.CreateAnalyzerCommand({ analyzerName: 'account', type: 'ACCOUNT', tags: { team: 'security' } }));
      expect((await client.send(new AA.ListAnalyzersCommand({}))).analyzers?.map((a) => a.name).sort()).toEqual(['account', 'rampart-organization']);
      expect((await client.send(new AA.ListAnalyzersCommand({ type: 'ACCOUNT' }))).analyzers?.map((a) => a.tags)).toEqual([{ team: 'security' }]);
      await client.send(new AA.DeleteAnalyzerCommand({ analyzerName: 'account' }));
      const missing = await errorOf(client.send(new AA.GetAnalyzerCommand({ analyzerName: 'account' })));
      expect(missing.name).toBe('ResourceNotFoundException');
      expect(missing.$metadata?.httpStatusCode).toBe(404);
      expect((await errorOf(client.send(new AA.CreateAnalyzerCommand({ analyzerName: 'rampart-organization', type: 'ORGANIZATION' })))).name).toBe('ConflictException');
    });

    it('creates organization analyzers only in the management account or the delegated administrator', async () => {
      expect((await errorOf(analyzer(ACCOUNTS.web).send(new AA.CreateAnalyzerCommand({ analyzerName: 'org', type: 'ORGANIZATION' })))).name).toBe('AccessDeniedException');
      await analyzer(ACCOUNTS.management).send(new AA.CreateAnalyzerCommand({ analyzerName: 'org', type: 'ORGANIZATION' }));
      await analyzer(ACCOUNTS.web).send(new AA.CreateAnalyzerCommand({ analyzerName: 'mine', type: 'ACCOUNT' }));
      const invalid = await errorOf(analyzer(ACCOUNTS.web).send(new AA.CreateAnalyzerCommand({ analyzerName: '9-not-a-name!', type: 'ACCOUNT' })));
      expect(invalid.name).toBe('ValidationException');
      expect(invalid.reason).toBe('fieldValidationFailed');
    });
  });

  describe('findings derived from role trust policies', () => {
    it('reports roles trusted outside the organization, with principal, action and condition, and ignores principals inside it', async () => {
      await iam(ACCOUNTS.pci1).send(new I.CreateRoleCommand({ RoleName: 'vendor', AssumeRolePolicyDocument: trust(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` }, ['sts:AssumeRole', 'sts:TagSession'], { StringEquals: { 'sts:ExternalId': 'v-123' } })) }));
      await iam(ACCOUNTS.pci1).send(new I.CreateRoleCommand({ RoleName: 'internal', AssumeRolePolicyDocument: trust(allow({ AWS: `arn:aws:iam::${ACCOUNTS.web}:root` })) }));
      await iam(ACCOUNTS.pci1).send(new I.CreateRoleCommand({ RoleName: 'lambda', AssumeRolePolicyDocument: trust(allow({ Service: 'lambda.amazonaws.com' })) }));
      await iam(ACCOUNTS.web).send(new I.CreateRoleCommand({ RoleName: 'github', AssumeRolePolicyDocument: trust(allow({ Federated: `arn:aws:iam::${ACCOUNTS.web}:oidc-provider/token.actions.githubusercontent.com` }, 'sts:AssumeRoleWithWebIdentity', { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } })) }));
      await iam(ACCOUNTS.web).send(new I.CreateRoleCommand({ RoleName: 'public', AssumeRolePolicyDocument: trust(allow({ AWS: '*' })) }));
      await iam(ACCOUNTS.web).send(new I.CreateRoleCommand({ RoleName: 'org-only', AssumeRolePolicyDocument: trust(allow({ AWS: '*' }, 'sts:AssumeRole', { StringEquals: { 'aws:PrincipalOrgID': sandbox.fake.organization?.id } })) }));
      const { client, arn } = await organizationAnalyzer();
      const all = await findings(client, arn);
      const byRole = Object.fromEntries(all.map((f) => [f.resource?.split('/').pop(), f]));
      expect(Object.keys(byRole).sort()).toEqual(['github', 'public', 'vendor']);
      expect(byRole.vendor).toEqual(expect.objectContaining({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/), resource: `arn:aws:iam::${ACCOUNTS.pci1}:role/vendor`, resourceType: 'AWS::IAM::Role', resourceOwnerAccount: ACCOUNTS.pci1,
        principal: { AWS: `arn:aws:iam::${EXTERNAL}:root` }, action: ['sts:AssumeRole', 'sts:TagSession'], condition: { 'sts:ExternalId': 'v-123' }, isPublic: false, status: 'ACTIVE',
        createdAt: expect.any(Date), analyzedAt: expect.any(Date), updatedAt: expect.any(Date),
      }));
      expect(byRole.github).toEqual(expect.objectContaining({ principal: { Federated: `arn:aws:iam::${ACCOUNTS.web}:oidc-provider/token.actions.githubusercontent.com` }, action: ['sts:AssumeRoleWithWebIdentity'] }));
      expect(byRole.public).toEqual(expect.objectContaining({ principal: { AWS: '*' }, isPublic: true }));
    });

    it('keeps a member account\'s roles inside an account analyzer\'s zone only when they trust that account', async () => {
      await iam(ACCOUNTS.web).send(new I.CreateRoleCommand({ RoleName: 'cross', AssumeRolePolicyDocument: trust(allow({ AWS: ACCOUNTS.pci1 }), allow({ AWS: `arn:aws:iam::${ACCOUNTS.web}:role/self` })) }));
      const client = analyzer(ACCOUNTS.web);
      const { arn } = await client.send(new AA.CreateAnalyzerCommand({ analyzerName: 'account', type: 'ACCOUNT' }));
      const all = await findings(client, arn as string);
      expect(all.map((f) => f.principal)).toEqual([{ AWS: ACCOUNTS.pci1 }]);
    });

    it('resolves a finding when the trust policy stops granting the access, including through an explicit Deny, and reactivates it when access returns', async () => {
      await iam(ACCOUNTS.pci1).send(new I.CreateRoleCommand({ RoleName: 'vendor', AssumeRolePolicyDocument: trust(allow({ AWS: EXTERNAL })) }));
      const { client, arn } = await organizationAnalyzer();
      const [finding] = await findings(client, arn);
      await iam(ACCOUNTS.pci1).send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'vendor', PolicyDocument: trust(allow({ AWS: EXTERNAL }), { Effect: 'Deny', Principal: { AWS: EXTERNAL }, Action: 'sts:*' }) }));
      expect((await client.send(new AA.GetFindingCommand({ analyzerArn: arn, id: finding.id }))).finding?.status).toBe('RESOLVED');
      await iam(ACCOUNTS.pci1).send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'vendor', PolicyDocument: trust(allow({ AWS: EXTERNAL })) }));
      expect((await client.send(new AA.GetFindingCommand({ analyzerArn: arn, id: finding.id }))).finding?.status).toBe('ACTIVE');
      await iam(ACCOUNTS.pci1).send(new I.DeleteRoleCommand({ RoleName: 'vendor' }));
      expect((await client.send(new AA.GetFindingCommand({ analyzerArn: arn, id: finding.id }))).finding?.status).toBe('RESOLVED');
    });

    it('sends an "Access Analyzer Finding" event when a finding appears and when its status changes', async () => {
      const { arn } = await organizationAnalyzer();
      await iam(ACCOUNTS.pci1).send(new I.CreateRoleCommand({ RoleName: 'vendor', AssumeRolePolicyDocument: trust(allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/Support` })) }));
      await iam(ACCOUNTS.pci1).send(new I.DeleteRoleCommand({ RoleName: 'vendor' }));
      const events = busEvents(sandbox.fake.state, ACCOUNTS.admin, REGION).map((e) => e.event);
      expect(events.map((e) => (e.detail as { status: string }).status)).toEqual(['ACTIVE', 'RESOLVED']);
      expect(events[0]).toEqual(expect.objectContaining({
        version: '0', source: 'aws.access-analyzer', 'detail-type': 'Access Analyzer Finding', account: ACCOUNTS.admin, region: REGION, resources: [arn],
        detail: expect.objectContaining({
          version: '1.0', id: expect.any(String), status: 'ACTIVE', resourceType: 'AWS::IAM::Role', resource: `arn:aws:iam::${ACCOUNTS.pci1}:role/vendor`,
          accountId: ACCOUNTS.pci1, region: REGION, principal: { AWS: `arn:aws:iam::${EXTERNAL}:role/Support` }, action: ['sts:AssumeRole'], condition: {},
          isDeleted: false, isPublic: false, createdAt: expect.any(String), updatedAt: expect.any(String), analyzedAt: expect.any(String),
        }),
      }));
    });

    it('reports trust in an account that leaves the organization as external', async () => {
      await iam(ACCOUNTS.pci1).send(new I.CreateRoleCommand({ RoleName: 'shared', AssumeRolePolicyDocument: trust(allow({ AWS: ACCOUNTS.web })) }));
      const { client, arn } = await organizationAnalyzer();
      expect(await findings(client, arn)).toEqual([]);
      await new O.OrganizationsClient(sandbox.client({ account: ACCOUNTS.management })).send(new O.RemoveAccountFromOrganizationCommand({ AccountId: ACCOUNTS.web }));
      expect((await findings(client, arn)).map((f) => f.principal)).toEqual([{ AWS: ACCOUNTS.web }]);
    });

    it('lists findings with filters and sort, and the V2 forms with external access details', async () => {
      await iam(ACCOUNTS.pci1).send(new I.CreateRoleCommand({ RoleName: 'a', AssumeRolePolicyDocument: trust(allow({ AWS: EXTERNAL })) }));
      await iam(ACCOUNTS.pci2).send(new I.CreateRoleCommand({ RoleName: 'b', AssumeRolePolicyDocument: trust(allow({ AWS: '*' })) }));
      const { client, arn } = await organizationAnalyzer();
      expect((await findings(client, arn, { resourceOwnerAccount: { eq: [ACCOUNTS.pci2] } })).map((f) => f.resource)).toEqual([`arn:aws:iam::${ACCOUNTS.pci2}:role/b`]);
      expect((await findings(client, arn, { isPublic: { eq: ['true'] } })).map((f) => f.resourceOwnerAccount)).toEqual([ACCOUNTS.pci2]);
      expect((await findings(client, arn, { 'principal.AWS': { neq: ['*'] } })).map((f) => f.resourceOwnerAccount)).toEqual([ACCOUNTS.pci1]);
      const sorted = await client.send(new AA.ListFindingsCommand({ analyzerArn: arn, sort: { attributeName: 'Resource', orderBy: 'DESC' } }));
      expect(sorted.findings?.map((f) => f.resource?.split('/').pop())).toEqual(['b', 'a']);
      const v2 = await client.send(new AA.ListFindingsV2Command({ analyzerArn: arn }));
      expect(v2.findings?.every((f) => f.findingType === 'ExternalAccess')).toBe(true);
      const detail = await client.send(new AA.GetFindingV2Command({ analyzerArn: arn, id: v2.findings?.[0].id }));
      expect(detail.findingDetails?.[0].externalAccessDetails).toEqual(expect.objectContaining({ action: ['sts:AssumeRole'], condition: {} }));
      expect((await errorOf(client.send(new AA.GetFindingCommand({ analyzerArn: arn, id: 'nope' })))).name).toBe('ResourceNotFoundException');
      expect((await errorOf(client.send(new AA.ListFindingsCommand({ analyzerArn: `arn:aws:access-analyzer:${REGION}:${ACCOUNTS.admin}:analyzer/nope` })))).name).toBe('ResourceNotFoundException');
    });

    it('archives findings through archive rules (new and existing) and UpdateFindings; a scan re-analyzes one role', async () => {
      await iam(ACCOUNTS.pci1).send(new I.CreateRoleCommand({ RoleName: 'qsa', AssumeRolePolicyDocument: trust(allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/AuditorReadOnly` })) }));
      const { client, arn } = await organizationAnalyzer();
      await client.send(new AA.CreateArchiveRuleCommand({ analyzerName: 'rampart-organization', ruleName: 'trusted-qsa', filter: { 'principal.AWS': { eq: [`arn:aws:iam::${EXTERNAL}:role/AuditorReadOnly`] } } }));
      expect((await findings(client, arn)).map((f) => f.status)).toEqual(['ARCHIVED']);
      await iam(ACCOUNTS.pci2).send(new I.CreateRoleCommand({ RoleName: 'qsa', AssumeRolePolicyDocument: trust(allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/AuditorReadOnly` })) }));
      expect((await findings(client, arn, { resourceOwnerAccount: { eq: [ACCOUNTS.pci2] } })).map((f) => f.status)).toEqual(['ARCHIVED']);
      const rules = await client.send(new AA.ListArchiveRulesCommand({ analyzerName: 'rampart-organization' }));
      expect(rules.archiveRules).toEqual([expect.objectContaining({ ruleName: 'trusted-qsa', createdAt: expect.any(Date) })]);
      expect((await errorOf(client.send(new AA.CreateArchiveRuleCommand({ analyzerName: 'rampart-organization', ruleName: 'trusted-qsa', filter: { resourceType: { eq: ['AWS::IAM::Role'] } } })))).name).toBe('ConflictException');
      expect((await errorOf(client.send(new AA.CreateArchiveRuleCommand({ analyzerName: 'rampart-organization', ruleName: 'bad', filter: { colour: { eq: ['red'] } } })))).name).toBe('ValidationException');
      await client.send(new AA.DeleteArchiveRuleCommand({ analyzerName: 'rampart-organization', ruleName: 'trusted-qsa' }));
      expect((await errorOf(client.send(new AA.DeleteArchiveRuleCommand({ analyzerName: 'rampart-organization', ruleName: 'trusted-qsa' })))).name).toBe('ResourceNotFoundException');
      const [first] = await findings(client, arn, { resourceOwnerAccount: { eq: [ACCOUNTS.pci1] } });
      await client.send(new AA.UpdateFindingsCommand({ analyzerArn: arn, status: 'ACTIVE', ids: [first.id as string] }));
      expect((await client.send(new AA.GetFindingCommand({ analyzerArn: arn, id: first.id }))).finding?.status).toBe('ACTIVE');
      await client.send(new AA.UpdateFindingsCommand({ analyzerArn: arn, status: 'ARCHIVED', resourceArn: `arn:aws:iam::${ACCOUNTS.pci1}:role/qsa` }));
      expect((await client.send(new AA.GetFindingCommand({ analyzerArn: arn, id: first.id }))).finding?.status).toBe('ARCHIVED');
      await client.send(new AA.StartResourceScanCommand({ analyzerArn: arn, resourceArn: `arn:aws:iam::${ACCOUNTS.pci1}:role/qsa` }));
      expect((await errorOf(client.send(new AA.StartResourceScanCommand({ analyzerArn: arn, resourceArn: `arn:aws:iam::${EXTERNAL}:role/x` })))).name).toBe('ValidationException');
      expect((await errorOf(client.send(new AA.UpdateFindingsCommand({ analyzerArn: arn, status: 'ARCHIVED', ids: ['nope'] })))).name).toBe('ResourceNotFoundException');
    });
  });

  describe('ValidatePolicy', () => {
    const validate = (policyDocument: string, policyType: AA.PolicyType = 'IDENTITY_POLICY', validatePolicyResourceType?: AA.ValidatePolicyResourceType) =>
      analyzer(ACCOUNTS.web).send(new AA.ValidatePolicyCommand({ policyDocument, policyType, validatePolicyResourceType }));
    const codes = (out: AA.ValidatePolicyResponse) => out.findings?.map((f) => [f.findingType, f.issueCode]);

    it('reports a JSON syntax error with its position', async () => {
      const out = await validate('{\n  "Version": "2012-10-17",\n  "Statement": [ {"Effect": "Allow",, } ]\n}');
      expect(codes(out)).toEqual([['ERROR', 'JSON_SYNTAX_ERROR']]);
      expect(out.findings?.[0].locations?.[0].span?.start).toEqual({ line: 3, column: 36, offset: 65 });
    });

    it('warns about a missing Version and reports unknown elements, missing effects and actions and duplicate Sids', async () => {
      const out = await validate(JSON.stringify({ Statement: [
        { Sid: 'One', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Colour: 'red' },
        { Sid: 'One', Action: 'not an action', Resource: '*' },
        { Sid: 'Two', Effect: 'Permit', Resource: '*' },
      ] }));
      expect(codes(out)).toEqual([
        ['WARNING', 'MISSING_VERSION'], ['ERROR', 'INVALID_POLICY_ELEMENT'], ['ERROR', 'UNIQUE_SIDS_REQUIRED'], ['ERROR', 'MISSING_EFFECT'],
        ['ERROR', 'INVALID_ACTION'], ['ERROR', 'INVALID_EFFECT'], ['ERROR', 'MISSING_ACTION'],
      ]);
      expect(out.findings?.[1].locations?.[0].path).toEqual([{ value: 'Statement' }, { index: 0 }, { value: 'Colour' }]);
      expect(out.findings?.[1].learnMoreLink).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/IAM\/latest\/UserGuide\/access-analyzer-reference-policy-checks\.html#/);
    });

    it('checks trust policies: principals required and well formed, no Resource', async () => {
      const out = await validate(trust(
        { Effect: 'Allow', Principal: { AWS: 'not-an-arn' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { Users: 'x' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
      ), 'RESOURCE_POLICY', 'AWS::IAM::AssumeRolePolicyDocument');
      expect(codes(out)).toEqual([['ERROR', 'INVALID_PRINCIPAL_FORMAT'], ['ERROR', 'INVALID_PRINCIPAL_KEY'], ['ERROR', 'MISSING_PRINCIPAL'], ['ERROR', 'INVALID_POLICY_ELEMENT']]);
      const clean = await validate(trust(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` })), 'RESOURCE_POLICY', 'AWS::IAM::AssumeRolePolicyDocument');
      expect(clean.findings).toEqual([]);
    });

    it('refuses a Principal in identity policies and SCPs, and warns about iam:PassRole on every role', async () => {
      const identity = await validate(trust({ Effect: 'Allow', Principal: '*', Action: 'iam:PassRole', Resource: '*' }));
      expect(codes(identity)).toEqual([['ERROR', 'UNSUPPORTED_PRINCIPAL'], ['SECURITY_WARNING', 'PASS_ROLE_WITH_STAR_IN_RESOURCE']]);
      const scp = await validate(trust({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }), 'SERVICE_CONTROL_POLICY');
      expect(codes(scp)).toEqual([['ERROR', 'SCP_SYNTAX_ERROR_PRINCIPAL']]);
      const paged = await analyzer(ACCOUNTS.web).send(new AA.ValidatePolicyCommand({ policyDocument: trust({ Effect: 'Allow', Principal: '*', Action: 'iam:PassRole', Resource: '*' }), policyType: 'IDENTITY_POLICY', maxResults: 1 }));
      expect(paged.findings).toHaveLength(1);
      expect(paged.nextToken).toEqual(expect.any(String));
    });
  });
});
