import { execFile, spawnSync } from 'node:child_process';

export interface ToolCheck {
  ok: boolean;
  /** Why the tool cannot be used, when it cannot. */
  reason?: string;
  version?: string;
}

/** Whether a command runs here (e.g. `aws --version`, `python3 -c "import moto"`). */
export function checkTool(command: string, args: string[]): ToolCheck {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `${command} not found on PATH` : `${command} could not run (${code ?? run.error.message})` };
  }
  if (run.status !== 0) return { ok: false, reason: `${command} ${args.join(' ')} exited with ${run.status}: ${(run.stderr || run.stdout).trim().split('\n').pop()}` };
  return { ok: true, version: `${run.stdout}${run.stderr}`.trim().split('\n')[0] };
}

/** `.ci/run` sets RAMPART_REQUIRE_MOTO=1: there the differential and AWS CLI suites must run. */
export const REQUIRE_EXTERNAL_TOOLS = process.env.RAMPART_REQUIRE_MOTO === '1';

/**
 * What a suite that needs an outside tool does: `run`; `required-missing` (register one test that
 * fails with the reason); or `skipped`, after telling the person running the tests why.
 */
export function externalSuiteMode(suite: string, check: ToolCheck): 'run' | 'required-missing' | 'skipped' {
  if (check.ok) return 'run';
  if (REQUIRE_EXTERNAL_TOOLS) return 'required-missing';
  console.warn(`${suite} skipped: ${check.reason}. Install it (the machines' Python has it) or set RAMPART_REQUIRE_MOTO=1 to make its absence fail.`);
  return 'skipped';
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (the loopback server answers in this process). */
export function runCommand(command: string, args: string[], env: Record<string, string>): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? Number((error as { code?: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
