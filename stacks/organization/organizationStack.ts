import { CfnResource, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import type { Construct } from 'constructs';
import { flattenOus, type RampartConfig } from '../../config/model';
import { pciGuardrailScps } from '../../engine/pciGuardrails';
import { SynthesisError, type AccountDirectory } from '../accountDirectory';
import { CONFIG_RECORDER_STACKSET_NAME, configDeliveryBucketName, configRecorderTemplate } from '../awsConfig/configRecorder';
import { inBatches } from '../batches';
import { HandlerProvider } from '../customResourceProvider';
import { acknowledge } from '../nag';
import { placementGroups } from './accountPlacement';
import { executionRoleTemplate, RAMPART_WORKFLOW_ROLE_PATH } from './executionRole';

/** Service principals Rampart needs trusted access for. */
export const TRUSTED_SERVICE_PRINCIPALS = [
  'securityhub.amazonaws.com',
  'config.amazonaws.com',
  'config-multiaccountsetup.amazonaws.com',
  'access-analyzer.amazonaws.com',
  'securitylake.amazonaws.com',
  'member.org.stacksets.cloudformation.amazonaws.com',
];

export const EXECUTION_ROLE_STACKSET_NAME = 'Rampart-ExecutionRole';

/** Role in the management account that the remediation workflow assumes for organization-level writes. */
export const ORGANIZATION_REMEDIATION_ROLE_NAME = 'RampartOrganizationRemediation';

/** StackSets accepts at most 50 OUs per stack-instance operation. */
const OUS_PER_STACK_INSTANCES_GROUP = 50;

const ORGANIZATIONS_WILDCARD = 'Organizations actions act on the organization, its root, OUs and accounts, whose ids exist only after deployment; AWS documents no narrower resource for them';

export interface OrganizationStackProps extends StackProps {
  config: RampartConfig;
  accounts: AccountDirectory;
}

/**
 * The management account: the OU tree, SCPs and their targets (including the generated PCI
 * guardrails on the PCI OU), account placement, trusted access, delegated administrators and
 * the StackSets that put the Rampart execution role, and an AWS Config recorder, into every
 * member account.
 */
export class OrganizationStack extends Stack {
  /** OU id (a token) by OU path; `Root` is the organization root. */
  readonly ouIds = new Map<string, string>();

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, props);
    const { config, accounts } = props;
    const securityTooling = config.organization.mandatoryAccounts.securityTooling;

    const rootLookup = new HandlerProvider(this, 'RootLookup', {
      purpose: 'organization root lookup',
      handler: 'organizationRoot',
      statements: [new iam.PolicyStatement({ actions: ['organizations:ListRoots'], resources: ['*'] })],
      wildcardReasons: { 'Resource::*': `organizations:ListRoots takes no resource; ${ORGANIZATIONS_WILDCARD}` },
    });
    const root = rootLookup.resource(this, 'OrganizationRoot', 'RampartOrganizationRoot', {});
    this.ouIds.set('Root', root.getAttString('RootId'));

    for (const ou of flattenOus(config.organization.organizationalUnits)) {
      const cfnOu = new organizations.CfnOrganizationalUnit(this, `Ou ${ou.path.replace(/\//g, ' ')}`, {
        name: ou.name,
        parentId: this.ouId(ou.parent),
      });
      this.ouIds.set(ou.path, cfnOu.attrId);
    }

    this.serviceControlPolicies(config, accounts);
    const trustedAccess = this.trustedAccess();
    this.delegatedAdministrators(config, accounts, trustedAccess);
    this.accountPlacement(config, accounts);

    new organizations.CfnResourcePolicy(this, 'ReadAccessForRampart', {
      content: {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'RampartReadsTheOrganization',
          Effect: 'Allow',
          Principal: { AWS: [...new Set([securityTooling, config.security.securityHub.delegatedAdmin])].map((name) => `arn:${this.partition}:iam::${accounts.idOf(name, 'organization read access for Rampart')}:root`) },
          Action: ['organizations:Describe*', 'organizations:List*'],
          Resource: '*',
        }],
      },
    });

    const stackSet = new CfnStackSet(this, 'ExecutionRoleStackSet', {
      stackSetName: EXECUTION_ROLE_STACKSET_NAME,
      description: `Rampart execution role (${config.global.executionRoleName}) in every member account`,
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
      templateBody: JSON.stringify(executionRoleTemplate(
        config, accounts.idOf(securityTooling, 'trust of the Rampart execution role'),
        accounts.idOf(config.securityLake.delegatedAdmin, 'Security Lake remediation in the execution role'),
      )),
      stackInstancesGroup: inBatches(config.organization.organizationalUnits.map((ou) => this.ouId(ou.name)), OUS_PER_STACK_INSTANCES_GROUP).map((ouIds) => ({
        deploymentTargets: { organizationalUnitIds: ouIds },
        regions: [config.global.homeRegion],
      })),
    });
    stackSet.node.addDependency(trustedAccess);
    this.configRecorderStackSet(config, accounts).node.addDependency(trustedAccess);
    this.organizationRemediationRole(accounts.idOf(securityTooling, 'trust of the organization remediation role'));
  }

  /**
   * AWS Config recorders in every member account × enabled Region (organization conformance packs
   * evaluate only where a recorder runs), delivering to the central bucket in the log-archive account.
   */
  private configRecorderStackSet(config: RampartConfig, accounts: AccountDirectory): CfnStackSet {
    if (!config.security.config.recorder.allSupported) {
      const where = config.locate('security', ['config', 'recorder', 'allSupported']);
      throw new SynthesisError([`${where.file}:${where.line}:${where.col}  config.recorder.allSupported is false, which names no resource types to record, ` +
        'while the organization conformance packs evaluate every supported type  hint: set allSupported: true (the recorder StackSet records all supported types, global ones only in includeGlobalResourceTypesIn)']);
    }
    const bucket = configDeliveryBucketName(accounts.idOf(config.organization.mandatoryAccounts.logArchive, 'central AWS Config bucket'), config.global.homeRegion);
    return new CfnStackSet(this, 'ConfigRecorderStackSet', {
      stackSetName: CONFIG_RECORDER_STACKSET_NAME,
      description: `Rampart AWS Config recorder and delivery channel (to ${bucket}) in every member account and enabled Region`,
      permissionModel: 'SERVICE_MANAGED',
      // A recorder is evidence: an account leaving Rampart's OUs keeps recording until someone decides otherwise.
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: true },
      capabilities: ['CAPABILITY_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
      templateBody: JSON.stringify(configRecorderTemplate(config, bucket)),
      stackInstancesGroup: inBatches(config.organization.organizationalUnits.map((ou) => this.ouId(ou.name)), OUS_PER_STACK_INSTANCES_GROUP).map((ouIds) => ({
        deploymentTargets: { organizationalUnitIds: ouIds },
        regions: [...config.global.enabledRegions],
      })),
    });
  }

  /**
   * The role the remediation workflow assumes in the management account for the organization-level
   * writes a plan may hold (OUs, SCPs and their attachments, account moves, trusted access,
   * delegated administrators), and nothing that changes the management account's own resources.
   */
  private organizationRemediationRole(securityToolingAccountId: string): void {
    const managementAccount = `arn:${this.partition}:organizations::${this.account}:account/*/${this.account}`;
    const policy = new iam.ManagedPolicy(this, 'OrganizationRemediationPermissions', {
      description: 'Rampart remediation: organization-level writes from the management account',
      statements: [
        new iam.PolicyStatement({
          sid: 'RepairTheOrganization',
          actions: ['organizations:CreateOrganizationalUnit', 'organizations:CreatePolicy', 'organizations:UpdatePolicy', 'organizations:AttachPolicy',
            'organizations:MoveAccount', 'organizations:EnableAWSServiceAccess', 'organizations:RegisterDelegatedAdministrator',
            'organizations:DeregisterDelegatedAdministrator', 'organizations:DescribeOrganization', 'organizations:ListDelegatedAdministrators',
            'organizations:ListAccounts', 'organizations:ListRoots', 'organizations:ListOrganizationalUnitsForParent', 'organizations:ListAccountsForParent',
            'securityhub:EnableOrganizationAdminAccount', 'securitylake:RegisterDataLakeDelegatedAdministrator'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ sid: 'ServiceLinkedRolesOfTrustedServices', actions: ['iam:CreateServiceLinkedRole'], resources: [`arn:${this.partition}:iam::${this.account}:role/aws-service-role/*`] }),
        new iam.PolicyStatement({
          sid: 'KeepOffTheManagementAccount', effect: iam.Effect.DENY,
          actions: ['organizations:MoveAccount', 'organizations:AttachPolicy', 'organizations:DetachPolicy', 'organizations:CloseAccount', 'organizations:RemoveAccountFromOrganization'],
          resources: [managementAccount],
        }),
      ],
    });
    acknowledge(policy, {
      'AwsSolutions-IAM5[Resource::*]': `The remediation writes act on the organization, its OUs, policies and member accounts, created or named at run time; ${ORGANIZATIONS_WILDCARD}. The management account itself is denied`,
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::${this.account}:role/aws-service-role/*]`]: 'Enabling trusted access creates each service\'s service-linked role, whose names AWS chooses; the grant is limited to the aws-service-role path of this account',
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::${this.account}:account/*/${this.account}]`]: 'A deny, not a grant: the organization id in the management account\'s ARN is known only after the organization exists',
    });
    new iam.Role(this, 'OrganizationRemediationRole', {
      roleName: ORGANIZATION_REMEDIATION_ROLE_NAME,
      description: 'Rampart remediation workflow: organization-level repairs the governance.yaml policy allows',
      assumedBy: new iam.ArnPrincipal(`arn:${this.partition}:iam::${securityToolingAccountId}:root`).withConditions({
        ArnLike: { 'aws:PrincipalArn': `arn:${this.partition}:iam::${securityToolingAccountId}:role${RAMPART_WORKFLOW_ROLE_PATH}*` },
      }),
      managedPolicies: [policy],
      maxSessionDuration: Duration.hours(1),
    });
  }

  /** The id token of an OU path. */
  ouId(path: string): string {
    const id = this.ouIds.get(path);
    if (!id) throw new Error(`no OU "${path}" in OrganizationStack`);
    return id;
  }

  private serviceControlPolicies(config: RampartConfig, accounts: AccountDirectory): void {
    for (const scp of config.organization.serviceControlPolicies) {
      new organizations.CfnPolicy(this, `Scp ${scp.name}`, {
        name: scp.name,
        description: scp.description,
        type: 'SERVICE_CONTROL_POLICY',
        content: config.scpDocuments[scp.name],
        targetIds: [
          ...scp.targets.organizationalUnits.map((ouPath) => this.ouId(ouPath)),
          ...scp.targets.accounts.map((name) => accounts.idOf(name, `target of SCP ${scp.name}`)),
        ],
      });
    }
    const guardrails = config.organization.pciGuardrails;
    for (const scp of pciGuardrailScps(config)) {
      new organizations.CfnPolicy(this, `Scp ${scp.name}`, {
        name: scp.name,
        description: scp.description,
        type: 'SERVICE_CONTROL_POLICY',
        content: scp.document,
        targetIds: guardrails ? [this.ouId(guardrails.ou)] : [],
      });
    }
  }

  private trustedAccess(): CfnResource {
    const provider = new HandlerProvider(this, 'TrustedAccessProvider', {
      purpose: 'trusted service access',
      handler: 'trustedAccess',
      statements: [
        new iam.PolicyStatement({ actions: ['organizations:EnableAWSServiceAccess', 'organizations:DescribeOrganization'], resources: ['*'] }),
        new iam.PolicyStatement({ actions: ['cloudformation:ActivateOrganizationsAccess'], resources: ['*'] }),
        // EnableAWSServiceAccess creates the service-linked roles of the trusted services.
        new iam.PolicyStatement({ actions: ['iam:CreateServiceLinkedRole'], resources: [`arn:${this.partition}:iam::${this.account}:role/aws-service-role/*`] }),
      ],
      wildcardReasons: {
        'Resource::*': `organizations:EnableAWSServiceAccess and cloudformation:ActivateOrganizationsAccess take no resource; ${ORGANIZATIONS_WILDCARD}`,
        [`Resource::arn:<AWS::Partition>:iam::${this.account}:role/aws-service-role/*`]: 'Trusted access creates each service\'s service-linked role, whose names AWS chooses; the grant is limited to the aws-service-role path of this account',
      },
    });
    return provider.resource(this, 'TrustedAccess', 'RampartTrustedAccess', { ServicePrincipals: TRUSTED_SERVICE_PRINCIPALS }).node.defaultChild as CfnResource;
  }

  private delegatedAdministrators(config: RampartConfig, accounts: AccountDirectory, trustedAccess: CfnResource): void {
    const securityHubAdmin = new securityhub.CfnDelegatedAdmin(this, 'SecurityHubAdministrator', {
      adminAccountId: accounts.idOf(config.security.securityHub.delegatedAdmin, 'Security Hub delegated administrator'),
    });
    securityHubAdmin.addResourceDependency(trustedAccess);

    const organizationsAdmin = new HandlerProvider(this, 'DelegatedAdministratorProvider', {
      purpose: 'delegated administrator registration',
      handler: 'delegatedAdministrator',
      statements: [new iam.PolicyStatement({
        actions: ['organizations:RegisterDelegatedAdministrator', 'organizations:DeregisterDelegatedAdministrator', 'organizations:DescribeOrganization', 'organizations:ListDelegatedAdministrators'],
        resources: ['*'],
      })],
      wildcardReasons: { 'Resource::*': `Delegated-administrator registration names the service principal, not a resource ARN; ${ORGANIZATIONS_WILDCARD}` },
    });
    const registrations: [string, string, string[]][] = [
      ['ConfigAdministrator', config.security.config.aggregator.account, ['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com']],
      ['AccessAnalyzerAdministrator', config.organization.mandatoryAccounts.securityTooling, ['access-analyzer.amazonaws.com']],
    ];
    for (const [id, account, principals] of registrations) {
      const resource = organizationsAdmin.resource(this, id, 'RampartDelegatedAdministrator', {
        AccountId: accounts.idOf(account, `${id.replace('Administrator', '')} delegated administrator`),
        ServicePrincipals: principals,
      });
      resource.node.addDependency(trustedAccess);
    }

    const securityLakeAdmin = new HandlerProvider(this, 'SecurityLakeAdministratorProvider', {
      purpose: 'Security Lake delegated administrator registration',
      handler: 'securityLakeDelegatedAdministrator',
      statements: [
        new iam.PolicyStatement({
          actions: ['securitylake:RegisterDataLakeDelegatedAdministrator', 'securitylake:DeregisterDataLakeDelegatedAdministrator'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          actions: ['organizations:EnableAWSServiceAccess', 'organizations:RegisterDelegatedAdministrator', 'organizations:DeregisterDelegatedAdministrator',
            'organizations:ListDelegatedAdministrators', 'organizations:ListAccounts', 'organizations:DescribeOrganization'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ actions: ['iam:CreateServiceLinkedRole'], resources: [`arn:${this.partition}:iam::${this.account}:role/aws-service-role/securitylake.amazonaws.com/*`] }),
      ],
      wildcardReasons: {
        'Resource::*': `Security Lake's delegated-administrator API acts on the organization and takes no resource ARN, and it registers the account with Organizations on the caller's behalf; ${ORGANIZATIONS_WILDCARD}`,
        [`Resource::arn:<AWS::Partition>:iam::${this.account}:role/aws-service-role/securitylake.amazonaws.com/*`]: 'Security Lake creates its own service-linked role when the administrator is registered; the grant is limited to that service\'s role path',
      },
    });
    securityLakeAdmin.resource(this, 'SecurityLakeAdministrator', 'RampartSecurityLakeAdministrator', {
      AccountId: accounts.idOf(config.securityLake.delegatedAdmin, 'Security Lake delegated administrator'),
      Regions: config.securityLake.regions,
    }).node.addDependency(trustedAccess);
  }

  private accountPlacement(config: RampartConfig, accounts: AccountDirectory): void {
    const byOu = new Map<string, string[]>();
    for (const account of config.organization.accounts) {
      const id = accounts.tryIdOf(account.name);
      if (!id || account.ou === 'Root') continue;
      byOu.set(account.ou, [...(byOu.get(account.ou) ?? []), id]);
    }
    const groups = placementGroups([...byOu].map(([ouPath, accountIds]) => ({ ouPath, accountIds })));
    const provider = new HandlerProvider(this, 'AccountPlacementProvider', {
      purpose: 'account placement',
      handler: 'accountPlacement',
      isComplete: true,
      statements: [new iam.PolicyStatement({ actions: ['organizations:ListAccountsForParent', 'organizations:ListParents', 'organizations:MoveAccount'], resources: ['*'] })],
      wildcardReasons: { 'Resource::*': `MoveAccount spans accounts and OUs listed in the configuration, many of which are created by this stack; ${ORGANIZATIONS_WILDCARD}` },
    });
    groups.forEach((group, index) => {
      if (group.length === 0) return;
      provider.resource(this, `AccountPlacement${index + 1}of${groups.length}`, 'RampartAccountPlacement', {
        // Ids joined into one string per OU keep the template small at thousands of accounts.
        Placements: group.map((p) => ({ OrganizationalUnitId: this.ouId(p.ouPath), AccountIds: p.accountIds.join(',') })),
      });
    });
  }
}

