import { BUILTIN_CATALOGS } from '../../frameworks/catalogs';
import { loadCheckCatalogue } from '../../frameworks/checks';
import type { RampartConfig } from '../../config/model';
import type { CheckResult } from '../../evidence/checkResult';

/**
 * Check results for the pci-org example as a clean organization would produce them: every check of
 * the catalogue passes in its scope (PCI-only checks and Security Hub PCI controls in PCI accounts,
 * conformance-pack rules everywhere). `overrides` change chosen results.
 */
export function cleanOrgResults(config: RampartConfig, observedAt = '2026-12-05T05:00:00Z'): CheckResult[] {
  const catalogue = loadCheckCatalogue();
  const regions = config.global.enabledRegions;
  const pciOnly = new Set(['securityhub.pci-standard-enabled', 'drift.PciStandardMissing', 'org.pci-accounts-isolated', 'drift.PciSegmentationPath']);
  const out: CheckResult[] = [];
  const push = (checkId: string, scope: CheckResult['scope'], item?: string) =>
    out.push({ checkId, ...(item ? { item } : {}), status: 'pass', scope, observedAt, detail: 'as configured', evidence: { checkId, item, scope } });
  const plain = (scope: string) => catalogue.checks.filter((c) => c.scope === scope && c.items === undefined);
  for (const check of plain('organization')) push(check.id, {});
  for (const region of regions) for (const check of plain('region')) push(check.id, { region });
  for (const account of config.organization.accounts) {
    const where = { accountId: account.id as string, accountName: account.name, ou: account.ou };
    const pci = account.pci === true;
    for (const check of plain('account')) if (pci || !pciOnly.has(check.id)) push(check.id, where);
    for (const region of regions) {
      const here = { ...where, region };
      for (const check of plain('account-region')) if (pci || !pciOnly.has(check.id)) push(check.id, here);
      for (const source of ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'SH_FINDINGS']) push('securitylake.sources-collecting', here, source);
      for (const rule of BUILTIN_CATALOGS.pciPack.rules) push('config.conformance-pack-compliance', here, rule.configRuleName);
      if (pci) for (const control of BUILTIN_CATALOGS.securityHubPci.controls) push('securityhub.control-results', here, control.securityControlId);
    }
  }
  return out;
}

export function withFailure(results: CheckResult[], match: (r: CheckResult) => boolean, detail: string, evidence: unknown): CheckResult[] {
  return results.map((r) => (match(r) ? { ...r, status: 'fail', detail, evidence } : r));
}
