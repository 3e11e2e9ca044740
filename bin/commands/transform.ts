import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { formatIssue } from '../../config/errors';
import { loadConfig } from '../../config/load';
import { resolveCustomSources, type RampartConfig } from '../../config/model';
import { customSource, type CustomSource } from '../../ocsf/customSource';
import { BUILTIN_MAPPING_DIR, formatMappingIssue, loadMappingFile } from '../../ocsf/loadMapping';
import { transformFiles } from '../../ocsf/transformFiles';

interface TransformOptions {
  source: string;
  input: string[];
  out: string;
  config?: string;
  region?: string;
  account?: string;
  workers?: number;
  json?: boolean;
}

class UsageError extends Error {}

/** The custom source as securitylake.yaml declares it, or a shipped mapping used on its own. */
export function resolveSource(options: Pick<TransformOptions, 'source' | 'config' | 'region'>): { source: CustomSource; region: string } {
  let mappingFile: string;
  let routes: { sourceName: string; classUid: number }[];
  let region = options.region;
  if (options.config) {
    const result = loadConfig(options.config);
    if (!result.config) {
      throw new UsageError(`${options.config} is not a valid configuration:\n${result.issues.filter((i) => i.severity === 'error').map(formatIssue).join('\n')}`);
    }
    const resolved = resolveCustomSources(result.config).filter((s) => s.configName === options.source);
    if (resolved.length === 0) {
      throw new UsageError(`no custom source "${options.source}" in ${options.config}/securitylake.yaml (configured: ${result.config.securityLake.customSources.map((s) => s.name).join(', ') || 'none'})`);
    }
    mappingFile = resolved[0].mappingPath;
    routes = resolved.map((s) => ({ sourceName: s.sourceName, classUid: s.classUid }));
    region ??= result.config.securityLake.regions[0];
  } else {
    const builtins = fs.readdirSync(BUILTIN_MAPPING_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    if (!builtins.includes(options.source)) {
      throw new UsageError(`no shipped mapping "${options.source}" (shipped: ${builtins.join(', ')}); pass --config DIR to use a custom source from securitylake.yaml`);
    }
    mappingFile = path.join(BUILTIN_MAPPING_DIR, `${options.source}.json`);
    // Name the Security Lake sources the way the configuration would: one per OCSF class.
    const doc: unknown = JSON.parse(fs.readFileSync(mappingFile, 'utf8'));
    const lake = { customSources: [{ name: options.source, version: '1.0', mapping: `builtin:${options.source}`, ingestion: 's3' as const, providerAccount: 'local' }] };
    routes = resolveCustomSources({ dir: process.cwd(), securityLake: lake as unknown as RampartConfig['securityLake'], mappings: { [options.source]: doc } })
      .map((s) => ({ sourceName: s.sourceName, classUid: s.classUid }));
  }
  const loaded = loadMappingFile(mappingFile);
  if (!loaded.compiled) throw new UsageError(`mapping ${mappingFile} cannot be used:\n${loaded.issues.map(formatMappingIssue).join('\n')}`);
  for (const issue of loaded.issues) console.error(formatMappingIssue(issue));
  return { source: customSource(options.source, loaded.compiled, routes), region: region ?? 'us-east-1' };
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError('a whole number from 0 to 64');
  return n;
}

export function registerTransform(program: Command): void {
  program
    .command('transform')
    .description('Map log files to OCSF and write Security Lake Parquet locally, as a deployed custom source would')
    .requiredOption('--source <name>', 'a shipped mapping (aws-network-firewall, aws-alb, windows-sysmon) or, with --config, a configured custom source')
    .requiredOption('--input <files...>', 'log files: JSON lines or ALB access logs, gzipped or plain')
    .requiredOption('--out <dir>', 'output directory; gets ext/<source>/region=…/accountId=…/eventDay=…/ and dead-letter/')
    .option('--config <dir>', 'resolve the source from this configuration directory (securitylake.yaml)')
    .option('--region <region>', 'Region partition (default: the first Security Lake Region, or us-east-1)')
    .option('--account <id>', 'account for records that name none and are not under AWSLogs/<account>/ (default: external)')
    .option('--workers <n>', 'mapping worker threads beside the main one (default: one per further core, at most 3, for 16 MiB of input or more; 0 for none)', parseWorkers)
    .option('--json', 'print the counts as JSON')
    .action(async (options: TransformOptions) => {
      let resolved: { source: CustomSource; region: string };
      try {
        resolved = resolveSource(options);
        for (const input of options.input) if (!fs.existsSync(input)) throw new UsageError(`no input file ${input}`);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        console.error(`rampart transform: ${error.message}`);
        process.exitCode = 2;
        return;
      }
      const counts = await transformFiles({ source: resolved.source, inputs: options.input, outDir: options.out, region: resolved.region, account: options.account, workers: options.workers });
      if (options.json) {
        console.log(JSON.stringify(counts, null, 2));
      } else {
        for (const o of counts.objects) console.log(`wrote ${path.join(options.out, o.key)} (${o.rows} events, ${o.bytes} bytes)`);
        for (const key of counts.deadLetterObjects) console.log(`dead letters ${path.join(options.out, key)}`);
        const reasons = Object.entries(counts.rejectedByCode).map(([code, n]) => `${code} ${n}`).join(', ');
        console.log(`${options.source}: ${counts.in} in = ${counts.written} written + ${counts.rejected} rejected${reasons ? ` (${reasons})` : ''}`);
      }
      process.exitCode = counts.in === counts.written + counts.rejected ? 0 : 1;
    });
}
