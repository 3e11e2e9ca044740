import { DuckDBInstance } from '@duckdb/node-api';
(async () => {
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  await c.run(`CREATE TABLE s AS SELECT ${[...Array(12)].map((_, k) => `'10.0.' || (i % 255) || '.' || (i % ${7 + k}) AS s${k}`).join(', ')}, ${[...Array(10)].map((_, k) => `(i % ${100 + k})::INTEGER AS n${k}`).join(', ')}, (1714564800000 + i)::BIGINT AS t FROM range(200000) r(i)`);
  for (const opt of ['COMPRESSION zstd', 'COMPRESSION zstd, COMPRESSION_LEVEL 1', 'COMPRESSION snappy', 'COMPRESSION uncompressed']) {
    const t = Date.now();
    await c.run(`COPY (SELECT * FROM s) TO '/tmp/ocsfexp/p.parquet' (FORMAT parquet, ${opt}, ROW_GROUP_SIZE 100000)`);
    console.log(opt, Date.now() - t);
  }
  console.log((await c.runAndReadAll(`SELECT current_setting('threads'), current_setting('memory_limit')`)).getRowsJson());
})();
