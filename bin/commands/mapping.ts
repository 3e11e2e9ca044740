import type { Command } from 'commander';
import { formatMappingIssue, loadMappingFile } from '../../ocsf/loadMapping';

export function registerMapping(program: Command): void {
  const mapping = program.command('mapping').description('Custom-source mapping files (transformation-library format)');
  mapping
    .command('check')
    .description('Check a mapping file against OCSF 1.1.0: errors reject it, warnings say what Rampart corrects and how to fix the file')
    .argument('<file>', 'mapping file, or builtin:<name>')
    .option('--json', 'print the result as JSON')
    .action((file: string, options: { json?: boolean }) => {
      const loaded = loadMappingFile(file);
      const errors = loaded.issues.filter((i) => i.severity === 'error');
      const warnings = loaded.issues.filter((i) => i.severity === 'warning');
      const unreadable = !loaded.plan && errors.some((e) => e.message.startsWith('cannot read'));
      const entries = loaded.plan?.entries.map((e) => ({ matched: e.key, class: `${e.cls.name} (${e.cls.uid})` })) ?? [];
      if (options.json) {
        console.log(JSON.stringify({ file: loaded.file, valid: errors.length === 0, entries, issues: loaded.issues }, null, 2));
      } else {
        for (const issue of loaded.issues) console.log(formatMappingIssue(issue));
        if (errors.length === 0) {
          const classes = [...new Set(entries.map((e) => e.class))];
          console.log(`${loaded.file}: valid — ${entries.length} mapping(s) on ${loaded.plan!.matchedField.text}, OCSF ${classes.join(', ')}` + (warnings.length ? `, ${warnings.length} warning(s)` : ''));
        } else {
          console.log(`${loaded.file}: invalid — ${errors.length} error(s)` + (warnings.length ? `, ${warnings.length} warning(s)` : ''));
        }
      }
      process.exitCode = unreadable ? 2 : errors.length ? 1 : 0;
    });
}
