import type { Inventory, InventoryPolicyDocument } from '../../engine/inventory';
import type { Action } from '../../engine/remediation';
import { ok } from './fixtures';

/**
 * What each action does to the observed state, modelled on the inventory: lets the engine's
 * plan → precondition → write → verification loop run without AWS. (FakeAws does it for real.)
 */
export function applyAction(inventory: Inventory, action: Action): void {
  const structure = () => ok(inventory.organization.structure);
  const policies = () => ok(inventory.organization.policies).serviceControlPolicies;
  const hub = (accountId: string, region: string) => ok(inventory.accounts[accountId].regions[region].securityHub);
  const shOrg = () => ok(inventory.securityHub.organization);
  const lake = (region: string) => ok(inventory.securityLake.regions[region]);
  const targetType = (id: string) => (id.startsWith('r-') ? 'ROOT' as const : id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' as const : 'ACCOUNT' as const);
  const nextId = (prefix: string, count: number) => `${prefix}${(0xf000 + count).toString(16).padStart(8, '0')}`;

  switch (action.kind) {
    case 'CreateOrganizationalUnit': {
      const s = structure();
      const parentId = action.parentId ?? (action.parentPath === 'Root' ? s.rootId : s.organizationalUnits.find((o) => o.path === action.parentPath)?.id);
      if (!parentId) throw new Error(`parent ${action.parentPath} missing`);
      s.organizationalUnits.push({ id: nextId('ou-root-', s.organizationalUnits.length), name: action.name, parentId, path: action.parentPath === 'Root' ? action.name : `${action.parentPath}/${action.name}` });
      return;
    }
    case 'CreatePolicy':
      policies().push({
        id: nextId('p-', policies().length), name: action.policyName, description: action.description, awsManaged: false,
        document: structuredClone(action.document) as InventoryPolicyDocument, targets: action.targets.map((t) => ({ targetId: t.targetId, type: targetType(t.targetId) })),
      });
      return;
    case 'UpdatePolicy': {
      const policy = policies().find((p) => p.id === action.policyId);
      if (policy) policy.document = structuredClone(action.document) as InventoryPolicyDocument;
      return;
    }
    case 'AttachPolicy':
      policies().find((p) => p.id === action.policyId)?.targets.push({ targetId: action.targetId, type: targetType(action.targetId) });
      return;
    case 'MoveAccount': {
      const account = structure().accounts.find((a) => a.id === action.accountId);
      if (account) account.parentId = action.destinationParentId;
      return;
    }
    case 'EnableAWSServiceAccess':
      ok(inventory.organization.trustedAccess).servicePrincipals.push(action.servicePrincipal);
      return;
    case 'RegisterDelegatedAdministrator':
      ok(inventory.organization.delegatedAdministrators).byServicePrincipal[action.servicePrincipal] = [action.accountId];
      return;
    case 'EnableSecurityHub': {
      const state = hub(action.accountId, action.region);
      state.enabled = true;
      state.hubArn = `arn:aws:securityhub:${action.region}:${action.accountId}:hub/default`;
      state.standards = action.standardArns.map((standardArn) => ({ standardArn, status: 'READY' as const }));
      return;
    }
    case 'EnableStandard':
      hub(action.accountId, action.region).standards.push({ standardArn: action.standardArn, status: 'READY' });
      return;
    case 'DisableStandard': {
      const state = hub(action.accountId, action.region);
      state.standards = state.standards.filter((s) => s.standardArn !== action.standardArn);
      return;
    }
    case 'EnableSecurityControl': {
      const state = hub(action.accountId, action.region);
      state.disabledControls = state.disabledControls.filter((c) => c.controlId !== action.controlId);
      return;
    }
    case 'CreateConfigurationPolicy': {
      const view = shOrg();
      const id = `00000000-0000-4000-9000-${String(view.configurationPolicies.length).padStart(12, '0')}`;
      view.configurationPolicies.push({
        id, arn: `arn:aws:securityhub:${action.region}:${action.adminAccountId}:configuration-policy/${id}`, name: action.policyName, description: action.description,
        serviceEnabled: true, enabledStandardArns: [...action.standardArns], disabledControlIds: [...action.disabledControlIds],
      });
      for (const target of action.targets) {
        view.associations = view.associations.filter((a) => a.targetId !== target.targetId);
        view.associations.push({ targetId: target.targetId, targetType: target.targetType, configurationPolicyId: id, associationType: 'APPLIED', status: 'SUCCESS' });
      }
      return;
    }
    case 'UpdateConfigurationPolicy': {
      const policy = shOrg().configurationPolicies.find((p) => p.id === action.policyId);
      if (policy) Object.assign(policy, { serviceEnabled: true, enabledStandardArns: [...action.standardArns], disabledControlIds: [...action.disabledControlIds] });
      return;
    }
    case 'StartConfigurationPolicyAssociation': {
      const view = shOrg();
      view.associations = view.associations.filter((a) => a.targetId !== action.targetId);
      view.associations.push({ targetId: action.targetId, targetType: action.targetType, configurationPolicyId: action.configurationPolicyId, associationType: 'APPLIED', status: 'SUCCESS' });
      return;
    }
    case 'CreateDataLake':
    case 'UpdateDataLake': {
      const state = lake(action.region);
      const settings = {
        encryption: action.kmsKeyAlias ? { kmsKeyId: action.kmsKeyAlias, kmsKeyAlias: action.kmsKeyAlias } : { kmsKeyId: 'S3_MANAGED_KEY' },
        lifecycle: { expirationDays: action.expirationDays, transitions: action.transitions.map((t) => ({ ...t })) },
      };
      if (action.kind === 'CreateDataLake') {
        state.dataLake = {
          arn: `arn:aws:securitylake:${action.region}:${action.adminAccountId}:data-lake/default`, ...settings, status: 'COMPLETED',
          replication: action.replicationRegions.length ? { regions: [...action.replicationRegions] } : null,
        };
      } else if (state.dataLake) Object.assign(state.dataLake, settings);
      return;
    }
    case 'UpdateDataLakeReplication': {
      const dataLake = lake(action.region).dataLake;
      if (dataLake) dataLake.replication = action.replicationRegions.length ? { regions: [...action.replicationRegions] } : null;
      return;
    }
    case 'CreateAwsLogSource': {
      const state = lake(action.region);
      for (const accountId of action.accountIds) {
        const list = (state.awsSources[accountId] ?? []).filter((s) => s.sourceName !== action.sourceName);
        list.push({ sourceName: action.sourceName, sourceVersion: action.sourceVersion, status: 'COLLECTING' });
        state.awsSources[accountId] = list;
      }
      return;
    }
    case 'CreateCustomLogSource':
    case 'RecreateCustomLogSource': {
      const state = lake(action.region);
      state.customSources = state.customSources.filter((s) => s.sourceName !== action.sourceName);
      state.customSources.push({ sourceName: action.sourceName, sourceVersion: action.sourceVersion, eventClasses: [...action.eventClasses], ...(action.providerAccountId ? { providerAccountId: action.providerAccountId } : {}) });
      return;
    }
    case 'CreateDataLakeOrganizationConfiguration': {
      const state = lake(action.region);
      const have = new Set(state.autoEnableNewAccounts.map((s) => `${s.sourceName}@${s.sourceVersion}`));
      state.autoEnableNewAccounts.push(...action.sources.filter((s) => !have.has(`${s.sourceName}@${s.sourceVersion}`)));
      return;
    }
    case 'StartConfigurationRecorder':
      ok(inventory.accounts[action.accountId].regions[action.region].config).recorder = {
        name: action.recorderName, recording: true, lastStatus: 'Success',
        ...(action.create ? { allSupported: action.create.allSupported, includeGlobalResourceTypes: action.create.includeGlobalResourceTypes } : {}),
      };
      return;
    case 'PutOrganizationConformancePack': {
      const state = ok(inventory.config.conformancePacks[action.region]);
      state.packs = state.packs.filter((p) => p.name !== action.packName);
      state.packs.push({ name: action.packName, status: 'CREATE_SUCCESSFUL', excludedAccountIds: [...action.excludedAccountIds], rules: [] });
      return;
    }
    case 'PutConfigurationAggregator':
      ok(inventory.config.aggregators).aggregators.push({
        name: action.aggregatorName, accountId: action.accountId, region: action.region, organizationWide: true, allRegions: false, regions: [...action.regions], sources: [],
      });
      return;
    case 'CreateAnalyzer':
      ok(inventory.accessAnalyzer.regions[action.region]).analyzers.push({
        arn: `arn:aws:access-analyzer:${action.region}:${action.accountId}:analyzer/${action.analyzerName}`, name: action.analyzerName, accountId: action.accountId, type: 'ORGANIZATION', status: 'ACTIVE',
      });
      return;
    case 'DenyExternalTrust':
      for (const region of Object.values(inventory.accessAnalyzer.regions)) {
        if (region.status !== 'ok') continue;
        for (const finding of region.findings) {
          if (finding.resource === action.roleArn && JSON.stringify(finding.principal) === JSON.stringify(action.principals)) finding.status = 'RESOLVED';
        }
      }
      addDeny(inventory, action.accountId, action.roleArn, action.sid, { AWS: Object.values(action.principals) }, action.actions);
      return;
    case 'DenyRoleTrust':
      addDeny(inventory, action.accountId, action.roleArn, action.sid, { AWS: action.principal }, action.actions);
      return;
  }
}

function addDeny(inventory: Inventory, accountId: string, roleArn: string, sid: string, principal: Record<string, unknown>, actions: string[]): void {
  const iam = inventory.accounts[accountId]?.iam;
  const role = iam?.status === 'ok' ? iam.roles.find((r) => r.arn === roleArn) : undefined;
  if (!role) return;
  const statements = Array.isArray(role.trustPolicy.Statement) ? role.trustPolicy.Statement : [role.trustPolicy.Statement];
  if (!statements.some((s) => s.Sid === sid)) statements.push({ Sid: sid, Effect: 'Deny', Principal: principal, Action: actions });
  role.trustPolicy.Statement = statements;
}
