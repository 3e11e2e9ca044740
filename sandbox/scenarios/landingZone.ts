import { pciGuardrailPolicyNames } from '../../config/model';
import { PCI_DSS_STANDARD } from '../catalog/securityHub';
import type { FakeAws } from '../fakeAws';
import type { Organization, PolicyRecord } from '../state/organization';
import { centralConfiguration } from '../state/securityHub';
import { lakeRegions, securityLakeAdmin } from '../state/securityLake';

/** What scenarios need to know about a seeded landing zone, found in the sandbox itself (no configuration needed). */
export interface LandingZone {
  org: Organization;
  management: string;
  /** The PCI guardrail SCP and the OU it is attached to. */
  pciGuardrail: PolicyRecord;
  pciOuId: string;
  pciAccounts: string[];
  nonPciAccounts: string[];
  /** Non-PCI accounts that run workloads: outside the PCI OU and administering no service, nearest the PCI OU first. */
  nonPciWorkloadAccounts: string[];
}

function fail(message: string): never {
  throw new Error(`${message}; seed the sandbox from a configuration first (rampart sandbox init --config DIR)`);
}

export function landingZone(fake: FakeAws): LandingZone {
  const org = fake.organization ?? fail('the sandbox has no organization');
  // Every guardrail SCP Rampart can generate, in the order it generates them.
  const guardrailNames = pciGuardrailPolicyNames({ ou: '', denyLeaveOrganization: true, denyDisablingSecurityServices: true, denyRegionsOutsideConfig: true, protectRampartRoles: true });
  const guardrails = guardrailNames.flatMap((name) => Object.values(org.data.policies).filter((p) => p.name === name));
  const pciGuardrail = guardrails[0] ?? fail(`the organization has none of the PCI guardrail SCPs (${guardrailNames.join(', ')})`);
  const pciOuId = pciOu(fake, org, guardrails) ?? fail('no OU carries a PCI guardrail SCP or a Security Hub policy with PCI DSS');
  const underPci = (id: string) => org.parentOf(id) === pciOuId || org.ancestors(id).includes(pciOuId);
  const members = org.accounts().filter((a) => a.id !== org.managementAccountId && a.state === 'ACTIVE');
  const nonPci = members.filter((a) => !underPci(a.id)).map((a) => a.id);
  const pciParent = org.parentOf(pciOuId);
  const nearPci = (id: string) => (pciParent && org.ancestors(id).includes(pciParent) ? 0 : 1);
  return {
    org, management: org.managementAccountId, pciGuardrail, pciOuId,
    pciAccounts: members.filter((a) => underPci(a.id)).map((a) => a.id),
    nonPciAccounts: nonPci,
    nonPciWorkloadAccounts: nonPci.filter((id) => !org.isDelegatedAdministrator(id)).sort((a, b) => nearPci(a) - nearPci(b)),
  };
}

/** The PCI OU: where a guardrail SCP is attached, else where the Security Hub policy enabling PCI DSS is associated (after a guardrail was detached). */
function pciOu(fake: FakeAws, org: Organization, guardrails: PolicyRecord[]): string | undefined {
  const isOu = (t: string) => org.targetKind(t) === 'ORGANIZATIONAL_UNIT';
  const byScp = guardrails.flatMap((p) => org.targetsForPolicy(p.id)).find(isOu);
  if (byScp) return byScp;
  const central = centralConfiguration(fake.state);
  const pciPolicies = new Set(Object.values(central?.record.policies ?? {}).filter((p) => p.standards.includes(PCI_DSS_STANDARD)).map((p) => p.id));
  return Object.entries(central?.record.associations ?? {}).find(([target, a]) => isOu(target) && pciPolicies.has(a.policyId))?.[0];
}

/** An account id from `--account` (an id or an account name), else the default. */
export function chooseAccount(zone: LandingZone, requested: string | undefined, fallback: string[], what: string): string {
  if (requested) {
    const account = zone.org.account(requested) ?? zone.org.accounts().find((a) => a.name === requested);
    if (!account) throw new Error(`--account ${requested} is neither an account id nor an account name of the organization`);
    return account.id;
  }
  return fallback[0] ?? fail(`the organization has no ${what}`);
}

/** The Security Hub administrator and its home Region, under central configuration. */
export function securityHubHome(fake: FakeAws): { admin: string; region: string } {
  const central = centralConfiguration(fake.state) ?? fail('Security Hub central configuration is not on');
  return { admin: central.admin, region: central.record.homeRegion };
}

/** The Security Lake administrator and its Regions. */
export function securityLake(fake: FakeAws): { admin: string; regions: string[] } {
  const admin = securityLakeAdmin(fake.state) ?? fail('Security Lake has no delegated administrator');
  return { admin, regions: lakeRegions(fake.state, admin) };
}
