import { Command, Option } from 'commander';
import { athenaSqlWithValues } from '../../query/athena';
import { DEFAULT_LOOKBACK_DAYS, findNamedQuery, NAMED_QUERIES, VIEWS } from '../../query/catalog';
import { formatResult, OUTPUT_FORMATS, OutputFormat } from '../../query/format';
import { queryLocalLake } from '../../query/localLake';
import { parseParameterArguments, resolveParameters } from '../../query/parameters';
import { localSourceDir } from '../../query/securityLakeTables';

interface QueryOptions {
  param: string[];
  lake?: string;
  format: OutputFormat;
  lookbackDays: string;
  now?: string;
  list?: boolean;
  sql?: boolean;
}

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('Run a Security Lake named query or view with DuckDB over a local lake (the same SQL Athena runs)')
    .argument('[name]', 'named query or view (see --list)')
    .option('--param <name=value>', 'query parameter, repeatable', (value: string, previous: string[]) => [...previous, value], [])
    .option('--lake <dir>', 'local lake directory (rampart sample-lake, rampart transform)')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--lookback-days <days>', "the views' look-back window", String(DEFAULT_LOOKBACK_DAYS))
    .option('--now <instant>', 'count look-back windows back from this ISO 8601 instant instead of the clock')
    .option('--list', 'list the named queries and views')
    .option('--sql', 'print the Athena SQL with the parameters filled in instead of running it')
    .addHelpText(
      'after',
      `
Examples:
  rampart sample-lake --out out/lake
  rampart query failed-compliance-controls --lake out/lake
  rampart query user-activity --param user=alice --param days=30 --lake out/lake --format csv
  rampart query top-outbound-destinations --param port=443 --sql`,
    )
    .action(async (name: string | undefined, options: QueryOptions) => {
      // `rampart query ... | head` closes the pipe early: stop quietly rather than crash.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      if (options.list) {
        process.stdout.write(catalogListing());
        return;
      }
      if (!name) throw new Error('name a query or view, e.g. rampart query failed-compliance-controls --lake out/lake (rampart query --list shows them)');
      const lookbackDays = wholeNumber(options.lookbackDays, '--lookback-days');
      const given = parseParameterArguments(options.param);
      if (options.sql) {
        const query = findNamedQuery(name);
        if (!query) throw new Error(`--sql prints named queries; ${JSON.stringify(name)} is not one (rampart query --list)`);
        process.stdout.write(`${athenaSqlWithValues(query, resolveParameters(query, given, lookbackDays))}\n`);
        return;
      }
      if (!options.lake) throw new Error('--lake <dir> is required: the local lake to query (rampart sample-lake --out <dir> writes one)');
      const now = options.now === undefined ? undefined : instant(options.now);
      const result = await queryLocalLake(name, given, { lake: options.lake, now, lookbackDays });
      for (const source of result.missingSources) {
        console.error(`note: no ${source} data under ${localSourceDir(options.lake, source)}; views over it are empty`);
      }
      process.stdout.write(formatResult(result, options.format));
    });
}

function catalogListing(): string {
  const lines = ['Named queries:'];
  for (const query of NAMED_QUERIES) {
    lines.push(`  ${query.name}`, `      ${query.description}`);
    for (const p of query.parameters) lines.push(`      --param ${p.name}=<${p.type}>  ${p.description}${'default' in p ? '' : ' (required)'}`);
  }
  lines.push('', 'Views (rampart_security_insights):');
  for (const view of VIEWS) lines.push(`  ${view.name}`, `      ${view.description}`);
  return `${lines.join('\n')}\n`;
}

function wholeNumber(text: string, option: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${option} ${JSON.stringify(text)}: expected a whole number of days, e.g. ${option} 90`);
  return Number(text);
}

function instant(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`--now ${JSON.stringify(text)}: expected an ISO 8601 instant, e.g. 2026-12-04T00:00:00Z`);
  return date;
}
