import * as O from '@aws-sdk/client-organizations';
import * as SH from '@aws-sdk/client-securityhub';
import { setControlEvaluation } from '../../sandbox/state/securityHub';
import { ACCOUNTS, openSecurityOrganization, type SecurityOrganization } from './securityOrganization';
import { errorOf, TRANSPORTS } from './transports';

const HOME = 'us-east-1';
const LINKED = 'us-west-2';
const PCI = `arn:aws:securityhub:${HOME}::standards/pci-dss/v/4.0.1`;
const FSBP = `arn:aws:securityhub:${HOME}::standards/aws-foundational-security-best-practices/v/1.0.0`;
const subscription = (account: string, standard: string, region = HOME) => `arn:aws:securityhub:${region}:${account}:subscription/${standard}`;

/** Written from the AWS Security Hub API reference; each test names the behaviour it checks. */
describe.each(TRANSPORTS)('Security Hub conformance (%s)', (transport) => {
  let sandbox: SecurityOrganization;
  const hub = (account: string, region = HOME) => new SH.SecurityHubClient(sandbox.client({ account, region }));

  beforeEach(async () => {
    sandbox = await openSecurityOrganization(transport);
  });
  afterEach(() => sandbox.close());

  /** The delegated administrator with an aggregator and central configuration on, as Rampart's SecurityHubStack leaves it. */
  async function central(): Promise<{ pciPolicy: string; baseline: string }> {
    await hub(ACCOUNTS.management).send(new SH.EnableOrganizationAdminAccountCommand({ AdminAccountId: ACCOUNTS.admin }));
    const admin = hub(ACCOUNTS.admin);
    await admin.send(new SH.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    await admin.send(new SH.CreateFindingAggregatorCommand({ RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: [LINKED] }));
    await admin.send(new SH.UpdateOrganizationConfigurationCommand({ AutoEnable: false, AutoEnableStandards: 'NONE', OrganizationConfiguration: { ConfigurationType: 'CENTRAL' } }));
    const policy = (name: string, standards: string[], disabled: string[]) => admin.send(new SH.CreateConfigurationPolicyCommand({
      Name: name, ConfigurationPolicy: { SecurityHub: { ServiceEnabled: true, EnabledStandardIdentifiers: standards, SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: disabled } } },
    }));
    const pciPolicy = (await policy('pci', [PCI, FSBP], ['Macie.1'])).Id as string;
    const baseline = (await policy('baseline', [FSBP], [])).Id as string;
    await admin.send(new SH.StartConfigurationPolicyAssociationCommand({ ConfigurationPolicyIdentifier: pciPolicy, Target: { OrganizationalUnitId: sandbox.ous.pci } }));
    for (const ou of [sandbox.ous.security, sandbox.ous.nonPci]) {
      await admin.send(new SH.StartConfigurationPolicyAssociationCommand({ ConfigurationPolicyIdentifier: baseline, Target: { OrganizationalUnitId: ou } }));
    }
    return { pciPolicy, baseline };
  }

  describe('EnableSecurityHub, DescribeHub, DisableSecurityHub', () => {
    it('enables the hub with the default standards and describes it', async () => {
      await hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({}));
      const described = await hub(ACCOUNTS.web).send(new SH.DescribeHubCommand({}));
      expect(described).toEqual(expect.objectContaining({
        HubArn: `arn:aws:securityhub:${HOME}:${ACCOUNTS.web}:hub/default`, SubscribedAt: '2026-06-01T00:00:00.000Z',
        AutoEnableControls: true, ControlFindingGenerator: 'SECURITY_CONTROL',
      }));
      const enabled = await hub(ACCOUNTS.web).send(new SH.GetEnabledStandardsCommand({}));
      expect(enabled.StandardsSubscriptions?.map((s) => s.StandardsArn)).toEqual([FSBP]);
    });

    it('answers ResourceConflictException to a second EnableSecurityHub', async () => {
      await hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
      const error = await errorOf(hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({})));
      expect(error.name).toBe('ResourceConflictException');
      expect(error.$metadata?.httpStatusCode).toBe(409);
    });

    it('answers InvalidAccessException (401) in an account or Region where the hub is not enabled', async () => {
      await hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({}));
      const error = await errorOf(hub(ACCOUNTS.web, 'eu-west-1').send(new SH.DescribeHubCommand({})));
      expect(error.name).toBe('InvalidAccessException');
      expect(error.$metadata?.httpStatusCode).toBe(401);
      expect(error.message).toContain(`Account ${ACCOUNTS.web} is not subscribed to AWS Security Hub`);
    });

    it('disables the hub, after which its calls answer InvalidAccessException', async () => {
      await hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({}));
      await hub(ACCOUNTS.web).send(new SH.DisableSecurityHubCommand({}));
      expect((await errorOf(hub(ACCOUNTS.web).send(new SH.GetEnabledStandardsCommand({})))).name).toBe('InvalidAccessException');
    });

    it('refuses an unknown HubArn with ResourceNotFoundException', async () => {
      await hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({}));
      const error = await errorOf(hub(ACCOUNTS.web).send(new SH.DescribeHubCommand({ HubArn: `arn:aws:securityhub:${HOME}:999999999999:hub/default` })));
      expect(error.name).toBe('ResourceNotFoundException');
    });
  });

  describe('organization administrator', () => {
    it('designates the delegated administrator from the management account only', async () => {
      expect((await errorOf(hub(ACCOUNTS.web).send(new SH.EnableOrganizationAdminAccountCommand({ AdminAccountId: ACCOUNTS.admin })))).name).toBe('AccessDeniedException');
      const out = await hub(ACCOUNTS.management).send(new SH.EnableOrganizationAdminAccountCommand({ AdminAccountId: ACCOUNTS.admin }));
      expect(out).toEqual(expect.objectContaining({ AdminAccountId: ACCOUNTS.admin }));
      const admins = await hub(ACCOUNTS.management).send(new SH.ListOrganizationAdminAccountsCommand({}));
      expect(admins.AdminAccounts).toEqual([{ AccountId: ACCOUNTS.admin, Status: 'ENABLED' }]);
      const orgs = new O.OrganizationsClient(sandbox.client({ account: ACCOUNTS.management }));
      const delegated = await orgs.send(new O.ListDelegatedAdministratorsCommand({ ServicePrincipal: 'securityhub.amazonaws.com' }));
      expect(delegated.DelegatedAdministrators?.map((a) => a.Id)).toEqual([ACCOUNTS.admin]);
      expect((await errorOf(hub(ACCOUNTS.management).send(new SH.EnableOrganizationAdminAccountCommand({ AdminAccountId: ACCOUNTS.web })))).name).toBe('InvalidInputException');
    });

    it('lets only the administrator describe and update the organization configuration', async () => {
      await hub(ACCOUNTS.management).send(new SH.EnableOrganizationAdminAccountCommand({ AdminAccountId: ACCOUNTS.admin }));
      await hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({}));
      expect((await errorOf(hub(ACCOUNTS.web).send(new SH.DescribeOrganizationConfigurationCommand({})))).name).toBe('AccessDeniedException');
      await hub(ACCOUNTS.admin).send(new SH.EnableSecurityHubCommand({}));
      const local = await hub(ACCOUNTS.admin).send(new SH.DescribeOrganizationConfigurationCommand({}));
      expect(local).toEqual(expect.objectContaining({ AutoEnable: false, MemberAccountLimitReached: false, OrganizationConfiguration: { ConfigurationType: 'LOCAL', Status: 'ENABLED' } }));
      await hub(ACCOUNTS.admin).send(new SH.UpdateOrganizationConfigurationCommand({ AutoEnable: true, AutoEnableStandards: 'DEFAULT' }));
      expect((await hub(ACCOUNTS.admin).send(new SH.DescribeOrganizationConfigurationCommand({}))).AutoEnable).toBe(true);
    });

    it('turns on central configuration only with an aggregator in the home Region, AutoEnable false and AutoEnableStandards NONE', async () => {
      await hub(ACCOUNTS.management).send(new SH.EnableOrganizationAdminAccountCommand({ AdminAccountId: ACCOUNTS.admin }));
      const admin = hub(ACCOUNTS.admin);
      await admin.send(new SH.EnableSecurityHubCommand({}));
      const central = { OrganizationConfiguration: { ConfigurationType: 'CENTRAL' as const } };
      expect((await errorOf(admin.send(new SH.UpdateOrganizationConfigurationCommand({ AutoEnable: false, AutoEnableStandards: 'NONE', ...central })))).name).toBe('InvalidInputException');
      await admin.send(new SH.CreateFindingAggregatorCommand({ RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: [LINKED] }));
      expect((await errorOf(admin.send(new SH.UpdateOrganizationConfigurationCommand({ AutoEnable: true, AutoEnableStandards: 'NONE', ...central })))).name).toBe('InvalidInputException');
      await admin.send(new SH.UpdateOrganizationConfigurationCommand({ AutoEnable: false, AutoEnableStandards: 'NONE', ...central }));
      const described = await admin.send(new SH.DescribeOrganizationConfigurationCommand({}));
      expect(described).toEqual(expect.objectContaining({ AutoEnable: false, AutoEnableStandards: 'NONE', OrganizationConfiguration: { ConfigurationType: 'CENTRAL', Status: 'ENABLED' } }));
    });

    it('lists members with their status and tells a member its administrator', async () => {
      await central();
      const members = await hub(ACCOUNTS.admin).send(new SH.ListMembersCommand({}));
      expect(members.Members?.map((m) => m.AccountId).sort()).toEqual([ACCOUNTS.log, ACCOUNTS.pci1, ACCOUNTS.pci2, ACCOUNTS.web].sort());
      expect(members.Members?.[0]).toEqual(expect.objectContaining({ AdministratorId: ACCOUNTS.admin, MemberStatus: 'Enabled', InvitedAt: expect.any(Date) }));
      const all = await hub(ACCOUNTS.admin).send(new SH.ListMembersCommand({ OnlyAssociated: false }));
      expect(all.Members?.map((m) => m.AccountId)).toContain(ACCOUNTS.management);
      const paged = await hub(ACCOUNTS.admin).send(new SH.ListMembersCommand({ MaxResults: 2 }));
      expect(paged.Members).toHaveLength(2);
      expect(paged.NextToken).toEqual(expect.any(String));
      const administrator = await hub(ACCOUNTS.pci1).send(new SH.GetAdministratorAccountCommand({}));
      expect(administrator.Administrator).toEqual(expect.objectContaining({ AccountId: ACCOUNTS.admin, MemberStatus: 'Enabled' }));
      expect((await hub(ACCOUNTS.pci1).send(new SH.ListMembersCommand({}))).Members).toEqual([]);
    });
  });

  describe('standards and controls', () => {
    beforeEach(async () => {
      await hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    });

    it('describes the standards catalogue with NextToken pagination', async () => {
      const first = await hub(ACCOUNTS.web).send(new SH.DescribeStandardsCommand({ MaxResults: 2 }));
      expect(first.Standards).toHaveLength(2);
      let all: SH.Standard[] = [];
      for await (const page of SH.paginateDescribeStandards({ client: hub(ACCOUNTS.web), pageSize: 2 }, {})) all = all.concat(page.Standards ?? []);
      expect(all.map((s) => s.StandardsArn)).toEqual(expect.arrayContaining([PCI, FSBP, `arn:aws:securityhub:${HOME}::standards/cis-aws-foundations-benchmark/v/3.0.0`, `arn:aws:securityhub:${HOME}::standards/nist-800-53/v/5.0.0`]));
      expect(all.find((s) => s.StandardsArn === FSBP)).toEqual(expect.objectContaining({ EnabledByDefault: true, StandardsManagedBy: { Company: 'AWS', Product: 'Security Hub' } }));
      expect((await errorOf(hub(ACCOUNTS.web).send(new SH.DescribeStandardsCommand({ NextToken: 'not-a-token' })))).name).toBe('InvalidInputException');
    });

    it('enables (PENDING, then READY) and disables (DELETING) standards', async () => {
      const enabled = await hub(ACCOUNTS.web).send(new SH.BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: PCI }] }));
      expect(enabled.StandardsSubscriptions).toEqual([expect.objectContaining({
        StandardsArn: PCI, StandardsSubscriptionArn: subscription(ACCOUNTS.web, 'pci-dss/v/4.0.1'), StandardsStatus: 'PENDING',
      })]);
      const got = await hub(ACCOUNTS.web).send(new SH.GetEnabledStandardsCommand({}));
      expect(got.StandardsSubscriptions).toEqual([expect.objectContaining({ StandardsArn: PCI, StandardsStatus: 'READY', StandardsControlsUpdatable: 'READY_FOR_UPDATES' })]);
      const disabled = await hub(ACCOUNTS.web).send(new SH.BatchDisableStandardsCommand({ StandardsSubscriptionArns: [subscription(ACCOUNTS.web, 'pci-dss/v/4.0.1')] }));
      expect(disabled.StandardsSubscriptions?.[0].StandardsStatus).toBe('DELETING');
      expect((await hub(ACCOUNTS.web).send(new SH.GetEnabledStandardsCommand({}))).StandardsSubscriptions).toEqual([]);
    });

    it('refuses unknown standards, standards of another Region and subscriptions that are not enabled', async () => {
      const bad = (StandardsArn: string) => errorOf(hub(ACCOUNTS.web).send(new SH.BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn }] })));
      expect((await bad(`arn:aws:securityhub:${HOME}::standards/no-such/v/1.0.0`)).name).toBe('InvalidInputException');
      expect((await bad(`arn:aws:securityhub:${LINKED}::standards/pci-dss/v/4.0.1`)).name).toBe('InvalidInputException');
      const disable = await errorOf(hub(ACCOUNTS.web).send(new SH.BatchDisableStandardsCommand({ StandardsSubscriptionArns: [subscription(ACCOUNTS.web, 'pci-dss/v/4.0.1')] })));
      expect(disable.name).toBe('InvalidInputException');
      expect((await errorOf(hub(ACCOUNTS.web).send(new SH.BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [] })))).name).toBe('InvalidInputException');
    });

    it('lists a control\'s association in each enabled standard, with PCI DSS related requirements', async () => {
      await hub(ACCOUNTS.web).send(new SH.BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: PCI }, { StandardsArn: FSBP }] }));
      const listed = await hub(ACCOUNTS.web).send(new SH.ListStandardsControlAssociationsCommand({ SecurityControlId: 'IAM.3' }));
      expect(listed.StandardsControlAssociationSummaries?.map((s) => s.StandardsArn).sort()).toEqual([FSBP, PCI]);
      const pci = listed.StandardsControlAssociationSummaries?.find((s) => s.StandardsArn === PCI);
      expect(pci).toEqual(expect.objectContaining({
        SecurityControlId: 'IAM.3', SecurityControlArn: `arn:aws:securityhub:${HOME}:${ACCOUNTS.web}:security-control/IAM.3`, AssociationStatus: 'ENABLED',
        RelatedRequirements: ['PCI DSS v4.0.1/8.3.9', 'PCI DSS v4.0.1/8.6.3'],
      }));
      expect((await errorOf(hub(ACCOUNTS.web).send(new SH.ListStandardsControlAssociationsCommand({ SecurityControlId: 'Nope.1' })))).name).toBe('InvalidInputException');
    });

    it('gets associations in batch, reporting unknown or not-enabled ones as unprocessed', async () => {
      await hub(ACCOUNTS.web).send(new SH.BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: PCI }] }));
      const out = await hub(ACCOUNTS.web).send(new SH.BatchGetStandardsControlAssociationsCommand({
        StandardsControlAssociationIds: [
          { SecurityControlId: 'S3.5', StandardsArn: PCI }, { SecurityControlId: 'S3.5', StandardsArn: FSBP }, { SecurityControlId: 'Nope.9', StandardsArn: PCI },
        ],
      }));
      expect(out.StandardsControlAssociationDetails).toEqual([expect.objectContaining({ SecurityControlId: 'S3.5', StandardsArn: PCI, AssociationStatus: 'ENABLED' })]);
      expect(out.UnprocessedAssociations?.map((u) => u.ErrorCode)).toEqual(['RESOURCE_NOT_FOUND', 'INVALID_INPUT']);
    });

    it('disables a control in one standard with a reason; its finding is archived once disabled in every enabled standard', async () => {
      await hub(ACCOUNTS.web).send(new SH.BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: PCI }] }));
      const noReason = await hub(ACCOUNTS.web).send(new SH.BatchUpdateStandardsControlAssociationsCommand({
        StandardsControlAssociationUpdates: [{ StandardsArn: PCI, SecurityControlId: 'CloudTrail.2', AssociationStatus: 'DISABLED' }],
      }));
      expect(noReason.UnprocessedAssociationUpdates?.[0].ErrorCode).toBe('INVALID_INPUT');
      const done = await hub(ACCOUNTS.web).send(new SH.BatchUpdateStandardsControlAssociationsCommand({
        StandardsControlAssociationUpdates: [{ StandardsArn: PCI, SecurityControlId: 'CloudTrail.2', AssociationStatus: 'DISABLED', UpdatedReason: 'Trail encrypted by the log archive key' }],
      }));
      expect(done.UnprocessedAssociationUpdates).toEqual([]);
      const listed = await hub(ACCOUNTS.web).send(new SH.ListStandardsControlAssociationsCommand({ SecurityControlId: 'CloudTrail.2' }));
      expect(listed.StandardsControlAssociationSummaries?.[0]).toEqual(expect.objectContaining({ AssociationStatus: 'DISABLED', UpdatedReason: 'Trail encrypted by the log archive key' }));
      const finding = await hub(ACCOUNTS.web).send(new SH.GetFindingsCommand({ Filters: { ComplianceSecurityControlId: [{ Value: 'CloudTrail.2', Comparison: 'EQUALS' }] } }));
      expect(finding.Findings?.map((f) => f.RecordState)).toEqual(['ARCHIVED']);
    });

    it('lists the control definitions of a standard: all 142 PCI DSS v4.0.1 controls over two pages', async () => {
      const first = await hub(ACCOUNTS.web).send(new SH.ListSecurityControlDefinitionsCommand({ StandardsArn: PCI }));
      expect(first.SecurityControlDefinitions).toHaveLength(100);
      const second = await hub(ACCOUNTS.web).send(new SH.ListSecurityControlDefinitionsCommand({ StandardsArn: PCI, NextToken: first.NextToken }));
      expect(second.SecurityControlDefinitions).toHaveLength(42);
      expect(second.NextToken).toBeUndefined();
      expect(first.SecurityControlDefinitions?.[0]).toEqual(expect.objectContaining({
        SecurityControlId: 'ACM.1', SeverityRating: 'MEDIUM', CurrentRegionAvailability: 'AVAILABLE', RemediationUrl: expect.stringContaining('ACM.1'),
      }));
    });
  });

  describe('central configuration', () => {
    it('creates, gets (by id or ARN), lists, updates and deletes configuration policies', async () => {
      const { pciPolicy } = await central();
      const admin = hub(ACCOUNTS.admin);
      const got = await admin.send(new SH.GetConfigurationPolicyCommand({ Identifier: pciPolicy }));
      expect(got).toEqual(expect.objectContaining({
        Id: expect.stringMatching(/^[0-9a-f-]{36}$/), Arn: `arn:aws:securityhub:${HOME}:${ACCOUNTS.admin}:configuration-policy/${pciPolicy}`, Name: 'pci',
        ConfigurationPolicy: { SecurityHub: { ServiceEnabled: true, EnabledStandardIdentifiers: [PCI, FSBP], SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: ['Macie.1'], SecurityControlCustomParameters: [] } } },
      }));
      expect((await admin.send(new SH.GetConfigurationPolicyCommand({ Identifier: got.Arn }))).Id).toBe(pciPolicy);
      const listed = await admin.send(new SH.ListConfigurationPoliciesCommand({}));
      expect(listed.ConfigurationPolicySummaries?.map((p) => [p.Name, p.ServiceEnabled])).toEqual([['pci', true], ['baseline', true]]);
      const renamed = await admin.send(new SH.UpdateConfigurationPolicyCommand({ Identifier: pciPolicy, Description: 'cardholder accounts' }));
      expect(renamed.Description).toBe('cardholder accounts');
      expect((await errorOf(admin.send(new SH.UpdateConfigurationPolicyCommand({ Identifier: pciPolicy, Name: 'baseline' })))).name).toBe('ResourceConflictException');
      expect((await errorOf(admin.send(new SH.DeleteConfigurationPolicyCommand({ Identifier: pciPolicy })))).name).toBe('ResourceConflictException');
      await admin.send(new SH.StartConfigurationPolicyDisassociationCommand({ ConfigurationPolicyIdentifier: pciPolicy, Target: { OrganizationalUnitId: sandbox.ous.pci } }));
      await admin.send(new SH.DeleteConfigurationPolicyCommand({ Identifier: pciPolicy }));
      expect((await errorOf(admin.send(new SH.GetConfigurationPolicyCommand({ Identifier: pciPolicy })))).name).toBe('ResourceNotFoundException');
    });

    it('refuses policies that name both enabled and disabled controls, unknown controls or a missing ServiceEnabled', async () => {
      await central();
      const create = (SecurityHub: SH.SecurityHubPolicy) => errorOf(hub(ACCOUNTS.admin).send(new SH.CreateConfigurationPolicyCommand({ Name: 'x', ConfigurationPolicy: { SecurityHub } })));
      expect((await create({ ServiceEnabled: true, EnabledStandardIdentifiers: [PCI], SecurityControlsConfiguration: { EnabledSecurityControlIdentifiers: ['S3.5'], DisabledSecurityControlIdentifiers: ['S3.1'] } })).name).toBe('InvalidInputException');
      expect((await create({ ServiceEnabled: true, EnabledStandardIdentifiers: [PCI], SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: ['Nope.1'] } })).name).toBe('InvalidInputException');
      expect((await create({ EnabledStandardIdentifiers: [PCI] })).name).toBe('InvalidInputException');
      expect((await create({ ServiceEnabled: false, EnabledStandardIdentifiers: [PCI] })).name).toBe('InvalidInputException');
    });

    it('lets only the delegated administrator, in the home Region, manage policies and associations', async () => {
      const { pciPolicy } = await central();
      expect((await errorOf(hub(ACCOUNTS.pci1).send(new SH.ListConfigurationPoliciesCommand({})))).name).toBe('AccessDeniedException');
      expect((await errorOf(hub(ACCOUNTS.admin, LINKED).send(new SH.GetConfigurationPolicyCommand({ Identifier: pciPolicy })))).name).toBe('AccessDeniedException');
      expect((await errorOf(hub(ACCOUNTS.pci1).send(new SH.ListConfigurationPolicyAssociationsCommand({})))).name).toBe('AccessDeniedException');
    });

    it('applies a policy associated with an OU to its accounts in the home and linked Regions', async () => {
      await central();
      for (const region of [HOME, LINKED]) {
        const enabled = await hub(ACCOUNTS.pci1, region).send(new SH.GetEnabledStandardsCommand({}));
        expect(enabled.StandardsSubscriptions?.map((s) => s.StandardsArn).sort()).toEqual([
          `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`, `arn:aws:securityhub:${region}::standards/pci-dss/v/4.0.1`,
        ]);
      }
      const macie = await hub(ACCOUNTS.pci1).send(new SH.ListStandardsControlAssociationsCommand({ SecurityControlId: 'Macie.1' }));
      expect(macie.StandardsControlAssociationSummaries?.map((s) => s.AssociationStatus)).toEqual(['DISABLED']);
      const web = await hub(ACCOUNTS.web).send(new SH.GetEnabledStandardsCommand({}));
      expect(web.StandardsSubscriptions?.map((s) => s.StandardsArn)).toEqual([FSBP]);
      expect((await errorOf(hub(ACCOUNTS.management).send(new SH.DescribeHubCommand({})))).name).toBe('InvalidAccessException');
      expect((await errorOf(hub(ACCOUNTS.pci1, 'eu-west-1').send(new SH.DescribeHubCommand({})))).name).toBe('InvalidAccessException');
    });

    it('refuses changes a centrally managed account makes to its own settings', async () => {
      await central();
      const error = await errorOf(hub(ACCOUNTS.pci1).send(new SH.BatchDisableStandardsCommand({ StandardsSubscriptionArns: [subscription(ACCOUNTS.pci1, 'pci-dss/v/4.0.1')] })));
      expect(error.name).toBe('AccessDeniedException');
      const update = await hub(ACCOUNTS.pci1).send(new SH.BatchUpdateStandardsControlAssociationsCommand({
        StandardsControlAssociationUpdates: [{ StandardsArn: PCI, SecurityControlId: 'S3.5', AssociationStatus: 'DISABLED', UpdatedReason: 'no' }],
      }));
      expect(update.UnprocessedAssociationUpdates?.[0].ErrorCode).toBe('ACCESS_DENIED');
      expect((await errorOf(hub(ACCOUNTS.pci1).send(new SH.DisableSecurityHubCommand({})))).name).toBe('AccessDeniedException');
    });

    it('reports direct (APPLIED) and inherited (INHERITED) associations, and lets an account-level SELF_MANAGED association override the OU', async () => {
      const { pciPolicy } = await central();
      const admin = hub(ACCOUNTS.admin);
      const inherited = await admin.send(new SH.GetConfigurationPolicyAssociationCommand({ Target: { AccountId: ACCOUNTS.pci1 } }));
      expect(inherited).toEqual(expect.objectContaining({ ConfigurationPolicyId: pciPolicy, TargetId: ACCOUNTS.pci1, TargetType: 'ACCOUNT', AssociationType: 'INHERITED', AssociationStatus: 'SUCCESS' }));
      const started = await admin.send(new SH.StartConfigurationPolicyAssociationCommand({ ConfigurationPolicyIdentifier: 'SELF_MANAGED_SECURITY_HUB', Target: { AccountId: ACCOUNTS.pci1 } }));
      expect(started).toEqual(expect.objectContaining({ ConfigurationPolicyId: 'SELF_MANAGED_SECURITY_HUB', AssociationType: 'APPLIED', AssociationStatus: 'PENDING' }));
      const applied = await admin.send(new SH.GetConfigurationPolicyAssociationCommand({ Target: { AccountId: ACCOUNTS.pci1 } }));
      expect(applied).toEqual(expect.objectContaining({ ConfigurationPolicyId: 'SELF_MANAGED_SECURITY_HUB', AssociationType: 'APPLIED', AssociationStatus: 'SUCCESS' }));
      // Self-managed, the account keeps the settings its policy gave it, and now changes them itself.
      expect((await hub(ACCOUNTS.pci1).send(new SH.GetEnabledStandardsCommand({}))).StandardsSubscriptions).toHaveLength(2);
      await hub(ACCOUNTS.pci1).send(new SH.BatchDisableStandardsCommand({ StandardsSubscriptionArns: [subscription(ACCOUNTS.pci1, 'pci-dss/v/4.0.1')] }));
      expect((await hub(ACCOUNTS.pci1).send(new SH.GetEnabledStandardsCommand({}))).StandardsSubscriptions?.map((s) => s.StandardsArn)).toEqual([FSBP]);
      const batch = await admin.send(new SH.BatchGetConfigurationPolicyAssociationsCommand({
        ConfigurationPolicyAssociationIdentifiers: [{ Target: { AccountId: ACCOUNTS.pci2 } }, { Target: { OrganizationalUnitId: sandbox.ous.pci } }, { Target: { AccountId: '999999999999' } }],
      }));
      expect(batch.ConfigurationPolicyAssociations?.map((a) => [a.TargetId, a.AssociationType])).toEqual([[ACCOUNTS.pci2, 'INHERITED'], [sandbox.ous.pci, 'APPLIED']]);
      expect(batch.UnprocessedConfigurationPolicyAssociations?.map((u) => u.ErrorCode)).toEqual(['RESOURCE_NOT_FOUND']);
    });

    it('lists every target\'s association organization-wide, filtered and paged', async () => {
      const { pciPolicy } = await central();
      const admin = hub(ACCOUNTS.admin);
      let all: SH.ConfigurationPolicyAssociationSummary[] = [];
      for await (const page of SH.paginateListConfigurationPolicyAssociations({ client: admin, pageSize: 3 }, {})) all = all.concat(page.ConfigurationPolicyAssociationSummaries ?? []);
      expect(all).toHaveLength(1 + 3 + 6);
      expect(all.find((a) => a.TargetId === ACCOUNTS.management)).toEqual(expect.objectContaining({ ConfigurationPolicyId: 'SELF_MANAGED_SECURITY_HUB', AssociationType: 'INHERITED' }));
      const pci = await admin.send(new SH.ListConfigurationPolicyAssociationsCommand({ Filters: { ConfigurationPolicyId: pciPolicy } }));
      expect(pci.ConfigurationPolicyAssociationSummaries?.map((a) => a.TargetId).sort()).toEqual([ACCOUNTS.pci1, ACCOUNTS.pci2, sandbox.ous.pci].sort());
      const applied = await admin.send(new SH.ListConfigurationPolicyAssociationsCommand({ Filters: { AssociationType: 'APPLIED' } }));
      expect(applied.ConfigurationPolicyAssociationSummaries?.map((a) => a.TargetType)).toEqual(['ORGANIZATIONAL_UNIT', 'ORGANIZATIONAL_UNIT', 'ORGANIZATIONAL_UNIT']);
    });

    it('answers ResourceNotFoundException for a target outside the organization or a missing policy', async () => {
      const { pciPolicy } = await central();
      const admin = hub(ACCOUNTS.admin);
      expect((await errorOf(admin.send(new SH.StartConfigurationPolicyAssociationCommand({ ConfigurationPolicyIdentifier: pciPolicy, Target: { AccountId: '999999999999' } })))).name).toBe('ResourceNotFoundException');
      expect((await errorOf(admin.send(new SH.StartConfigurationPolicyAssociationCommand({ ConfigurationPolicyIdentifier: '00000000-0000-4000-8000-000000000000', Target: { OrganizationalUnitId: sandbox.ous.pci } })))).name).toBe('ResourceNotFoundException');
      expect((await errorOf(admin.send(new SH.StartConfigurationPolicyDisassociationCommand({ ConfigurationPolicyIdentifier: pciPolicy, Target: { AccountId: ACCOUNTS.web } })))).name).toBe('InvalidInputException');
    });
  });

  describe('finding aggregator', () => {
    beforeEach(async () => {
      await hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    });

    it('creates, gets and lists the aggregator; an account has one', async () => {
      const created = await hub(ACCOUNTS.web).send(new SH.CreateFindingAggregatorCommand({ RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: [LINKED, 'us-east-2'] }));
      expect(created).toEqual(expect.objectContaining({
        FindingAggregatorArn: expect.stringMatching(new RegExp(`^arn:aws:securityhub:${HOME}:${ACCOUNTS.web}:finding-aggregator/[0-9a-f-]{36}$`)),
        FindingAggregationRegion: HOME, RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: [LINKED, 'us-east-2'],
      }));
      const got = await hub(ACCOUNTS.web).send(new SH.GetFindingAggregatorCommand({ FindingAggregatorArn: created.FindingAggregatorArn }));
      expect(got.Regions).toEqual([LINKED, 'us-east-2']);
      expect((await hub(ACCOUNTS.web).send(new SH.ListFindingAggregatorsCommand({}))).FindingAggregators).toEqual([{ FindingAggregatorArn: created.FindingAggregatorArn }]);
      expect((await errorOf(hub(ACCOUNTS.web).send(new SH.CreateFindingAggregatorCommand({ RegionLinkingMode: 'NO_REGIONS' })))).name).toBe('LimitExceededException');
    });

    it('refuses linking modes and Regions that do not fit together', async () => {
      const create = (input: SH.CreateFindingAggregatorRequest) => errorOf(hub(ACCOUNTS.web).send(new SH.CreateFindingAggregatorCommand(input)));
      expect((await create({ RegionLinkingMode: 'SPECIFIED_REGIONS' })).name).toBe('InvalidInputException');
      expect((await create({ RegionLinkingMode: 'ALL_REGIONS', Regions: [LINKED] })).name).toBe('InvalidInputException');
      expect((await create({ RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: [HOME] })).name).toBe('InvalidInputException');
      expect((await create({ RegionLinkingMode: 'EVERYWHERE' })).name).toBe('InvalidInputException');
      expect((await errorOf(hub(ACCOUNTS.web).send(new SH.GetFindingAggregatorCommand({ FindingAggregatorArn: `arn:aws:securityhub:${HOME}:${ACCOUNTS.web}:finding-aggregator/x` })))).name).toBe('ResourceNotFoundException');
    });
  });

  describe('findings', () => {
    const eq = (Value: string) => [{ Value, Comparison: 'EQUALS' as const }];

    it('yields one control finding per enabled control, PASSED unless an evaluation failed it', async () => {
      await central();
      setControlEvaluation(sandbox.fake.state, ACCOUNTS.pci1, HOME, 'S3.5', 'FAILED', sandbox.fake.clock.now());
      const own = await hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ Filters: { ComplianceSecurityControlId: eq('S3.5') } }));
      expect(own.Findings).toHaveLength(1);
      expect(own.Findings?.[0]).toEqual(expect.objectContaining({
        AwsAccountId: ACCOUNTS.pci1, Region: HOME, GeneratorId: 'security-control/S3.5', ProductName: 'Security Hub', CompanyName: 'AWS',
        ProductArn: `arn:aws:securityhub:${HOME}::product/aws/securityhub`, RecordState: 'ACTIVE', Workflow: { Status: 'NEW' },
        Compliance: expect.objectContaining({ Status: 'FAILED', SecurityControlId: 'S3.5', AssociatedStandards: expect.arrayContaining([{ StandardsId: 'standards/pci-dss/v/4.0.1' }]) }),
        Resources: [expect.objectContaining({ Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNTS.pci1}` })],
        Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
      }));
      const passing = await hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ Filters: { ComplianceSecurityControlId: eq('S3.1') } }));
      expect(passing.Findings?.[0]).toEqual(expect.objectContaining({ Compliance: expect.objectContaining({ Status: 'PASSED' }), Severity: expect.objectContaining({ Label: 'INFORMATIONAL' }) }));
      const again = await hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ Filters: { ComplianceSecurityControlId: eq('S3.5') } }));
      expect(again.Findings?.[0].Id).toBe(own.Findings?.[0].Id);
    });

    it('pages a member\'s own findings (100 a page by default) and nothing of other accounts', async () => {
      await central();
      const first = await hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({}));
      expect(first.Findings).toHaveLength(100);
      let all: SH.AwsSecurityFinding[] = [];
      for await (const page of SH.paginateGetFindings({ client: hub(ACCOUNTS.pci1) }, {})) all = all.concat(page.Findings ?? []);
      expect(new Set(all.map((f) => f.AwsAccountId))).toEqual(new Set([ACCOUNTS.pci1]));
      expect(new Set(all.map((f) => f.Id)).size).toBe(all.length);
      const other = await hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ Filters: { AwsAccountId: eq(ACCOUNTS.pci2) } }));
      expect(other.Findings).toEqual([]);
    });

    it('shows the administrator its members\' findings, and in the aggregation Region those of the linked Regions', async () => {
      await central();
      const filters = { AwsAccountId: eq(ACCOUNTS.pci1), ComplianceSecurityControlId: eq('S3.5') };
      const home = await hub(ACCOUNTS.admin).send(new SH.GetFindingsCommand({ Filters: filters }));
      expect(home.Findings?.map((f) => f.Region).sort()).toEqual([HOME, LINKED]);
      const linked = await hub(ACCOUNTS.admin, LINKED).send(new SH.GetFindingsCommand({ Filters: filters }));
      expect(linked.Findings?.map((f) => f.Region)).toEqual([LINKED]);
      const byRegion = await hub(ACCOUNTS.admin).send(new SH.GetFindingsCommand({ Filters: { ...filters, Region: eq(LINKED) } }));
      expect(byRegion.Findings).toHaveLength(1);
    });

    it('filters on compliance, record state, workflow, product and generator, and sorts', async () => {
      await central();
      const at = sandbox.fake.clock.now();
      setControlEvaluation(sandbox.fake.state, ACCOUNTS.pci1, HOME, 'IAM.6', 'FAILED', at);
      setControlEvaluation(sandbox.fake.state, ACCOUNTS.pci2, HOME, 'S3.1', 'FAILED', at);
      const admin = hub(ACCOUNTS.admin);
      const failed = await admin.send(new SH.GetFindingsCommand({
        Filters: { ComplianceStatus: eq('FAILED'), RecordState: eq('ACTIVE'), WorkflowStatus: eq('NEW'), ProductName: eq('Security Hub') },
        SortCriteria: [{ Field: 'SeverityNormalized', SortOrder: 'desc' }],
      }));
      expect(failed.Findings?.map((f) => [f.AwsAccountId, f.Compliance?.SecurityControlId, f.Severity?.Label])).toEqual([
        [ACCOUNTS.pci1, 'IAM.6', 'CRITICAL'], [ACCOUNTS.pci2, 'S3.1', 'MEDIUM'],
      ]);
      const generator = await admin.send(new SH.GetFindingsCommand({ Filters: { GeneratorId: eq('security-control/Macie.1'), AwsAccountId: eq(ACCOUNTS.pci1), Region: eq(HOME) } }));
      expect(generator.Findings?.map((f) => f.RecordState)).toEqual(['ARCHIVED']);
      const notPassed = await admin.send(new SH.GetFindingsCommand({ Filters: { ComplianceStatus: [{ Value: 'PASSED', Comparison: 'NOT_EQUALS' }], Region: eq(HOME) } }));
      expect(notPassed.Findings).toHaveLength(2);
      const prefix = await admin.send(new SH.GetFindingsCommand({ Filters: { ComplianceSecurityControlId: [{ Value: 'IAM.6', Comparison: 'PREFIX' }], AwsAccountId: eq(ACCOUNTS.web), Region: eq(HOME) } }));
      expect(prefix.Findings?.map((f) => f.Compliance?.SecurityControlId)).toEqual(['IAM.6']);
    });

    it('names a filter it does not evaluate, and refuses a token from another query', async () => {
      await central();
      const error = await errorOf(hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ Filters: { MalwareName: eq('x') } })));
      expect(error.name).toBe('InvalidInputException');
      expect(error.message).toContain('MalwareName');
      const first = await hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ MaxResults: 5 }));
      const reused = await errorOf(hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ MaxResults: 5, NextToken: first.NextToken, Filters: { RecordState: eq('ACTIVE') } })));
      expect(reused.name).toBe('InvalidInputException');
      expect((await errorOf(hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ MaxResults: 101 })))).name).toBe('InvalidInputException');
    });

    it('imports findings for the account\'s default product and reports the ones it refuses', async () => {
      await hub(ACCOUNTS.web).send(new SH.EnableSecurityHubCommand({ EnableDefaultStandards: false }));
      const product = `arn:aws:securityhub:${HOME}:${ACCOUNTS.web}:product/${ACCOUNTS.web}/default`;
      const finding = (Id: string, overrides: Partial<SH.AwsSecurityFinding> = {}): SH.AwsSecurityFinding => ({
        SchemaVersion: '2018-10-08', Id, ProductArn: product, GeneratorId: 'rampart-drift', AwsAccountId: ACCOUNTS.web,
        Types: ['Software and Configuration Checks/AWS Security Best Practices'], CreatedAt: '2026-06-01T00:00:00Z', UpdatedAt: '2026-06-01T00:00:00Z',
        Severity: { Label: 'HIGH' }, Title: 'SCP detached', Description: 'The PCI guardrail SCP is detached', Resources: [{ Type: 'Other', Id: 'ou-abcd-12345678' }],
        ...overrides,
      });
      const out = await hub(ACCOUNTS.web).send(new SH.BatchImportFindingsCommand({
        Findings: [finding('drift-1'), finding('drift-2', { ProductArn: `arn:aws:securityhub:${HOME}::product/aws/guardduty` }), finding('drift-3', { Types: ['Bogus/Type'] })],
      }));
      expect(out).toEqual(expect.objectContaining({ SuccessCount: 1, FailedCount: 2 }));
      expect(out.FailedFindings?.map((f) => [f.Id, f.ErrorCode])).toEqual([['drift-2', 'InvalidInput'], ['drift-3', 'InvalidInput']]);
      const got = await hub(ACCOUNTS.web).send(new SH.GetFindingsCommand({ Filters: { ProductName: eq('Default') } }));
      expect(got.Findings?.[0]).toEqual(expect.objectContaining({ Id: 'drift-1', CompanyName: 'Personal', RecordState: 'ACTIVE', Workflow: { Status: 'NEW' }, Severity: expect.objectContaining({ Label: 'HIGH', Normalized: 70 }) }));
      const tooMany = Array.from({ length: 101 }, (_, i) => finding(`bulk-${i}`));
      expect((await errorOf(hub(ACCOUNTS.web).send(new SH.BatchImportFindingsCommand({ Findings: tooMany })))).name).toBe('InvalidInputException');
    });

    it('updates workflow and notes of findings the caller may see; others are unprocessed', async () => {
      await central();
      const control = (await hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ Filters: { ComplianceSecurityControlId: eq('S3.5'), Region: eq(HOME) } }))).Findings?.[0] as SH.AwsSecurityFinding;
      const identifier = { Id: control.Id, ProductArn: control.ProductArn };
      const byOther = await hub(ACCOUNTS.pci2).send(new SH.BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier], Workflow: { Status: 'SUPPRESSED' } }));
      expect(byOther.UnprocessedFindings?.map((u) => u.ErrorCode)).toEqual(['FindingNotFound']);
      const byAdmin = await hub(ACCOUNTS.admin).send(new SH.BatchUpdateFindingsCommand({
        FindingIdentifiers: [identifier, identifier], Workflow: { Status: 'NOTIFIED' }, Note: { Text: 'ticket SEC-9', UpdatedBy: 'rampart' },
      }));
      expect(byAdmin.ProcessedFindings).toEqual([identifier]);
      expect(byAdmin.UnprocessedFindings?.map((u) => u.ErrorCode)).toEqual(['DuplicatedFindingIdentifier']);
      const after = (await hub(ACCOUNTS.pci1).send(new SH.GetFindingsCommand({ Filters: { Id: eq(control.Id as string) } }))).Findings?.[0];
      expect(after).toEqual(expect.objectContaining({ Workflow: { Status: 'NOTIFIED' }, Note: expect.objectContaining({ Text: 'ticket SEC-9', UpdatedBy: 'rampart' }) }));
      expect((await errorOf(hub(ACCOUNTS.admin).send(new SH.BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier], Workflow: { Status: 'DONE' as never } })))).name).toBe('InvalidInputException');
    });
  });
});
