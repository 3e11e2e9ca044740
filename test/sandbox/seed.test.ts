import * as I from '@aws-sdk/client-iam';
import * as O from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';
import { pciGuardrailScps } from '../../engine/pciGuardrails';
import { FakeAws } from '../../sandbox';
import { seedOrganization, type SeedReport } from '../../sandbox/seed/fromConfig';
import { errorOf } from './transports';

const EXAMPLE = 'config/examples/pci-org';

function exampleConfig(): RampartConfig {
  const result = loadConfig(EXAMPLE, { now: new Date('2026-12-04T00:00:00Z') });
  if (!result.config) throw new Error(`${EXAMPLE} does not load`);
  return result.config;
}

describe('seeding a sandbox from config/examples/pci-org', () => {
  let fake: FakeAws;
  let report: SeedReport;
  let org: O.OrganizationsClient;
  const config = exampleConfig();

  beforeAll(() => {
    fake = FakeAws.create({ seed: 1 });
    report = seedOrganization(fake, config);
    org = new O.OrganizationsClient(fake.clientConfig({ account: report.managementAccountId }));
  });

  it('puts every account in its configured OU, with the configured ids', async () => {
    for (const account of config.organization.accounts) {
      expect(report.accountIds[account.name]).toBe(account.id);
      const parents = await org.send(new O.ListParentsCommand({ ChildId: account.id }));
      expect(parents.Parents?.[0].Id).toBe(report.ouIds[account.ou]);
    }
    const pciOu = await org.send(new O.DescribeOrganizationalUnitCommand({ OrganizationalUnitId: report.ouIds['Workloads/Pci'] }));
    expect(pciOu.OrganizationalUnit?.Name).toBe('Pci');
  });

  it('attaches the configured SCPs and the generated PCI guardrails to their targets, beside FullAWSAccess', async () => {
    const onPci = await org.send(new O.ListPoliciesForTargetCommand({ TargetId: report.ouIds['Workloads/Pci'], Filter: 'SERVICE_CONTROL_POLICY' }));
    expect(onPci.Policies?.map((p) => p.Name).sort()).toEqual(['FullAWSAccess', 'RampartPciGuardrails', 'RampartPciRegionRestriction']);
    for (const generated of pciGuardrailScps(config)) {
      const policy = await org.send(new O.DescribePolicyCommand({ PolicyId: report.policyIds[generated.name] }));
      expect(JSON.parse(policy.Policy?.Content as string)).toEqual(generated.document);
    }
    const denyRoot = await org.send(new O.ListTargetsForPolicyCommand({ PolicyId: report.policyIds.DenyRootUser }));
    expect(denyRoot.Targets?.map((t) => t.Name).sort()).toEqual(['Sandbox', 'Security', 'Workloads']);
  });

  it('enables trusted access and registers the delegated administrators the configuration names', async () => {
    const trusted = await org.send(new O.ListAWSServiceAccessForOrganizationCommand({}));
    expect(trusted.EnabledServicePrincipals?.map((s) => s.ServicePrincipal)).toEqual(expect.arrayContaining(['securityhub.amazonaws.com', 'securitylake.amazonaws.com', 'config.amazonaws.com']));
    const hub = await org.send(new O.ListDelegatedAdministratorsCommand({ ServicePrincipal: 'securityhub.amazonaws.com' }));
    expect(hub.DelegatedAdministrators?.map((a) => a.Name)).toEqual(['security-tooling']);
    const lake = await org.send(new O.ListDelegatedAdministratorsCommand({ ServicePrincipal: 'securitylake.amazonaws.com' }));
    expect(lake.DelegatedAdministrators?.map((a) => a.Name)).toEqual(['log-archive']);
  });

  it('creates the execution role in every member account, assumable from the security tooling account', async () => {
    const tooling = report.accountIds['security-tooling'];
    const sts = new STSClient(fake.clientConfig({ account: tooling }));
    for (const account of config.organization.accounts.filter((a) => a.name !== 'management')) {
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account.id}:role/RampartExecutionRole`, RoleSessionName: 'drift' }));
      expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${account.id}:assumed-role/RampartExecutionRole/drift`);
    }
    const management = new I.IAMClient(fake.clientConfig({ account: report.managementAccountId }));
    expect((await errorOf(management.send(new I.GetRoleCommand({ RoleName: 'RampartExecutionRole' })))).name).toBe('NoSuchEntityException');
    expect((await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${report.managementAccountId}:role/RampartExecutionRole`, RoleSessionName: 'drift' })))).name).toBe('AccessDenied');
  });
});

const CLI = path.resolve('bin/rampart.js');

describe('rampart sandbox init and serve', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fakeaws-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('init writes a state file of the configured organization grown by --accounts', () => {
    const state = path.join(dir, 'sandbox.json');
    const run = spawnSync(process.execPath, [CLI, 'sandbox', 'init', '--config', EXAMPLE, '--accounts', '40', '--state', state], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/with 48 accounts/);
    const loaded = FakeAws.load(state);
    expect(loaded.organization?.accounts()).toHaveLength(48);
  });

  it('init refuses an invalid configuration, saying so, with exit code 1', () => {
    const broken = path.join(dir, 'config');
    fs.cpSync(EXAMPLE, broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'global.yaml'), 'homeRegion: nowhere\n');
    const run = spawnSync(process.execPath, [CLI, 'sandbox', 'init', '--config', broken, '--state', path.join(dir, 'x.json')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the configuration is invalid');
    expect(fs.existsSync(path.join(dir, 'x.json'))).toBe(false);
  });

  it('serve answers SDK calls on loopback and saves the sandbox when stopped', async () => {
    const state = path.join(dir, 'sandbox.json');
    expect(spawnSync(process.execPath, [CLI, 'sandbox', 'init', '--config', EXAMPLE, '--state', state]).status).toBe(0);
    const server = spawn(process.execPath, [CLI, 'sandbox', 'serve', '--state', state, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) resolve(match[1]);
        });
        server.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const iam = new I.IAMClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'AKIAFAKE444444444444', secretAccessKey: 'x' } });
      await iam.send(new I.CreateRoleCommand({ RoleName: 'AddedWhileServing', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
      const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      const reloaded = FakeAws.load(state);
      const roles = await new I.IAMClient(reloaded.clientConfig({ account: '444444444444' })).send(new I.ListRolesCommand({}));
      expect(roles.Roles?.map((r) => r.RoleName).sort()).toEqual(['AddedWhileServing', 'RampartExecutionRole']);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  });
});
