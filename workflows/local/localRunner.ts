import './promiseWithResolvers';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateMachine, type StateMachineDefinition as LibraryDefinition } from 'aws-local-stepfunctions';
import { AwsClients } from '../../aws/clients';
import { approveTask } from '../../aws/stepFunctions';
import { destinationsFrom, workflowRuntime, type WorkflowRuntime } from '../../handlers/workflows/runtime';
import { SETTINGS_FILE, type WorkflowSettings } from '../../handlers/workflows/settings';
import type { LocalFunction, LocalWorkflows } from './assembly';
import { HANDLER_RUNS } from './handlerTable';
import type { LocalDeployment, SandboxTransport } from './localDeployment';

/**
 * Runs the synthesized state machines with aws-local-stepfunctions, each Task bound to its Lambda
 * handler: in this process (clients pointed at the sandbox), or as the esbuild bundle in a child
 * process that reaches the sandbox's loopback server through AWS_ENDPOINT_URL. A task that waits
 * on a token registers it with the sandbox, so `rampart approve TOKEN` answers it.
 */

/** What `$$.Task.Token` reads in a local run; each waiting task replaces it with the token it registers. */
const TOKEN_PLACEHOLDER = 'rampart-local-task-token';
const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

export interface RunnerOptions {
  workflows: LocalWorkflows;
  sandbox: SandboxTransport;
  deployment: LocalDeployment;
  /** `in-process` (default) or `bundled` (needs the sandbox's loopback endpoint). */
  handlers?: 'in-process' | 'bundled';
  /** `auto` approves every request as it is made; `wait` (default) waits for `rampart approve` or the timeout, which needs the sandbox's task-token registry. */
  approvals?: 'auto' | 'wait';
  onApprovalRequested?(request: { token: string; payload: Record<string, unknown> }): void;
  now?: () => Date;
}

export interface ExecutionResult {
  name: string;
  output: unknown;
  /** States entered and retried: what Step Functions bills as state transitions. */
  transitions: number;
  durationMs: number;
}

type JsonState = Record<string, unknown>;

/** Every Task state of a definition, inside Maps and Parallel branches too. */
function taskStates(states: Record<string, JsonState>): [string, JsonState][] {
  return Object.entries(states).flatMap(([name, state]): [string, JsonState][] => {
    if (state.Type === 'Task') return [[name, state]];
    const nested = [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[] | undefined) ?? [])] as ({ States: Record<string, JsonState> } | undefined)[];
    return nested.flatMap((n) => (n ? taskStates(n.States) : []));
  });
}

