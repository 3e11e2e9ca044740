import { isUnderOu } from '../model';
import { PCI_STANDARD } from '../schema/security';
import type { CrossFileRule } from './context';

/**
 * PCI accounts are isolated under the one PCI OU, and that OU gets the PCI DSS standard.
 * A configuration with no OU marked pci: true and no PCI account is out of PCI scope: nothing here applies.
 */
export const pciRules: CrossFileRule[] = [
  {
    title: 'PCI accounts under the one PCI OU, with its guardrails',
    needs: ['organization'],
    check(ctx) {
      const organization = ctx.file('organization');
      const pciOus = ctx.ous.filter((ou) => ou.pci);
      pciOus.slice(1).forEach((ou) => {
        ctx.report('organization', [...ou.fieldPath, 'pci'], {
          rule: 'pci.single-ou', found: `a second PCI OU "${ou.path}"`, expected: `one OU marked pci: true (already "${pciOus[0].path}")`,
          hint: 'nest PCI OUs under one PCI OU and mark only that one',
        });
      });
      const pciOu = pciOus[0]?.path;

      if (!pciOu) {
        const index = organization.accounts.findIndex((a) => a.pci);
        if (index >= 0) {
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

      if (!organization.pciGuardrails) {
        ctx.report('organization', pciOus[0].fieldPath, {
          rule: 'pci.guardrails-missing', found: 'a PCI OU without pciGuardrails', expected: `pciGuardrails: { ou: ${pciOu} }`,
          hint: 'add a pciGuardrails section so the PCI guardrail SCPs protect the PCI OU',
        });
      } else if (organization.pciGuardrails.ou !== pciOu && ctx.ouPaths.has(organization.pciGuardrails.ou)) {
        ctx.report('organization', ['pciGuardrails', 'ou'], {
          rule: 'pci.guardrails-ou', found: `"${organization.pciGuardrails.ou}"`, expected: `the PCI OU "${pciOu}"`,
          hint: `set pciGuardrails.ou: ${pciOu}`,
        });
      }
    },
  },
  {
    title: 'PCI DSS on the PCI OU in the Security Hub configuration policies',
    needs: ['organization', 'security'],
    check(ctx) {
      const pciOu = ctx.ous.find((ou) => ou.pci)?.path;
      if (!pciOu) return;
      const policies = ctx.file('security').securityHub.configurationPolicies;
      // The policy associated with the PCI OU, or with its nearest configured ancestor, governs it.
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
    },
  },
];
