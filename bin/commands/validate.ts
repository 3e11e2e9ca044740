import type { Command } from 'commander';
import { formatIssue } from '../../config/errors';
import { loadConfig } from '../../config/load';

export const DEFAULT_CONFIG_DIR = 'config/examples/pci-org';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check a configuration directory and report every problem at once, with file and line')
    .argument('[dir]', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--json', 'print issues as JSON')
    .action((dir: string, options: { json?: boolean }) => {
      const result = loadConfig(dir);
      const errors = result.issues.filter((i) => i.severity === 'error');
      const warnings = result.issues.filter((i) => i.severity === 'warning');
      if (options.json) {
        console.log(JSON.stringify({ dir, valid: errors.length === 0, errors: errors.length, warnings: warnings.length, issues: result.issues }, null, 2));
      } else {
        for (const issue of result.issues) console.log(formatIssue(issue));
        if (result.config) {
          const org = result.config.organization;
          console.log(
            `${dir}: valid — ${org.accounts.length} accounts (${org.accounts.filter((a) => a.pci).length} PCI), ` +
              `${result.config.global.enabledRegions.length} Regions` + (warnings.length ? `, ${warnings.length} warning(s)` : ''),
          );
        } else {
          const crossFileSkipped = result.issues.some((i) => i.rule.startsWith('schema.') || i.rule.startsWith('yaml.') || i.rule.startsWith('file.'));
          console.log(`${dir}: invalid — ${errors.length} error(s)` + (warnings.length ? `, ${warnings.length} warning(s)` : ''));
          if (crossFileSkipped) console.log('Checks across files (references, PCI placement, rollup Regions, SCP limits) run once the errors above are fixed.');
        }
      }
      process.exitCode = errors.length === 0 ? 0 : 1;
    });
}
