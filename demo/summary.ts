import * as path from 'node:path';
import { formatCounts, type DemoSummary } from './runDemo';

/** The one-screen summary printed after the steps. */
export function formatDemoSummary(s: DemoSummary): string {
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  const lines = [
    '',
    `Rampart demo — ${s.accounts} accounts (${rel(s.config)}), ${s.elapsedSeconds} s`,
    `  drift       ${s.drift.found} found (${formatCounts(s.drift.byType)})`,
    `  remediation ${s.remediation.repaired} repaired, ${s.remediation.awaitingApproval.length} awaiting approval, ${s.remediation.reportOnly.length} report-only`
      + `${Object.keys(s.remediation.remainingByType).length ? `; still drifted: ${formatCounts(s.remediation.remainingByType)}` : ''}`,
    `  lake        ${s.lake.written} rows written, ${s.lake.rejected} rejected (dead letters) in ${rel(s.lake.dir)}`,
    '  evidence    failed / unknown / satisfied per framework:',
    ...s.evidence.frameworks.map((f) => `    ${f.id.padEnd(20)} ${String(f.failed).padStart(4)} / ${String(f.unknown).padStart(4)} / ${String(f.satisfied).padStart(4)}  ${f.name}`),
    `  manifests   ${s.verify.ok ? 'intact' : 'TAMPERED'}: ${s.verify.files} files, ${s.verify.manifests} manifests (rampart evidence verify ${rel(s.evidence.dir)})`,
    '',
    'HTML reports:',
    ...s.evidence.frameworks.map((f) => `  ${rel(f.html)}`),
  ];
  if (s.remediation.awaitingApproval.length) {
    lines.push('', `Approve the ${s.remediation.awaitingApproval.length} waiting action(s) yourself: rampart remediate --state ${rel(s.sandbox)} --config ${rel(s.config)} prints a rampart approve command for each.`);
  }
  return lines.join('\n');
}
