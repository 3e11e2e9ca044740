import { collectInventory } from '../../aws/collect/collectInventory';
import { assembleInventory } from '../../aws/collect/assemble';
import { scopesOfUnit } from '../../aws/collect/aggregates';
import { detectDrift } from '../../engine/detectDrift';
import { parseInventory, serializeInventory, type Inventory } from '../../engine/inventory';
import { findScenario } from '../../sandbox/scenarios';
import { IDS, pciOrg, seededPciOrg, toolingClients } from './sandbox';

const COLLECTED_AT = '2026-12-04T10:00:00.000Z';

function sources(inventory: Inventory): Record<string, number> {
  return Object.fromEntries(inventory.metadata.sources.map((s) => [`${s.scope} ${s.via}`, s.scopes]));
}

describe('the collectors', () => {
  it('read a clean organization from the organization-wide views, per account only the PCI accounts\' roles, into a valid inventory', async () => {
    const fake = await seededPciOrg();
    const inventory = await collectInventory(toolingClients(fake), pciOrg().desired, { collectedAt: COLLECTED_AT, maxConcurrency: 4 });
    expect(parseInventory(serializeInventory(inventory)).issues).toEqual([]);
    expect(sources(inventory)).toEqual({
      'accessanalyzer.region aggregate': 3, 'config.aggregators aggregate': 1, 'config.conformancePacks aggregate': 3,
      // 8 accounts × 3 Regions, the management account's included: the aggregator sees them deliver.
      'config.recorder aggregate': 24, 'iam.account per-account': 2,
      'organizations.delegatedAdministrators aggregate': 1, 'organizations.policies aggregate': 1, 'organizations.structure aggregate': 1, 'organizations.trustedAccess aggregate': 1,
      // 7 accounts governed by a policy × 3 Regions (the management account sits at the root, which no policy targets).
      'securityhub.account aggregate': 21, 'securityhub.organization aggregate': 1, 'securitylake.region aggregate': 3,
    });
    const report = detectDrift(pciOrg().desired, inventory);
    expect([report.drifts, report.unknownScopes]).toEqual([[], []]);
    expect(Object.keys(inventory.metadata.callCounts).every((key) => /^[a-z-]+:[A-Z]\w+$/.test(key))).toBe(true);
    // Nothing acted as the management account: Rampart reads the organization through its delegated read access.
    expect(fake.calls.filter({ account: IDS.management })).toEqual([]);
  });

  it('read a self-managed account\'s hub in the account, each Region, because no policy vouches for it', async () => {
    const fake = await seededPciOrg();
    await findScenario('pci-standard-disabled')?.apply(fake, { account: IDS.paymentsProd });
    const inventory = await collectInventory(toolingClients(fake), pciOrg().desired, { collectedAt: COLLECTED_AT, maxConcurrency: 4 });
    expect(sources(inventory)['securityhub.account per-account']).toBe(3);
    const hub = inventory.accounts[IDS.paymentsProd].regions['us-east-1'].securityHub;
    expect(hub?.status === 'ok' && hub.standards.map((s) => s.standardArn)).toEqual(['arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0']);
    expect(detectDrift(pciOrg().desired, inventory).drifts.map((d) => [d.type, d.scope.accountId, d.scope.region])).toEqual([['PciStandardMissing', IDS.paymentsProd, 'us-east-1']]);
  });

  it('leave what they cannot read unknown, with the error, and read everything else', async () => {
    const fake = await seededPciOrg();
    await findScenario('config-recorder-stopped')?.apply(fake, { account: IDS.paymentsProd });
    fake.faults.accessDenied({ accounts: [IDS.paymentsProd] });
    const inventory = await collectInventory(toolingClients(fake), pciOrg().desired, { collectedAt: COLLECTED_AT, maxConcurrency: 4 });
    const report = detectDrift(pciOrg().desired, inventory);
    expect(report.drifts).toEqual([]);
    expect(report.unknownScopes.map((u) => [u.kind, u.accountId, u.region, u.error.code])).toEqual([
      ['config.recorder', IDS.paymentsProd, 'us-east-1', 'AccessDeniedException'],
      ['iam.account', IDS.paymentsProd, undefined, 'AccessDenied'],
    ]);
  });

  it('fall back to per-account reads when a view is unreadable: Security Hub\'s administrator denied', async () => {
    const fake = await seededPciOrg();
    fake.faults.accessDenied({ accounts: [IDS.tooling], services: ['securityhub'] });
    const inventory = await collectInventory(toolingClients(fake), pciOrg().desired, { collectedAt: COLLECTED_AT, maxConcurrency: 4 });
    const report = detectDrift(pciOrg().desired, inventory);
    expect(report.unknownScopes.map((u) => `${u.kind} ${u.accountId ?? ''} ${u.region ?? ''}`).sort()).toEqual([
      'securityhub.account 333333333333 us-east-1', 'securityhub.account 333333333333 us-east-2', 'securityhub.account 333333333333 us-west-2', 'securityhub.organization  ',
    ]);
    // Every other governed account's hub was read in the account instead.
    expect(sources(inventory)['securityhub.account per-account']).toBe(21);
  });

  it('record a unit that failed as a whole (its function timed out) as unknown with that error', () => {
    const inventory = assembleInventory({
      collectedAt: COLLECTED_AT, regions: ['us-east-1'], parts: [], collector: 'test',
      failures: [{ unit: 'securitylake', scopes: scopesOfUnit('securitylake', pciOrg().desired), error: { code: 'States.Timeout', message: 'Task timed out after 600 seconds' } }],
    });
    expect(Object.values(inventory.securityLake.regions).map((r) => r.status === 'unknown' && r.error.code)).toEqual(['States.Timeout', 'States.Timeout', 'States.Timeout']);
    expect(inventory.organization.structure).toEqual({ status: 'unknown', error: { code: 'NotCollected', message: 'no collector read this scope' } });
  });
});