class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export class LocalRunner {
  private readonly runtimes = new Map<string, WorkflowRuntime>();
  private host?: { child: ChildProcess; next: number; pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }> };

  constructor(private readonly options: RunnerOptions) {
    if (options.handlers === 'bundled' && !options.sandbox.endpoint) throw new Error('bundled handlers reach the sandbox through its loopback endpoint; serve it first');
  }

  async run(machine: string, input: unknown, executionName = `${machine}-${randomUUID()}`): Promise<ExecutionResult> {
    const definition = this.options.workflows.definitions[machine];
    if (!definition) throw new Error(`the synthesized workflows have no state machine ${machine} (they have ${Object.keys(this.options.workflows.definitions).join(', ')})`);
    const overrides = Object.fromEntries(taskStates(definition.States).map(([name, state]) => [name, this.binding(name, state)]));
    const started = Date.now();
    const startTime = (this.options.now?.() ?? new Date()).toISOString();
    const execution = new StateMachine(definition as unknown as LibraryDefinition).run(input as never, {
      overrides: { taskResourceLocalHandlers: overrides },
      context: {
        Execution: { Id: `arn:aws:states:${this.options.workflows.env.region}:${this.options.workflows.env.account}:execution:${machine}:${executionName}`, Name: executionName, StartTime: startTime, Input: input as never },
        StateMachine: { Name: machine },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    let transitions = 0;
    const counting = (async () => {
      for await (const event of execution.eventLogs) if (event.type === 'StateEntered' || event.type === 'StateRetried') transitions++;
    })();
    const output = await execution.result;
    await counting;
    return { name: executionName, output, transitions, durationMs: Date.now() - started };
  }

  /** Stops the bundle host, if one was started. */
  close(): void {
    this.host?.child.kill();
    this.host = undefined;
  }

  private binding(name: string, state: JsonState): (input: unknown) => Promise<never> {
    const resource = state.Resource as string;
    if (resource === WAIT_FOR_TOKEN) {
      const params = state.Parameters as { FunctionName: string };
      const fn = this.fn(params.FunctionName, name);
      return (input) => this.waitForToken(fn, input as { Payload: Record<string, unknown> }, (state.TimeoutSeconds as number | undefined)) as Promise<never>;
    }
    const fn = this.fn(resource, name);
    return (input) => this.invoke(fn, input) as Promise<never>;
  }

  private fn(arn: string, stateName: string): LocalFunction {
    const fn = this.options.workflows.functions.get(arn);
    if (!fn) throw new Error(`state ${stateName} calls ${arn}, which is not one of the workflow functions; the local runner binds Lambda tasks only`);
    return fn;
  }

  /** A Lambda invocation: the event and result cross a JSON boundary, as they do in Lambda. */
  private async invoke(fn: LocalFunction, event: unknown): Promise<unknown> {
    const payload = JSON.parse(JSON.stringify(event)) as never;
    const result = this.options.handlers === 'bundled'
      ? await this.invokeBundle(fn, payload)
      : await HANDLER_RUNS[fn.handler as keyof typeof HANDLER_RUNS](payload, this.runtime(fn), fn.codeDir);
    return JSON.parse(JSON.stringify(result ?? null));
  }

  private runtime(fn: LocalFunction): WorkflowRuntime {
    let runtime = this.runtimes.get(fn.arn);
    if (!runtime) {
      const settings = JSON.parse(fs.readFileSync(path.join(fn.codeDir, SETTINGS_FILE), 'utf8')) as WorkflowSettings;
      runtime = workflowRuntime(settings, destinationsFrom(fn.environment), this.options.deployment.handlerBase, this.options.now);
      this.runtimes.set(fn.arn, runtime);
    }
    return runtime;
  }

  private invokeBundle(fn: LocalFunction, event: unknown): Promise<unknown> {
    if (!this.host) {
      const credentials = this.options.deployment.credentials;
      const child = fork(path.join(__dirname, 'lambdaHost.ts'), [], {
        execArgv: ['--require', 'tsx/cjs'],
        env: {
          PATH: process.env.PATH ?? '',
          NODE_PATH: path.resolve(__dirname, '..', '..', 'node_modules'),
          AWS_ENDPOINT_URL: this.options.sandbox.endpoint as string,
          AWS_REGION: this.options.workflows.env.region,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
      child.on('message', (message: { id: number; result?: unknown; error?: { name: string; message: string } }) => {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiting?.reject(new TaskError(message.error.name, message.error.message));
        else waiting?.resolve(message.result);
      });
      child.on('exit', (code) => {
        for (const waiting of pending.values()) waiting.reject(new TaskError('Lambda.ServiceException', `the function host exited (${code})`));
        pending.clear();
      });
      this.host = { child, next: 1, pending };
    }
    const host = this.host;
    const id = host.next++;
    return new Promise((resolve, reject) => {
      host.pending.set(id, { resolve, reject });
      host.child.send({ id, codeDir: fn.codeDir, environment: fn.environment, event });
    });
  }

  /** `.waitForTaskToken`: a registered token for the handler, then whatever answers it (or the timeout). */
  private async waitForToken(fn: LocalFunction, input: { Payload: Record<string, unknown> }, timeoutSeconds?: number): Promise<unknown> {
    const { account, region } = this.options.workflows.env;
    const registry = this.options.sandbox.taskTokens;
    const registered = registry
      ? registry.register({ account, region, label: JSON.stringify(input.Payload), ...(timeoutSeconds ? { timeoutSeconds } : {}) })
      : { token: `local-${randomUUID()}`, outcome: undefined };
    const payload = { ...input.Payload, token: registered.token };
    await this.invoke(fn, payload);
    this.options.onApprovalRequested?.({ token: registered.token, payload });
    const approvedAt = (this.options.now?.() ?? new Date()).toISOString();
    if (this.options.approvals === 'auto') {
      if (!registered.outcome) return { decision: 'approved', by: 'rampart remediate --auto-approve', at: approvedAt };
      const clients = new AwsClients({ homeAccountId: account, homeRegion: region, executionRoleName: '', organizationRoleName: '', base: this.options.sandbox.admin(account) });
      await approveTask(clients, registered.token, { by: 'rampart remediate --auto-approve', at: approvedAt });
      clients.destroy();
    }
    const outcome = await registered.outcome;
    if (!outcome) {
      throw new TaskError('Rampart.ApprovalUnavailable', 'nobody can answer this approval: a local run waits for people only with the sandbox in its own process (--state); use --auto-approve to approve every action');
    }
    if (outcome.status === 'SUCCEEDED') return JSON.parse(outcome.output) as unknown;
    if (outcome.status === 'TIMED_OUT') throw new TaskError(outcome.error, 'the approval was not answered in time');
    throw new TaskError(outcome.error ?? 'States.TaskFailed', outcome.cause ?? '');
  }
}
