import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeScaledConfig } from '../config/generate';
import { loadConfig } from '../config/load';
import type { RampartConfig } from '../config/model';

/** The fourth Region the drift benchmarks add: a Security Lake Region contributing to the us-east-1 rollup. */
export const EXTRA_REGION = 'us-west-1';

/**
 * pci-org grown to `accounts` accounts (the example's 8 included) and a fourth Region, written to a
 * temporary directory (the caller removes `config.dir` when done) and validated.
 */
export function fourRegionConfig(accounts: number, options: { ous?: number } = {}): RampartConfig {
  const dir = writeScaledConfig('config/examples/pci-org', fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-')), { accounts: accounts - 8, ...options });
  const edit = (file: string, from: string, to: string) => {
    const full = path.join(dir, file);
    const text = fs.readFileSync(full, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} no longer contains "${from}"; update the benchmark`);
    fs.writeFileSync(full, text.replace(from, to));
  };
  edit('global.yaml', '  - us-west-2\n', `  - us-west-2\n  - ${EXTRA_REGION}\n`);
  edit('securitylake.yaml', 'regions: [us-east-1, us-east-2, us-west-2]', `regions: [us-east-1, us-east-2, us-west-2, ${EXTRA_REGION}]`);
  edit('securitylake.yaml', 'contributingRegions: [us-east-2, us-west-2]', `contributingRegions: [us-east-2, us-west-2, ${EXTRA_REGION}]`);
  const { config, issues } = loadConfig(dir);
  if (!config) throw new Error(`the scaled configuration does not validate: ${issues.filter((i) => i.severity === 'error').length} errors`);
  return config;
}
