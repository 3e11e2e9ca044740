/**
 * The dead-letter place: every event Rampart cannot deliver, kept with its raw bytes and the reason, as
 * gzipped JSON lines under `dead-letter/<source>/eventDay=<YYYYMMDD>/` in the sink (a Rampart bucket, or
 * the local output directory). Object names derive from the batch, so a retried batch overwrites.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { ObjectSink } from './lakeWriter';

export interface DeadLetter {
  /** The configured custom source. */
  source: string;
  /** Rejection code, e.g. not-json, unknown-match, wrong-type, missing-required, field-too-large. */
  code: string;
  /** The field at fault, when there is one. */
  field?: string;
  reason: string;
  /** Where the event came from: `s3://bucket/key#line`, `kinesis:<shard>:<sequence>`, `file:<path>#line`. */
  origin: string;
  /** The event as received: UTF-8 text, or base64 when the bytes are not valid UTF-8. */
  raw: string;
  rawEncoding: 'utf8' | 'base64';
}

export class DeadLetterWriter {
  private readonly pending: DeadLetter[] = [];
  private part = 0;

  constructor(private readonly sink: ObjectSink, private readonly batchId: string, private readonly day: string) {}

  add(letter: DeadLetter): void {
    this.pending.push(letter);
  }

  get count(): number {
    return this.pending.length;
  }

  /** Writes what is pending as one object per source; returns the keys written. */
  async flush(): Promise<string[]> {
    const bySource = new Map<string, DeadLetter[]>();
    for (const letter of this.pending.splice(0)) {
      const list = bySource.get(letter.source) ?? [];
      list.push(letter);
      bySource.set(letter.source, list);
    }
    const keys: string[] = [];
    for (const [source, letters] of bySource) {
      const name = createHash('sha256').update(`${source}\n${this.batchId}\n${this.part++}`).digest('hex').slice(0, 32);
      const key = `dead-letter/${source}/eventDay=${this.day}/${name}.jsonl.gz`;
      await this.sink.put(key, gzipSync(letters.map((l) => JSON.stringify(l)).join('\n') + '\n'));
      keys.push(key);
    }
    return keys;
  }
}
