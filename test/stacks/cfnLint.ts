import { spawnSync } from 'node:child_process';

export interface LintFinding {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Filename: string;
  Location: { Start: { LineNumber: number } };
}

export type LintResult = { skipped: string } | { findings: LintFinding[] };

/**
 * Lints CloudFormation templates with cfn-lint (the machines' Python has 1.51). Where cfn-lint
 * is missing the check is skipped with the reason, unless RAMPART_REQUIRE_CFN_LINT=1 (as in
 * .ci/run), which turns its absence into a failure.
 */
export function cfnLint(files: string[]): LintResult {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = 'cfn-lint is not on PATH (install it with: pip install cfn-lint)';
    if (process.env.RAMPART_REQUIRE_CFN_LINT === '1') throw new Error(`${reason}; RAMPART_REQUIRE_CFN_LINT=1 requires it`);
    return { skipped: reason };
  }
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  try {
    return { findings: JSON.parse(run.stdout || '[]') as LintFinding[] };
  } catch {
    throw new Error(`cfn-lint did not print JSON (exit ${run.status}): ${run.stderr || run.stdout}`);
  }
}

/** Readable lines for failing findings. */
export function describeFindings(findings: LintFinding[]): string[] {
  return findings.map((f) => `${f.Filename}:${f.Location.Start.LineNumber} ${f.Rule.Id} ${f.Message}`);
}
