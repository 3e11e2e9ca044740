import * as fs from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_FILE, manifestSchema, sha256Hex } from './manifest';

export interface VerifyProblem {
  kind: 'changed' | 'missing' | 'extra' | 'manifest';
  /** Path relative to the verified directory, forward slashes. */
  path: string;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  manifests: { path: string; framework?: string; generatedAt?: string; sha256: string; files: number }[];
  filesChecked: number;
  problems: VerifyProblem[];
}

/** Raised when verification cannot run at all (no such directory, nothing to verify). */
export class EvidenceVerifyError extends Error {}

/**
 * Verifies every evidence set under `dir` (one `<framework>/<date>` set, or a whole tree of them):
 * each file a manifest lists must exist with the same size and SHA-256, and no file may exist that
 * no manifest lists. Any changed, missing or extra byte or file is a problem.
 */
export function verifyEvidence(dir: string): VerifyResult {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new EvidenceVerifyError(`${dir}: no such directory`);
  const all = listFiles(dir);
  const manifests = all.filter((f) => path.posix.basename(f) === MANIFEST_FILE);
  if (manifests.length === 0) {
    if (all.length === 0) throw new EvidenceVerifyError(`${dir}: no evidence here (no ${MANIFEST_FILE} and no files)`);
    return {
      ok: false, manifests: [], filesChecked: 0,
      problems: all.map((f) => ({ kind: 'extra' as const, path: f, detail: `no ${MANIFEST_FILE} lists this file` })),
    };
  }

  const covered = new Set<string>(manifests);
  const problems: VerifyProblem[] = [];
  // A link can make a listed path read someone else's bytes: evidence holds plain files only.
  for (const file of all) {
    if (fs.lstatSync(path.join(dir, file)).isSymbolicLink()) problems.push({ kind: 'changed', path: file, detail: 'a symbolic link, not a file' });
  }
  const summaries: VerifyResult['manifests'] = [];
  let filesChecked = 0;
  for (const manifestPath of manifests) {
    const base = path.posix.dirname(manifestPath);
    const raw = fs.readFileSync(path.join(dir, manifestPath));
    let parsed: ReturnType<typeof manifestSchema.safeParse>;
    try {
      parsed = manifestSchema.safeParse(JSON.parse(raw.toString('utf8')));
    } catch (error) {
      problems.push({ kind: 'manifest', path: manifestPath, detail: `not JSON: ${(error as Error).message}` });
      summaries.push({ path: manifestPath, sha256: sha256Hex(raw), files: 0 });
      continue;
    }
    if (!parsed.success) {
      problems.push({ kind: 'manifest', path: manifestPath, detail: `not a Rampart evidence manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
      summaries.push({ path: manifestPath, sha256: sha256Hex(raw), files: 0 });
      continue;
    }
    const manifest = parsed.data;
    summaries.push({ path: manifestPath, framework: manifest.framework, generatedAt: manifest.generatedAt, sha256: sha256Hex(raw), files: manifest.files.length });
    for (const entry of manifest.files) {
      const rel = base === '.' ? entry.path : `${base}/${entry.path}`;
      covered.add(rel);
      const absolute = path.join(dir, rel);
      if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
        problems.push({ kind: 'missing', path: rel, detail: `listed in ${manifestPath} but not present` });
        continue;
      }
      filesChecked++;
      const content = fs.readFileSync(absolute);
      if (content.byteLength !== entry.bytes) {
        problems.push({ kind: 'changed', path: rel, detail: `${content.byteLength} bytes, the manifest says ${entry.bytes}` });
      } else if (sha256Hex(content) !== entry.sha256) {
        problems.push({ kind: 'changed', path: rel, detail: `SHA-256 differs from the manifest (${entry.sha256.slice(0, 12)}…)` });
      }
    }
  }
  for (const file of all) if (!covered.has(file)) problems.push({ kind: 'extra', path: file, detail: `no ${MANIFEST_FILE} lists this file` });
  return { ok: problems.length === 0, manifests: summaries, filesChecked, problems };
}

/** Every entry under dir, relative with forward slashes; anything that is not a plain file or directory counts as a file to flag. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}
