import { flattenOus, pciOuPath, type RampartConfig } from '../../config/model';
import { pciGuardrailScps } from '../../engine/pciGuardrails';
import type { FakeAws } from '../fakeAws';
import { ACCOUNTS_QUOTA } from '../services/organizations';
import { createRole } from '../state/iam';
import { seedSecurityServices, type SecurityServicesReport } from './securityServices';

export interface SeedReport {
  organizationId: string;
  rootId: string;
  managementAccountId: string;
  /** Logical account name → account id. */
  accountIds: Record<string, string>;
  /** OU path (e.g. `Workloads/Pci`) → OU id. */
  ouIds: Record<string, string>;
  /** SCP name → policy id. */
  policyIds: Record<string, string>;
  trustedServices: string[];
  /** Service principal → delegated administrator account id. */
  delegatedAdmins: Record<string, string>;
  executionRoles: number;
}

/** Service principals Rampart's landing zone integrates with Organizations. */
const STACKSETS_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

/**
 * Builds the organization a configuration describes, as it stands once Rampart's OrganizationStack
 * and StackSets have run: OUs, accounts in their OUs, the configured SCPs and the generated PCI
 * guardrail SCPs on their targets, trusted access and delegated administrators for Security Hub,
 * Security Lake, Config and Access Analyzer, and the execution role in every member account
 * (trusting the management and security tooling accounts). Accounts without an id get one derived
 * from the sandbox seed.
 */
export function seedOrganization(fake: FakeAws, config: RampartConfig): SeedReport {
  const now = fake.clock.now();
  const random = fake.state.random;
  const { org, accountIds, management, managementId } = createOrganizationWithIds(fake, config);
  org.enablePolicyType(org.rootId, 'SERVICE_CONTROL_POLICY');

  const ouIds: Record<string, string> = { Root: org.rootId };
  for (const ou of flattenOus(config.organization.organizationalUnits)) {
    ouIds[ou.path] = org.createOu(ouIds[ou.parent], ou.name, random).id;
  }
  for (const account of config.organization.accounts) {
    if (account.name === management.name) continue;
    const parentId = ouIds[account.ou];
    if (!parentId) throw new Error(`account ${account.name} is in OU "${account.ou}", which organization.yaml does not define`);
    org.addAccount({ id: accountIds[account.name], name: account.name, email: account.email, parentId, joinedMethod: 'CREATED' }, now);
    if (Object.keys(account.tags).length) org.tagResource(accountIds[account.name], Object.entries(account.tags).map(([Key, Value]) => ({ Key, Value })));
  }

  const policyIds: Record<string, string> = {};
  const targetIdOf = (kind: 'ou' | 'account', name: string): string => {
    const id = kind === 'ou' ? ouIds[name] : accountIds[name];
    if (!id) throw new Error(`an SCP targets ${kind === 'ou' ? 'OU' : 'account'} "${name}", which organization.yaml does not define`);
    return id;
  };
  for (const scp of config.organization.serviceControlPolicies) {
    const policy = org.createPolicy({ name: scp.name, description: scp.description, type: 'SERVICE_CONTROL_POLICY', content: JSON.stringify(config.scpDocuments[scp.name]) }, random);
    policyIds[scp.name] = policy.id;
    for (const ou of scp.targets.organizationalUnits) org.attachPolicy(policy.id, targetIdOf('ou', ou));
    for (const account of scp.targets.accounts) org.attachPolicy(policy.id, targetIdOf('account', account));
  }
  const pciOu = config.organization.pciGuardrails?.ou ?? pciOuPath(config);
  for (const scp of pciGuardrailScps(config)) {
    const policy = org.createPolicy({ name: scp.name, description: scp.description, type: 'SERVICE_CONTROL_POLICY', content: JSON.stringify(scp.document) }, random);
    policyIds[scp.name] = policy.id;
    if (pciOu) org.attachPolicy(policy.id, targetIdOf('ou', pciOu));
  }
  if (!config.organization.keepFullAwsAccess) {
    // FullAWSAccess can only leave targets that keep another SCP (AWS requires one on every target).
    for (const target of [...org.targetsForPolicy('p-FullAWSAccess')]) {
      if (org.attachedPolicies(target, 'SERVICE_CONTROL_POLICY').length > 1) org.detachPolicy('p-FullAWSAccess', target);
    }
  }

  const securityTooling = accountIds[config.organization.mandatoryAccounts.securityTooling];
  const delegations: [string, string][] = [
    ['securityhub.amazonaws.com', accountIds[config.security.securityHub.delegatedAdmin]],
    ['securitylake.amazonaws.com', accountIds[config.securityLake.delegatedAdmin]],
    ['config.amazonaws.com', accountIds[config.security.config.aggregator.account]],
    ['config-multiaccountsetup.amazonaws.com', accountIds[config.security.config.aggregator.account]],
    ['access-analyzer.amazonaws.com', securityTooling],
  ];
  const trustedServices = [...delegations.map(([principal]) => principal), STACKSETS_PRINCIPAL];
  for (const principal of trustedServices) org.enableServiceAccess(principal, now);
  const delegatedAdmins: Record<string, string> = {};
  for (const [principal, accountId] of delegations) {
    if (!accountId) throw new Error(`the delegated administrator for ${principal} is not an account of organization.yaml`);
    org.registerDelegatedAdministrator(accountId, principal, now);
    delegatedAdmins[principal] = accountId;
  }

  const executionRoles = createExecutionRoles(fake, config, accountIds);

  return { organizationId: org.id, rootId: org.rootId, managementAccountId: managementId, accountIds, ouIds, policyIds, trustedServices, delegatedAdmins, executionRoles };
}

