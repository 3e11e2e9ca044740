import type { DesiredState } from '../../engine/desiredState';
import type { Action, ActionKind } from '../../engine/remediation';
import { createOrganizationAnalyzer, type ArchiveRule } from '../accessAnalyzer';
import { putOrganizationAggregator, putOrganizationConformancePack, startRecorder } from '../awsConfig';
import type { AwsClients } from '../clients';
import { addTrustDeny } from '../iam';
import * as organizations from '../organizations';
import * as securityHub from '../securityHub';
import * as securityLake from '../securityLake';
import { fillName, type DeploymentNames } from './deployment';

/** What an action handler may use: the clients, the desired state, who is who, and the deployment's names. */
export interface ActionContext {
  clients: AwsClients;
  desired: DesiredState;
  /** The management account, where only organization-level writes happen (through the organization role). */
  managementAccountId: string;
  /** Logical account name → id, as the drift check resolved them. */
  accountIds: Record<string, string>;
  deployment: DeploymentNames;
}

export type ActionHandler<K extends ActionKind> = (action: Action & { kind: K }, ctx: ActionContext) => Promise<void>;
export type ActionHandlerTable = { [K in ActionKind]?: ActionHandler<K> };

/** Actions that write to the organization from its management account; every other action writes in the account it names. */
export const ORGANIZATION_WRITES: ReadonlySet<ActionKind> = new Set<ActionKind>([
  'CreateOrganizationalUnit', 'CreatePolicy', 'UpdatePolicy', 'AttachPolicy', 'MoveAccount', 'EnableAWSServiceAccess', 'RegisterDelegatedAdministrator',
]);

const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

/**
 * The write of each action kind: one adapter call (or a few, for actions that also attach or
 * associate what they create). Each is idempotent: repeating it leaves the same state. Add a kind
 * here to make it executable; a planned action without a handler is recorded as failed.
 */
