import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeScaledConfig } from '../../config/generate';
import { parseAccountIdOverrides, SynthesisError } from '../../stacks/accountDirectory';
import { buildLandingZone } from '../../stacks/landingZone';
import { createRampartApp } from '../../stacks/rampartApp';
import { loadValidConfig } from '../../stacks/synthesize';

const NOW = new Date('2026-12-04T00:00:00Z');
let workdir: string;

beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-errors-'));
});
afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

function copyExample(name: string): string {
  const dir = path.join(workdir, name);
  fs.cpSync('config/examples/pci-org', dir, { recursive: true });
  return dir;
}

function synthesisError(run: () => unknown): SynthesisError {
  try {
    run();
  } catch (error) {
    if (error instanceof SynthesisError) return error;
    throw error;
  }
  throw new Error('expected a SynthesisError');
}

describe('what stops synthesis, said so a user can fix it', () => {
  it('an account the stacks deploy into has no id: names the file, line, account, why it is needed and both fixes', () => {
    const dir = copyExample('no-ids');
    const file = path.join(dir, 'organization.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('    id: "333333333333"\n', ''));
    const { config } = loadValidConfig(dir, NOW);
    const error = synthesisError(() => buildLandingZone(createRampartApp(), config, { nag: false }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^organization\.yaml:\d+:\d+ {2}accounts\[2\] "security-tooling" has no id/);
    expect(error.problems[0]).toContain('SecurityHubStack (Security Hub delegated administrator)');
    expect(error.problems[0]).toContain('-c accountIds=security-tooling=123456789012');

    // The context-provided id is enough.
    expect(() => buildLandingZone(createRampartApp(), config, { nag: false, accountIds: { 'security-tooling': '333333333333' } })).not.toThrow();
  });

  it('an invalid configuration: every located error, and no synthesis', () => {
    const dir = copyExample('invalid');
    const file = path.join(dir, 'security.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('delegatedAdmin: security-tooling', 'delegatedAdmin: security-toolng'));
    const error = synthesisError(() => loadValidConfig(dir, NOW));
    expect(error.problems[0]).toMatch(/^security\.yaml:\d+:\d+ {2}securityHub\.delegatedAdmin/);
    expect(error.problems[0]).toContain('did you mean "security-tooling"?');
  });

  it('an OU tree too large for one stack: names the stack, the count and the budget', () => {
    const dir = writeScaledConfig('config/examples/pci-org', path.join(workdir, 'many-ous'), { accounts: 20, ous: 400 });
    const { config } = loadValidConfig(dir, NOW);
    const error = synthesisError(() => buildLandingZone(createRampartApp(), config, { nag: false }));
    expect(error.problems).toEqual([expect.stringMatching(/^Rampart-Organization would hold \d+ resources, over Rampart's budget of 400 per stack/)]);
  });

  it('a malformed -c accountIds value', () => {
    expect(parseAccountIdOverrides('log-archive=222222222222, security-tooling=333333333333')).toEqual({ 'log-archive': '222222222222', 'security-tooling': '333333333333' });
    expect(synthesisError(() => parseAccountIdOverrides('log-archive')).problems[0]).toContain('is not name=id');
  });
});
