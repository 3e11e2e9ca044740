import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../../config/load';
import { deriveDesiredState } from '../../engine/desiredState';
import { serializeInventory } from '../../engine/inventory';
import { inventoryFromDesired } from '../../engine/inventoryFromDesired';
import { sha256Hex } from '../../evidence/manifest';
import type { EvidenceReport } from '../../evidence/report';
import { temporaryDir } from '../frameworks/configDir';

function rampart(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const work = temporaryDir('rampart-evidence-live-');
const state = path.join(work, 'sandbox.json');
const out = path.join(work, 'evidence');
const readReport = (framework: string, date: string): EvidenceReport => JSON.parse(fs.readFileSync(path.join(out, framework, date, 'report.json'), 'utf8')) as EvidenceReport;

describe('rampart evidence: collect, check, report', () => {
  beforeAll(() => {
    expect(rampart('sandbox', 'init', '--config', 'config/examples/pci-org', '--state', state).status).toBe(0);
  });

  it('collects a clean FakeAws organization and writes every framework\'s set: PCI DSS fully satisfied where automated, exit 0', () => {
    const run = rampart('evidence', '--framework', 'all', '--state', state, '--out', out, '--now', '2026-12-04T06:00:00Z');
    expect(run.stderr).not.toMatch(/rampart:/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/0 drift\(s\), 0 scope\(s\) that could not be read/);
    expect(run.stdout).toMatch(/PCI DSS v4\.0 \(pci-dss-4\.0\): 249 controls, 2 accounts\n {2}coverage {2}105 automated, 0 attested, 0 not applicable, 0 mapped without a result, 144 unmapped \(manual\)\n {2}results {3}0 failed, 0 unknown, 0 excepted, 105 satisfied, 144 manual/);
    for (const framework of ['pci-dss-4.0', 'nist-800-53-r5', 'cccs-medium-pbhva']) {
      const html = path.join(out, framework, '2026-12-04', 'report.html');
      expect(run.stdout).toContain(`report    ${html}`);
      expect(fs.existsSync(html)).toBe(true);
    }
    const results = gunzipSync(fs.readFileSync(path.join(out, '_check-results', '2026-12-04', 'check-results.jsonl.gz'))).toString('utf8').trimEnd().split('\n');
    expect(results.length).toBeGreaterThan(1500);
    const inventory = readReport('pci-dss-4.0', '2026-12-04').inventory;
    expect(inventory).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), source: 'fakeaws:sandbox.json' });
    // The inventory judged is kept with the check results; its hash is the one every manifest records.
    const judged = gunzipSync(fs.readFileSync(path.join(out, '_check-results', '2026-12-04', 'inventory.json.gz')));
    expect(sha256Hex(judged)).toBe(inventory?.sha256);
    expect(rampart('evidence', 'verify', out)).toMatchObject({ status: 0, stdout: expect.stringMatching(/intact — 17 files match 4 manifest/) });
  });

  it('after a drift scenario, names the failing requirements and accounts, and marks them regressed against the previous set, exit 1', () => {
    expect(rampart('sandbox', 'scenario', 'pci-scp-detached', '--state', state).status).toBe(0);
    const run = rampart('evidence', '--framework', 'pci-dss-4.0', '--state', state, '--out', out, '--now', '2026-12-05T06:00:00Z');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/results {3}4 failed, 0 unknown/);
    expect(run.stdout).toMatch(/FAILED {4}7\.3\.1 {2}payments-prod, payments-staging: SCP RampartPciGuardrails is not attached to OU Workloads\/Pci/);
    const pci = readReport('pci-dss-4.0', '2026-12-05').frameworks[0];
    expect(pci.controls.filter((c) => c.result === 'failed').map((c) => [c.id, c.history.change, c.history.previousResult])).toEqual([
      ['7.2.1', 'regressed', 'satisfied'], ['7.3.1', 'regressed', 'satisfied'], ['10.3.2', 'regressed', 'satisfied'], ['12.5.2', 'regressed', 'satisfied'],
    ]);
  });

  it('judges a saved inventory; what it does not hold is unknown, never satisfied', () => {
    const { config } = loadConfig('config/examples/pci-org', { now: new Date('2026-12-04T00:00:00Z') });
    const file = path.join(work, 'inventory.json');
    // An inventory without Security Hub findings or conformance-pack rule compliance.
    fs.writeFileSync(file, serializeInventory(inventoryFromDesired(deriveDesiredState(config!), { collectedAt: '2026-12-06T05:00:00Z' })));
    const run = rampart('evidence', '--framework', 'pci-dss-4.0', '--inventory', file, '--out', path.join(work, 'offline'), '--now', '2026-12-06T06:00:00Z');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Inventory inventory\.json, collected 2026-12-06T05:00:00Z/);
    const pci = (JSON.parse(fs.readFileSync(path.join(work, 'offline', 'pci-dss-4.0', '2026-12-06', 'report.json'), 'utf8')) as EvidenceReport).frameworks[0];
    expect(pci.results.unknown).toBeGreaterThan(50);
    expect(pci.controls.find((c) => c.id === '3.5.1')).toMatchObject({ result: 'unknown', reason: expect.stringMatching(/could not be determined/) });
  });

  it('exits 2 with a clear message when it cannot run', () => {
    const bad = path.join(work, 'bad-inventory.json');
    fs.writeFileSync(bad, JSON.stringify({ schemaVersion: 1, collectedAt: 'yesterday' }));
    const cases: [string[], RegExp][] = [
      [['--state', state, '--inventory', bad, '--out', out], /--state and --inventory both name what to judge/],
      [['--inventory', bad, '--out', out], /collectedAt: an ISO 8601 timestamp[\s\S]*bad-inventory\.json is not a usable inventory/],
      [['--state', path.join(work, 'nope.json'), '--out', out], /nope\.json: no such file; create one with rampart sandbox init/],
      [['--framework', 'pci-dss-4.0', '--state', state, '--out', out, '--now', '2026-12-05T09:00:00Z'], /already holds evidence for pci-dss-4\.0 on 2026-12-05/],
    ];
    for (const [args, message] of cases) {
      const run = rampart('evidence', ...args);
      expect([args.join(' '), run.status]).toEqual([args.join(' '), 2]);
      expect(run.stderr).toMatch(message);
    }
  });
});
