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

/** Reads a file by its path relative to the verified directory (`..` allowed for references); undefined when absent. */
type Reader = (relativePath: string) => Buffer | undefined;

interface ManifestCheck {
  summary: VerifyResult['manifests'][number];
  problems: VerifyProblem[];
  /** Paths (relative to the verified directory) the manifest accounts for. */
  covered: string[];
  filesChecked: number;
}

/** Checks one manifest's files (and the files of other sets it references) against their sizes and SHA-256. */
function checkManifest(manifestPath: string, raw: Buffer, read: Reader): ManifestCheck {
  const base = path.posix.dirname(manifestPath);
  const out: ManifestCheck = { summary: { path: manifestPath, sha256: sha256Hex(raw), files: 0 }, problems: [], covered: [manifestPath], filesChecked: 0 };
  let parsed: ReturnType<typeof manifestSchema.safeParse>;
  try {
    parsed = manifestSchema.safeParse(JSON.parse(raw.toString('utf8')));
  } catch (error) {
    out.problems.push({ kind: 'manifest', path: manifestPath, detail: `not JSON: ${(error as Error).message}` });
    return out;
  }
  if (!parsed.success) {
    out.problems.push({ kind: 'manifest', path: manifestPath, detail: `not a Rampart evidence manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
    return out;
  }
  const manifest = parsed.data;
  out.summary = { ...out.summary, framework: manifest.framework, generatedAt: manifest.generatedAt, files: manifest.files.length };
  const entries = [...manifest.files.map((f) => ({ ...f, referenced: false })), ...(manifest.references ?? []).map((r) => ({ ...r, referenced: true }))];
  for (const entry of entries) {
    const rel = path.posix.normalize(base === '.' ? entry.path : `${base}/${entry.path}`);
    out.covered.push(rel);
    const content = read(rel);
    if (content === undefined) {
      out.problems.push({ kind: 'missing', path: rel, detail: entry.referenced ? `referenced by ${manifestPath} but not present` : `listed in ${manifestPath} but not present` });
      continue;
    }
    out.filesChecked++;
    if (content.byteLength !== entry.bytes) out.problems.push({ kind: 'changed', path: rel, detail: `${content.byteLength} bytes, ${manifestPath} says ${entry.bytes}` });
    else if (sha256Hex(content) !== entry.sha256) out.problems.push({ kind: 'changed', path: rel, detail: `SHA-256 differs from ${manifestPath} (${entry.sha256.slice(0, 12)}…)` });
  }
  return out;
}

/** Manifest checks over a set of files, and every file no manifest accounts for. */
function verifyFiles(all: readonly string[], read: Reader): VerifyResult {
  const manifests = all.filter((f) => path.posix.basename(f) === MANIFEST_FILE);
  if (manifests.length === 0) {
    return { ok: false, manifests: [], filesChecked: 0, problems: all.map((f) => ({ kind: 'extra' as const, path: f, detail: `no ${MANIFEST_FILE} lists this file` })) };
  }
  const covered = new Set<string>();
  const problems = new Map<string, VerifyProblem>();
  const summaries: VerifyResult['manifests'] = [];
  let filesChecked = 0;
  for (const manifestPath of manifests) {
    const check = checkManifest(manifestPath, read(manifestPath) as Buffer, read);
    summaries.push(check.summary);
    filesChecked += check.filesChecked;
    for (const p of check.covered) covered.add(p);
    // A file several manifests name (the run's check results) is reported once.
    for (const problem of check.problems) if (!problems.has(`${problem.kind}|${problem.path}`)) problems.set(`${problem.kind}|${problem.path}`, problem);
  }
  for (const file of all) if (!covered.has(file)) problems.set(`extra|${file}`, { kind: 'extra', path: file, detail: `no ${MANIFEST_FILE} lists this file` });
  return { ok: problems.size === 0, manifests: summaries, filesChecked, problems: [...problems.values()] };
}

/**
 * Verifies every evidence set under `dir` (one `<framework>/<date>` set, or a whole tree of them):
 * each file a manifest lists, and the run's check results a framework's manifest references, must
 * exist with the same size and SHA-256, and no file may exist that no manifest accounts for. Any
 * changed, missing or extra byte or file is a problem.
 */
export function verifyEvidence(dir: string): VerifyResult {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new EvidenceVerifyError(`${dir}: no such directory`);
  const all = listFiles(dir);
  if (all.length === 0) throw new EvidenceVerifyError(`${dir}: no evidence here (no ${MANIFEST_FILE} and no files)`);
  const read: Reader = (rel) => {
    const absolute = path.join(dir, rel);
    return fs.existsSync(absolute) && fs.statSync(absolute).isFile() ? fs.readFileSync(absolute) : undefined;
  };
  const result = verifyFiles(all, read);
  // A link can make a listed path read someone else's bytes: evidence holds plain files only.
  const links = all.filter((file) => fs.lstatSync(path.join(dir, file)).isSymbolicLink()).map((file) => ({ kind: 'changed' as const, path: file, detail: 'a symbolic link, not a file' }));
  const problems = [...links, ...result.problems];
  return { ...result, ok: problems.length === 0, problems };
}

/**
 * Verifies one set held in memory (read back from the evidence bucket): `files` by their path
 * inside the set; `readReference` fetches a file of another set the manifest references (by its
 * `../../` path), undefined when absent.
 */
export function verifyEvidenceSet(files: ReadonlyMap<string, Buffer>, readReference: Reader = () => undefined): VerifyResult {
  return verifyFiles([...files.keys()].sort(), (rel) => (rel.startsWith('../') ? readReference(rel) : files.get(rel)));
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
