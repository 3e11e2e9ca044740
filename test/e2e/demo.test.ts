import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';
import { policyMode } from '../../engine/remediation';
import { verifyEvidence } from '../../evidence/verify';
import { DEMO_SCENARIOS } from '../../demo/driftScenarios';
import { silentReporter } from '../../demo/progress';
import { runDemo, type DemoSummary } from '../../demo/runDemo';

const config = loadConfig('config/examples/pci-org').config as RampartConfig;
const modeOf = (type: string) => policyMode(type as Parameters<typeof policyMode>[0], config.governance.remediation).mode;
const autoTypes = DEMO_SCENARIOS.map((s) => s.drift).filter((t) => modeOf(t) === 'auto');
const approveTypes = DEMO_SCENARIOS.map((s) => s.drift).filter((t) => modeOf(t) === 'approve');
const reportTypes = DEMO_SCENARIOS.map((s) => s.drift).filter((t) => modeOf(t) === 'report');

let dir: string;
let summary: DemoSummary;
let checks: { checkId: string; status: string }[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-demo-'));
  summary = await runDemo({ out: path.join(dir, 'out') }, silentReporter);
  checks = zlib.gunzipSync(fs.readFileSync(summary.evidence.checkResults)).toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as { checkId: string; status: string });
}, 300_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('rampart demo, in-process', () => {
  it('builds a landing zone without drift before injecting any', () => {
    expect(summary.build.executorActions).toBeGreaterThan(50);
    expect(summary.build.left).toEqual({});
  });

  it('finds every drift it injected', () => {
    expect(summary.injected.map((i) => i.scenario)).toEqual(DEMO_SCENARIOS.map((s) => s.scenario));
    for (const { drift } of DEMO_SCENARIOS) expect(summary.drift.byType[drift]).toBeGreaterThan(0);
    expect(summary.drift.unknownScopes).toBe(0);
  });

  it('repairs what the policy allows, leaves approvals waiting and reports the rest', () => {
    // The example policy covers each mode; the demo shows all three.
    expect([autoTypes.length > 0, approveTypes.length > 0, reportTypes.length > 0]).toEqual([true, true, true]);
    for (const type of autoTypes) expect(summary.remediation.remainingByType[type]).toBeUndefined();
    for (const type of [...approveTypes, ...reportTypes]) expect(summary.remediation.remainingByType[type]).toBeGreaterThan(0);
    expect(summary.remediation.awaitingApproval.flatMap((a) => a.driftTypes).sort()).toEqual([...approveTypes].sort());
    expect(summary.remediation.reportOnly.map((r) => r.type)).toEqual(expect.arrayContaining(reportTypes));
    expect(summary.remediation.notApplied).toEqual([]);
    expect(summary.remediation.repaired).toBe(autoTypes.reduce((n, t) => n + summary.drift.byType[t], 0));
  });

  it('shows in the evidence what is repaired and what is not', () => {
    for (const type of autoTypes) {
      const results = checks.filter((c) => c.checkId === `drift.${type}`);
      expect([type, results.some((c) => c.status === 'pass'), results.some((c) => c.status === 'fail')]).toEqual([type, true, false]);
    }
    for (const type of approveTypes) expect([type, checks.some((c) => c.checkId === `drift.${type}` && c.status === 'fail')]).toEqual([type, true]);
    const pci = summary.evidence.frameworks.find((f) => f.id === 'pci-dss-4.0');
    expect(pci?.failingChecks).toEqual(expect.arrayContaining(approveTypes.map((t) => `drift.${t}`)));
    for (const type of autoTypes) expect(pci?.failingChecks).not.toContain(`drift.${type}`);
    expect(summary.evidence.frameworks.map((f) => f.id).sort()).toEqual(['cccs-medium-pbhva', 'nist-800-53-r5', 'pci-dss-4.0']);
    for (const f of summary.evidence.frameworks) expect(fs.existsSync(f.html)).toBe(true);
  });

  it('writes evidence whose manifests verify, and a lake whose counts balance', () => {
    expect(summary.verify).toMatchObject({ ok: true, problems: [] });
    expect(verifyEvidence(summary.evidence.dir).ok).toBe(true);
    expect(summary.lake.in).toBe(summary.lake.written + summary.lake.rejected);
    expect(summary.lake.written).toBeGreaterThan(0);
    expect(Object.keys(summary.lake.bySource).sort()).toEqual(['network-firewall', 'windows-sysmon']);
  });
});

describe('rampart demo, as a user runs it', () => {
  it('exits 0 and prints each step as a plain line when not on a terminal', () => {
    const out = path.join(dir, 'cli-out');
    const run = spawnSync(process.execPath, ['bin/rampart.js', 'demo', '--out', out], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    expect([run.status, run.stderr]).toEqual([0, '']);
    const steps = run.stdout.split('\n').filter((line) => line.startsWith('✓ '));
    expect(steps.map((line) => line.replace(/[:(].*$/, '').trim())).toEqual([
      '✓ Validate the configuration', '✓ Synthesize the stacks', '✓ Build the landing zone in FakeAws', `✓ Inject ${DEMO_SCENARIOS.length} drifts`,
      '✓ Run DriftCheck', '✓ Run Remediate with governance.yaml\'s policy', '✓ Transform the sample custom-source logs into the local lake',
      '✓ Run Evidence for every framework', '✓ Verify the evidence manifests',
    ]);
    for (const line of steps) expect(line).toMatch(/\(\d+\.\d s\)$/);
    expect(run.stdout.includes('\r') || run.stdout.includes('\u001b[')).toBe(false);
    expect(run.stdout).toMatch(/^HTML reports:\n {2}.*report\.html$/m);
  }, 300_000);

  it('exits 2 with a clear message when a step fails', () => {
    const run = spawnSync(process.execPath, ['bin/rampart.js', 'demo', '--config', path.join(dir, 'no-such-config'), '--out', path.join(dir, 'bad')], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^rampart demo: Validate the configuration failed: /m);
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 60_000);
});
