import { DuckDBInstance } from '@duckdb/node-api';
(async () => {
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  await c.run(`CREATE TABLE s AS SELECT (i%100)::VARCHAR AS a, CASE WHEN i%3=0 THEN NULL ELSE 'x' || i END AS b, '63' AS d, 'true' AS e, '{"a":"' || (i%100) || '","b":"x' || i || '","d":"63","e":"true"}' AS j FROM range(400000) r(i)`);
  const variants: Record<string, string> = {
    json: `json_transform(j, '"MAP(VARCHAR, VARCHAR)"')`,
    filter: `map_from_entries(list_filter([struct_pack(key := 'a', value := a), struct_pack(key := 'b', value := b), struct_pack(key := 'd', value := d), struct_pack(key := 'e', value := e)], x -> x.value IS NOT NULL))`,
    literal: `MAP {'a': a, 'b': b, 'd': d, 'e': e}`,
    mapfn: `map(['a','b','d','e'], [a, b, d, e])`,
  };
  for (const [k, v] of Object.entries(variants)) {
    const t = Date.now();
    await c.run(`COPY (SELECT ${v} AS m FROM s) TO '/tmp/ocsfexp/m.parquet' (FORMAT parquet, COMPRESSION zstd)`);
    console.log(k, Date.now() - t);
  }
})();
