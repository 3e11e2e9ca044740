import { isUnderOu } from '../../config/model';
import type { DriftType } from '../../engine/driftTypes';
import { readScope, unreadable, type CheckContext } from './context';

export const PCI_ACCOUNTS_ISOLATED = 'org.pci-accounts-isolated';
export const PCI_GUARDRAILS_ATTACHED = 'org.pci-guardrail-scps-attached';

const GUARDRAIL_DRIFTS: DriftType[] = ['ScpMissing', 'ScpUpdated', 'ScpDetached'];

/** PCI scope boundaries in AWS Organizations: which accounts sit in the PCI OU, and its guardrail SCPs. */
export function checkOrganization(ctx: CheckContext): void {
  checkPciIsolation(ctx);
  checkPciGuardrails(ctx);
}

/** Every active account: a PCI account must sit under the PCI OU, any other account outside it. */
function checkPciIsolation(ctx: CheckContext): void {
  const pciOu = ctx.pciOuPath;
  if (!pciOu) {
    ctx.add(PCI_ACCOUNTS_ISOLATED, 'not-applicable', ctx.organizationScope(), 'the configuration has no PCI OU (organization.yaml: no OU with pci: true)');
    return;
  }
  const structure = readScope(ctx.input.inventory.organization.structure);
  if (!structure.known) {
    ctx.add(PCI_ACCOUNTS_ISOLATED, 'unknown', ctx.organizationScope({ ou: pciOu }), unreadable('The organization structure', structure.error));
    return;
  }
  for (const [accountId, actualOu] of ctx.actualOuPath) {
    const configured = ctx.accountById.get(accountId);
    const inside = isUnderOu(actualOu, pciOu);
    const evidence = { accountId, actualOu, pciOu, configuredPci: configured?.pci ?? null, configuredOu: configured?.ouPath ?? null };
    const scope = ctx.accountScope(accountId);
    if (configured?.pci) {
      if (inside) ctx.add(PCI_ACCOUNTS_ISOLATED, 'pass', scope, `PCI account sits in ${actualOu}, under the PCI OU ${pciOu}`, evidence);
      else ctx.add(PCI_ACCOUNTS_ISOLATED, 'fail', scope, `PCI account sits in ${actualOu}, outside the PCI OU ${pciOu}: it has left the cardholder-data environment's guardrails`, evidence);
    } else if (inside) {
      const why = configured ? 'the configuration does not put it in PCI scope' : 'the configuration does not list it';
      ctx.add(PCI_ACCOUNTS_ISOLATED, 'fail', scope, `account sits in ${actualOu}, under the PCI OU ${pciOu}, but ${why}`, evidence);
    } else {
      ctx.add(PCI_ACCOUNTS_ISOLATED, 'pass', scope, `non-PCI account sits in ${actualOu}, outside the PCI OU ${pciOu}`, evidence);
    }
  }
}

/** Each generated guardrail SCP: present as generated and attached to the PCI OU (drift detection compares the documents). */
function checkPciGuardrails(ctx: CheckContext): void {
  const guardrails = ctx.input.desired.organization.serviceControlPolicies.filter((scp) => scp.generated);
  const pciOu = ctx.pciOuPath;
  const scope = ctx.organizationScope({ ...(pciOu ? { ou: pciOu } : {}) });
  if (guardrails.length === 0) {
    ctx.add(PCI_GUARDRAILS_ATTACHED, 'not-applicable', scope, 'the configuration generates no PCI guardrail SCPs (organization.yaml pciGuardrails)');
    return;
  }
  const drifts = ctx.input.driftReport.drifts;
  for (const scp of guardrails) {
    const found = drifts.filter((d) => GUARDRAIL_DRIFTS.includes(d.type) && (d.facts as { policyName: string }).policyName === scp.name);
    if (found.length) {
      for (const drift of found) {
        ctx.add(PCI_GUARDRAILS_ATTACHED, 'fail', scope, `${drift.message} (${drift.type})`, { policyName: scp.name, driftId: drift.id, type: drift.type, expected: drift.expected, actual: drift.actual });
      }
      continue;
    }
    const unknown = GUARDRAIL_DRIFTS.map((type) => ctx.unknownFor(type, {})).find((u) => u !== undefined);
    if (unknown) {
      ctx.add(PCI_GUARDRAILS_ATTACHED, 'unknown', scope, unreadable(`The SCPs (${unknown.kind})`, unknown.error), { policyName: scp.name });
      continue;
    }
    const targets = scp.targets.map((t) => (t.kind === 'ou' ? `OU ${t.path}` : `account ${t.name}`)).join(', ');
    ctx.add(PCI_GUARDRAILS_ATTACHED, 'pass', scope, `SCP ${scp.name} matches the generated document and is attached to ${targets}`, { policyName: scp.name, targets });
  }
}
