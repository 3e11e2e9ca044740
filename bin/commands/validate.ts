import type { Command } from 'commander';
import { formatIssue } from '../../config/errors';
import { loadConfig, type LoadResult } from '../../config/load';
import { loadFrameworks } from '../../frameworks/load';

export const DEFAULT_CONFIG_DIR = 'config/examples/pci-org';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check a configuration directory and report every problem at once, with file and line')
    .argument('[dir]', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--json', 'print the result as JSON: { dir, valid, errors, warnings, issues[], skippedChecks[] }')
    .action((dir: string, options: { json?: boolean }) => {
      const loaded = loadConfig(dir);
      // Overlay and custom framework files are part of the configuration: their problems count too.
      const frameworkIssues = loaded.config ? loadFrameworks(loaded.config).issues : [];
      const result: LoadResult = frameworkIssues.some((i) => i.severity === 'error')
        ? { ...loaded, config: undefined, issues: [...loaded.issues, ...frameworkIssues] }
        : { ...loaded, issues: [...loaded.issues, ...frameworkIssues] };
      const errors = result.issues.filter((i) => i.severity === 'error');
      const warnings = result.issues.filter((i) => i.severity === 'warning');
      // No directory at all means there was nothing to validate: the command could not run.
      const couldNotRun = result.issues.some((i) => i.rule === 'file.no-directory');
      if (options.json) {
        const summary = { dir, valid: errors.length === 0, errors: errors.length, warnings: warnings.length, issues: result.issues, skippedChecks: result.skippedChecks };
        console.log(JSON.stringify(summary, null, 2));
      } else {
        for (const issue of result.issues) console.log(formatIssue(issue));
        if (couldNotRun) console.log(`${dir}: nothing to validate`);
        else printSummary(dir, result, errors.length, warnings.length);
      }
      process.exitCode = couldNotRun ? 2 : errors.length === 0 ? 0 : 1;
    });
}

function printSummary(dir: string, result: LoadResult, errors: number, warnings: number): void {
  const warningNote = warnings ? `, ${warnings} warning(s)` : '';
  if (result.config) {
    const accounts = result.config.organization.accounts;
    const pci = accounts.filter((a) => a.pci).length;
    console.log(`${dir}: valid — ${accounts.length} accounts${pci ? ` (${pci} PCI)` : ''}, ${result.config.global.enabledRegions.length} Regions${warningNote}`);
    return;
  }
  console.log(`${dir}: invalid — ${errors} error(s)${warningNote}`);
  const byFiles = new Map<string, string[]>();
  for (const skipped of result.skippedChecks) {
    const files = skipped.waitsFor.length > 1 ? `${skipped.waitsFor.slice(0, -1).join(', ')} and ${skipped.waitsFor.at(-1)}` : skipped.waitsFor[0];
    byFiles.set(files, [...(byFiles.get(files) ?? []), skipped.title]);
  }
  if (byFiles.size === 0) return;
  console.log('Not checked yet, because a file they read has errors of its own (they run once it loads cleanly):');
  for (const [files, titles] of byFiles) console.log(`  waiting for ${files}: ${titles.join('; ')}`);
}
