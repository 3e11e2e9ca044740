import * as O from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { errorOf, MANAGEMENT, openOrganization, TRANSPORTS, type Sandbox } from './transports';

/** Written from the AWS Organizations API reference; each test names the behaviour it checks. */
describe.each(TRANSPORTS)('Organizations conformance (%s)', (transport) => {
  let sandbox: Sandbox & { rootId: string };
  let org: O.OrganizationsClient;
  let rootId: string;
  const scp = (statement: Record<string, unknown> = { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

  beforeEach(async () => {
    sandbox = await openOrganization(transport);
    org = new O.OrganizationsClient(sandbox.client({ account: MANAGEMENT }));
    rootId = sandbox.rootId;
  });
  afterEach(() => sandbox.close());

  async function createAccount(name: string): Promise<string> {
    const created = await org.send(new O.CreateAccountCommand({ Email: `${name}@example.com`, AccountName: name }));
    const status = await org.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus?.Id }));
    return status.CreateAccountStatus?.AccountId as string;
  }

  async function createOu(name: string, parentId = rootId): Promise<string> {
    return (await org.send(new O.CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }))).OrganizationalUnit?.Id as string;
  }

  async function createPolicy(name: string, content = scp()): Promise<string> {
    const out = await org.send(new O.CreatePolicyCommand({ Name: name, Description: `${name} policy`, Type: 'SERVICE_CONTROL_POLICY', Content: content }));
    return out.Policy?.PolicySummary?.Id as string;
  }

  describe('DescribeOrganization', () => {
    it('describes the organization with its management account', async () => {
      const { Organization } = await org.send(new O.DescribeOrganizationCommand({}));
      expect(Organization).toEqual(expect.objectContaining({
        Id: expect.stringMatching(/^o-[a-z0-9]{10,32}$/),
        Arn: expect.stringMatching(/^arn:aws:organizations::111111111111:organization\/o-[a-z0-9]{10,32}$/),
        FeatureSet: 'ALL',
        MasterAccountId: MANAGEMENT,
        MasterAccountArn: expect.stringMatching(/^arn:aws:organizations::111111111111:account\/o-[a-z0-9]+\/111111111111$/),
        MasterAccountEmail: 'management@example.com',
      }));
    });

    it('answers AWSOrganizationsNotInUseException to an account outside any organization', async () => {
      const outsider = new O.OrganizationsClient(sandbox.client({ account: '999999999999' }));
      expect((await errorOf(outsider.send(new O.DescribeOrganizationCommand({})))).name).toBe('AWSOrganizationsNotInUseException');
    });

    it('may be called by any member account', async () => {
      const member = await createAccount('member');
      const client = new O.OrganizationsClient(sandbox.client({ account: member }));
      expect((await client.send(new O.DescribeOrganizationCommand({}))).Organization?.MasterAccountId).toBe(MANAGEMENT);
    });
  });

  describe('roots and organizational units', () => {
    it('lists the single root with its enabled policy types', async () => {
      const { Roots } = await org.send(new O.ListRootsCommand({}));
      expect(Roots).toHaveLength(1);
      expect(Roots?.[0]).toEqual(expect.objectContaining({
        Id: expect.stringMatching(/^r-[0-9a-z]{4,32}$/), Name: 'Root',
        Arn: expect.stringMatching(/^arn:aws:organizations::111111111111:root\/o-[a-z0-9]+\/r-[0-9a-z]+$/),
        PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      }));
    });

    it('creates, describes, renames and deletes an OU', async () => {
      const created = (await org.send(new O.CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }))).OrganizationalUnit;
      expect(created).toEqual(expect.objectContaining({
        Id: expect.stringMatching(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/), Name: 'Workloads',
        Arn: expect.stringMatching(/^arn:aws:organizations::111111111111:ou\/o-[a-z0-9]+\/ou-[0-9a-z]+-[a-z0-9]+$/),
      }));
      const described = await org.send(new O.DescribeOrganizationalUnitCommand({ OrganizationalUnitId: created?.Id }));
      expect(described.OrganizationalUnit?.Name).toBe('Workloads');
      const renamed = await org.send(new O.UpdateOrganizationalUnitCommand({ OrganizationalUnitId: created?.Id, Name: 'Apps' }));
      expect(renamed.OrganizationalUnit?.Name).toBe('Apps');
      await org.send(new O.DeleteOrganizationalUnitCommand({ OrganizationalUnitId: created?.Id }));
      expect((await errorOf(org.send(new O.DescribeOrganizationalUnitCommand({ OrganizationalUnitId: created?.Id })))).name).toBe('OrganizationalUnitNotFoundException');
    });

    it('refuses a duplicate OU name under the same parent, on create and on rename', async () => {
      const first = await createOu('Security');
      await createOu('Security', first); // the same name under another parent is fine
      expect((await errorOf(org.send(new O.CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Security' })))).name).toBe('DuplicateOrganizationalUnitException');
      const second = await createOu('Sandbox');
      expect((await errorOf(org.send(new O.UpdateOrganizationalUnitCommand({ OrganizationalUnitId: second, Name: 'Security' })))).name).toBe('DuplicateOrganizationalUnitException');
    });

    it('answers ParentNotFoundException for a missing parent', async () => {
      expect((await errorOf(org.send(new O.CreateOrganizationalUnitCommand({ ParentId: 'ou-abcd-12345678', Name: 'X' })))).name).toBe('ParentNotFoundException');
    });

    it('limits OU nesting to five levels (OU_DEPTH_LIMIT_EXCEEDED)', async () => {
      let parent = rootId;
      for (let depth = 1; depth <= 5; depth++) parent = await createOu(`Level${depth}`, parent);
      const error = await errorOf(org.send(new O.CreateOrganizationalUnitCommand({ ParentId: parent, Name: 'Level6' })));
      expect(error.name).toBe('ConstraintViolationException');
      expect(error.Reason).toBe('OU_DEPTH_LIMIT_EXCEEDED');
    });

    it('refuses to delete an OU that still holds accounts or OUs', async () => {
      const ou = await createOu('Parent');
      await createOu('Child', ou);
      expect((await errorOf(org.send(new O.DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ou })))).name).toBe('OrganizationalUnitNotEmptyException');
    });

    it('pages OUs 20 at a most, with NextToken, and the SDK paginator sees each exactly once', async () => {
      for (let i = 0; i < 25; i++) await createOu(`Team${i}`);
      const first = await org.send(new O.ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
      expect(first.OrganizationalUnits?.length).toBeLessThanOrEqual(20);
      expect(first.NextToken).toEqual(expect.any(String));
      const names: string[] = [];
      for await (const page of O.paginateListOrganizationalUnitsForParent({ client: org, pageSize: 7 }, { ParentId: rootId })) {
        expect(page.OrganizationalUnits?.length).toBeLessThanOrEqual(7);
        names.push(...(page.OrganizationalUnits ?? []).map((ou) => ou.Name as string));
      }
      expect(names.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `Team${i}`).sort());
    });

    it('refuses MaxResults above 20 and a NextToken it did not issue (InvalidInputException)', async () => {
      const tooMany = await errorOf(org.send(new O.ListRootsCommand({ MaxResults: 21 })));
      expect(tooMany.name).toBe('InvalidInputException');
      expect(tooMany.Reason).toBe('MAX_VALUE_EXCEEDED');
      const badToken = await errorOf(org.send(new O.ListRootsCommand({ NextToken: 'not-a-token' })));
      expect(badToken.name).toBe('InvalidInputException');
      expect(badToken.Reason).toBe('INVALID_NEXT_TOKEN');
    });

    it('lists children by type and the parent of a child', async () => {
      const ou = await createOu('Workloads');
      const account = await createAccount('web');
      await org.send(new O.MoveAccountCommand({ AccountId: account, SourceParentId: rootId, DestinationParentId: ou }));
      const ous = await org.send(new O.ListChildrenCommand({ ParentId: rootId, ChildType: 'ORGANIZATIONAL_UNIT' }));
      expect(ous.Children).toEqual([{ Id: ou, Type: 'ORGANIZATIONAL_UNIT' }]);
      const accounts = await org.send(new O.ListChildrenCommand({ ParentId: ou, ChildType: 'ACCOUNT' }));
      expect(accounts.Children).toEqual([{ Id: account, Type: 'ACCOUNT' }]);
      expect((await org.send(new O.ListParentsCommand({ ChildId: account }))).Parents).toEqual([{ Id: ou, Type: 'ORGANIZATIONAL_UNIT' }]);
      expect((await org.send(new O.ListParentsCommand({ ChildId: ou }))).Parents).toEqual([{ Id: rootId, Type: 'ROOT' }]);
      expect((await errorOf(org.send(new O.ListParentsCommand({ ChildId: '123456789012' })))).name).toBe('ChildNotFoundException');
      expect((await errorOf(org.send(new O.ListChildrenCommand({ ParentId: 'ou-zzzz-zzzzzzzz', ChildType: 'ACCOUNT' })))).name).toBe('ParentNotFoundException');
    });

    it('checks ChildType against its enum (InvalidInputException INVALID_ENUM)', async () => {
      const error = await errorOf(org.send(new O.ListChildrenCommand({ ParentId: rootId, ChildType: 'BUCKET' as O.ChildType })));
      expect(error.name).toBe('InvalidInputException');
      expect(error.Reason).toBe('INVALID_ENUM');
    });
  });

  describe('accounts', () => {
    it('creates an account: IN_PROGRESS at first, then SUCCEEDED with its id', async () => {
      const created = await org.send(new O.CreateAccountCommand({ Email: 'payments@example.com', AccountName: 'payments' }));
      expect(created.CreateAccountStatus).toEqual(expect.objectContaining({
        Id: expect.stringMatching(/^car-[a-z0-9]{8,32}$/), AccountName: 'payments', State: 'IN_PROGRESS', RequestedTimestamp: expect.any(Date),
      }));
      const status = await org.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus?.Id }));
      expect(status.CreateAccountStatus).toEqual(expect.objectContaining({ State: 'SUCCEEDED', AccountId: expect.stringMatching(/^\d{12}$/), CompletedTimestamp: expect.any(Date) }));
    });

    it('fails account creation with EMAIL_ALREADY_EXISTS for an e-mail already in the organization', async () => {
      const created = await org.send(new O.CreateAccountCommand({ Email: 'management@example.com', AccountName: 'dup' }));
      const status = await org.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus?.Id }));
      expect(status.CreateAccountStatus).toEqual(expect.objectContaining({ State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' }));
    });

    it('answers CreateAccountStatusNotFoundException for an unknown request id', async () => {
      const error = await errorOf(org.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: 'car-abcdefgh12345678' })));
      expect(error.name).toBe('CreateAccountStatusNotFoundException');
    });

    it('stops at the accounts-per-organization quota (ACCOUNT_NUMBER_LIMIT_EXCEEDED)', async () => {
      sandbox.fake.state.setQuota(MANAGEMENT, 'organizations.Accounts', 2);
      await createAccount('one');
      const error = await errorOf(org.send(new O.CreateAccountCommand({ Email: 'two@example.com', AccountName: 'two' })));
      expect(error.name).toBe('ConstraintViolationException');
      expect(error.Reason).toBe('ACCOUNT_NUMBER_LIMIT_EXCEEDED');
    });

    it('gives a new account OrganizationAccountAccessRole, assumable from the management account', async () => {
      const account = await createAccount('tooling');
      const sts = new STSClient(sandbox.client({ account: MANAGEMENT }));
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'admin' }));
      expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${account}:assumed-role/OrganizationAccountAccessRole/admin`);
    });

    it('describes and lists accounts with their state, joining method and date', async () => {
      const account = await createAccount('analytics');
      const { Account } = await org.send(new O.DescribeAccountCommand({ AccountId: account }));
      expect(Account).toEqual(expect.objectContaining({
        Id: account, Name: 'analytics', Email: 'analytics@example.com', Status: 'ACTIVE', State: 'ACTIVE', JoinedMethod: 'CREATED',
        JoinedTimestamp: expect.any(Date), Arn: expect.stringMatching(new RegExp(`^arn:aws:organizations::111111111111:account/o-[a-z0-9]+/${account}$`)),
      }));
      const listed = await org.send(new O.ListAccountsCommand({}));
      expect(listed.Accounts?.map((a) => a.Id).sort()).toEqual([MANAGEMENT, account].sort());
      const forRoot = await org.send(new O.ListAccountsForParentCommand({ ParentId: rootId }));
      expect(forRoot.Accounts?.map((a) => a.Id).sort()).toEqual([MANAGEMENT, account].sort());
      expect((await errorOf(org.send(new O.DescribeAccountCommand({ AccountId: '123456789012' })))).name).toBe('AccountNotFoundException');
      expect((await errorOf(org.send(new O.ListAccountsForParentCommand({ ParentId: 'ou-zzzz-zzzzzzzz' })))).name).toBe('ParentNotFoundException');
    });

    it('pages ListAccounts with NextToken, each account exactly once', async () => {
      for (let i = 0; i < 22; i++) sandbox.fake.organization?.addAccount({ id: String(200000000000 + i), name: `a${i}`, email: `a${i}@example.com`, parentId: rootId }, new Date());
      const seen: string[] = [];
      for await (const page of O.paginateListAccounts({ client: org }, {})) {
        expect(page.Accounts?.length).toBeLessThanOrEqual(20);
        seen.push(...(page.Accounts ?? []).map((a) => a.Id as string));
      }
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
    });

    it('moves an account and names the missing source or destination parent', async () => {
      const ou = await createOu('Pci');
      const account = await createAccount('payments');
      expect((await errorOf(org.send(new O.MoveAccountCommand({ AccountId: account, SourceParentId: 'ou-zzzz-zzzzzzzz', DestinationParentId: ou })))).name)
        .toBe('SourceParentNotFoundException');
      expect((await errorOf(org.send(new O.MoveAccountCommand({ AccountId: account, SourceParentId: rootId, DestinationParentId: 'ou-zzzz-zzzzzzzz' })))).name)
        .toBe('DestinationParentNotFoundException');
      expect((await errorOf(org.send(new O.MoveAccountCommand({ AccountId: '123456789012', SourceParentId: rootId, DestinationParentId: ou })))).name)
        .toBe('AccountNotFoundException');
      await org.send(new O.MoveAccountCommand({ AccountId: account, SourceParentId: rootId, DestinationParentId: ou }));
      expect((await org.send(new O.ListParentsCommand({ ChildId: account }))).Parents?.[0].Id).toBe(ou);
      expect((await errorOf(org.send(new O.MoveAccountCommand({ AccountId: account, SourceParentId: ou, DestinationParentId: ou })))).name)
        .toBe('DuplicateAccountException');
      expect((await errorOf(org.send(new O.MoveAccountCommand({ AccountId: account, SourceParentId: rootId, DestinationParentId: ou })))).name)
        .toBe('SourceParentNotFoundException');
    });

    it('removes a member account, but not the management account or a delegated administrator', async () => {
      const account = await createAccount('leaver');
      await org.send(new O.RemoveAccountFromOrganizationCommand({ AccountId: account }));
      expect((await errorOf(org.send(new O.DescribeAccountCommand({ AccountId: account })))).name).toBe('AccountNotFoundException');
      expect((await errorOf(org.send(new O.RemoveAccountFromOrganizationCommand({ AccountId: MANAGEMENT })))).name).toBe('MasterCannotLeaveOrganizationException');
      const admin = await createAccount('admin');
      await org.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'securityhub.amazonaws.com' }));
      await org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'securityhub.amazonaws.com' }));
      const error = await errorOf(org.send(new O.RemoveAccountFromOrganizationCommand({ AccountId: admin })));
      expect(error.name).toBe('ConstraintViolationException');
      expect(error.Reason).toBe('CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG');
    });
  });

  describe('policies', () => {
    it('lists FullAWSAccess as an AWS-managed SCP and creates, describes, updates and deletes an SCP', async () => {
      const listed = await org.send(new O.ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }));
      expect(listed.Policies).toContainEqual(expect.objectContaining({ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true, Type: 'SERVICE_CONTROL_POLICY' }));
      const created = await org.send(new O.CreatePolicyCommand({ Name: 'DenyRoot', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: scp() }));
      expect(created.Policy?.PolicySummary).toEqual(expect.objectContaining({
        Id: expect.stringMatching(/^p-[0-9a-zA-Z_]{8,128}$/), Name: 'DenyRoot', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: false,
        Arn: expect.stringMatching(/^arn:aws:organizations::111111111111:policy\/o-[a-z0-9]+\/service_control_policy\/p-[0-9a-z]+$/),
      }));
      const id = created.Policy?.PolicySummary?.Id;
      expect((await org.send(new O.DescribePolicyCommand({ PolicyId: id }))).Policy?.Content).toBe(scp());
      const updated = await org.send(new O.UpdatePolicyCommand({ PolicyId: id, Name: 'DenyRootUser', Content: scp({ Effect: 'Deny', Action: '*', Resource: '*' }) }));
      expect(updated.Policy?.PolicySummary?.Name).toBe('DenyRootUser');
      expect(updated.Policy?.Content).toContain('"Action":"*"');
      await org.send(new O.DeletePolicyCommand({ PolicyId: id }));
      expect((await errorOf(org.send(new O.DescribePolicyCommand({ PolicyId: id })))).name).toBe('PolicyNotFoundException');
    });

    it('refuses duplicate names, documents over 5,120 characters and malformed documents', async () => {
      await createPolicy('One');
      expect((await errorOf(org.send(new O.CreatePolicyCommand({ Name: 'One', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: scp() })))).name).toBe('DuplicatePolicyException');
      const big = scp({ Effect: 'Deny', Action: Array.from({ length: 400 }, (_, i) => `s3:Action${i}`), Resource: '*' });
      expect(big.length).toBeGreaterThan(5120);
      const tooBig = await errorOf(org.send(new O.CreatePolicyCommand({ Name: 'Big', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: big })));
      expect(tooBig.name).toBe('ConstraintViolationException');
      expect(tooBig.Reason).toBe('POLICY_CONTENT_LIMIT_EXCEEDED');
      expect((await errorOf(org.send(new O.CreatePolicyCommand({ Name: 'Bad', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: '{not json' })))).name)
        .toBe('MalformedPolicyDocumentException');
    });

    it('refuses to change or delete an AWS-managed policy (IMMUTABLE_POLICY)', async () => {
      const update = await errorOf(org.send(new O.UpdatePolicyCommand({ PolicyId: 'p-FullAWSAccess', Name: 'Mine' })));
      expect(update.name).toBe('InvalidInputException');
      expect(update.Reason).toBe('IMMUTABLE_POLICY');
      expect((await errorOf(org.send(new O.DeletePolicyCommand({ PolicyId: 'p-FullAWSAccess' })))).name).toBe('InvalidInputException');
    });

    it('attaches FullAWSAccess to new OUs and accounts, and allows five SCPs per target', async () => {
      const ou = await createOu('Pci');
      const attached = await org.send(new O.ListPoliciesForTargetCommand({ TargetId: ou, Filter: 'SERVICE_CONTROL_POLICY' }));
      expect(attached.Policies?.map((p) => p.Id)).toEqual(['p-FullAWSAccess']);
      for (let i = 0; i < 4; i++) await org.send(new O.AttachPolicyCommand({ PolicyId: await createPolicy(`Guard${i}`), TargetId: ou }));
      const sixth = await createPolicy('Guard4');
      const error = await errorOf(org.send(new O.AttachPolicyCommand({ PolicyId: sixth, TargetId: ou })));
      expect(error.name).toBe('ConstraintViolationException');
      expect(error.Reason).toBe('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
    });

    it('answers the attachment errors the reference lists', async () => {
      const ou = await createOu('Sandbox');
      const policy = await createPolicy('Guard');
      await org.send(new O.AttachPolicyCommand({ PolicyId: policy, TargetId: ou }));
      expect((await errorOf(org.send(new O.AttachPolicyCommand({ PolicyId: policy, TargetId: ou })))).name).toBe('DuplicatePolicyAttachmentException');
      expect((await errorOf(org.send(new O.AttachPolicyCommand({ PolicyId: policy, TargetId: 'ou-zzzz-zzzzzzzz' })))).name).toBe('TargetNotFoundException');
      expect((await errorOf(org.send(new O.AttachPolicyCommand({ PolicyId: 'p-12345678', TargetId: ou })))).name).toBe('PolicyNotFoundException');
      expect((await errorOf(org.send(new O.DeletePolicyCommand({ PolicyId: policy })))).name).toBe('PolicyInUseException');
      const other = await createPolicy('Other');
      expect((await errorOf(org.send(new O.DetachPolicyCommand({ PolicyId: other, TargetId: ou })))).name).toBe('PolicyNotAttachedException');
      await org.send(new O.DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: ou }));
      const last = await errorOf(org.send(new O.DetachPolicyCommand({ PolicyId: policy, TargetId: ou })));
      expect(last.name).toBe('ConstraintViolationException');
      expect(last.Reason).toBe('MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
    });

    it('lists the targets of a policy with their type, name and ARN', async () => {
      const ou = await createOu('Workloads');
      const policy = await createPolicy('Guard');
      await org.send(new O.AttachPolicyCommand({ PolicyId: policy, TargetId: ou }));
      await org.send(new O.AttachPolicyCommand({ PolicyId: policy, TargetId: rootId }));
      const { Targets } = await org.send(new O.ListTargetsForPolicyCommand({ PolicyId: policy }));
      expect(Targets).toEqual(expect.arrayContaining([
        expect.objectContaining({ TargetId: ou, Type: 'ORGANIZATIONAL_UNIT', Name: 'Workloads', Arn: expect.stringContaining(`:ou/`) }),
        expect.objectContaining({ TargetId: rootId, Type: 'ROOT', Name: 'Root', Arn: expect.stringContaining(':root/') }),
      ]));
      expect((await errorOf(org.send(new O.ListTargetsForPolicyCommand({ PolicyId: 'p-12345678' })))).name).toBe('PolicyNotFoundException');
      expect((await errorOf(org.send(new O.ListPoliciesForTargetCommand({ TargetId: '123456789012', Filter: 'SERVICE_CONTROL_POLICY' })))).name).toBe('TargetNotFoundException');
    });

    it('disables a policy type (detaching its policies) and enables it again (FullAWSAccess everywhere)', async () => {
      const ou = await createOu('Workloads');
      const disabled = await org.send(new O.DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
      expect(disabled.Root?.PolicyTypes).toEqual([]);
      expect((await errorOf(org.send(new O.AttachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: ou })))).name).toBe('PolicyTypeNotEnabledException');
      expect((await errorOf(org.send(new O.DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' })))).name).toBe('PolicyTypeNotEnabledException');
      const enabled = await org.send(new O.EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
      expect(enabled.Root?.PolicyTypes).toEqual([{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
      expect((await org.send(new O.ListPoliciesForTargetCommand({ TargetId: ou, Filter: 'SERVICE_CONTROL_POLICY' }))).Policies?.map((p) => p.Id)).toEqual(['p-FullAWSAccess']);
      expect((await errorOf(org.send(new O.EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' })))).name).toBe('PolicyTypeAlreadyEnabledException');
      expect((await errorOf(org.send(new O.EnablePolicyTypeCommand({ RootId: 'r-zzzz', PolicyType: 'TAG_POLICY' })))).name).toBe('RootNotFoundException');
    });
  });

  describe('trusted access and delegated administrators', () => {
    it('enables, lists and disables trusted access; refuses an unknown service principal', async () => {
      await org.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'securityhub.amazonaws.com' }));
      const listed = await org.send(new O.ListAWSServiceAccessForOrganizationCommand({}));
      expect(listed.EnabledServicePrincipals).toEqual([{ ServicePrincipal: 'securityhub.amazonaws.com', DateEnabled: expect.any(Date) }]);
      await org.send(new O.DisableAWSServiceAccessCommand({ ServicePrincipal: 'securityhub.amazonaws.com' }));
      expect((await org.send(new O.ListAWSServiceAccessForOrganizationCommand({}))).EnabledServicePrincipals).toEqual([]);
      const unknown = await errorOf(org.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'nothing.amazonaws.com' })));
      expect(unknown.name).toBe('InvalidInputException');
      expect(unknown.Reason).toBe('UNRECOGNIZED_SERVICE_PRINCIPAL');
    });

    it('registers a delegated administrator only after trusted access, and only a member account', async () => {
      const admin = await createAccount('security');
      const early = await errorOf(org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'securityhub.amazonaws.com' })));
      expect(early.name).toBe('ConstraintViolationException');
      expect(early.Reason).toBe('SERVICE_ACCESS_NOT_ENABLED');
      await org.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'securityhub.amazonaws.com' }));
      const management = await errorOf(org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: MANAGEMENT, ServicePrincipal: 'securityhub.amazonaws.com' })));
      expect(management.Reason).toBe('CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR');
      await org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'securityhub.amazonaws.com' }));
      expect((await errorOf(org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'securityhub.amazonaws.com' })))).name)
        .toBe('AccountAlreadyRegisteredException');
      const second = await createAccount('second');
      const limit = await errorOf(org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: second, ServicePrincipal: 'securityhub.amazonaws.com' })));
      expect(limit.Reason).toBe('MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED');
    });

    it('lists delegated administrators and their services; deregisters', async () => {
      const admin = await createAccount('security');
      for (const principal of ['securityhub.amazonaws.com', 'access-analyzer.amazonaws.com']) {
        await org.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: principal }));
        await org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: principal }));
      }
      const all = await org.send(new O.ListDelegatedAdministratorsCommand({}));
      expect(all.DelegatedAdministrators).toEqual([expect.objectContaining({ Id: admin, Name: 'security', State: 'ACTIVE', DelegationEnabledDate: expect.any(Date) })]);
      const services = await org.send(new O.ListDelegatedServicesForAccountCommand({ AccountId: admin }));
      expect(services.DelegatedServices?.map((s) => s.ServicePrincipal).sort()).toEqual(['access-analyzer.amazonaws.com', 'securityhub.amazonaws.com']);
      await org.send(new O.DeregisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'securityhub.amazonaws.com' }));
      expect((await org.send(new O.ListDelegatedAdministratorsCommand({ ServicePrincipal: 'securityhub.amazonaws.com' }))).DelegatedAdministrators).toEqual([]);
      expect((await errorOf(org.send(new O.DeregisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'securityhub.amazonaws.com' })))).name)
        .toBe('AccountNotRegisteredException');
      const other = await createAccount('other');
      expect((await errorOf(org.send(new O.ListDelegatedServicesForAccountCommand({ AccountId: other })))).name).toBe('AccountNotRegisteredException');
    });

    it('lets a delegated administrator read the organization but not change it; other members neither', async () => {
      const admin = await createAccount('security');
      const member = await createAccount('member');
      await org.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'securityhub.amazonaws.com' }));
      await org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'securityhub.amazonaws.com' }));
      const asAdmin = new O.OrganizationsClient(sandbox.client({ account: admin }));
      expect((await asAdmin.send(new O.ListAccountsCommand({}))).Accounts).toHaveLength(3);
      expect((await errorOf(asAdmin.send(new O.CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'X' })))).name).toBe('AccessDeniedException');
      const asMember = new O.OrganizationsClient(sandbox.client({ account: member }));
      expect((await errorOf(asMember.send(new O.ListAccountsCommand({})))).name).toBe('AccessDeniedException');
    });
  });

  describe('tags', () => {
    it('tags, lists and untags accounts, OUs, policies and the root', async () => {
      const account = await createAccount('tagged');
      const ou = await createOu('Tagged');
      const policy = await createPolicy('Tagged');
      for (const id of [account, ou, policy, rootId]) {
        await org.send(new O.TagResourceCommand({ ResourceId: id, Tags: [{ Key: 'owner', Value: 'platform' }, { Key: 'tier', Value: '1' }] }));
        await org.send(new O.UntagResourceCommand({ ResourceId: id, TagKeys: ['tier'] }));
        expect((await org.send(new O.ListTagsForResourceCommand({ ResourceId: id }))).Tags).toEqual([{ Key: 'owner', Value: 'platform' }]);
      }
      expect((await errorOf(org.send(new O.ListTagsForResourceCommand({ ResourceId: '123456789012' })))).name).toBe('TargetNotFoundException');
      const duplicate = await errorOf(org.send(new O.TagResourceCommand({ ResourceId: ou, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })));
      expect(duplicate.Reason).toBe('DUPLICATE_TAG_KEY');
    });
  });
});
