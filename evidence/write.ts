import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvidenceBuild } from './build';
import { buildManifest, MANIFEST_FILE, sha256Hex } from './manifest';
import { renderCsv } from './render/csv';
import { renderHtml } from './render/html';
import { renderOcsf } from './render/ocsf';
import type { EvidenceReport } from './report';
import { ResultLines } from './resultLines';

/** File names inside one evidence set. */
export const EVIDENCE_FILES = {
  report: 'report.json',
  html: 'report.html',
  csv: 'controls.csv',
  ocsf: 'findings.ocsf.jsonl',
  results: 'check-results.jsonl',
} as const;

export interface EvidenceFile {
  path: string;
  content: readonly Buffer[];
}

export interface EvidenceSet {
  framework: string;
  /** `<framework>/<YYYY-MM-DD>`: the same layout as the evidence bucket's `evidence/<framework>/<date>/`. */
  dir: string;
  /** File contents as chunks (the raw results of a large organization run to hundreds of megabytes). */
  files: EvidenceFile[];
  /** SHA-256 of manifest.json: record it (notification, log) to detect a rewritten manifest. */
  manifestSha256: string;
}

/** The files of every framework's evidence set, manifest included: pure, for the local writer and the S3 writer alike. */
export function evidenceFiles(build: EvidenceBuild): EvidenceSet[] {
  const { report } = build;
  const date = report.generatedAt.slice(0, 10);
  const lines = new ResultLines(build.index, build.records.values());
  return report.frameworks.map((framework) => {
    const single: EvidenceReport = { ...report, frameworks: [framework] };
    const files: EvidenceFile[] = [
      { path: EVIDENCE_FILES.report, content: [Buffer.from(`${JSON.stringify(single, null, 1)}\n`)] },
      { path: EVIDENCE_FILES.html, content: [Buffer.from(renderHtml(single))] },
      { path: EVIDENCE_FILES.csv, content: [Buffer.from(renderCsv(framework))] },
      { path: EVIDENCE_FILES.ocsf, content: [Buffer.from(renderOcsf(single, framework))] },
      { path: EVIDENCE_FILES.results, content: lines.linesFor(build.records.get(framework.id) ?? new Int32Array(0)) },
    ];
    const manifest = buildManifest({ framework: framework.id, generatedAt: report.generatedAt, inventory: report.inventory ?? null }, files);
    const manifestContent = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
    return {
      framework: framework.id,
      dir: `${framework.id}/${date}`,
      files: [...files, { path: MANIFEST_FILE, content: [manifestContent] }],
      manifestSha256: sha256Hex(manifestContent),
    };
  });
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
 * Writes each framework's set under `<outDir>/<framework>/<date>/`. Evidence is write-once: a set
 * that already exists is never overwritten (choose another directory, or remove it deliberately).
 */
export function writeEvidence(build: EvidenceBuild, outDir: string): EvidenceSet[] {
  const sets = evidenceFiles(build);
  for (const set of sets) {
    const dir = path.join(outDir, set.dir);
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      throw new EvidenceWriteError(`${dir} already holds evidence for ${set.framework} on ${set.dir.split('/')[1]}; evidence is never overwritten: choose another --out directory or move the existing set`);
    }
  }
  for (const set of sets) {
    const dir = path.join(outDir, set.dir);
    fs.mkdirSync(dir, { recursive: true });
    for (const file of set.files) {
      const fd = fs.openSync(path.join(dir, file.path), 'wx');
      try {
        // Some files are many slices: write them a batch at a time.
        for (let i = 0; i < file.content.length; i += WRITE_BATCH) writeAll(fd, file.content.slice(i, i + WRITE_BATCH));
      } finally {
        fs.closeSync(fd);
      }
    }
  }
  return sets;
}
