import { standardArnIn, standardResource, type DesiredConfigurationPolicy } from '../desiredState';
import type { DriftType } from '../driftTypes';
import { sameSet, sorted, type DriftCheckContext } from './context';

const ACCOUNT_TYPES: DriftType[] = ['SecurityHubDisabled', 'PciStandardMissing', 'StandardMissing', 'StandardNotConfigured', 'SecurityHubControlDisabled'];
const ORGANIZATION_TYPES: DriftType[] = ['ConfigurationPolicyMismatch', 'ConfigurationPolicyAssociationMismatch'];
/** Standards in these states are on (or being turned on) for the account. */
const STANDARD_ON = new Set(['READY', 'PENDING', 'INCOMPLETE']);

/** Central configuration policies and their OU associations, then each governed account × Region. */
export function checkSecurityHub(ctx: DriftCheckContext): void {
  if (ctx.wants(...ORGANIZATION_TYPES)) checkCentralConfiguration(ctx);
  if (ctx.wants(...ACCOUNT_TYPES)) checkAccounts(ctx);
}

function checkCentralConfiguration(ctx: DriftCheckContext): void {
  const { securityHub } = ctx.desired;
  const view = ctx.read({ kind: 'securityhub.organization' }, ctx.inventory.securityHub.organization, ORGANIZATION_TYPES);
  if (!view) return;
  const byName = new Map(view.configurationPolicies.map((p) => [p.name, p]));
  const byTarget = new Map(view.associations.map((a) => [a.targetId, a]));
  const where = { adminAccountId: view.adminAccountId, region: view.homeRegion };

  for (const policy of securityHub.configurationPolicies) {
    const live = byName.get(policy.name);
    const expected = expectedPolicy(policy);
    const actual = live
      ? { serviceEnabled: live.serviceEnabled, standards: sorted(live.enabledStandardArns.map(standardResource)), disabledControls: sorted(live.disabledControlIds) }
      : null;
    const same = actual && actual.serviceEnabled && sameSet(actual.standards, expected.standards) && sameSet(actual.disabledControls, expected.disabledControls);
    if (!same) {
      ctx.add('ConfigurationPolicyMismatch', { region: view.homeRegion }, `configuration policy ${policy.name}`, {
        message: live
          ? `central configuration policy ${policy.name} (${live.id}) differs from the configuration`
          : `central configuration policy ${policy.name} does not exist`,
        expected, actual, declaredAt: policy.declaredAt,
        facts: {
          ...where, policyName: policy.name, ...(live ? { policyId: live.id } : {}), description: policy.description,
          standardArns: policy.standards.map((s) => standardArnIn(s.resource, view.homeRegion)), disabledControlIds: expected.disabledControls,
          targets: policy.targets.flatMap((t) => {
            const targetId = ctx.ouIdByPath.get(t.ouPath);
            return targetId ? [{ targetId, targetType: t.ouPath === 'Root' ? 'ROOT' as const : 'ORGANIZATIONAL_UNIT' as const, targetPath: t.ouPath }] : [];
          }),
        },
      });
    }
    if (!live || !ctx.structure) continue; // a missing policy cannot be associated: the drift above says so
    for (const target of policy.targets) {
      const targetId = ctx.ouIdByPath.get(target.ouPath);
      if (!targetId) continue; // OuDeleted
      const association = byTarget.get(targetId);
      const ok = association && association.configurationPolicyId === live.id && association.associationType === 'APPLIED' && association.status !== 'FAILED';
      if (ok) continue;
      ctx.add('ConfigurationPolicyAssociationMismatch', { ouPath: target.ouPath }, 'configuration policy association', {
        message: association
          ? `OU ${target.ouPath} is ${association.associationType.toLowerCase()} ${association.configurationPolicyId} (${association.status}); the configuration applies ${policy.name} (${live.id})`
          : `OU ${target.ouPath} is not associated with central configuration policy ${policy.name}`,
        expected: { policyId: live.id, associationType: 'APPLIED' },
        actual: association ? { policyId: association.configurationPolicyId, associationType: association.associationType, status: association.status } : null,
        declaredAt: target.declaredAt,
        facts: {
          ...where, policyName: policy.name, policyId: live.id, targetId, targetType: target.ouPath === 'Root' ? 'ROOT' : 'ORGANIZATIONAL_UNIT', targetPath: target.ouPath,
          ...(association ? { actualPolicyId: association.configurationPolicyId } : {}),
        },
      });
    }
  }
}

function expectedPolicy(policy: DesiredConfigurationPolicy) {
  return {
    serviceEnabled: true,
    standards: sorted(policy.standards.map((s) => s.resource)),
    disabledControls: sorted(policy.disabledControls.map((c) => c.controlId)),
  };
}

