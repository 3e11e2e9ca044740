import { athenaExecutionParameters, athenaNamedQueries, athenaViewStatements } from '../../query/athena';
import { findNamedQuery, NAMED_QUERIES, namedQuerySql, VIEWS } from '../../query/catalog';
import { toAthena } from '../../query/dialect';
import { QueryParameterError, parseParameterArguments, resolveParameters } from '../../query/parameters';
import { NATIVE_SOURCE_NAMES, NativeSource, securityLakeTable, TableName } from '../../query/securityLakeTables';
import { tokenize } from '../../query/sqlTokens';

const rollupTables = Object.fromEntries(NATIVE_SOURCE_NAMES.map((s) => [s, securityLakeTable('us-east-1', s)])) as Record<NativeSource, TableName>;

describe('Security Lake table names', () => {
  it('follow Security Lake 2.0 naming per Region', () => {
    expect(securityLakeTable('us-east-1', 'SH_FINDINGS')).toEqual({
      database: 'amazon_security_lake_glue_db_us_east_1',
      table: 'amazon_security_lake_table_us_east_1_sh_findings_2_0',
    });
    expect(securityLakeTable('eu-west-2', 'CLOUD_TRAIL_MGMT').table).toBe('amazon_security_lake_table_eu_west_2_cloud_trail_mgmt_2_0');
    expect(securityLakeTable('ap-southeast-2', 'VPC_FLOW').table).toBe('amazon_security_lake_table_ap_southeast_2_vpc_flow_2_0');
  });
});

describe('views for the rampart_security_insights database', () => {
  const statements = athenaViewStatements({ sources: rollupTables, lookbackDays: 30 });

  it('has one view per source, reading the given table with the given window', () => {
    expect(statements.map((s) => s.name)).toEqual(['security_hub_findings', 'cloudtrail_management', 'vpc_flow']);
    const findings = statements[0];
    expect(findings.createViewSql).toBe(`CREATE OR REPLACE VIEW rampart_security_insights.security_hub_findings AS\n${findings.selectSql}`);
    expect(findings.selectSql).toContain('FROM amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_2_0');
    expect(findings.selectSql).toContain("WHERE time_dt >= date_add('day', -30, current_timestamp)");
    expect(statements[2].selectSql).toContain('amazon_security_lake_table_us_east_1_vpc_flow_2_0');
  });

  it('reads resource links in another database when told to', () => {
    const links = Object.fromEntries(NATIVE_SOURCE_NAMES.map((s) => [s, { database: 'security_lake_links', table: `rl_${s.toLowerCase()}` }])) as Record<NativeSource, TableName>;
    const [findings] = athenaViewStatements({ sources: links, insightsDatabase: 'insights_eu', lookbackDays: 7 });
    expect(findings.createViewSql).toContain('CREATE OR REPLACE VIEW insights_eu.security_hub_findings AS');
    expect(findings.selectSql).toContain('FROM security_lake_links.rl_sh_findings');
  });

  it('declares every output column of its SELECT, in order', () => {
    for (const [i, view] of VIEWS.entries()) {
      expect(selectAliases(statements[i].selectSql)).toEqual(view.columns.map((c) => c.name));
    }
  });
});