/** The organization with an id for every configured account (configured, else derived from the sandbox seed); no OUs, policies or accounts yet. */
function createOrganizationWithIds(fake: FakeAws, config: RampartConfig) {
  const random = fake.state.random;
  const accountIds: Record<string, string> = {};
  const usedIds = new Set(config.organization.accounts.flatMap((a) => (a.id ? [a.id] : [])));
  for (const account of config.organization.accounts) {
    let id = account.id;
    while (!id) {
      const candidate = `${1 + random.int(9)}${random.digits(11)}`;
      if (!usedIds.has(candidate)) id = candidate;
    }
    usedIds.add(id);
    accountIds[account.name] = id;
  }

  const management = config.organization.accounts.find((a) => a.name === config.global.managementAccount);
  if (!management) throw new Error(`the configuration names management account "${config.global.managementAccount}" but organization.yaml has no such account`);
  const managementId = accountIds[management.name];
  const org = fake.createOrganization({ managementAccountId: managementId, email: management.email, name: management.name });
  // An organization of this size has had its account quota raised; leave room to create more.
  fake.state.setQuota(managementId, ACCOUNTS_QUOTA, Math.max(10, config.organization.accounts.length + 10));
  return { org, accountIds, management, managementId };
}

/** The execution role in every member account (a service-managed StackSet deploys it), trusting the management and security tooling accounts. */
function createExecutionRoles(fake: FakeAws, config: RampartConfig, accountIds: Record<string, string>): number {
  const managementId = accountIds[config.global.managementAccount];
  const securityTooling = accountIds[config.organization.mandatoryAccounts.securityTooling];
  const trustPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { AWS: [...new Set([managementId, securityTooling])].map((id) => `arn:aws:iam::${id}:root`) },
      Action: 'sts:AssumeRole',
    }],
  });
  let executionRoles = 0;
  for (const account of config.organization.accounts) {
    if (account.name === config.global.managementAccount) continue;
    createRole(fake.state, accountIds[account.name], {
      name: config.global.executionRoleName,
      assumeRolePolicy: trustPolicy,
      description: 'Rampart collects, remediates and gathers evidence in this account through this role',
      tags: Object.entries(config.global.tags).map(([Key, Value]) => ({ Key, Value })),
    }, fake.clock.now(), fake.state.random);
    executionRoles++;
  }
  return executionRoles;
}

export interface NewOrganizationReport {
  managementAccountId: string;
  /** Logical account name → account id. */
  accountIds: Record<string, string>;
  executionRoles: number;
}

/**
 * An organization as account vending leaves it, before Rampart builds anything: every configured
 * account created and sitting in the root, SCPs enabled with only FullAWSAccess, no OUs, no trusted
 * access or delegated administrators, no security services; plus the execution role in each member
 * account, which a service-managed StackSet deploys (Rampart's executor does not create roles).
 */
export function seedNewOrganization(fake: FakeAws, config: RampartConfig): NewOrganizationReport {
  const now = fake.clock.now();
  const { org, accountIds, management, managementId } = createOrganizationWithIds(fake, config);
  org.enablePolicyType(org.rootId, 'SERVICE_CONTROL_POLICY');
  for (const account of config.organization.accounts) {
    if (account.name === management.name) continue;
    org.addAccount({ id: accountIds[account.name], name: account.name, email: account.email, parentId: org.rootId, joinedMethod: 'CREATED' }, now);
    if (Object.keys(account.tags).length) org.tagResource(accountIds[account.name], Object.entries(account.tags).map(([Key, Value]) => ({ Key, Value })));
  }
  // Service-managed StackSets need trusted access before they can deploy the execution role.
  org.enableServiceAccess(STACKSETS_PRINCIPAL, now);
  return { managementAccountId: managementId, accountIds, executionRoles: createExecutionRoles(fake, config, accountIds) };
}

/**
 * The whole landing zone a configuration describes: the organization (seedOrganization) and the
 * security services on it (seedSecurityServices), each built through the services' own
 * operations. A freshly seeded organization has no drift.
 */
export async function seedLandingZone(fake: FakeAws, config: RampartConfig): Promise<SeedReport & { security: SecurityServicesReport }> {
  const report = seedOrganization(fake, config);
  return { ...report, security: await seedSecurityServices(fake, config, report) };
}
