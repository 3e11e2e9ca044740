import { DATA_SET_NAMES, type BuiltinCatalogs } from './catalogs';
import { ConfigRuleIndex, type CheckCatalogue } from './checks';
import { configRuleRef, rampartCheckMappings, securityHubControlRef, securityHubControlsByManagedRule, viaSecurityHubBasis, ControlCheckMap } from './controlChecks';
import type { Control, ControlGroup, Framework, UnresolvedMapping } from './model';

export const CCCS_MEDIUM_ID = 'cccs-medium';
export const CCCS_MEDIUM_PBHVA_ID = 'cccs-medium-pbhva';

const CCCS_PREFIX = 'CCCS-fPBMM-';

/**
 * The NIST SP 800-53 id a CCCS Medium control id is built on: `CCCS-fPBMM-AC-2(1)` is AC-2(1),
 * `CCCS-fPBMM-AU-12.A` is statement part A of AU-12.
 */
export function cccsNistId(controlId: string): { nistId: string; part?: string; shortId: string } {
  const shortId = controlId.startsWith(CCCS_PREFIX) ? controlId.slice(CCCS_PREFIX.length) : controlId;
  const partMatch = /^(.+)\.([A-Z]+)$/.exec(shortId);
  return partMatch ? { nistId: partMatch[1], part: partMatch[2], shortId } : { nistId: shortId, shortId };
}

/**
 * CCCS Medium as far as it is published machine-readably: the controls the AWS Config "Operational
 * Best Practices for CCCS Medium" conformance pack maps its rules to.
 */
export function buildCccsMedium(catalogs: BuiltinCatalogs, checks: CheckCatalogue): Framework {
  const { cccsPack, nist } = catalogs;
  const nistById = new Map(nist.controls.map((c) => [c.id, c]));
  const familyTitle = new Map(nist.families.map((f) => [f.id, f.title]));
  const rules = new ConfigRuleIndex(catalogs);
  const securityHubByRule = securityHubControlsByManagedRule(catalogs);
  const rampart = rampartCheckMappings(checks, 'nist-800-53-r5');
  const unresolved: UnresolvedMapping[] = [];
  const mappings = new ControlCheckMap();

  for (const row of cccsPack.controlToRules) {
    for (const name of row.configRules) {
      const canonical = rules.canonicalName(name);
      if (!canonical) {
        unresolved.push({ target: `${row.controlId} ← ${name}`, reason: `rule ${name} is not in the conformance pack template` });
        continue;
      }
      mappings.add(row.controlId, { ref: configRuleRef(canonical), basis: DATA_SET_NAMES.cccsPack });
      for (const securityHubControl of securityHubByRule.get(canonical) ?? []) {
        mappings.add(row.controlId, { ref: securityHubControlRef(securityHubControl), basis: viaSecurityHubBasis(canonical, DATA_SET_NAMES.cccsPack) });
      }
    }
  }

  const controls: Control[] = [];
  const families = new Set<string>();
  for (const row of cccsPack.controlToRules) {
    const { nistId, part, shortId } = cccsNistId(row.controlId);
    const nistControl = nistById.get(nistId);
    const family = nistId.split('-')[0];
    families.add(family);
    if (!nistControl) unresolved.push({ target: row.controlId, reason: `${nistId} is not in the NIST SP 800-53 r5 catalogue` });
    else if (nistControl.withdrawn) unresolved.push({ target: row.controlId, reason: `${nistId} is withdrawn in NIST SP 800-53 r5; NIST-stated checks do not apply to it` });
    const nistChecks = nistControl && !nistControl.withdrawn ? rampart.get(nistId) : [];
    controls.push({
      id: row.controlId,
      title: `${nistControl?.title ?? nistId}${part ? ` (part ${part})` : ''}`,
      groupPath: [family],
      responsibility: 'customer',
      responsibilityNote: 'No customer / AWS responsibility matrix for CCCS Medium is shipped; the control is reported as the customer\'s to evidence.',
      nistId,
      aliases: [shortId],
      checks: [...mappings.get(row.controlId), ...nistChecks],
    });
  }
  const groups: ControlGroup[] = [...families].sort().map((id) => ({ id, title: familyTitle.get(id) ?? id }));

  return {
    id: CCCS_MEDIUM_ID,
    name: 'CCCS Medium (controls of the AWS Config conformance pack)',
    kind: 'builtin',
    sources: [cccsPack.source],
    appliesTo: 'all-accounts',
    nistBased: true,
    groups,
    controls,
    notices: [
      `Only the ${controls.length} controls the AWS Config conformance-pack mapping names are known: the CCCS Medium cloud control profile (ITSP.50.103 Annex B) has no machine-readable publication Rampart could use, so its other controls are not listed. Load the full profile as a custom framework or overlay for complete coverage.`,
      'Control titles are the NIST SP 800-53 r5 titles of the controls the CCCS ids are built on.',
      'Rampart\'s NIST-stated checks apply to every statement part of the NIST control they name (e.g. a check on AU-12 applies to AU-12.A and AU-12.C).',
    ],
    unresolvedMappings: unresolved,
  };
}