/**
 * Each governed account × Region against its policy. Settings a live configuration policy applies
 * are the policy's: they are checked once, on the policy and its OU associations
 * (ConfigurationPolicyMismatch, ConfigurationPolicyAssociationMismatch), not again on every account
 * it governs. So an account is checked on its own when it manages itself, when a policy failed to
 * apply, or when another policy than the configured one governs it; except when the account was
 * moved out of its OU, whose policy it then inherits (AccountMovedOu reports the move).
 */
function checkAccounts(ctx: DriftCheckContext): void {
  const policies = new Map(ctx.desired.securityHub.configurationPolicies.map((p) => [p.name, p]));
  const view = ctx.inventory.securityHub.organization;
  const livePolicyIds = new Map(view?.status === 'ok' ? view.configurationPolicies.map((p) => [p.name, p.id]) : []);
  const livePolicies = new Set(livePolicyIds.values());
  for (const account of ctx.checkedAccounts) {
    const policy = account.securityHubPolicy ? policies.get(account.securityHubPolicy) : undefined;
    if (!policy) continue; // no configuration policy governs the account: nothing is expected of it
    const actualOuPath = ctx.actualOuPath(account.id);
    const moved = actualOuPath !== undefined && actualOuPath !== account.ouPath;
    const allowedDisabled = new Set(policy.disabledControls.map((c) => c.controlId));
    const wantedStandards = new Map(policy.standards.map((s) => [s.resource, s]));
    const regions = ctx.inventory.accounts[account.id]?.regions;
    for (const region of ctx.desired.securityHub.regions) {
      const hub = ctx.read({ kind: 'securityhub.account', accountId: account.id, region }, regions?.[region]?.securityHub, ACCOUNT_TYPES);
      if (!hub) continue;
      const appliedBy = hub.configurationPolicyId;
      if (appliedBy && livePolicies.has(appliedBy) && (appliedBy === livePolicyIds.get(policy.name) || moved)) continue;
      const scope = ctx.accountScope(account, region);
      if (!hub.enabled) {
        ctx.add('SecurityHubDisabled', scope, 'Security Hub', {
          message: `Security Hub is not enabled in ${account.name} (${account.id}) in ${region}; policy ${policy.name} enables it`,
          expected: 'enabled', actual: 'disabled', declaredAt: policy.declaredAt,
          facts: { accountId: account.id, region, policyName: policy.name, standardArns: policy.standards.map((s) => standardArnIn(s.resource, region)) },
        });
        continue;
      }
      const live = new Map(hub.standards.map((s) => [standardResource(s.standardArn), s]));
      for (const [resource, standard] of wantedStandards) {
        const state = live.get(resource);
        if (state && STANDARD_ON.has(state.status)) continue;
        const type = standard.pci && account.pci ? 'PciStandardMissing' : 'StandardMissing';
        ctx.add(type, scope, `standard ${resource}`, {
          message: `${standard.name} is ${state ? state.status : 'not enabled'} in ${account.name} (${account.id}) in ${region}; policy ${policy.name} enables it`,
          expected: 'READY', actual: state?.status ?? null, declaredAt: standard.declaredAt,
          facts: { accountId: account.id, region, standardName: standard.name, standardArn: standardArnIn(resource, region), ...(state ? { actualStatus: state.status } : {}) },
        });
      }
      for (const [resource, state] of live) {
        if (wantedStandards.has(resource) || !STANDARD_ON.has(state.status)) continue;
        ctx.add('StandardNotConfigured', scope, `standard ${resource}`, {
          message: `${resource} is enabled in ${account.name} (${account.id}) in ${region}; policy ${policy.name} does not include it`,
          expected: null, actual: state.status, declaredAt: policy.declaredAt,
          facts: {
            accountId: account.id, region, standardName: resource, standardArn: state.standardArn, actualStatus: state.status,
            ...(state.subscriptionArn ? { subscriptionArn: state.subscriptionArn } : {}),
          },
        });
      }
      for (const control of hub.disabledControls) {
        if (allowedDisabled.has(control.controlId)) continue;
        ctx.add('SecurityHubControlDisabled', scope, `control ${control.controlId}`, {
          message: `control ${control.controlId} is disabled in ${account.name} (${account.id}) in ${region}${control.reason ? ` ("${control.reason}")` : ''}; policy ${policy.name} does not disable it`,
          expected: 'ENABLED', actual: 'DISABLED', declaredAt: policy.declaredAt,
          facts: { accountId: account.id, region, controlId: control.controlId, ...(control.reason ? { disabledReason: control.reason } : {}) },
        });
      }
    }
  }
}
