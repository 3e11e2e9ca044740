import { BUILTIN_CATALOGS } from '../frameworks/catalogs';
import { loadCheckCatalogue } from '../frameworks/checks';
import type { CheckResult, CheckStatus } from '../evidence/checkResult';
import type { AccountInfo } from '../evidence/resultIndex';

export interface SyntheticOptions {
  accounts: number;
  regions: readonly string[];
  /** Share of results that fail, and that could not be determined (deterministic, seeded). */
  failRate?: number;
  unknownRate?: number;
  /** Every n-th account is a PCI account. */
  pciEvery?: number;
  seed?: number;
  observedAt?: string;
}

/**
 * Check results for a large organization, shaped as the checks over the inventory produce them:
 * organization, Region, account and account × Region results for every check of the catalogue,
 * Security Hub PCI control results in PCI accounts and conformance-pack rule results everywhere.
 */
export function syntheticCheckResults(options: SyntheticOptions): { accounts: AccountInfo[]; results: CheckResult[] } {
  const { regions } = options;
  const failRate = options.failRate ?? 0.02;
  const unknownRate = options.unknownRate ?? 0.005;
  const pciEvery = options.pciEvery ?? 10;
  const observedAt = options.observedAt ?? '2026-12-04T06:00:00.000Z';
  let seed = options.seed ?? 42;
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const status = (): CheckStatus => {
    const r = random();
    return r < failRate ? 'fail' : r < failRate + unknownRate ? 'unknown' : 'pass';
  };

  const accounts: AccountInfo[] = [];
  for (let i = 0; i < options.accounts; i++) {
    const pci = i % pciEvery === 0;
    const team = String((i % 50) + 1).padStart(3, '0');
    accounts.push({ id: String(600000000000 + i), name: `workload-${String(i + 1).padStart(5, '0')}`, ou: pci ? `Workloads/Pci/Team${team}` : `Workloads/Team${team}`, pci });
  }

  const catalogue = loadCheckCatalogue();
  const byScope = (scope: string) => catalogue.checks.filter((c) => c.scope === scope && c.items === undefined);
  const pciOnly = new Set(['securityhub.pci-standard-enabled', 'drift.PciStandardMissing', 'org.pci-accounts-isolated', 'drift.PciSegmentationPath']);
  const results: CheckResult[] = [];
  const push = (checkId: string, scope: CheckResult['scope'], item?: string) => {
    const s = status();
    results.push({
      checkId, ...(item ? { item } : {}), status: s, scope, observedAt,
      detail: s === 'pass' ? 'as configured' : s === 'fail' ? `differs from the configuration (${checkId}${item ? ` ${item}` : ''})` : 'collector could not read the state (AccessDenied)',
      evidence: { observed: { checkId, item, ...scope }, expected: 'as configured', sample: s === 'fail' ? ['arn:aws:iam::123456789012:role/example'] : [] },
    });
  };

  for (const check of byScope('organization')) push(check.id, {});
  for (const region of regions) for (const check of byScope('region')) push(check.id, { region });
  const pciRules = BUILTIN_CATALOGS.pciPack.rules.map((r) => r.configRuleName);
  const securityHubControls = BUILTIN_CATALOGS.securityHubPci.controls.map((c) => c.securityControlId);
  for (const a of accounts) {
    const where = { accountId: a.id, accountName: a.name, ou: a.ou };
    for (const check of byScope('account')) if (a.pci || !pciOnly.has(check.id)) push(check.id, where);
    for (const region of regions) {
      const here = { ...where, region };
      for (const check of byScope('account-region')) if (a.pci || !pciOnly.has(check.id)) push(check.id, here);
      for (const source of ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'SH_FINDINGS']) push('securitylake.sources-collecting', here, source);
      for (const rule of pciRules) push('config.conformance-pack-compliance', here, rule);
      if (a.pci) for (const control of securityHubControls) push('securityhub.control-results', here, control);
    }
  }
  return { accounts, results };
}
