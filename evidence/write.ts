import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { EvidenceBuild } from './build';
import { CHECK_RESULTS_DIR, CHECK_RESULTS_FILE, checkResultsPathFromSet, INVENTORY_FILE } from './layout';
import { buildManifest, canonicalJson, MANIFEST_FILE, sha256Hex, type ManifestReference } from './manifest';
import { renderCsv } from './render/csv';
import { renderHtml } from './render/html';
import { renderOcsf } from './render/ocsf';
import type { EvidenceReport } from './report';
import { checkResultLines } from './resultLines';

/** File names inside one framework's evidence set. */
export const EVIDENCE_FILES = {
  report: 'report.json',
  html: 'report.html',
  csv: 'controls.csv',
  ocsf: 'findings.ocsf.jsonl',
} as const;

/** The manifest's `framework` for the run's check-results set. */
export const CHECK_RESULTS_SET = 'check-results';

export interface EvidenceFile {
  path: string;
  content: readonly Buffer[];
}

export interface EvidenceSet {
  /** The framework id, or CHECK_RESULTS_SET for the run's check results. */
  framework: string;
  /** `<framework>/<YYYY-MM-DD>` (or `_check-results/<YYYY-MM-DD>`): the evidence bucket's layout under its prefix. */
  dir: string;
  /** File contents as chunks; the manifest is last. */
  files: EvidenceFile[];
  /** SHA-256 of manifest.json: record it (notification, log) to detect a rewritten manifest. */
  manifestSha256: string;
}

/** The check-results file of a run as the framework sets refer to it. */
export interface CheckResultsReference {
  date: string;
  sha256: string;
  bytes: number;
}

function withManifest(framework: string, dir: string, report: EvidenceReport, files: EvidenceFile[], references?: ManifestReference[]): EvidenceSet {
  const manifest = buildManifest({ framework, generatedAt: report.generatedAt, inventory: report.inventory ?? null, references }, files);
  const manifestContent = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
  return { framework, dir, files: [...files, { path: MANIFEST_FILE, content: [manifestContent] }], manifestSha256: sha256Hex(manifestContent) };
}

/**
 * The run's check results (every result the report can cite, gzipped JSON lines) and, when given,
 * the inventory they were judged on (canonical JSON: the manifest's inventory hash is its SHA-256),
 * with their own manifest. With the inventory, anyone can re-run the evidence offline.
 */
export function checkResultsSet(build: EvidenceBuild, inventory?: unknown): EvidenceSet {
  const date = build.report.generatedAt.slice(0, 10);
  const files: EvidenceFile[] = [{ path: CHECK_RESULTS_FILE, content: checkResultLines(build.index) }];
  if (inventory !== undefined) files.push({ path: INVENTORY_FILE, content: [gzipSync(canonicalJson(inventory))] });
  return withManifest(CHECK_RESULTS_SET, `${CHECK_RESULTS_DIR}/${date}`, build.report, files);
}

/** What the framework sets record of the check-results set: the file's date, SHA-256 and size. */
export function checkResultsReference(set: EvidenceSet): CheckResultsReference {
  const file = set.files.find((f) => f.path === CHECK_RESULTS_FILE);
  if (!file) throw new Error(`${set.dir} has no ${CHECK_RESULTS_FILE}`);
  const entry = buildManifest({ framework: set.framework, generatedAt: '' }, [file]).files[0];
  return { date: set.dir.split('/')[1], sha256: entry.sha256, bytes: entry.bytes };
}

/** One framework's set: the report and its renderings, with a manifest that also pins the run's check results. */
export function frameworkSet(build: EvidenceBuild, frameworkId: string, results: CheckResultsReference): EvidenceSet {
  const { report } = build;
  const framework = report.frameworks.find((f) => f.id === frameworkId);
  if (!framework) throw new Error(`the report has no framework ${frameworkId}`);
  const single: EvidenceReport = { ...report, frameworks: [framework] };
  const files: EvidenceFile[] = [
    { path: EVIDENCE_FILES.report, content: [Buffer.from(`${JSON.stringify(single, null, 1)}\n`)] },
    { path: EVIDENCE_FILES.html, content: [Buffer.from(renderHtml(single))] },
    { path: EVIDENCE_FILES.csv, content: [Buffer.from(renderCsv(framework, checkResultsPathFromSet(results.date)))] },
    { path: EVIDENCE_FILES.ocsf, content: [Buffer.from(renderOcsf(single, framework))] },
  ];
  const reference = { path: checkResultsPathFromSet(results.date), sha256: results.sha256, bytes: results.bytes };
  return withManifest(framework.id, `${framework.id}/${report.generatedAt.slice(0, 10)}`, report, files, [reference]);
}

/** Every set of a run, manifests included: the check results (and inventory) first, then one per framework. Pure, for the local and S3 writers alike. */
export function evidenceFiles(build: EvidenceBuild, inventory?: unknown): EvidenceSet[] {
  const results = checkResultsSet(build, inventory);
  const reference = checkResultsReference(results);
  return [results, ...build.report.frameworks.map((f) => frameworkSet(build, f.id, reference))];
}

export class EvidenceWriteError extends Error {}

const WRITE_BATCH = 512;

function writeAll(fd: number, buffers: Buffer[]): void {
  let pending = buffers;
  for (;;) {
    const total = pending.reduce((n, b) => n + b.length, 0);
    const written = fs.writevSync(fd, pending);
    if (written >= total) return;
    // writev may write less than asked: continue from where it stopped.
    pending = [Buffer.concat(pending).subarray(written)];
  }
}

/**
 * Writes every set of the run under `outDir` (framework sets under `<framework>/<date>/`, the
 * check results under `_check-results/<date>/`). Evidence is write-once: a set that already
 * exists is never overwritten (choose another directory, or remove it deliberately).
 */
export function writeEvidence(build: EvidenceBuild, outDir: string, inventory?: unknown): EvidenceSet[] {
  const sets = evidenceFiles(build, inventory);
  // Framework sets first: a clash there is the one a person recognizes.
  for (const set of [...sets].reverse()) {
    const dir = path.join(outDir, set.dir);
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      const what = set.framework === CHECK_RESULTS_SET ? 'check results' : `evidence for ${set.framework}`;
      throw new EvidenceWriteError(`${dir} already holds ${what} on ${set.dir.split('/')[1]}; evidence is never overwritten: choose another --out directory or move the existing set`);
    }
  }
  for (const set of sets) {
    const dir = path.join(outDir, set.dir);
    fs.mkdirSync(dir, { recursive: true });
    for (const file of set.files) {
      const fd = fs.openSync(path.join(dir, file.path), 'wx');
      try {
        // Some files are many slices: write them a batch at a time.
        for (let i = 0; i < file.content.length; i += WRITE_BATCH) writeAll(fd, file.content.slice(i, i + WRITE_BATCH) as Buffer[]);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
  return sets;
}
