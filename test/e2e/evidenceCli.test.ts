import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { cleanOrgResults, withFailure } from '../evidence/exampleOrg';
import { temporaryDir } from '../frameworks/configDir';

function rampart(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const config = loadConfig('config/examples/pci-org', { now: new Date('2026-12-05T00:00:00Z') }).config!;
const work = temporaryDir('rampart-cli-');
const writeResults = (name: string, results: unknown[]) => {
  const file = path.join(work, name);
  fs.writeFileSync(file, results.map((r) => JSON.stringify(r)).join('\n'));
  return file;
};
const clean = writeResults('clean.jsonl', cleanOrgResults(config));
const drifted = writeResults(
  'drifted.jsonl',
  withFailure(cleanOrgResults(config), (r) => r.checkId === 'drift.ScpDetached', 'RampartPciGuardrails is not attached to Workloads/Pci', { policy: 'RampartPciGuardrails' }),
);

describe('rampart evidence report and verify', () => {
  const out = path.join(work, 'evidence');

  it('writes the PCI DSS set for a clean organization: every automatable requirement satisfied, exit 0', () => {
    const run = rampart('evidence', 'report', '--results', clean, '--out', out, '--framework', 'pci-dss-4.0', '--now', '2026-12-04T06:00:00Z');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/pci-dss-4.0\/2026-12-04 {2}PCI DSS v4.0: 0 failed, 0 unknown, 0 excepted, 105 satisfied, 144 manual/);
    expect(rampart('evidence', 'verify', out)).toMatchObject({ status: 0, stdout: expect.stringMatching(/intact — 6 files match 2 manifest/) });
  });

  it('on the next day, reports the drift as a regression against the previous set, exit 1', () => {
    const run = rampart('evidence', 'report', '--results', drifted, '--out', out, '--framework', 'pci-dss-4.0', '--now', '2026-12-05T06:00:00Z');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/PCI DSS v4.0: 1 failed/);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'pci-dss-4.0', '2026-12-05', 'report.json'), 'utf8'));
    expect(report.previous).toEqual({ generatedAt: '2026-12-04T06:00:00.000Z' });
    expect(report.frameworks[0].history).toMatchObject({ regressed: 1, new: 0 });
    expect(report.frameworks[0].controls.find((c: { id: string }) => c.id === '7.3.1')).toMatchObject({ result: 'failed', history: { change: 'regressed', previousResult: 'satisfied' } });
  });

  it('verify fails with exit 1 once a byte changes, and names the file', () => {
    const copy = path.join(work, 'copy');
    fs.cpSync(out, copy, { recursive: true });
    const csv = path.join(copy, 'pci-dss-4.0', '2026-12-05', 'controls.csv');
    fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace('failed', 'satisfd'));
    const run = rampart('evidence', 'verify', copy);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/CHANGED {2}pci-dss-4.0\/2026-12-05\/controls.csv/);
    expect(run.stdout).toMatch(/TAMPERED — 1 problem/);
    const json = JSON.parse(rampart('evidence', 'verify', copy, '--json').stdout);
    expect(json).toMatchObject({ ok: false, problems: [{ kind: 'changed', path: 'pci-dss-4.0/2026-12-05/controls.csv' }] });
    // History is never built on tampered evidence.
    const next = rampart('evidence', 'report', '--results', clean, '--out', copy, '--framework', 'pci-dss-4.0', '--now', '2026-12-06T06:00:00Z');
    expect(next.status).toBe(2);
    expect(next.stderr).toMatch(/fails verification \(changed controls.csv/);
  });

  it('exits 2 when it cannot run: no such directory, a set that exists, malformed results', () => {
    expect(rampart('evidence', 'verify', path.join(work, 'nope'))).toMatchObject({ status: 2, stderr: expect.stringMatching(/no such directory/) });
    const again = rampart('evidence', 'report', '--results', clean, '--out', out, '--framework', 'pci-dss-4.0', '--now', '2026-12-05T07:00:00Z');
    expect(again).toMatchObject({ status: 2, stderr: expect.stringMatching(/already holds evidence for pci-dss-4.0 on 2026-12-05; evidence is never overwritten/) });
    const bad = writeResults('bad.jsonl', [{ checkId: 'org.pci-accounts-isolated', status: 'green', scope: {}, observedAt: '2026-12-05T00:00:00Z', detail: '' }]);
    const run = rampart('evidence', 'report', '--results', bad, '--out', path.join(work, 'other'), '--now', '2026-12-05T06:00:00Z');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/bad.jsonl:1 {2}status: /);
    expect(run.stderr).toMatch(/1 record\(s\) in .* are not check results/);
    expect(rampart('evidence', 'report', '--results', clean, '--out', path.join(work, 'other'), '--framework', 'iso-27001')).toMatchObject({ status: 2, stderr: expect.stringMatching(/unknown framework iso-27001/) });
  });
});
