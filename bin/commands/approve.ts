import type { Command } from 'commander';
import { AwsClients, callerAccount, type ClientBase } from '../../aws/clients';
import { approveTask, rejectTask } from '../../aws/stepFunctions';
import { accountIdOf, CannotRun, loadConfigOrStop, runCommand } from './localTarget';
import { DEFAULT_CONFIG_DIR } from './validate';

interface ApproveOptions {
  reject?: boolean;
  reason?: string;
  by?: string;
  endpoint?: string;
  config: string;
  account?: string;
}

const ANSWERED = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export function registerApprove(program: Command): void {
  program
    .command('approve')
    .argument('<token>', 'the task token from the approval request')
    .description('Answer a remediation action waiting for approval (SendTaskSuccess, or SendTaskFailure with --reject)')
    .option('--reject', 'reject the action: nothing is written')
    .option('--reason <text>', 'why (required with --reject)')
    .option('--by <name>', 'who answers (recorded with the action)', process.env.USER ?? 'rampart approve')
    .option('--endpoint <url>', 'a sandbox served by rampart sandbox serve or rampart remediate (else AWS, with your credentials)')
    .option('--config <dir>', 'configuration directory (names the security-tooling account the workflows run in)', DEFAULT_CONFIG_DIR)
    .option('--account <id>', 'the security-tooling account, when the configuration has no id for it')
    .action((token: string, options: ApproveOptions) => runCommand(() => approve(token, options)));
}

async function approve(token: string, options: ApproveOptions): Promise<number> {
  if (options.reject && !options.reason?.trim()) throw new CannotRun('--reject needs --reason "why": it is recorded with the action as evidence');
  const config = loadConfigOrStop(options.config);
  const region = config.global.homeRegion;
  let base: ClientBase = {};
  let account: string | undefined;
  if (options.endpoint) {
    account = options.account ?? accountIdOf(config, config.organization.mandatoryAccounts.securityTooling);
    if (!account) throw new CannotRun(`the security-tooling account has no id in ${options.config}; pass --account ID`);
    base = { endpoint: options.endpoint, credentials: { accessKeyId: `AKIAFAKE${account}`, secretAccessKey: 'fakeaws' } };
  } else {
    account = await callerAccount(base, region);
  }
  const clients = new AwsClients({ homeAccountId: account, homeRegion: region, executionRoleName: '', organizationRoleName: '', base, sessionName: 'rampart-approve' });
  try {
    const by = options.by ?? 'rampart approve';
    if (options.reject) await rejectTask(clients, token, { by, reason: options.reason as string });
    else await approveTask(clients, token, { by, at: new Date().toISOString(), ...(options.reason ? { reason: options.reason } : {}) });
    console.log(options.reject ? `Rejected: nothing will be written (${options.reason}).` : 'Approved: the remediation run re-reads the state and applies the action if the drift is still there.');
    return 0;
  } catch (error) {
    const name = (error as Error).name;
    if (ANSWERED.has(name)) throw new CannotRun(`${name}: this token is not waiting (already answered, expired, or from another account): ${(error as Error).message}`);
    throw error;
  } finally {
    clients.destroy();
  }
}
