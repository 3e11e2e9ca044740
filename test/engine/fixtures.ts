import { formatIssue } from '../../config/errors';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';
import { deriveDesiredState, type DesiredState } from '../../engine/desiredState';
import type { Inventory } from '../../engine/inventory';
import { inventoryFromDesired } from '../../engine/inventoryFromDesired';

export const COLLECTED_AT = '2026-12-04T10:00:00Z';

let cached: { config: RampartConfig; desired: DesiredState } | undefined;

/** The pci-org example, loaded once per test file. */
export function pciOrg(): { config: RampartConfig; desired: DesiredState } {
  if (!cached) {
    const { config, issues } = loadConfig('config/examples/pci-org', { now: new Date('2026-12-04T00:00:00Z') });
    if (!config) throw new Error(`pci-org does not load: ${issues.map(formatIssue).join('\n')}`);
    cached = { config, desired: deriveDesiredState(config) };
  }
  return cached;
}

/** A fresh clean inventory of pci-org that a test may mutate. */
export function cleanInventory(desired: DesiredState = pciOrg().desired): Inventory {
  return inventoryFromDesired(desired, { collectedAt: COLLECTED_AT });
}

/** Account ids of the pci-org example. */
export const IDS = {
  management: '111111111111',
  logArchive: '222222222222',
  securityTooling: '333333333333',
  paymentsProd: '444444444444',
  paymentsStaging: '444444444445',
  webProd: '555555555551',
  analytics: '555555555552',
  developerSandbox: '555555555553',
} as const;

export function ok<T extends { status: string }>(scope: T | undefined): Extract<T, { status: 'ok' }> {
  if (!scope || scope.status !== 'ok') throw new Error(`expected an ok scope, found ${JSON.stringify(scope)?.slice(0, 200)}`);
  return scope as Extract<T, { status: 'ok' }>;
}

export function ouId(inventory: Inventory, path: string): string {
  const structure = ok(inventory.organization.structure);
  if (path === 'Root') return structure.rootId;
  const ou = structure.organizationalUnits.find((o) => o.path === path);
  if (!ou) throw new Error(`no OU ${path}`);
  return ou.id;
}
