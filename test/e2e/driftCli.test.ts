import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Runs the CLI as a user does (the AWS SDK's Node-version notice aside). */
function rampart(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;
let dir: string;
let state: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-drift-cli-'));
  state = path.join(dir, 'sandbox.json');
  expect(rampart('sandbox', 'init', '--config', 'config/examples/pci-org', '--state', state).status).toBe(0);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('rampart drift, remediate and snapshot against a sandbox', () => {
  it('exits 0 on the freshly seeded organization', () => {
    const run = rampart('drift', '--state', state);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^Drift check Rampart-DriftCheck-\S+: \d+ API calls, \d+ state transitions\nNo drift: /);
  }, 180_000);

  it('exits 1 and prints the drift as a table with the configuration line that declares it', () => {
    expect(rampart('sandbox', 'scenario', 'pci-scp-edited', '--state', state).status).toBe(0);
    const run = rampart('drift', '--state', state);
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[1]).toBe('1 drift(s):');
    expect(lines[2].split(/\s{2,}/)).toEqual(['SEVERITY', 'TYPE', 'SCOPE', 'EXPECTED', 'ACTUAL', 'DECLARED AT']);
    // The guardrail lost a statement: expected and actual are shown from where they differ.
    expect(lines[3]).toMatch(/^HIGH\s+ScpUpdated\s+organization\s+….*"Sid":"DenyDisablingSecurityServices".*\s{2}….*organization\.yaml:\d+:\d+$/);
  }, 180_000);

  it('repairs it with remediate (governance.yaml sets auto for ScpUpdated), after a dry run that writes nothing', () => {
    const dry = rampart('remediate', '--state', state, '--dry-run', '--json');
    expect(dry.status).toBe(0);
    expect((JSON.parse(dry.stdout) as { records: { outcome: string; action: { kind: string } }[] }).records.map((r) => [r.action.kind, r.outcome])).toEqual([['UpdatePolicy', 'dry-run']]);
    const run = rampart('remediate', '--state', state);
    expect(run.stdout).toMatch(/applied\s+auto\s+restore the configured document of SCP RampartPciGuardrails/);
    expect(run.stdout).toMatch(/Every drift the written actions were to repair is gone\./);
    expect(run.status).toBe(0);
  }, 360_000);

  it('saves a snapshot that drift --inventory checks offline, and explains an inventory it cannot read', () => {
    const snapshot = path.join(dir, 'snapshot.json');
    const taken = rampart('snapshot', '--state', state, '--out', snapshot);
    expect(taken.status).toBe(0);
    expect(taken.stdout).toMatch(/inventory of 8 accounts in us-east-1, us-east-2, us-west-2; \d+ API calls; 0 scope\(s\) could not be read/);
    const offline = rampart('drift', '--inventory', snapshot, '--json');
    expect(offline.status).toBe(0);
    expect((JSON.parse(offline.stdout) as { drifts: unknown[] }).drifts).toEqual([]);

    const broken = path.join(dir, 'broken.json');
    const inventory = JSON.parse(fs.readFileSync(snapshot, 'utf8')) as { organization: { structure: { status: string } } };
    inventory.organization.structure.status = 'fine';
    fs.writeFileSync(broken, JSON.stringify(inventory));
    const refused = rampart('drift', '--inventory', broken);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/broken\.json: organization\.structure\.status: expected status "ok" \(with the scope's data\) or "unknown"/);
    expect(refused.stderr).toMatch(/not a valid Rampart inventory .* take a new one with rampart snapshot/);
    expect(refused.stderr).not.toMatch(STACK_TRACE);
  }, 180_000);

  it('exits 2 with how to fix it when it has nothing to run against', () => {
    const run = rampart('drift');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('rampart: rampart drift runs the workflows locally against a sandbox: pass --state FILE (rampart sandbox init) or --endpoint URL (rampart sandbox serve)\n');
    const missing = rampart('remediate', '--state', path.join(dir, 'nope.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: no such sandbox state; create one with rampart sandbox init/);
  });
});
