import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { customSource, CustomSourcePipeline } from './ocsf/customSourcePipeline';
import { DeadLetterWriter } from './ocsf/deadLetters';
import { LakeWriter } from './ocsf/lakeWriter';
import { loadMappingText } from './ocsf/loadMapping';
import { readRecords } from './ocsf/recordReader';
import { networkFirewallLines } from './bench/networkFirewallEvents';
(async () => {
  const compiled = loadMappingText(fs.readFileSync('bench/fixtures/bench-nfw-typed.json', 'utf8'), 'x').compiled!;
  const N = Number(process.env.N), F = 10;
  const objects = [...Array(F)].map((_, f) => gzipSync(networkFirewallLines(N / F, f).join('\n')));
  let t = Date.now(); let n = 0;
  for (const o of objects) for await (const b of readRecords(o)) for (const r of b) if (JSON.parse(r.text!)) n++;
  console.log('floor', Date.now() - t);
  const sink = { put: async () => {} };
  t = Date.now();
  const writer = await LakeWriter.create({ sink, region: 'us-east-1', batchId: 'b', maxBytes: Number(process.env.MB ?? 128) * 1024 * 1024 });
  const p = new CustomSourcePipeline(customSource('nf', compiled, [{ sourceName: 'nf', classUid: 4001 }]), writer, new DeadLetterWriter(sink, 'b', 'd'));
  let peak = 0; const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  for (const o of objects) for await (const b of readRecords(o)) await p.process(b, 'x', '111122223333');
  const t1 = Date.now();
  const c = await p.finish();
  clearInterval(timer);
  console.log('stage', t1 - t, 'finish', Date.now() - t1, 'objects', c.objects.length, 'peakMiB', Math.round(peak / 2 ** 20));
})();
if (process.env.INSTR) {
const proto = LakeWriter.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const acc: Record<string, number> = {};
for (const name of ['appendPending', 'flushDue', 'flush']) {
  const orig = proto[name];
  proto[name] = async function (this: unknown, ...a: unknown[]) { const t = performance.now(); try { return await orig.apply(this, a); } finally { acc[name] = (acc[name] ?? 0) + performance.now() - t; } };
}
process.on('exit', () => console.log(acc));
}
