import { AwsClients } from '../../aws/clients';
import { verifyStoredEvidenceSet } from '../../aws/evidenceStore';
import { getJson } from '../../aws/s3';
import type { RampartConfig } from '../../config/model';
import type { DriftReport } from '../../engine/drift';
import type { ActionRecord } from '../../engine/remediation';
import type { FrameworkRequest } from '../../handlers/evidence/settings';
import type { ChecksSummary, FrameworkFailure, FrameworkSummary } from '../../handlers/evidence/steps';
import { destinationsFrom, type WorkflowDestinations } from '../../handlers/workflows/runtime';
import type { DriftSummary } from '../../handlers/workflows/steps';
import type { VerifyResult } from '../../evidence/verify';
import type { RemediationSummary } from '../../handlers/workflows/verifyRemediation';
import type { FakeAws } from '../../sandbox';
import { DRIFT_CHECK_NAME, REMEDIATE_NAME } from '../driftWorkflows';
import { EVIDENCE_NAME } from '../evidenceWorkflow';
import { synthesizeLocalWorkflows, type LocalWorkflows } from './assembly';
import { deployLocally, inProcessSandbox, loopbackSandbox, type SandboxTransport } from './localDeployment';
import { LocalRunner, type ExecutionResult, type RunnerOptions } from './localRunner';

/**
 * A configuration's workflows deployed into a sandbox and ready to run: what `rampart drift` and
 * `rampart remediate` use, and the tests and benchmarks. Synthesizes once, deploys idempotently.
 */
export interface LocalSessionOptions {
  config: RampartConfig;
  /** The sandbox in this process, or */
  fake?: FakeAws;
  /** a sandbox served elsewhere (its loopback URL). With `fake`, the URL of `fake` served here (for bundled handlers and `rampart approve`). */
  endpoint?: string;
  handlers?: RunnerOptions['handlers'];
  approvals?: RunnerOptions['approvals'];
  onApprovalRequested?: RunnerOptions['onApprovalRequested'];
  now?: () => Date;
  /** Reuse a synthesis (tests and benchmarks run many sessions over one configuration). */
  workflows?: LocalWorkflows;
}

export interface DriftCheckRun {
  execution: ExecutionResult;
  summary: DriftSummary;
  report: DriftReport;
}

export interface RemediationRun {
  execution: ExecutionResult;
  summary: RemediationSummary;
  records: ActionRecord[];
}

export interface EvidenceRun {
  execution: ExecutionResult;
  /** The evidence bucket and prefix the sets were written under. */
  bucket: string;
  prefix: string;
  /** The run's check results: written under <prefix>_check-results/<date>/ (its `key`), with counts. */
  checks: ChecksSummary;
  /** One per framework written: its `location` (s3://bucket/<prefix><framework>/<date>/), manifest hash, results and coverage. */
  sets: FrameworkSummary[];
  /** Frameworks whose set could not be written, with the error. */
  notWritten: FrameworkFailure[];
}

export class LocalSession {
  private constructor(readonly workflows: LocalWorkflows, readonly sandbox: SandboxTransport, readonly runner: LocalRunner) {}

