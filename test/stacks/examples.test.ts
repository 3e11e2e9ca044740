import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeLandingZone } from '../../stacks/synthesize';
import { cfnLint, describeFindings } from './cfnLint';

const NOW = new Date('2026-12-04T00:00:00Z');
// Every shipped example, found on disk so a new one is covered as soon as it lands.
const EXAMPLES = fs.readdirSync('config/examples').filter((name) => fs.existsSync(path.join('config/examples', name, 'global.yaml')));

describe('shipped example configurations', () => {
  it.each(EXAMPLES)('%s synthesizes under the cdk-nag packs, within the resource budget, and passes cfn-lint', (example) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `rampart-${example}-`));
    try {
      const { assembly } = synthesizeLandingZone({ configDir: path.join('config/examples', example), outdir, now: NOW });
      for (const stack of assembly.stacks) expect([stack.stackName, Object.keys(stack.template.Resources).length <= 400]).toEqual([stack.stackName, true]);
      const lint = cfnLint(assembly.stacks.map((s) => path.join(outdir, s.templateFile)));
      if ('skipped' in lint) {
        console.warn(`cfn-lint check skipped: ${lint.skipped}`);
        return;
      }
      expect(describeFindings(lint.findings.filter((f) => f.Level === 'Error'))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 180_000);
});
