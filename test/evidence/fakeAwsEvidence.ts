import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsClients } from '../../aws/clients';
import { collectEvidenceInventory } from '../../aws/evidenceCollection';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';
import type { Inventory } from '../../engine/inventory';
import { runEvidence, type EvidenceRun } from '../../evidence/run';
import { loadFrameworks } from '../../frameworks/load';
import { FakeAws } from '../../sandbox';
import { seedLandingZone } from '../../sandbox/seed/fromConfig';
import { buildEvidenceSettings } from '../../workflows/evidenceSettings';

/** The pci-org example seeded into FakeAws once per test file; each test loads its own copy. */
export const COLLECTED_AT = '2026-12-04T10:00:00.000Z';
export const SECURITY_TOOLING = '333333333333';

let seeded: { config: RampartConfig; stateFile: string } | undefined;

export async function seededPciOrg(): Promise<{ config: RampartConfig; stateFile: string }> {
  if (!seeded) {
    const { config, issues } = loadConfig('config/examples/pci-org', { now: new Date('2026-12-04T00:00:00Z') });
    if (!config) throw new Error(`pci-org does not load: ${JSON.stringify(issues[0])}`);
    const fake = FakeAws.create({ seed: 7, now: new Date(COLLECTED_AT) });
    await seedLandingZone(fake, config);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-seeded-'));
    const stateFile = path.join(dir, 'sandbox.json');
    fake.save(stateFile);
    seeded = { config, stateFile };
  }
  return seeded;
}

export function removeSeeded(): void {
  if (seeded) fs.rmSync(path.dirname(seeded.stateFile), { recursive: true, force: true });
  seeded = undefined;
}

/** Clients acting as the workflows do: from the security-tooling account, assuming the execution role elsewhere. */
export function clientsFor(fake: FakeAws, config: RampartConfig): AwsClients {
  return new AwsClients({
    homeAccountId: SECURITY_TOOLING, homeRegion: config.global.homeRegion, executionRoleName: config.global.executionRoleName,
    organizationRoleName: 'RampartOrganizationRemediation', sessionName: 'rampart-evidence',
    base: { requestHandler: fake.requestHandler(), credentials: fake.credentials({ account: SECURITY_TOOLING }) },
  });
}

/** Collects the sandbox with the workflows' collectors and builds evidence for the given frameworks. */
export async function evidenceFromSandbox(fake: FakeAws, config: RampartConfig, frameworks: readonly string[]): Promise<EvidenceRun & { inventory: Inventory }> {
  const settings = buildEvidenceSettings(config);
  const clients = clientsFor(fake, config);
  const inventory = await collectEvidenceInventory(clients, settings.desired, settings.conformancePackRules, { collectedAt: COLLECTED_AT, maxConcurrency: 4 });
  clients.destroy();
  const set = loadFrameworks(config);
  const run = runEvidence({
    now: new Date('2026-12-05T06:00:00Z'), settings, inventory, describer: set.describer,
    frameworks: frameworks.map((id) => set.frameworks.get(id) as NonNullable<ReturnType<typeof set.frameworks.get>>),
  });
  return { ...run, inventory };
}
