import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { parseAccountIdOverrides, SynthesisError } from '../../stacks/accountDirectory';
import { DEFAULT_CONFIG_DIR, synthesizeLandingZone } from '../../stacks/synthesize';
import { planStacks, type CfnTemplate, type StackPlan } from '../../stacks/templateDiff';

interface PlanOptions {
  config: string;
  previous: string;
  out?: string;
  accountIds?: string;
  json?: boolean;
}

const SYMBOL = { add: '+', remove: '-', change: '~' } as const;

/** Stack templates of a cloud assembly by stack name, read from its manifest. */
export function readAssemblyTemplates(dir: string): Record<string, CfnTemplate> {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new SynthesisError([`${dir}: no cloud assembly (manifest.json) here; run rampart synth --out ${dir} first, or pass --previous DIR`]);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }> };
  const templates: Record<string, CfnTemplate> = {};
  for (const [name, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    templates[name] = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8')) as CfnTemplate;
  }
  return templates;
}

export function formatPlan(plans: StackPlan[]): string {
  const lines: string[] = [];
  for (const plan of plans) {
    const count = (kind: 'add' | 'change' | 'remove') => plan.changes.filter((c) => c.change === kind).length;
    lines.push(`${plan.stack} (${plan.status}): ${count('add')} to add, ${count('change')} to change, ${count('remove')} to remove`);
    for (const change of plan.changes) {
      const label = change.label === change.logicalId ? change.logicalId : `${change.label} (${change.logicalId})`;
      lines.push(`  ${SYMBOL[change.change]} ${change.type} ${label}`);
      for (const detail of change.details) lines.push(`      ${detail}`);
    }
  }
  return lines.join('\n');
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('Show, per stack, what the configuration adds, changes and removes compared with a previous cloud assembly (no AWS access needed)')
    .option('--config <dir>', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--previous <dir>', 'the cloud assembly to compare with (what was last deployed)', 'cdk.out')
    .option('--out <dir>', 'keep the new cloud assembly here (default: a temporary directory)')
    .option('--account-ids <pairs>', 'ids of accounts not yet in organization.yaml, e.g. log-archive=222222222222')
    .option('--json', 'print the plan as JSON')
    .action((options: PlanOptions) => {
      process.exitCode = runPlan(options);
    });
}

export function runPlan(options: PlanOptions): number {
  const outdir = options.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-plan-'));
  try {
    const previous = readAssemblyTemplates(options.previous);
    synthesizeLandingZone({ configDir: options.config, outdir, accountIds: parseAccountIdOverrides(options.accountIds) });
    const plans = planStacks(previous, readAssemblyTemplates(outdir));
    console.log(options.json ? JSON.stringify(plans, null, 2) : formatPlan(plans));
    return 0;
  } catch (error) {
    if (error instanceof SynthesisError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    if (!options.out) fs.rmSync(outdir, { recursive: true, force: true });
  }
}
