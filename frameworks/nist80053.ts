import { DATA_SET_NAMES, type BuiltinCatalogs } from './catalogs';
import { cccsNistId } from './cccsMedium';
import { ConfigRuleIndex, type CheckCatalogue } from './checks';
import { configRuleRef, rampartCheckMappings, securityHubControlRef, securityHubControlsByManagedRule, viaSecurityHubBasis, ControlCheckMap } from './controlChecks';
import type { Control, Framework, UnresolvedMapping } from './model';

export const NIST_800_53_ID = 'nist-800-53-r5';

const VIA_CCCS = `${DATA_SET_NAMES.cccsPack} (CCCS control ids are NIST ids)`;

/**
 * NIST SP 800-53 r5: the active controls and enhancements (withdrawn ones are not reportable),
 * grouped by family, with baseline membership. Evidence comes from Rampart's NIST-stated checks
 * and, through the CCCS Medium conformance-pack mapping (CCCS ids are NIST ids), from AWS Config
 * rules and the Security Hub controls that run the same rules.
 */
export function buildNist80053(catalogs: BuiltinCatalogs, checks: CheckCatalogue): Framework {
  const { nist, cccsPack } = catalogs;
  const active = nist.controls.filter((c) => !c.withdrawn);
  const activeIds = new Set(active.map((c) => c.id));
  const rules = new ConfigRuleIndex(catalogs);
  const securityHubByRule = securityHubControlsByManagedRule(catalogs);
  const unresolved: UnresolvedMapping[] = [];
  const mappings = new ControlCheckMap();

  for (const row of cccsPack.controlToRules) {
    const { nistId } = cccsNistId(row.controlId);
    if (!activeIds.has(nistId)) {
      unresolved.push({ target: row.controlId, reason: `CCCS control built on ${nistId}, which is not an active NIST SP 800-53 r5 control; its ${row.configRules.length} rule mapping(s) are not carried over` });
      continue;
    }
    for (const name of row.configRules) {
      const canonical = rules.canonicalName(name);
      if (!canonical) continue; // reported by the CCCS Medium framework
      mappings.add(nistId, { ref: configRuleRef(canonical), basis: VIA_CCCS });
      for (const securityHubControl of securityHubByRule.get(canonical) ?? []) {
        mappings.add(nistId, { ref: securityHubControlRef(securityHubControl), basis: viaSecurityHubBasis(canonical, VIA_CCCS) });
      }
    }
  }
  const rampart = rampartCheckMappings(checks, NIST_800_53_ID);
  for (const id of rampart.controlIds()) {
    if (!activeIds.has(id)) unresolved.push({ target: id, reason: 'rampart-checks.yaml maps to an id that is not an active NIST SP 800-53 r5 control' });
  }

  const controls: Control[] = active.map((c) => ({
    id: c.id,
    title: c.title,
    groupPath: [c.family],
    responsibility: 'customer',
    responsibilityNote: 'No customer / AWS responsibility matrix for NIST SP 800-53 is shipped; the control is reported as the customer\'s to evidence (inherit AWS\'s share from its FedRAMP package).',
    nistId: c.id,
    baselines: c.baselines ?? [],
    checks: [...mappings.get(c.id), ...rampart.get(c.id)],
  }));

  return {
    id: NIST_800_53_ID,
    name: 'NIST SP 800-53 Rev. 5',
    kind: 'builtin',
    version: 'Rev. 5',
    sources: [nist.source, cccsPack.source],
    appliesTo: 'all-accounts',
    nistBased: true,
    groups: nist.families.map((f) => ({ id: f.id, title: f.title })),
    controls,
    notices: [
      `${nist.counts.withdrawn} withdrawn controls are not reported; ${controls.length} active controls and enhancements are.`,
      'The catalogue comes from the NIST 2020/2021 CSV export; controls added in Rev. 5.1.1/5.2.0 outside any baseline may be missing.',
      'AWS Config rule mappings come from the CCCS Medium conformance pack (its control ids are NIST ids); Rampart ships no NIST SP 800-53 conformance-pack mapping.',
    ],
    unresolvedMappings: unresolved,
  };
}