export const ACTION_HANDLERS: ActionHandlerTable = {
  async CreateOrganizationalUnit(action, ctx) {
    const parentId = action.parentId ?? (await parentIdOf(action.parentPath, ctx));
    await organizations.createOrganizationalUnit(ctx.clients, ctx.managementAccountId, parentId, action.name);
  },
  async CreatePolicy(action, ctx) {
    const policyId = await organizations.createPolicy(ctx.clients, ctx.managementAccountId, { name: action.policyName, description: action.description, document: action.document });
    for (const target of action.targets) await organizations.attachPolicy(ctx.clients, ctx.managementAccountId, policyId, target.targetId);
  },
  UpdatePolicy: (action, ctx) => organizations.updatePolicy(ctx.clients, ctx.managementAccountId, action.policyId, action.document),
  AttachPolicy: (action, ctx) => organizations.attachPolicy(ctx.clients, ctx.managementAccountId, action.policyId, action.targetId),
  MoveAccount: (action, ctx) => organizations.moveAccount(ctx.clients, ctx.managementAccountId, action.accountId, action.sourceParentId, action.destinationParentId),
  EnableAWSServiceAccess: (action, ctx) => organizations.enableServiceAccess(ctx.clients, ctx.managementAccountId, action.servicePrincipal),
  async RegisterDelegatedAdministrator(action, ctx) {
    for (const other of action.deregisterAccountIds) await organizations.deregisterDelegatedAdministrator(ctx.clients, ctx.managementAccountId, action.servicePrincipal, other);
    // Security Hub and Security Lake designate their administrator through their own API, which also registers it with Organizations.
    if (action.servicePrincipal === 'securityhub.amazonaws.com') {
      await securityHub.enableOrganizationAdmin(ctx.clients, ctx.managementAccountId, ctx.desired.securityHub.aggregationRegion, action.accountId);
    } else if (action.servicePrincipal === 'securitylake.amazonaws.com') {
      await securityLake.registerDelegatedAdministrator(ctx.clients, ctx.managementAccountId, ctx.desired.homeRegion, action.accountId);
    } else {
      await organizations.registerDelegatedAdministrator(ctx.clients, ctx.managementAccountId, action.servicePrincipal, action.accountId);
    }
  },
  EnableSecurityHub: (action, ctx) => securityHub.enableSecurityHub(ctx.clients, action.accountId, action.region, action.standardArns),
  EnableStandard: (action, ctx) => securityHub.enableStandard(ctx.clients, action.accountId, action.region, action.standardArn),
  DisableStandard: (action, ctx) => securityHub.disableStandard(ctx.clients, action.accountId, action.region, action.standardArn, action.subscriptionArn),
  EnableSecurityControl: (action, ctx) => securityHub.enableSecurityControl(ctx.clients, action.accountId, action.region, action.controlId),
  async CreateConfigurationPolicy(action, ctx) {
    const policyId = await securityHub.createConfigurationPolicy(ctx.clients, action.adminAccountId, action.region, action);
    for (const target of action.targets) await securityHub.associateConfigurationPolicy(ctx.clients, action.adminAccountId, action.region, policyId, target);
  },
  UpdateConfigurationPolicy: (action, ctx) => securityHub.updateConfigurationPolicy(ctx.clients, action.adminAccountId, action.region, action.policyId, action),
  StartConfigurationPolicyAssociation: (action, ctx) =>
    securityHub.associateConfigurationPolicy(ctx.clients, action.adminAccountId, action.region, action.configurationPolicyId, { targetId: action.targetId, targetType: action.targetType }),
  CreateDataLake(action, ctx) {
    const names = ctx.deployment;
    const replication = action.replicationRegions.length
      ? { regions: action.replicationRegions, roleArn: roleArn(action.adminAccountId, fillName(names.securityLakeReplicationRole, { region: action.region })) }
      : null;
    return securityLake.createDataLake(ctx.clients, action.adminAccountId, action.region, action,
      roleArn(action.adminAccountId, fillName(names.securityLakeMetaStoreRole, { region: action.region })), replication);
  },
  UpdateDataLake: (action, ctx) => securityLake.updateDataLake(ctx.clients, action.adminAccountId, action.region, { settings: action }),
  UpdateDataLakeReplication: (action, ctx) => securityLake.updateDataLake(ctx.clients, action.adminAccountId, action.region, {
    replication: action.replicationRegions.length
      ? { regions: action.replicationRegions, roleArn: roleArn(action.adminAccountId, fillName(ctx.deployment.securityLakeReplicationRole, { region: action.region })) }
      : null,
  }),
  CreateAwsLogSource: (action, ctx) => securityLake.createAwsLogSource(ctx.clients, action.adminAccountId, action.region, action),
  CreateCustomLogSource: (action, ctx) => securityLake.createCustomLogSource(ctx.clients, action.adminAccountId, action.region, customSource(action, ctx)),
  async RecreateCustomLogSource(action, ctx) {
    await securityLake.deleteCustomLogSource(ctx.clients, action.adminAccountId, action.region, action.sourceName);
    await securityLake.createCustomLogSource(ctx.clients, action.adminAccountId, action.region, customSource(action, ctx));
  },
  CreateDataLakeOrganizationConfiguration: (action, ctx) => securityLake.createOrganizationConfiguration(ctx.clients, action.adminAccountId, action.region, action.sources),
  StartConfigurationRecorder: (action, ctx) => startRecorder(ctx.clients, action.accountId, action.region, action.recorderName,
    action.create
      ? { ...action.create, deliveryBucket: fillName(ctx.deployment.configDeliveryBucket, { account: ctx.accountIds[ctx.desired.organization.logArchiveAccount] ?? 'log-archive' }) }
      : undefined),
  PutOrganizationConformancePack(action, ctx) {
    const templates = ctx.deployment.conformancePackTemplates[action.packName];
    if (!templates) throw new Error(`no template for conformance pack ${action.packName} in this deployment`);
    const templateBody = action.region === ctx.deployment.globalResourceRegion ? templates.globalRegion : templates.otherRegions;
    return putOrganizationConformancePack(ctx.clients, action.adminAccountId, action.region, { name: action.packName, templateBody, excludedAccountIds: action.excludedAccountIds });
  },
  PutConfigurationAggregator: (action, ctx) => putOrganizationAggregator(ctx.clients, action.accountId, action.region, {
    name: action.aggregatorName, regions: action.regions, roleArn: roleArn(action.accountId, fillName(ctx.deployment.configAggregatorRole, { account: action.accountId })),
  }),
  CreateAnalyzer: (action, ctx) => createOrganizationAnalyzer(ctx.clients, action.accountId, action.region, action.analyzerName, archiveRules(ctx)),
  DenyExternalTrust: (action, ctx) => addTrustDeny(ctx.clients, action.accountId, action.roleName, { sid: action.sid, principal: action.principals, actions: action.actions }),
  DenyRoleTrust: (action, ctx) => addTrustDeny(ctx.clients, action.accountId, action.roleName, { sid: action.sid, principal: { AWS: action.principal }, actions: action.actions }),
};

async function parentIdOf(parentPath: string, ctx: ActionContext): Promise<string> {
  const structure = await organizations.readStructure(ctx.clients);
  const id = parentPath === 'Root' ? structure.rootId : structure.organizationalUnits.find((ou) => ou.path === parentPath)?.id;
  if (!id) throw new Error(`the parent OU ${parentPath} does not exist`);
  return id;
}

function customSource(action: Action & { kind: 'CreateCustomLogSource' | 'RecreateCustomLogSource' }, ctx: ActionContext): securityLake.CustomSourceRegistration {
  if (!action.providerAccountId) throw new Error(`the provider account of custom source ${action.sourceName} is not an account of the organization`);
  const names = ctx.deployment;
  return {
    sourceName: action.sourceName, sourceVersion: action.sourceVersion, eventClasses: action.eventClasses,
    crawlerRoleArn: roleArn(action.adminAccountId, fillName(names.securityLakeCrawlerRole, { region: action.region })),
    providerAccountId: action.providerAccountId,
    externalId: fillName(names.customSourceExternalId, { source: action.sourceName, provider: action.providerAccountId }),
  };
}

/** The archive rules AccessAnalyzerStack gives the analyzer: each trusted principal, limited to its accounts. */
function archiveRules(ctx: ActionContext): ArchiveRule[] {
  return ctx.desired.accessAnalyzer.trustedPrincipals.map((trusted, index) => {
    const accounts = trusted.accounts?.flatMap((name) => ctx.accountIds[name] ?? []);
    return {
      ruleName: `rampart-trusted-${index + 1}`,
      filter: {
        [trusted.principal.endsWith('.amazonaws.com') ? 'principal.Service' : 'principal.AWS']: { eq: [trusted.principal] },
        ...(accounts?.length ? { resourceOwnerAccount: { eq: accounts } } : {}),
      },
    };
  });
}
