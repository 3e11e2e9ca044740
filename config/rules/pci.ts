import { isUnderOu } from '../model';
import { PCI_STANDARD } from '../schema/security';
import type { RuleContext } from './context';

/** PCI accounts are isolated under the one PCI OU, and that OU gets the PCI DSS standard. */
export function checkPciSegmentation(ctx: RuleContext): void {
  const { organization, security } = ctx.config;
  const pciOus = ctx.ous.filter((ou) => ou.pci);
  pciOus.slice(1).forEach((ou) => {
    ctx.report('organization', [...ou.fieldPath, 'pci'], {
      rule: 'pci.single-ou', found: `a second PCI OU "${ou.path}"`, expected: `one OU marked pci: true (already "${pciOus[0].path}")`,
      hint: 'nest PCI OUs under one PCI OU and mark only that one',
    });
  });
  const pciOu = pciOus[0]?.path;
  const hasPciAccounts = organization.accounts.some((a) => a.pci);

  if (!pciOu) {
    if (hasPciAccounts) {
      const index = organization.accounts.findIndex((a) => a.pci);
      ctx.report('organization', ['accounts', index, 'pci'], {
        rule: 'pci.no-ou', found: 'a PCI account but no OU marked pci: true', expected: 'a PCI OU',
        hint: 'mark the OU that holds PCI accounts with pci: true under organizationalUnits',
      });
    }
    if (organization.pciGuardrails) {
      ctx.report('organization', ['pciGuardrails', 'ou'], {
        rule: 'pci.no-ou', found: `pciGuardrails on "${organization.pciGuardrails.ou}", which is not marked pci: true`,
        expected: 'the OU marked pci: true', hint: `add pci: true to OU "${organization.pciGuardrails.ou}"`,
      });
    }
    return;
  }

  organization.accounts.forEach((account, index) => {
    const underPci = isUnderOu(account.ou, pciOu);
    if (account.pci && !underPci) {
      ctx.report('organization', ['accounts', index, 'ou'], {
        rule: 'pci.account-outside-pci-ou', found: `PCI account "${account.name}" in "${account.ou}"`, expected: `an OU under "${pciOu}"`,
        hint: `move it: ou: ${pciOu}, or set pci: false if it is out of scope`,
      });
    }
    if (!account.pci && underPci) {
      ctx.report('organization', ['accounts', index, 'ou'], {
        rule: 'pci.non-pci-account-in-pci-ou', found: `non-PCI account "${account.name}" in "${account.ou}"`, expected: `no non-PCI account under "${pciOu}"`,
        hint: 'mark it pci: true if it is in scope, otherwise move it to a non-PCI OU',
      });
    }
  });

  if (organization.pciGuardrails && organization.pciGuardrails.ou !== pciOu && ctx.ouPaths.has(organization.pciGuardrails.ou)) {
    ctx.report('organization', ['pciGuardrails', 'ou'], {
      rule: 'pci.guardrails-ou', found: `"${organization.pciGuardrails.ou}"`, expected: `the PCI OU "${pciOu}"`,
      hint: `set pciGuardrails.ou: ${pciOu}`,
    });
  }
  if (!organization.pciGuardrails) {
    const pciOuEntry = pciOus[0];
    ctx.report('organization', pciOuEntry.fieldPath, {
      rule: 'pci.guardrails-missing', found: 'a PCI OU without pciGuardrails', expected: `pciGuardrails: { ou: ${pciOu} }`,
      hint: 'add a pciGuardrails section so the PCI guardrail SCPs protect the PCI OU',
    });
  }

  // Central configuration: the policy associated with the PCI OU (or its nearest configured ancestor) must include PCI DSS.
  const policies = security.securityHub.configurationPolicies;
  const governing = policies
    .map((policy, index) => ({ policy, index, target: policy.targets.filter((t) => isUnderOu(pciOu, t)).sort((a, b) => b.length - a.length)[0] }))
    .filter((p) => p.target !== undefined)
    .sort((a, b) => (b.target as string).length - (a.target as string).length)[0];
  if (!governing) {
    ctx.report('security', ['securityHub', 'configurationPolicies'], {
      rule: 'pci.standard', found: `no configuration policy reaches the PCI OU "${pciOu}"`, expected: `a policy targeting "${pciOu}" with ${PCI_STANDARD}`,
      hint: `add a configuration policy with targets: [${pciOu}] and standards: [${PCI_STANDARD}, aws-foundational-security-best-practices-v1.0.0]`,
    });
  } else if (!governing.policy.standards.includes(PCI_STANDARD)) {
    ctx.report('security', ['securityHub', 'configurationPolicies', governing.index, 'standards'], {
      rule: 'pci.standard', found: `policy "${governing.policy.name}" governs the PCI OU without ${PCI_STANDARD}`, expected: `${PCI_STANDARD} among the standards`,
      hint: `add ${PCI_STANDARD} to this policy's standards`,
    });
  }
  policies.forEach((policy, index) => {
    if (!policy.standards.includes(PCI_STANDARD)) return;
    policy.targets.forEach((target, i) => {
      if (!isUnderOu(target, pciOu) && ctx.ouPaths.has(target)) {
        ctx.report('security', ['securityHub', 'configurationPolicies', index, 'targets', i], {
          rule: 'pci.standard-outside-pci', severity: 'warning', found: `${PCI_STANDARD} on non-PCI OU "${target}"`, expected: 'PCI DSS only where PCI accounts are',
          hint: 'drop this target or move its PCI accounts under the PCI OU; assessing non-PCI accounts widens the audit scope',
        });
      }
    });
  });

  // AWS associates each target with exactly one configuration policy.
  const targetOwner = new Map<string, string>();
  policies.forEach((policy, index) => {
    policy.targets.forEach((target, i) => {
      const owner = targetOwner.get(target);
      if (owner) {
        ctx.report('security', ['securityHub', 'configurationPolicies', index, 'targets', i], {
          rule: 'securityhub.target-twice', found: `"${target}" also targeted by policy "${owner}"`, expected: 'each OU associated with one configuration policy',
          hint: 'remove the target from one of the policies',
        });
      } else targetOwner.set(target, policy.name);
    });
  });
}