describe('named queries', () => {
  const athena = athenaNamedQueries();

  it('covers the questions people ask', () => {
    expect(athena.map((q) => q.name)).toEqual([
      'failed-compliance-controls',
      'findings-by-product-and-control',
      'active-inspector-findings-by-title',
      'access-denied-operations',
      'user-activity',
      'audit-events-by-account-region',
      'top-outbound-destinations',
    ]);
  });

  it('fit AWS::Athena::NamedQuery and carry only ? placeholders', () => {
    for (const query of athena) {
      expect(query.name.length).toBeLessThanOrEqual(128);
      expect(query.description.length).toBeLessThanOrEqual(1024);
      expect(query.database).toBe('rampart_security_insights');
      const kinds = tokenize(query.queryString).map((t) => t.kind);
      expect(kinds).not.toContain('parameter');
      expect(kinds).not.toContain('template');
      const placeholders = tokenize(query.queryString).filter((t) => t.kind === 'symbol' && t.text === '?').length;
      expect(placeholders).toBe(query.parameterOrder.length);
      expect(query.queryString).toContain('FROM rampart_security_insights.');
    }
  });

  it('declare exactly the parameters their SQL uses and read only the views they name', () => {
    for (const query of NAMED_QUERIES) {
      const sql = namedQuerySql(query);
      const used = new Set(toAthena(sql).parameterOrder);
      expect([...used].sort()).toEqual(query.parameters.map((p) => p.name).sort());
      const read = [...sql.matchAll(/rampart_security_insights\.(\w+)/g)].map((m) => m[1]);
      expect([...new Set(read)]).toEqual(query.views);
      expect(selectAliases(sql)).toEqual(query.columns.map((c) => c.name));
    }
  });

  it('lists parameters in placeholder order in the description', () => {
    const userActivity = athena.find((q) => q.name === 'user-activity');
    expect(userActivity?.parameterOrder).toEqual(['days', 'user', 'user']);
    expect(userActivity?.description).toMatch(/Parameters: 1\. days \(default 7\), 2\. user, 3\. user$/);
  });

  it('gives ExecutionParameters as literals in placeholder order', () => {
    const query = findNamedQuery('user-activity');
    if (!query) throw new Error('user-activity missing');
    expect(athenaExecutionParameters(query, resolveParameters(query, { user: "o'brien" }, 90))).toEqual(['7', "'o''brien'", "'o''brien'"]);
  });
});

describe('query parameters', () => {
  const query = findNamedQuery('top-outbound-destinations');
  if (!query) throw new Error('top-outbound-destinations missing');

  it('converts, defaults and checks them', () => {
    expect(resolveParameters(query, { port: '443' }, 90)).toEqual({ port: 443, hours: 24 });
    expect(resolveParameters(query, { port: 22, hours: 48 }, 90)).toEqual({ port: 22, hours: 48 });
  });

  it.each([
    [{}, 'top-outbound-destinations needs parameter "port" (destination port), e.g. port=443'],
    [{ port: 'https' }, 'top-outbound-destinations parameter port="https": expected a whole number (destination port), e.g. port=443'],
    [{ port: '70000' }, 'expected at most 65535'],
    [{ port: '443', hours: '0' }, 'expected at least 1'],
    [{ port: '443', hours: '2161' }, "reaches past the views' look-back window of 90 days; use at most 2160"],
    [{ port: '443', user: 'alice' }, 'top-outbound-destinations has no parameter "user"; its parameters are port, hours'],
  ])('%j is refused', (given, message) => {
    expect(() => resolveParameters(query, given, 90)).toThrow(QueryParameterError);
    expect(() => resolveParameters(query, given, 90)).toThrow(message);
  });

  it('refuses parameters to a query that takes none, and empty strings', () => {
    const failed = findNamedQuery('failed-compliance-controls');
    const user = findNamedQuery('user-activity');
    if (!failed || !user) throw new Error('queries missing');
    expect(() => resolveParameters(failed, { days: '3' }, 90)).toThrow('failed-compliance-controls takes no parameters, found "days"');
    expect(() => resolveParameters(user, { user: ' ' }, 90)).toThrow('expected a non-empty value');
  });

  it('parses name=value arguments', () => {
    expect(parseParameterArguments(['user=a=b', 'days=3'])).toEqual({ user: 'a=b', days: '3' });
    expect(() => parseParameterArguments(['days'])).toThrow('parameter "days": expected name=value, e.g. days=30');
    expect(() => parseParameterArguments(['days=1', 'days=2'])).toThrow('parameter "days" is given twice');
  });
});

/** Output names of the outermost SELECT list: each item's alias, or its bare column name. */
function selectAliases(sql: string): string[] {
  const tokens = tokenize(sql).filter((t) => t.kind !== 'comment' && t.kind !== 'space');
  let depth = 0;
  let start = -1;
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i].text.toUpperCase();
    if (text === '(') depth++;
    else if (text === ')') depth--;
    else if (depth === 0 && text === 'SELECT') start = i + 1;
    else if (depth === 0 && text === 'FROM' && start >= 0) {
      const items: string[][] = [[]];
      let d = 0;
      for (const token of tokens.slice(start, i)) {
        if (token.text === '(') d++;
        if (token.text === ')') d--;
        if (token.text === ',' && d === 0) items.push([]);
        else items[items.length - 1].push(token.text);
      }
      return items.map((item) => item[item.length - 1]);
    }
  }
  throw new Error('no SELECT ... FROM found');
}
