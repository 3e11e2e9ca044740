import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAlbLogLine } from '../../ocsf/albLogRecord';
import { loadMappingFile } from '../../ocsf/loadMapping';

export const SAMPLES = {
  'aws-network-firewall': 'ocsf/samples/aws-network-firewall/flow-and-alert.log',
  'aws-alb': 'ocsf/samples/aws-alb/access.log',
  'windows-sysmon': 'ocsf/samples/windows-sysmon/events.jsonl',
} as const;
export type SampleSource = keyof typeof SAMPLES;

export const ROOT = path.resolve(__dirname, '..', '..');

/** The sample's events mapped by the shipped mapping, as plain JSON (absent attributes left out). */
export function mapSample(source: SampleSource): Record<string, unknown>[] {
  const mapping = loadMappingFile(`builtin:${source}`).compiled!;
  const lines = fs.readFileSync(path.join(ROOT, SAMPLES[source]), 'utf8').split('\n').filter((l) => l.trim());
  return lines.map((line) => JSON.parse(JSON.stringify(mapping.map(source === 'aws-alb' ? parseAlbLogLine(line) : JSON.parse(line)))));
}