  static async open(options: LocalSessionOptions): Promise<LocalSession> {
    const sandbox = options.fake ? inProcessSandbox(options.fake, options.endpoint) : options.endpoint ? loopbackSandbox(options.endpoint) : undefined;
    if (!sandbox) throw new Error('a local run needs a sandbox: a FakeAws in this process or the URL of a served one');
    const workflows = options.workflows ?? synthesizeLocalWorkflows(options.config, { accountIds: options.fake ? sandboxAccountIds(options.config, options.fake) : undefined });
    const deployment = await deployLocally(workflows, sandbox);
    const runner = new LocalRunner({
      workflows, sandbox, deployment,
      ...(options.handlers ? { handlers: options.handlers } : {}),
      ...(options.approvals ? { approvals: options.approvals } : {}),
      ...(options.onApprovalRequested ? { onApprovalRequested: options.onApprovalRequested } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    return new LocalSession(workflows, sandbox, runner);
  }

  async driftCheck(): Promise<DriftCheckRun> {
    const execution = await this.runner.run(DRIFT_CHECK_NAME, {});
    const summary = (execution.output as { drift: DriftSummary }).drift;
    return { execution, summary, report: await this.read<DriftReport>(summary.reportKey) };
  }

  /**
   * Runs Remediate: with its own collection, or (`after`) as DriftCheck's event starts it, on the
   * inventory and report of that drift check.
   */
  async remediate(options: { dryRun?: boolean; after?: DriftSummary } = {}): Promise<RemediationRun> {
    const input = { ...(options.dryRun ? { dryRun: true } : {}), ...(options.after ? { detail: options.after } : {}) };
    const execution = await this.runner.run(REMEDIATE_NAME, input);
    const summary = (execution.output as { result: RemediationSummary }).result;
    const records = (await this.read<{ records: ActionRecord[] }>(summary.evidence.replace(/^s3:\/\/[^/]+\//, ''), 'evidence')).records;
    return { execution, summary, records };
  }

  /**
   * Runs Evidence: collect, check, and write one Object-Locked set per framework to the evidence
   * bucket. `frameworks`: ids, or "all" the deployment knows; governance.yaml evidence.frameworks by default.
   */
  async evidence(options: { frameworks?: FrameworkRequest } = {}): Promise<EvidenceRun> {
    const execution = await this.runner.run(EVIDENCE_NAME, options.frameworks === undefined ? {} : { frameworks: options.frameworks });
    const output = execution.output as { checks: ChecksSummary; sets: (FrameworkSummary | FrameworkFailure)[] };
    const { evidenceBucket, evidencePrefix } = this.destinations();
    return {
      execution, bucket: evidenceBucket, prefix: evidencePrefix, checks: output.checks,
      sets: output.sets.filter((s): s is FrameworkSummary => 'location' in s),
      notWritten: output.sets.filter((s): s is FrameworkFailure => 'failed' in s),
    };
  }

  /** A set in the evidence bucket (`<framework>/<date>` or `_check-results/<date>`) read back and verified against its manifest and the check results it pins. */
  async verifyEvidence(dir: string): Promise<{ files: Map<string, Buffer>; verification: VerifyResult }> {
    const { evidenceBucket, evidencePrefix } = this.destinations();
    return this.asAdministrator((clients) => verifyStoredEvidenceSet(clients, evidenceBucket, evidencePrefix, dir));
  }

  /** A run file (work bucket) or evidence object, read as the security-tooling administrator. */
  async read<T>(key: string, bucket: 'work' | 'evidence' = 'work'): Promise<T> {
    const { workBucket, evidenceBucket } = this.destinations();
    return this.asAdministrator((clients) => getJson<T>(clients, bucket === 'work' ? workBucket : evidenceBucket, key));
  }

  private destinations(): WorkflowDestinations {
    return destinationsFrom([...this.workflows.functions.values()][0].environment);
  }

  private async asAdministrator<T>(read: (clients: AwsClients) => Promise<T>): Promise<T> {
    const { account, region } = this.workflows.env;
    const clients = new AwsClients({ homeAccountId: account, homeRegion: region, executionRoleName: '', organizationRoleName: '', base: this.sandbox.admin(account) });
    try {
      return await read(clients);
    } finally {
      clients.destroy();
    }
  }

  close(): void {
    this.runner.close();
  }
}

/** Ids of the configuration's accounts as the sandbox's organization knows them (by e-mail, else name). */
export function sandboxAccountIds(config: RampartConfig, fake: FakeAws): Record<string, string> {
  const accounts = fake.organization?.accounts() ?? [];
  const out: Record<string, string> = {};
  for (const account of config.organization.accounts) {
    if (account.id) continue;
    const match = accounts.find((a) => a.email.toLowerCase() === account.email.toLowerCase()) ?? accounts.find((a) => a.name === account.name);
    if (match) out[account.name] = match.id;
  }
  return out;
}
