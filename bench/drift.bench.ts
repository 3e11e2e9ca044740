import * as fs from 'node:fs';
import { deriveDesiredState } from '../engine/desiredState';
import { detectDrift } from '../engine/detectDrift';
import { parseInventory, serializeInventory, type Inventory } from '../engine/inventory';
import { inventoryFromDesired } from '../engine/inventoryFromDesired';
import { planRemediation } from '../engine/remediation';
import { medianMs, report, round, type Benchmark } from './harness';
import { EXTRA_REGION, fourRegionConfig } from './scaledOrganization';

const ACCOUNTS = 5000;


/** Drift in one account out of a hundred: a Config recorder stopped and VPC flow logs off. */
function withScatteredDrift(clean: Inventory): Inventory {
  const inventory = structuredClone(clean);
  Object.keys(inventory.accounts).forEach((id, index) => {
    if (index % 100 !== 0) return;
    const config = inventory.accounts[id].regions[EXTRA_REGION]?.config;
    if (config?.status === 'ok' && config.recorder) config.recorder.recording = false;
    const lake = inventory.securityLake.regions[EXTRA_REGION];
    if (lake?.status === 'ok') lake.awsSources[id] = (lake.awsSources[id] ?? []).filter((s) => s.sourceName !== 'VPC_FLOW');
  });
  return inventory;
}

/** The drift check over 5,000 accounts × 4 Regions, beside reading the same snapshot from JSON. */
export const driftBenchmark: Benchmark = {
  name: 'engine.detectDrift',
  async run() {
    const config = fourRegionConfig(ACCOUNTS, { ous: 250 });
    fs.rmSync(config.dir, { recursive: true, force: true });
    const desired = deriveDesiredState(config);
    const clean = inventoryFromDesired(desired, { collectedAt: '2026-12-04T10:00:00Z' });
    const drifted = withScatteredDrift(clean);
    const text = serializeInventory(clean);
    const accounts = Object.keys(clean.accounts).length;
    const regions = desired.enabledRegions.length;
    const scopes = detectDrift(desired, clean).checkedScopes.reduce((sum, c) => sum + c.ok + c.unknown, 0);
    const driftCount = detectDrift(desired, drifted).drifts.length;
    if (detectDrift(desired, clean).drifts.length !== 0) throw new Error('the clean inventory shows drift');

    const jsonParse = await medianMs(() => JSON.parse(text));
    const cleanCheck = await medianMs(() => detectDrift(desired, clean));
    const driftedCheck = await medianMs(() => detectDrift(desired, drifted));
    const validate = await medianMs(() => parseInventory(text), 3);
    const derive = await medianMs(() => deriveDesiredState(config));
    const driftReport = detectDrift(desired, drifted);
    const plan = await medianMs(() => planRemediation(driftReport, desired, { ...config.governance.remediation, defaultMode: 'auto' }));
    const common = { accounts, regions, scopes, inventoryMiB: round(text.length / 2 ** 20, 1), baseline: { name: 'JSON.parse of the same inventory', value: jsonParse } };
    return [
      report({ name: 'engine.detectDrift.5000-accounts-4-regions.clean', value: cleanCheck, unit: 'ms', ...common, goal: '< 1000 ms', goalMet: cleanCheck < 1000 }),
      report({ name: 'engine.detectDrift.5000-accounts-4-regions.1pct-drifted', value: driftedCheck, unit: 'ms', drifts: driftCount, ...common, goal: '< 1000 ms', goalMet: driftedCheck < 1000 }),
      report({ name: 'engine.parseInventory.5000-accounts-4-regions', value: validate, unit: 'ms', ...common }),
      report({ name: 'engine.deriveDesiredState.5000-accounts', value: derive, unit: 'ms', accounts, baseline: { name: 'JSON.parse of the inventory', value: jsonParse } }),
      report({ name: 'engine.planRemediation.5000-accounts-1pct-drifted', value: plan, unit: 'ms', drifts: driftCount, baseline: { name: 'detectDrift of the same inventory', value: driftedCheck } }),
    ];
  },
};
