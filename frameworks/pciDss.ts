import { DATA_SET_NAMES, type BuiltinCatalogs } from './catalogs';
import { ConfigRuleIndex, type CheckCatalogue } from './checks';
import { configRuleRef, rampartCheckMappings, securityHubControlRef, ControlCheckMap } from './controlChecks';
import type { Control, ControlGroup, Framework, Responsibility, ResponsibilitySplit, UnresolvedMapping } from './model';

export const PCI_DSS_ID = 'pci-dss-4.0';

/**
 * PCI DSS v4.0: 12 principal requirements, 63 sub-requirements (groups) and the 249 third-level
 * requirements (controls). Evidence comes from the Security Hub PCI DSS v4.0.1 controls, the
 * AWS Config PCI DSS 4.0 conformance pack and Rampart's own checks.
 */
export function buildPciDss(catalogs: BuiltinCatalogs, checks: CheckCatalogue): Framework {
  const { pci, securityHubPci, pciPack } = catalogs;
  const groups: ControlGroup[] = [];
  const controls: Control[] = [];
  const unresolved: UnresolvedMapping[] = [];
  const mappings = new ControlCheckMap();

  for (const [requirement, controlIds] of Object.entries(securityHubPci.requirementToControls)) {
    for (const id of controlIds) mappings.add(requirement, { ref: securityHubControlRef(id), basis: DATA_SET_NAMES.securityHubPci });
  }
  const rules = new ConfigRuleIndex(catalogs);
  for (const row of pciPack.controlToRules) {
    for (const name of row.configRules) {
      const canonical = rules.canonicalName(name);
      if (canonical) mappings.add(row.controlId, { ref: configRuleRef(canonical), basis: DATA_SET_NAMES.pciPack });
      else unresolved.push({ target: `${row.controlId} ← ${name}`, reason: `rule ${name} is not in the conformance pack template` });
    }
  }
  const rampart = rampartCheckMappings(checks, PCI_DSS_ID);

  for (const requirement of pci.requirements) {
    const split = requirement.serverlessReferenceArchitectureSplit;
    groups.push({ id: requirement.id, title: requirement.shortTitle, responsibilitySplit: split });
    const responsibility = responsibilityOf(split);
    const responsibilityNote =
      `AWS serverless PCI reference architecture, requirement ${requirement.id}: of ${split.testCases} test cases ${split.customer} customer, ` +
      `${split.aws} AWS, ${split.notApplicable} not applicable (the split is published per principal requirement only)`;
    for (const sub of requirement.subRequirements) {
      groups.push({ id: sub.id, title: sub.shortTitle, parentId: requirement.id });
      for (const id of sub.thirdLevelIds) {
        controls.push({
          id,
          title: `Part of ${sub.id}: ${sub.shortTitle}`,
          groupPath: [requirement.id, sub.id],
          responsibility,
          responsibilityNote,
          checks: [...mappings.get(id), ...rampart.get(id)],
        });
      }
    }
  }

  const known = new Set(controls.map((c) => c.id));
  const outside = new Map<string, number>();
  for (const id of mappings.controlIds()) if (!known.has(id)) outside.set(id, mappings.get(id).length);
  for (const [id, count] of outside) {
    unresolved.push({ target: id, reason: `${count} mapped check(s) for a requirement outside the catalogue (PCI DSS appendices A1-A3 are not in the requirement list)` });
  }
  for (const id of rampart.controlIds()) {
    if (!known.has(id)) unresolved.push({ target: id, reason: 'rampart-checks.yaml maps to a requirement id that is not in the catalogue' });
  }

  return {
    id: PCI_DSS_ID,
    name: 'PCI DSS v4.0',
    kind: 'builtin',
    version: '4.0',
    sources: [pci.source, securityHubPci.source, pciPack.source],
    appliesTo: 'pci-accounts',
    nistBased: false,
    groups,
    controls,
    notices: [
      'Requirement titles are short paraphrases, not PCI SSC text; the data set has no titles for third-level requirements, so each shows its sub-requirement\'s. Read the standard for the requirement itself.',
      'Third-level requirement ids come from a secondary source and were not checked line by line against the standard; appendices A1-A3 are not in the catalogue.',
      'The customer / AWS / not-applicable split is published per principal requirement (AWS serverless reference architecture); each requirement shows its principal requirement\'s split.',
      `Security Hub controls: ${securityHubPci.counts.controls} from the AWS documentation (${securityHubPci.counts.controlsInLatestDocRevision} in its latest revision); ${securityHubPci.counts.withUnverifiedFields} have fields that need checking against ListStandardsControlAssociations.`,
      'Only results from PCI accounts (and organization-wide results) are judged.',
    ],
    unresolvedMappings: unresolved,
  };
}

function responsibilityOf(split: ResponsibilitySplit): Responsibility {
  if (split.customer > 0 && split.aws > 0) return 'shared';
  if (split.customer > 0) return 'customer';
  if (split.aws > 0) return 'aws';
  return 'not-applicable';
}
