import { detectDrift } from '../../engine/detectDrift';
import type { Inventory } from '../../engine/inventory';
import { cleanInventory, IDS, ok, ouId, pciOrg } from './fixtures';

/**
 * Settings a live configuration policy applies are the policy's: drift in them is reported once,
 * on the policy, not again on each account it governs; an account is checked on its own when it
 * manages itself or another policy than the configured one governs it.
 */
const { desired } = pciOrg();

function withDisabledControl(inventory: Inventory, configurationPolicyId: string | undefined): Inventory {
  for (const region of desired.enabledRegions) {
    const hub = ok(inventory.accounts[IDS.paymentsProd].regions[region].securityHub);
    hub.disabledControls.push({ controlId: 'CloudTrail.2', reason: 'Disabled by configuration policy pci' });
    if (configurationPolicyId) hub.configurationPolicyId = configurationPolicyId;
    else delete hub.configurationPolicyId;
  }
  return inventory;
}

const policyId = (inventory: Inventory, name: string) => ok(inventory.securityHub.organization).configurationPolicies.find((p) => p.name === name)?.id as string;

describe('Security Hub settings applied by configuration policies', () => {
  it('reports a changed policy once, on the policy, not on each account it governs', () => {
    const inventory = cleanInventory();
    const pci = ok(inventory.securityHub.organization).configurationPolicies.find((p) => p.name === 'pci');
    pci?.disabledControlIds.push('CloudTrail.2');
    withDisabledControl(inventory, policyId(inventory, 'pci'));
    expect(detectDrift(desired, inventory).drifts.map((d) => d.type)).toEqual(['ConfigurationPolicyMismatch']);
  });

  it('checks an account that manages itself on its own', () => {
    const inventory = withDisabledControl(cleanInventory(), undefined);
    const drifts = detectDrift(desired, inventory).drifts;
    expect(drifts.map((d) => [d.type, d.scope.accountId, d.scope.region]).sort()).toEqual(desired.enabledRegions.map((region) => ['SecurityHubControlDisabled', IDS.paymentsProd, region]).sort());
  });

  it('checks an account on its own when another policy than the configured one governs it', () => {
    const inventory = withDisabledControl(cleanInventory(), policyId(cleanInventory(), 'baseline'));
    expect(detectDrift(desired, inventory).drifts.every((d) => d.type === 'SecurityHubControlDisabled' && d.scope.accountId === IDS.paymentsProd)).toBe(true);
    expect(detectDrift(desired, inventory).drifts).toHaveLength(3);
  });

  it('reports only the move of an account that inherits its new OU\'s policy', () => {
    const inventory = cleanInventory();
    const account = ok(inventory.organization.structure).accounts.find((a) => a.id === IDS.paymentsProd);
    if (account) account.parentId = ouId(inventory, 'Workloads/NonPci');
    const baseline = policyId(inventory, 'baseline');
    for (const region of desired.enabledRegions) {
      const hub = ok(inventory.accounts[IDS.paymentsProd].regions[region].securityHub);
      hub.configurationPolicyId = baseline;
      hub.standards = hub.standards.filter((s) => !s.standardArn.includes('pci-dss'));
    }
    expect(detectDrift(desired, inventory).drifts.map((d) => d.type)).toEqual(['AccountMovedOu']);
  });
});

describe('custom sources', () => {
  it('are expected in the custom-source Region only, as the Security Lake stacks register them', () => {
    const inventory = cleanInventory();
    const home = ok(inventory.securityLake.regions['us-east-1']);
    home.customSources = home.customSources.filter((s) => s.sourceName !== 'network-firewall');
    expect(detectDrift(desired, inventory).drifts.map((d) => [d.type, d.scope.region, d.subject])).toEqual([['CustomSourceMissing', 'us-east-1', 'custom source network-firewall']]);
    const elsewhere = ok(inventory.securityLake.regions['us-west-2']);
    elsewhere.customSources = [];
    expect(detectDrift(desired, inventory).drifts).toHaveLength(1);
  });
});
