import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SegmentationReport } from '../../engine/pciSegmentation';

// `rampart access` as a user runs it, on a sandbox made with `rampart sandbox init` and the named scenarios.
let workdir: string;
let state: string;

const rampart = (...args: string[]) => spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8', timeout: 120_000 });
const json = <T>(result: { stdout: string }): T => JSON.parse(result.stdout) as T;
/** A role's trust policy as the saved sandbox holds it. */
const trustPolicy = (account: string, role: string): string => {
  const saved = JSON.parse(fs.readFileSync(state, 'utf8')) as { services: Record<string, { global: { iam: { roles: Record<string, { assumeRolePolicy: string }> } } }> };
  return saved.services[account].global.iam.roles[role.toLowerCase()].assumeRolePolicy;
};
beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-access-cli-'));
  state = path.join(workdir, 'sandbox.json');
  expect(rampart('sandbox', 'init', '--config', 'config/examples/pci-org', '--state', state).status).toBe(0);
  expect(rampart('sandbox', 'scenario', 'role-trusted-by-external-account', '--state', state).status).toBe(0);
  expect(rampart('sandbox', 'scenario', 'pci-role-trusted-by-non-pci-account', '--state', state).status).toBe(0);
}, 240_000);

afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

describe('rampart access', () => {
  it('segmentation names exactly the external and the non-PCI paths into the PCI account, and fails', () => {
    const result = rampart('access', 'segmentation', '--sandbox', state, '--json');
    expect(result.status).toBe(1);
    const report = json<SegmentationReport>(result);
    expect(report.status).toBe('FAIL');
    expect(report.paths.filter((p) => p.status === 'unlisted').map((p) => [p.source.kind, p.source.principal, p.target.resource, p.drift?.type])).toEqual([
      ['organization', 'arn:aws:iam::555555555551:root', 'arn:aws:iam::444444444444:role/shared-deploy', 'PciSegmentationPath'],
      ['external', 'arn:aws:iam::210987654321:root', 'arn:aws:iam::444444444444:role/vendor-support', 'ExternalTrustOnRole'],
    ]);
    expect(report.paths.filter((p) => p.status !== 'unlisted').every((p) => p.status === 'rampart' && p.target.resource.endsWith(':role/RampartExecutionRole'))).toBe(true);
  }, 120_000);

  it('resolve --dry-run prints the exact diff and writes nothing', () => {
    const before = fs.readFileSync(state, 'utf8');
    const result = rampart('access', 'resolve', '--dry-run', '--sandbox', state);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/would write\s+arn:aws:iam::444444444444:role\/vendor-support {2}finding [0-9a-f-]{36}/);
    expect(result.stdout).toMatch(/\+ {6}"Sid": "RampartDenyExternal[0-9a-f]{32}",\n/);
    expect(result.stdout).toContain('Nothing is written in a dry run.');
    expect(fs.readFileSync(state, 'utf8')).toBe(before);
  }, 120_000);

  it('resolve resolves the external trust; segmentation then names only the non-PCI path; revert --archive puts it back, archived', () => {
    const resolved = rampart('access', 'resolve', '--sandbox', state, '--json');
    expect(resolved.status).toBe(0);
    const { outcomes } = json<{ outcomes: { role: string; findingId: string; outcome: string }[] }>(resolved);
    expect(outcomes.map((o) => [o.role, o.outcome])).toEqual([['arn:aws:iam::444444444444:role/vendor-support', 'resolved']]);
    const sid = `RampartDenyExternal${outcomes[0].findingId.replace(/-/g, '')}`;
    expect(trustPolicy('444444444444', 'vendor-support')).toContain(sid);

    const after = json<SegmentationReport>(rampart('access', 'segmentation', '--sandbox', state, '--json'));
    expect(after.paths.filter((p) => p.status === 'unlisted').map((p) => p.target.resource)).toEqual(['arn:aws:iam::444444444444:role/shared-deploy']);

    const reverted = rampart('access', 'revert', '--finding', outcomes[0].findingId, '--archive', '--sandbox', state);
    expect(reverted.status).toBe(0);
    expect(reverted.stdout).toMatch(/Created archive rule rampart-reverted-[0-9a-f-]+ on rampart-organization in us-east-1/);
    expect(reverted.stdout).toContain(`Removed ${sid} from the trust policy of arn:aws:iam::444444444444:role/vendor-support`);
    expect(reverted.stdout).toMatch(/^-\s+"Sid": "RampartDenyExternal/m);
    expect(JSON.parse(trustPolicy('444444444444', 'vendor-support'))).toEqual({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:AssumeRole' }],
    });

    // Archived, the finding does not come back to the workflow; the path is evidence still (archiving is not allowlisting).
    expect(rampart('access', 'resolve', '--dry-run', '--sandbox', state).stdout).toContain('No active Access Analyzer findings on IAM roles.');
    const archived = json<SegmentationReport>(rampart('access', 'segmentation', '--sandbox', state, '--json')).paths.find((p) => p.target.resource.endsWith('/vendor-support'));
    expect(archived).toMatchObject({ status: 'unlisted', findingStatus: 'ARCHIVED' });

    const again = rampart('access', 'revert', '--finding', outcomes[0].findingId, '--sandbox', state);
    expect([again.status, again.stdout.trim()]).toEqual([0, expect.stringContaining('nothing to revert')]);
  }, 240_000);

  it('says what is wrong, with exit code 2, for input it cannot use', () => {
    const missing = rampart('access', 'segmentation', '--sandbox', path.join(workdir, 'nope.json'));
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining('no sandbox state here; create one with rampart sandbox init')]);
    const inventory = path.join(workdir, 'inventory.json');
    fs.writeFileSync(inventory, '{"schemaVersion": 1}');
    const badInventory = rampart('access', 'segmentation', '--inventory', inventory);
    expect([badInventory.status, badInventory.stderr]).toEqual([2, expect.stringMatching(/is not a valid inventory:\n {2}collectedAt: /)]);
  }, 120_000);
});
