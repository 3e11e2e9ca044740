import type { EvidenceException } from '../../config/schema/governance';
import type { CheckResult } from '../../evidence/checkResult';
import type { AccountInfo } from '../../evidence/resultIndex';
import type { Framework } from '../../frameworks/model';

export const NOW = new Date('2026-12-05T06:00:00Z');

export const ACCOUNTS: AccountInfo[] = [
  { id: '111111111111', name: 'alpha', ou: 'Workloads/Pci', pci: true },
  { id: '222222222222', name: 'beta', ou: 'Workloads/NonPci', pci: false },
];

/** A small framework over real checks: one automated control, one with no mapping, one whose check may not run. */
export function testFramework(appliesTo: Framework['appliesTo'] = 'all-accounts'): Framework {
  return {
    id: 'test-fw', name: 'Test framework', kind: 'custom', sources: ['test'], appliesTo, nistBased: false, notices: [], unresolvedMappings: [],
    groups: [{ id: 'G', title: 'Group' }],
    controls: [
      { id: 'C-AUTO', title: 'Accounts isolated', groupPath: ['G'], responsibility: 'customer', checks: [{ ref: 'org.pci-accounts-isolated', basis: 'test' }] },
      { id: 'C-MANUAL', title: 'Training done', groupPath: ['G'], responsibility: 'customer', checks: [] },
      { id: 'C-RETENTION', title: 'Logs retained', groupPath: ['G'], responsibility: 'shared', checks: [{ ref: 'securitylake.retention', basis: 'test' }] },
    ],
  };
}

export function result(status: CheckResult['status'], account?: AccountInfo, overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    checkId: 'org.pci-accounts-isolated',
    status,
    scope: account ? { accountId: account.id, accountName: account.name, ou: account.ou } : {},
    observedAt: '2026-12-05T05:00:00Z',
    detail: `${status} for ${account?.name ?? 'organization'}`,
    evidence: { account: account?.id, ou: account?.ou },
    ...overrides,
  };
}

export function exception(overrides: Partial<EvidenceException> = {}): EvidenceException {
  return {
    framework: 'test-fw', control: 'C-AUTO', scope: {}, owner: 'owner@example.com',
    justification: 'Migration of the account to its OU is scheduled with the platform team', expires: '2027-01-31', ...overrides,
  };
}
