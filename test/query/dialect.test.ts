import { DuckDBInstance } from '@duckdb/node-api';
import { assertPortable, DialectError, toAthena, toAthenaWithValues, toDuckDb } from '../../query/dialect';
import { renderTemplate, TemplateError } from '../../query/template';
import { SqlSyntaxError } from '../../query/sqlTokens';

describe('Athena to DuckDB dialect layer', () => {
  it.each([
    ["element_at(unmapped, 'RecordState')", "((unmapped)['RecordState'])"],
    ['element_at(resources, 1).uid', '((resources)[1]).uid'],
    ["element_at(split(user_uid, '/'), -1)", "((split(user_uid, '/'))[-1])"],
    ['ELEMENT_AT(element_at(a, 1), 2)', '((((a)[1]))[2])'],
    ["date_add('day', -90, current_timestamp)", '((current_timestamp) + (-90) * INTERVAL 1 DAY)'],
    ["date_add('hour', -:hours, current_timestamp)", '((current_timestamp) + (-$hours) * INTERVAL 1 HOUR)'],
    ["date_add('minute', 5, date_add('day', 1, t))", '((((t) + (1) * INTERVAL 1 DAY)) + (5) * INTERVAL 1 MINUTE)'],
    ['user_name = :user OR x = :user', 'user_name = $user OR x = $user'],
  ])('%s', (athena, duckdb) => {
    expect(toDuckDb(athena)).toBe(duckdb);
  });

  it('leaves string literals, quoted identifiers and comments alone', () => {
    const sql = `SELECT 'element_at(x, 1) :user', "date_add" -- element_at(y, 2) :days\nFROM t /* :hours */`;
    expect(toDuckDb(sql)).toBe(sql);
    expect(toAthena(sql)).toEqual({ sql, parameterOrder: [] });
  });

  it('evaluates current_timestamp as the given instant', () => {
    expect(toDuckDb('SELECT current_timestamp', { now: new Date('2026-12-04T10:00:00Z') })).toBe("SELECT TIMESTAMPTZ '2026-12-04T10:00:00.000Z'");
    expect(toDuckDb('SELECT current_timestamp')).toBe('SELECT current_timestamp');
  });

  it('gives Athena positional placeholders in order, repeating a reused name', () => {
    expect(toAthena("WHERE a >= date_add('day', -:days, current_timestamp) AND (u = :user OR v = :user)")).toEqual({
      sql: "WHERE a >= date_add('day', -?, current_timestamp) AND (u = ? OR v = ?)",
      parameterOrder: ['days', 'user', 'user'],
    });
  });

  it('writes parameter values as SQL literals for the Athena console', () => {
    expect(toAthenaWithValues('WHERE u = :user AND d > :days', { user: "o'brien", days: 30 })).toBe("WHERE u = 'o''brien' AND d > 30");
    expect(() => toAthenaWithValues('WHERE u = :user', {})).toThrow('no value for :user');
  });

  it('rejects what would behave differently', () => {
    expect(() => toDuckDb("date_add('fortnight', 1, t)")).toThrow(DialectError);
    expect(() => toDuckDb("date_add('fortnight', 1, t)")).toThrow("expected one of 'second'");
    expect(() => toDuckDb('element_at(a)')).toThrow('element_at takes 2 arguments, found 1');
    expect(() => toDuckDb('SELECT ${table}')).toThrow('was not filled in');
    expect(() => toDuckDb('element_at(a, 1')).toThrow(SqlSyntaxError);
    expect(() => assertPortable("SELECT unmapped['RecordState'] FROM t", 'views/x.sql')).toThrow(
      'views/x.sql (line 1, column 16): "[" subscript — Athena fails on a missing map key or array element; use element_at(value, key) instead',
    );
    expect(() => assertPortable("SELECT '[' FROM t", 'x.sql')).not.toThrow();
  });

  it('rewritten SQL is NULL-safe in DuckDB for missing map keys, array elements and NULL containers', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const sql = toDuckDb(`
        SELECT
          element_at(m, 'RecordState') AS present,
          element_at(m, 'Missing') AS missing_key,
          element_at(CAST(NULL AS MAP(VARCHAR, VARCHAR)), 'RecordState') AS null_map,
          element_at(l, 1).uid AS first,
          element_at(l, 3).uid AS out_of_range,
          element_at(e, 1).uid AS empty_list,
          element_at(split('arn:aws:sts::1:assumed-role/R/carol', '/'), -1) AS last_part
        FROM (SELECT MAP {'RecordState': 'ACTIVE'} AS m, [{'uid': 'r1'}] AS l, CAST([] AS STRUCT(uid VARCHAR)[]) AS e)`);
      const reader = await connection.runAndReadAll(sql);
      expect(reader.getRowObjectsJS()).toEqual([
        { present: 'ACTIVE', missing_key: null, null_map: null, first: 'r1', out_of_range: null, empty_list: null, last_part: 'carol' },
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe('query file templates', () => {
  const sql = 'SELECT * FROM ${source_database}.${source_table} WHERE d > ${lookback_days}';

  it('fills in names and whole numbers', () => {
    expect(renderTemplate(sql, { source_database: 'db_1', source_table: 'tbl', lookback_days: 30 }, 'v.sql')).toBe('SELECT * FROM db_1.tbl WHERE d > 30');
  });

  it('names every missing value with its place', () => {
    expect(() => renderTemplate(sql, { source_database: 'db' }, 'v.sql')).toThrow(
      'v.sql: no value for ${source_table} (line 1, column 34), ${lookback_days} (line 1, column 60); pass it in the template values',
    );
  });

  it('refuses values that are not plain names or whole numbers', () => {
    expect(() => renderTemplate(sql, { source_database: 'db; DROP TABLE x', source_table: 't', lookback_days: 1 }, 'v.sql')).toThrow(TemplateError);
    expect(() => renderTemplate(sql, { source_database: 'db', source_table: 't', lookback_days: -1 }, 'v.sql')).toThrow('must be a whole number of 0 or more, found -1');
    expect(() => renderTemplate(sql, { source_database: 'db', source_table: 't', lookback_days: 1.5 }, 'v.sql')).toThrow(TemplateError);
  });

  it('reports a malformed slot', () => {
    expect(() => renderTemplate('SELECT ${Bad-Name}', {}, 'v.sql')).toThrow('malformed template');
  });
});
