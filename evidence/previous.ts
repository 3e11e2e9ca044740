import * as fs from 'node:fs';
import * as path from 'node:path';
import { EVIDENCE_REPORT_SCHEMA, type EvidenceReport } from './report';
import { verifyEvidence } from './verify';
import { EVIDENCE_FILES } from './write';

export class PreviousEvidenceError extends Error {}

/**
 * The latest earlier report of each framework in an evidence tree (`<root>/<framework>/<date>/`),
 * dated before `before` (YYYY-MM-DD). Each set is verified first: history is never built on
 * evidence that fails its manifest.
 */
export function findPreviousReports(root: string, frameworkIds: readonly string[], before: string): { reports: EvidenceReport[]; dirs: string[] } {
  const reports: EvidenceReport[] = [];
  const dirs: string[] = [];
  for (const id of frameworkIds) {
    const frameworkDir = path.join(root, id);
    if (!fs.existsSync(frameworkDir)) continue;
    const dates = fs
      .readdirSync(frameworkDir)
      .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d < before && fs.existsSync(path.join(frameworkDir, d, EVIDENCE_FILES.report)))
      .sort();
    const latest = dates.at(-1);
    if (!latest) continue;
    const dir = path.join(frameworkDir, latest);
    const verification = verifyEvidence(dir);
    if (!verification.ok) {
      const first = verification.problems[0];
      throw new PreviousEvidenceError(`${dir} fails verification (${first.kind} ${first.path}: ${first.detail}); history cannot be built on it. Investigate it, or pass --previous to choose other evidence.`);
    }
    let report: EvidenceReport;
    try {
      report = JSON.parse(fs.readFileSync(path.join(dir, EVIDENCE_FILES.report), 'utf8')) as EvidenceReport;
    } catch (error) {
      throw new PreviousEvidenceError(`${path.join(dir, EVIDENCE_FILES.report)} is not JSON: ${(error as Error).message}`);
    }
    if (report.schema !== EVIDENCE_REPORT_SCHEMA || !Array.isArray(report.frameworks)) {
      throw new PreviousEvidenceError(`${path.join(dir, EVIDENCE_FILES.report)} is not a ${EVIDENCE_REPORT_SCHEMA} document`);
    }
    reports.push(report);
    dirs.push(dir);
  }
  return { reports, dirs };
}
