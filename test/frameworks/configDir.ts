import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { formatIssue } from '../../config/errors';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';

export const TODAY = new Date('2026-12-05T00:00:00Z');

const created: string[] = [];
afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A temporary directory removed when the test file ends. */
export function temporaryDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A copy of the pci-org example with governance.yaml evidence fields replaced and extra files written. */
export function exampleConfigWith(evidence: Record<string, unknown>, files: Record<string, string> = {}): { dir: string; config: RampartConfig } {
  const dir = temporaryDir('rampart-fw-');
  fs.cpSync('config/examples/pci-org', dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const file = path.join(dir, 'governance.yaml');
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(evidence)) doc.setIn(['evidence', key], value);
  fs.writeFileSync(file, doc.toString());
  const loaded = loadConfig(dir, { now: TODAY });
  if (!loaded.config) throw new Error(`test configuration does not validate:\n${loaded.issues.map(formatIssue).join('\n')}`);
  return { dir, config: loaded.config };
}
