import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeScaledConfig } from '../../config/generate';
import { synthesizeLandingZone, type SynthesisResult } from '../../stacks/synthesize';
import { cfnLint, describeFindings } from './cfnLint';

const NOW = new Date('2026-12-04T00:00:00Z');

let workdir: string;
let outdir: string;
let result: SynthesisResult;

/** A 1,000-account organization, synthesized once with the cdk-nag packs. */
beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-scale-'));
  const configDir = writeScaledConfig('config/examples/pci-org', path.join(workdir, 'config'), { accounts: 1000 });
  outdir = path.join(workdir, 'out');
  result = synthesizeLandingZone({ configDir, outdir, now: NOW });
}, 180_000);

afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

describe('a 1,000-account organization', () => {
  it('has the same stacks as a small one: one per deployment target, none per member account', () => {
    expect(result.config.organization.accounts).toHaveLength(1008);
    expect(result.assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'Rampart-AccessAnalyzer-us-east-1', 'Rampart-AccessAnalyzer-us-east-2', 'Rampart-AccessAnalyzer-us-west-2',
      'Rampart-Config-us-east-1', 'Rampart-Config-us-east-2', 'Rampart-Config-us-west-2', 'Rampart-ConfigDelivery',
      'Rampart-Governance', 'Rampart-LakeQuery-security-insights-us-east-1', 'Rampart-Organization', 'Rampart-SecurityHub',
      'Rampart-SecurityLake-us-east-1', 'Rampart-SecurityLake-us-east-2', 'Rampart-SecurityLake-us-west-2',
    ]);
  });

  it('keeps every stack within 400 resources', () => {
    const sizes = result.assembly.stacks.map((s) => [s.stackName, Object.keys(s.template.Resources).length] as const);
    expect(sizes.filter(([, count]) => count > 400)).toEqual([]);
  });

  it('places every member account, each in exactly one placement', () => {
    const seen: string[] = [];
    const template = result.assembly.getStackByName('Rampart-Organization').template as { Resources: Record<string, { Type: string; Properties: { Placements?: { AccountIds: string }[] } }> };
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'Custom::RampartAccountPlacement') continue;
      for (const placement of resource.Properties.Placements ?? []) seen.push(...placement.AccountIds.split(','));
    }
    const members = result.config.organization.accounts.filter((a) => a.ou !== 'Root').map((a) => a.id);
    expect(seen.sort()).toEqual([...members].sort());
  });

  it('passes cfn-lint for the organization template, the one that grows with the organization', () => {
    const lint = cfnLint([path.join(outdir, result.assembly.getStackByName('Rampart-Organization').templateFile)]);
    if ('skipped' in lint) {
      console.warn(`cfn-lint check skipped: ${lint.skipped}`);
      return;
    }
    expect(describeFindings(lint.findings.filter((f) => f.Level === 'Error'))).toEqual([]);
  });
});
