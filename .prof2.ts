import * as fs from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildColumnLayout } from './ocsf/columnLayout';
import { loadMappingText } from './ocsf/loadMapping';
(async () => {
  const compiled = loadMappingText(fs.readFileSync('bench/fixtures/bench-nfw-typed.json', 'utf8'), 'x').compiled!;
  const layout = buildColumnLayout(compiled.plan.entries);
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  // synthesize staging quickly in SQL
  const cols = layout.columns.map((col) => {
    if (col.path[0] === 'unmapped') return `'{"event_type":"netflow","age":"' || (i%100) || '","min_ttl":"63","max_ttl":"64","tcp.syn":"true","tcp.ack":"true"}' AS ${col.name}`;
    if (col.json) return `'["cloud","firewall"]' AS ${col.name}`;
    if (col.staging === 'VARCHAR') return `'10.0.' || (i % 255) || '.' || (i % 7) AS ${col.name}`;
    if (col.staging === 'INTEGER') return `(i % 1000)::INTEGER AS ${col.name}`;
    if (col.staging === 'DOUBLE') return `(1714564800000 + i)::DOUBLE AS ${col.name}`;
    return `true AS ${col.name}`;
  });
  await c.run(`CREATE TABLE s AS SELECT ${cols.join(', ')}, 100.0 AS row_width FROM range(200000) r(i)`);
  const time = layout.columns.find((x) => x.path[0] === 'time')!.name;
  for (const [label, sel] of [['full', layout.selectSql], ['flat', '*'], ['noMap', layout.selectSql.replace(/,\s*json_transform\([^)]*\)\) AS "unmapped"/, '').replace(/json_transform\(c\d+, '"MAP\(VARCHAR, VARCHAR\)"'\) AS "unmapped"/, '1 AS x')]]) {
    const t = Date.now();
    await c.run(`COPY (SELECT ${sel} FROM s ORDER BY ${time}) TO '/tmp/ocsfexp/p.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);
    console.log(label, Date.now() - t);
  }
  const t = Date.now();
  await c.run(`COPY (SELECT ${layout.selectSql} FROM s) TO '/tmp/ocsfexp/p.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);
  console.log('full-nosort', Date.now() - t);
})();
