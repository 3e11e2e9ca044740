import * as os from 'node:os';
import * as path from 'node:path';
import { formatIssue } from '../../config/errors';
import { writeScaledConfig } from '../../config/generate';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';
import { FakeAws } from '../../sandbox';
import { seedLandingZone } from '../../sandbox/seed/fromConfig';
import { synthesizeLocalWorkflows, type LocalWorkflows } from '../../workflows/local/assembly';
import { LocalSession, type LocalSessionOptions } from '../../workflows/local/localSession';
import { ExampleCopy } from '../config/exampleCopy';

export const NOW = new Date('2026-12-04T00:00:00Z');

function load(dir: string): RampartConfig {
  const { config, issues } = loadConfig(dir, { now: NOW });
  if (!config) throw new Error(`${dir} does not load: ${issues.map(formatIssue).join('\n')}`);
  return config;
}

/** pci-org with every drift type remediated automatically where policy may (moves and segmentation paths still ask a person). */
export function autoRemediatingPciOrg(): RampartConfig {
  const copy = new ExampleCopy('pci-org');
  const governance = copy.read('governance.yaml');
  const remediation = governance.slice(governance.indexOf('remediation:'), governance.indexOf('\nevidence:'));
  copy.replace('governance.yaml', remediation, 'remediation:\n  defaultMode: auto\n  maxActionsPerRun: 25\n  approvalTimeoutHours: 1\n');
  return load(copy.dir);
}

/** pci-org grown to `accounts` workload accounts (every tenth PCI), with the same policies. */
export function scaledPciOrg(accounts: number, base: RampartConfig = autoRemediatingPciOrg()): RampartConfig {
  const out = path.join(os.tmpdir(), `rampart-scaled-${accounts}-${process.pid}-${Date.now()}`);
  return load(writeScaledConfig(base.dir, out, { accounts }));
}

export async function seededSandbox(config: RampartConfig, options: { seed?: number; now?: Date } = {}): Promise<FakeAws> {
  const fake = FakeAws.create({ seed: options.seed ?? 7, ...(options.now ? { now: options.now } : {}) });
  await seedLandingZone(fake, config);
  return fake;
}

const synthesized = new Map<RampartConfig, LocalWorkflows>();

/** The configuration's workflows, synthesized once per test file. */
export function workflowsOf(config: RampartConfig): LocalWorkflows {
  let workflows = synthesized.get(config);
  if (!workflows) {
    workflows = synthesizeLocalWorkflows(config);
    synthesized.set(config, workflows);
  }
  return workflows;
}

export function openSession(config: RampartConfig, fake: FakeAws, options: Omit<LocalSessionOptions, 'config' | 'fake' | 'workflows'> = {}): Promise<LocalSession> {
  return LocalSession.open({ config, fake, workflows: workflowsOf(config), ...options });
}
