import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { configJsonSchemas } from '../../config/jsonSchema';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('Export a JSON Schema per configuration file, for editor completion and checks')
    .option('--out <dir>', 'write <file>.schema.json files into this directory instead of printing')
    .action((options: { out?: string }) => {
      const schemas = configJsonSchemas();
      if (!options.out) {
        console.log(JSON.stringify(schemas, null, 2));
        return;
      }
      fs.mkdirSync(options.out, { recursive: true });
      for (const [file, schema] of Object.entries(schemas)) {
        const target = path.join(options.out, file.replace(/\.yaml$/, '.schema.json'));
        fs.writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
        console.log(`wrote ${target}`);
      }
      console.log('Point your editor at them, e.g. "# yaml-language-server: $schema=<path>/organization.schema.json" at the top of a file.');
    });
}
