/**
 * A custom source as delivery runs it: the compiled mapping, the Security Lake source (and column layout) of
 * each OCSF class it produces, each entry's row writer — and the per-record work of reading one raw record
 * into those columns or rejecting it with the reason, the same in the main thread and in mapping workers.
 */
import { parseAlbLogLine } from './albLogRecord';
import { buildColumnLayout } from './columnLayout';
import { EventRejection } from './coerce';
import { compileRowWriter, type CompiledMapping, type RowTarget, type RowWriter } from './compileMapping';
import type { LakeSource, ObjectSink } from './lakeWriter';
import type { RawRecord } from './recordReader';

/** Largest record Rampart maps (Kinesis records are at most 1 MiB). */
export const MAX_RECORD_CHARS = 1024 * 1024;

/** A Security Lake custom source the mapping feeds: one per OCSF class. */
export interface CustomSourceRoute {
  sourceName: string;
  classUid: number;
  /** Security Lake's provider location, when known. */
  location?: string;
  /** Where the source's objects go, when not the pipeline's default sink. */
  sink?: ObjectSink;
}

export interface CustomSource {
  /** The configured name (the dead-letter place and the metrics use it). */
  name: string;
  mapping: CompiledMapping;
  byClass: Map<number, LakeSource>;
  /** Per mapping entry (plan order): the lake source of its class and its compiled row writer. */
  rowWriters: { source: LakeSource; write: RowWriter }[];
  /** A record's text as a value to map: JSON, or an access log line for `aws-alb-log`. */
  parse: (text: string) => unknown;
}

export function customSource(name: string, mapping: CompiledMapping, routes: CustomSourceRoute[]): CustomSource {
  const byClass = new Map<number, LakeSource>();
  const classes = new Set(mapping.plan.entries.map((e) => e.cls.uid));
  for (const uid of classes) {
    const route = routes.find((r) => r.classUid === uid);
    if (!route) throw new Error(`custom source ${name}: the mapping produces OCSF class ${uid} and no Security Lake source takes it (sources: ${routes.map((r) => `${r.sourceName} (${r.classUid})`).join(', ') || 'none'})`);
    byClass.set(uid, { sourceName: route.sourceName, classUid: uid, location: route.location, sink: route.sink, layout: buildColumnLayout(mapping.plan.entries.filter((e) => e.cls.uid === uid)) });
  }
  const rowWriters = mapping.plan.entries.map((entry) => {
    const source = byClass.get(entry.cls.uid)!;
    return { source, write: compileRowWriter(entry, source.layout) };
  });
  return { name, mapping, byClass, rowWriters, parse: mapping.plan.recordFormat === 'aws-alb-log' ? parseAlbLine : JSON.parse };
}

function parseAlbLine(text: string): unknown {
  const record = parseAlbLogLine(text);
  if (!record) throw new EventRejection('unparseable', '$', 'not an Application Load Balancer access log entry');
  return record;
}

/** Why a record was not delivered. */
export interface Rejection {
  code: string;
  reason: string;
  field?: string;
}

/** A record as the dead-letter place keeps it: its text, or its bytes in base64 when they are not UTF-8. */
export function rawForDeadLetter(record: RawRecord): { raw: string; rawEncoding: 'utf8' | 'base64' } {
  return record.text !== undefined ? { raw: record.text, rawEncoding: 'utf8' } : { raw: record.bytes!.toString('base64'), rawEncoding: 'base64' };
}

/**
 * Parses each record and writes it through its entry's row writer into `targets[entry]`, or calls `reject`
 * with the reason (every record is one or the other).
 */
export function mapRecords(source: CustomSource, records: readonly RawRecord[], targets: readonly RowTarget[], reject: (record: RawRecord, rejection: Rejection) => void): void {
  const { mapping, rowWriters, parse } = source;
  for (const record of records) {
    const text = record.text;
    if (text === undefined) {
      reject(record, { code: 'not-json', reason: `not valid UTF-8 text (${record.bytes!.length} bytes)` });
      continue;
    }
    if (text.length > MAX_RECORD_CHARS) {
      reject(record, { code: 'event-too-large', reason: `${text.length} characters (limit ${MAX_RECORD_CHARS})` });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = parse(text);
    } catch (error) {
      reject(record, error instanceof EventRejection ? { code: error.code, reason: error.message } : { code: 'not-json', reason: `not JSON: ${(error as Error).message}` });
      continue;
    }
    try {
      const { index } = mapping.select(parsed);
      rowWriters[index].write(parsed, targets[index]);
    } catch (error) {
      if (!(error instanceof EventRejection)) throw error;
      reject(record, { code: error.code, reason: error.message, field: error.field });
    }
  }
}
