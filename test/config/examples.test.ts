import { loadConfig } from '../../config/load';
import { formatIssue } from '../../config/errors';

describe('shipped example configurations', () => {
  it.each(['config/examples/pci-org'])('%s validates with no errors', (dir) => {
    const result = loadConfig(dir, { now: new Date('2026-12-04T00:00:00Z') });
    expect(result.issues.filter((i) => i.severity === 'error').map(formatIssue)).toEqual([]);
    expect(result.config?.organization.accounts.length).toBeGreaterThan(0);
  });
});
