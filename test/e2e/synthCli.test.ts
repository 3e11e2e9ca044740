import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The commands as a user runs them: the CDK CLI with cdk.json, and the rampart CLI.
let workdir: string;
let dockerMarker: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-cli-'));
  // A "docker" that records being called: synthesis must never need it.
  dockerMarker = path.join(workdir, 'docker-was-called');
  const fakeDocker = path.join(workdir, 'docker');
  fs.writeFileSync(fakeDocker, `#!/bin/sh\ntouch ${dockerMarker}\nexit 1\n`, { mode: 0o755 });
  env = { ...process.env, CDK_DOCKER: fakeDocker, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: '1' };
});

afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

const run = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8', env, timeout: 240_000 });

describe('npx cdk synth', () => {
  it('synthesizes the PCI example offline, checked by cdk-nag, without Docker', () => {
    const out = path.join(workdir, 'cdk.out');
    const result = run('npx', ['cdk', 'synth', '--quiet', '-c', 'config=config/examples/pci-org', '-o', out]);
    expect([result.status, result.stderr.includes('Error')]).toEqual([0, false]);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.template.json'))).toHaveLength(14);
    expect(fs.existsSync(dockerMarker)).toBe(false);
  }, 240_000);
});

describe('rampart synth and plan', () => {
  it('stops on an invalid configuration with the located error and exit code 1', () => {
    const dir = path.join(workdir, 'invalid');
    fs.cpSync('config/examples/pci-org', dir, { recursive: true });
    const file = path.join(dir, 'securitylake.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('delegatedAdmin: log-archive', 'delegatedAdmin: log-archiv'));
    const result = run(process.execPath, ['bin/rampart.js', 'synth', '--config', dir, '--out', path.join(workdir, 'never')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/securitylake\.yaml:\d+:\d+ {2}delegatedAdmin {2}found account "log-archiv"/);
    expect(fs.existsSync(path.join(workdir, 'never'))).toBe(false);
  }, 120_000);

  it('plans a new account against the previous cloud assembly', () => {
    const previous = path.join(workdir, 'previous');
    expect(run(process.execPath, ['bin/rampart.js', 'synth', '--out', previous]).status).toBe(0);
    const dir = path.join(workdir, 'grown');
    fs.cpSync('config/examples/pci-org', dir, { recursive: true });
    const file = path.join(dir, 'organization.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('  - name: developer-sandbox\n',
      '  - name: claims-api\n    email: aws-claims-api@{{ orgDomain }}\n    ou: Workloads/NonPci\n    id: "555555555559"\n  - name: developer-sandbox\n'));
    const result = run(process.execPath, ['bin/rampart.js', 'plan', '--config', dir, '--previous', previous]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Rampart-Organization (changed): 0 to add, 1 to change, 0 to remove');
    expect(result.stdout).toMatch(/Placements\[OuWorkloadsNonPci\w*\.Id\]\.AccountIds: \+555555555559/);
    expect(result.stdout).toContain('Rampart-SecurityHub (unchanged)');
  }, 240_000);
});
