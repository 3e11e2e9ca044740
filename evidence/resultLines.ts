import { constants, gzipSync } from 'node:zlib';
import type { ResultIndex } from './resultIndex';

const CHUNK_BYTES = 4 * 1024 * 1024;
/** Fastest compression: for 1,000 accounts (430 MB of lines) 0.5 s instead of 2.5 s at the default level, for a file 27% larger (10.5 MB). */
const GZIP = { level: constants.Z_BEST_SPEED };

/**
 * The run's check results as gzipped JSON lines, in result-id order: serialized a chunk at a time
 * and each chunk compressed as its own gzip member (a valid gzip file, which `zcat` and any gzip
 * reader read as one), so memory stays at one chunk of text whatever the organization's size.
 */
export function checkResultLines(index: ResultIndex): Buffer[] {
  const out: Buffer[] = [];
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    if (pending.length) out.push(gzipSync(pending.join(''), GZIP));
    pending = [];
    pendingChars = 0;
  };
  for (let p = 0; p < index.size; p++) {
    const line = `${resultLine(index, p)}\n`;
    pending.push(line);
    pendingChars += line.length;
    if (pendingChars >= CHUNK_BYTES) flush();
  }
  flush();
  return out.length ? out : [gzipSync('')];
}

/** One result as a JSON line, keys in a fixed order (the raw evidence is kept as the check produced it). */
function resultLine(index: ResultIndex, p: number): string {
  const { checkId, item, status, scope, observedAt, detail, evidence } = index.results[p];
  return JSON.stringify({
    resultId: index.resultId(p), ref: index.refs[p], checkId, item, status,
    scope: { accountId: scope.accountId, accountName: scope.accountName, ou: scope.ou, region: scope.region },
    observedAt, detail, evidence,
  });
}
