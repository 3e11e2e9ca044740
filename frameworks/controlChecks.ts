import type { BuiltinCatalogs } from './catalogs';
import { DATA_SET_NAMES } from './catalogs';
import { CONFIG_RULE_COMPLIANCE, SECURITY_HUB_CONTROL_RESULTS, type CheckCatalogue } from './checks';
import { checkRef, type CheckMapping } from './model';

/** Collects check mappings per control id, one entry per check reference (bases merged). */
export class ControlCheckMap {
  private readonly byControl = new Map<string, Map<string, CheckMapping>>();

  add(controlId: string, mapping: CheckMapping): void {
    let refs = this.byControl.get(controlId);
    if (!refs) this.byControl.set(controlId, (refs = new Map()));
    const existing = refs.get(mapping.ref);
    if (!existing) refs.set(mapping.ref, { ...mapping });
    else if (!existing.basis.split('; ').includes(mapping.basis)) existing.basis = `${existing.basis}; ${mapping.basis}`;
  }

  get(controlId: string): CheckMapping[] {
    return [...(this.byControl.get(controlId)?.values() ?? [])];
  }

  controlIds(): string[] {
    return [...this.byControl.keys()];
  }
}

export const RAMPART_CHECKS_BASIS = 'rampart-checks';

/** Rampart's own check rows for one framework, keyed by control id. */
export function rampartCheckMappings(catalogue: CheckCatalogue, framework: 'pci-dss-4.0' | 'nist-800-53-r5'): ControlCheckMap {
  const map = new ControlCheckMap();
  for (const check of catalogue.checks) {
    for (const row of check.maps) {
      if (row.framework !== framework) continue;
      map.add(row.control, { ref: checkRef(check.id, row.item), basis: RAMPART_CHECKS_BASIS, why: row.why });
    }
  }
  return map;
}

export function securityHubControlRef(controlId: string): string {
  return checkRef(SECURITY_HUB_CONTROL_RESULTS, controlId);
}

export function configRuleRef(ruleName: string): string {
  return checkRef(CONFIG_RULE_COMPLIANCE, ruleName);
}

/**
 * Security Hub PCI controls evaluated by an AWS managed Config rule, by rule name. Such a control's
 * result is that rule's result, so the rule's mappings in other data sets apply to it too.
 */
export function securityHubControlsByManagedRule(catalogs: Pick<BuiltinCatalogs, 'securityHubPci'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const control of catalogs.securityHubPci.controls) {
    if (!control.awsConfigRule || control.configRuleIsCustomSecurityHubRule) continue;
    const list = out.get(control.awsConfigRule) ?? [];
    list.push(control.securityControlId);
    out.set(control.awsConfigRule, list);
  }
  return out;
}

export function viaSecurityHubBasis(ruleName: string, dataSet: string): string {
  return `${DATA_SET_NAMES.securityHubPci} (control runs Config rule ${ruleName}) + ${dataSet}`;
}
