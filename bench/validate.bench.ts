import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { writeScaledConfig } from '../config/generate';
import { loadConfig } from '../config/load';
import { medianMs, report, type Benchmark } from './harness';

/** Validation of a 1,000-account, 50-OU configuration, beside merely parsing its YAML. */
export const validateBenchmark: Benchmark = {
  name: 'config.validate',
  async run() {
    const dir = writeScaledConfig('config/examples/pci-org', fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-')), { accounts: 1000, ous: 50 });
    const accounts = loadConfig(dir).config?.organization.accounts.length;
    if (!accounts) throw new Error('the generated configuration does not validate');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const parseOnly = await medianMs(() => files.forEach((text) => parseDocument(text)));
    const validate = await medianMs(() => loadConfig(dir));
    fs.rmSync(dir, { recursive: true, force: true });
    return [
      report({
        name: 'config.validate.1000-accounts-50-ous', value: validate, unit: 'ms', accounts,
        baseline: { name: 'yaml parse only', value: parseOnly }, goal: '< 1000 ms', goalMet: validate < 1000,
      }),
    ];
  },
};
