import type { DesiredScp } from '../desiredState';
import { scpAttachmentSubject, scpTargetScope, type JsonValue, type ScpTargetRef } from '../drift';
import { canonicalJson, sorted, type DriftCheckContext } from './context';

/** OUs, accounts, SCPs, trusted access and delegated administrators. */
export function checkOrganization(ctx: DriftCheckContext): void {
  checkStructure(ctx);
  checkPolicies(ctx);
  checkTrustedAccess(ctx);
  checkDelegatedAdministrators(ctx);
}

function checkStructure(ctx: DriftCheckContext): void {
  if (!ctx.structure || !ctx.wants('OuDeleted', 'AccountRemoved', 'AccountMovedOu', 'AccountNotInConfig')) return;
  const { organization } = ctx.desired;

  for (const ou of organization.organizationalUnits) {
    if (ctx.ouIdByPath.has(ou.path)) continue;
    const parentId = ctx.ouIdByPath.get(ou.parentPath);
    ctx.add('OuDeleted', { ouPath: ou.path }, 'OU', {
      message: `OU ${ou.path} does not exist in the organization`,
      expected: ou.path, actual: null, declaredAt: ou.declaredAt,
      facts: { ouPath: ou.path, name: ou.name, parentPath: ou.parentPath, ...(parentId ? { parentId } : {}) },
    });
  }

  const matched = new Set<string>();
  for (const account of organization.accounts) {
    const id = ctx.accountIdByName.get(account.name);
    const live = id ? ctx.orgAccounts.get(id) : undefined;
    if (id && live) matched.add(id);
    const scope = ctx.accountScope({ ...account, id });
    if (!id || !live || live.status !== 'ACTIVE') {
      const status = live && live.status !== 'ACTIVE' ? live.status : 'ABSENT';
      ctx.add('AccountRemoved', scope, 'membership', {
        message: live
          ? `account ${account.name} (${id}) is ${live.status} in the organization`
          : `account ${account.name}${id ? ` (${id})` : ` <${account.email}>`} is not in the organization`,
        expected: 'ACTIVE', actual: status, declaredAt: account.declaredAt,
        facts: { accountName: account.name, ...(id ? { accountId: id } : {}), status },
      });
      continue;
    }
    const actualOuPath = ctx.ouPathById.get(live.parentId) ?? live.parentId;
    if (actualOuPath !== account.ouPath) {
      const expectedParentId = ctx.ouIdByPath.get(account.ouPath);
      ctx.add('AccountMovedOu', scope, 'parent OU', {
        message: `account ${account.name} (${id}) is in ${actualOuPath}; the configuration puts it in ${account.ouPath}`,
        expected: account.ouPath, actual: actualOuPath, declaredAt: account.ouDeclaredAt,
        facts: { accountId: id, expectedOuPath: account.ouPath, ...(expectedParentId ? { expectedParentId } : {}), actualOuPath, actualParentId: live.parentId },
      });
    }
  }

  for (const live of ctx.orgAccounts.values()) {
    if (matched.has(live.id) || live.status !== 'ACTIVE') continue;
    const ouPath = ctx.ouPathById.get(live.parentId) ?? live.parentId;
    ctx.add('AccountNotInConfig', { accountId: live.id, accountName: live.name, ouPath }, 'membership', {
      message: `account ${live.name} (${live.id}) in ${ouPath} is not in the configuration`,
      expected: null, actual: { id: live.id, name: live.name, email: live.email, ouPath }, declaredAt: organization.accountsDeclaredAt,
      facts: { accountId: live.id, name: live.name, email: live.email, ouPath },
    });
  }
}

