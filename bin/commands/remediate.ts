import type { Command } from 'commander';
import type { ActionRecord } from '../../engine/remediation';
import { RUN_FILES } from '../../handlers/workflows/runFiles';
import type { RemediationPlanFile } from '../../handlers/workflows/remediationPlan';
import { LocalSession } from '../../workflows/local/localSession';
import { loadConfigOrStop, loadSandbox, requireTarget, runCommand, type TargetOptions } from './localTarget';
import { DEFAULT_CONFIG_DIR } from './validate';

interface RemediateOptions extends TargetOptions {
  dryRun?: boolean;
  autoApprove?: boolean;
  json?: boolean;
}

export function registerRemediate(program: Command): void {
  program
    .command('remediate')
    .description('Run the Remediate workflow locally against a sandbox: collect, plan the repairs governance.yaml allows, ask for approvals, apply, verify')
    .option('--config <dir>', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--state <file>', 'sandbox state to repair (saved back)')
    .option('--endpoint <url>', 'a sandbox served by rampart sandbox serve')
    .option('--dry-run', 'plan and record what would be done; write nothing')
    .option('--auto-approve', 'approve every action that needs a person\'s approval')
    .option('--json', 'print { summary, records } as JSON')
    .addHelpText('after', `
Actions in approve mode wait for a person. With --state the sandbox is served while the run waits;
answer from another terminal with the command printed (rampart approve TOKEN --endpoint URL).
Exit codes: 0 nothing left to repair, 1 actions not applied or drift left, 2 could not run.

Examples:
  rampart remediate --state sandbox.json --dry-run
  rampart remediate --state sandbox.json --auto-approve`)
    .action((options: RemediateOptions) => runCommand(() => remediate(options)));
}

async function remediate(options: RemediateOptions): Promise<number> {
  requireTarget(options, 'rampart remediate');
  const config = loadConfigOrStop(options.config);
  const fake = options.state ? loadSandbox(options.state) : undefined;
  const interactive = !options.autoApprove && !options.dryRun && fake !== undefined;
  const server = interactive && fake ? await fake.listen({ port: 0 }) : undefined;
  let session: LocalSession | undefined;
  try {
    session = await LocalSession.open({
      config, ...(fake ? { fake } : {}), ...(options.endpoint ?? server?.url ? { endpoint: options.endpoint ?? server?.url } : {}),
      approvals: options.autoApprove ? 'auto' : 'wait',
      onApprovalRequested: ({ token, payload }) => {
        const { runId, index } = payload as { runId: string; index: number };
        void session?.read<RemediationPlanFile>(RUN_FILES.remediationPlan(runId)).then((file) => {
          if (options.autoApprove) return;
          console.log(`Approval needed: ${file.plan.actions[index]?.description ?? `action ${index}`}`);
          console.log(`  approve: rampart approve ${token} --endpoint ${server?.url ?? options.endpoint}`);
          console.log(`  reject:  rampart approve ${token} --endpoint ${server?.url ?? options.endpoint} --reject --reason "why"`);
        });
      },
    });
    const run = await session.remediate({ dryRun: options.dryRun });
    if (fake && options.state) fake.save(options.state);
    if (options.json) console.log(JSON.stringify({ summary: run.summary, transitions: run.execution.transitions, records: run.records }, null, 2));
    else printRecords(run.records, run.summary.remaining, run.summary.dryRun);
    if (run.summary.dryRun) return 0;
    const settled = run.records.every((r) => r.outcome === 'applied' || (r.outcome === 'skipped-precondition' && r.precondition?.reason.includes('gone already')));
    return settled && run.summary.remaining.length === 0 && run.summary.deferred === 0 ? 0 : 1;
  } finally {
    session?.close();
    await server?.close();
  }
}

function printRecords(records: ActionRecord[], remaining: string[], dryRun: boolean): void {
  if (!records.length) {
    console.log('Nothing to remediate: no drift the remediation policy allows Rampart to repair.');
    return;
  }
  console.log(`${records.length} action(s)${dryRun ? ' (dry run: nothing written)' : ''}:`);
  for (const record of records) {
    const why = record.error ? `${record.error.code}: ${record.error.message}` : record.verification?.reason ?? record.precondition?.reason ?? (record.mode === 'approve' ? 'needs approval' : '');
    console.log(`  ${record.outcome.padEnd(20)} ${record.mode.padEnd(7)} ${record.description}${why ? ` (${why})` : ''}`);
  }
  if (!dryRun) console.log(remaining.length ? `${remaining.length} planned drift(s) remain.` : 'Every drift the written actions were to repair is gone.');
}