function checkPolicies(ctx: DriftCheckContext): void {
  if (!ctx.wants('ScpMissing', 'ScpUpdated', 'ScpDetached')) return;
  const policies = ctx.read({ kind: 'organizations.policies' }, ctx.inventory.organization.policies, ['ScpMissing', 'ScpUpdated', 'ScpDetached']);
  if (!policies) return;
  const byName = new Map(policies.serviceControlPolicies.filter((p) => !p.awsManaged).map((p) => [p.name, p]));

  for (const scp of ctx.desired.organization.serviceControlPolicies) {
    const live = byName.get(scp.name);
    const document = scp.document as JsonValue;
    if (!live) {
      ctx.add('ScpMissing', {}, `SCP ${scp.name}`, {
        message: `SCP ${scp.name} does not exist`,
        expected: document, actual: null, declaredAt: scp.declaredAt,
        facts: { policyName: scp.name, description: scp.description, document, targets: scp.targets.map((target) => targetRef(ctx, target)) },
      });
      continue;
    }
    if (canonicalJson(live.document) !== canonicalJson(scp.document)) {
      ctx.add('ScpUpdated', {}, `SCP ${scp.name} document`, {
        message: `SCP ${scp.name} (${live.id}) differs from the configured document`,
        expected: document, actual: live.document as JsonValue, declaredAt: scp.declaredAt,
        facts: { policyName: scp.name, policyId: live.id, document },
      });
    }
    if (!ctx.structure) continue;
    const attached = new Set(live.targets.map((t) => t.targetId));
    for (const target of scp.targets) {
      const ref = targetRef(ctx, target);
      // A target that does not exist is its own drift (OuDeleted, AccountRemoved).
      if (!ref.targetId || (ref.kind === 'account' && !ctx.orgAccounts.has(ref.targetId))) continue;
      if (attached.has(ref.targetId)) continue;
      const accountOuPath = target.kind === 'account' ? ctx.desiredAccountByName.get(target.name)?.ouPath : undefined;
      ctx.add('ScpDetached', scpTargetScope(ref, accountOuPath), scpAttachmentSubject(scp.name), {
        message: `SCP ${scp.name} is not attached to ${target.kind === 'ou' ? `OU ${target.path}` : `account ${target.name}`}`,
        expected: sorted([...attached, ref.targetId]), actual: sorted(attached), declaredAt: target.declaredAt,
        facts: { policyName: scp.name, policyId: live.id, target: { ...ref, targetId: ref.targetId } },
      });
    }
  }
}

function targetRef(ctx: DriftCheckContext, target: DesiredScp['targets'][number]): ScpTargetRef {
  const name = target.kind === 'ou' ? target.path : target.name;
  const targetId = target.kind === 'ou' ? ctx.ouIdByPath.get(target.path) : ctx.accountIdByName.get(target.name);
  return { kind: target.kind, name, ...(targetId ? { targetId } : {}) };
}

function checkTrustedAccess(ctx: DriftCheckContext): void {
  if (!ctx.wants('TrustedAccessDisabled')) return;
  const trusted = ctx.read({ kind: 'organizations.trustedAccess' }, ctx.inventory.organization.trustedAccess, ['TrustedAccessDisabled']);
  if (!trusted) return;
  const enabled = new Set(trusted.servicePrincipals);
  for (const need of ctx.desired.organization.trustedAccess) {
    if (enabled.has(need.servicePrincipal)) continue;
    ctx.add('TrustedAccessDisabled', {}, `trusted access ${need.servicePrincipal}`, {
      message: `trusted access for ${need.servicePrincipal} is disabled; ${need.neededFor} needs it`,
      expected: 'enabled', actual: 'disabled', declaredAt: need.declaredAt,
      facts: { servicePrincipal: need.servicePrincipal },
    });
  }
}

function checkDelegatedAdministrators(ctx: DriftCheckContext): void {
  if (!ctx.wants('DelegatedAdminMismatch')) return;
  const delegated = ctx.read({ kind: 'organizations.delegatedAdministrators' }, ctx.inventory.organization.delegatedAdministrators, ['DelegatedAdminMismatch']);
  if (!delegated) return;
  for (const need of ctx.desired.organization.delegatedAdministrators) {
    const expectedAccountId = ctx.accountIdByName.get(need.account);
    if (!expectedAccountId) continue; // the account itself is missing: AccountRemoved says so
    const actual = delegated.byServicePrincipal[need.servicePrincipal] ?? [];
    if (actual.includes(expectedAccountId)) continue;
    ctx.add('DelegatedAdminMismatch', {}, `delegated administrator ${need.servicePrincipal}`, {
      message: actual.length
        ? `${need.servicePrincipal} is administered by ${actual.join(', ')}; the configuration names ${need.account} (${expectedAccountId})`
        : `${need.servicePrincipal} has no delegated administrator; the configuration names ${need.account} (${expectedAccountId})`,
      expected: expectedAccountId, actual: sorted(actual), declaredAt: need.declaredAt,
      facts: { servicePrincipal: need.servicePrincipal, expectedAccountId, actualAccountIds: sorted(actual) },
    });
  }
}
