import '../local/promiseWithResolvers';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  apply, assess, confirm, deadLetter, intake, notify, record, requestApproval, type StepContext,
} from '../../handlers/access/steps';
import type { ResolutionState } from '../../engine/accessResolution';
import { STATE_OF_STEP } from './accessResolutionDefinition';

/**
 * Runs the synthesized AccessResolution definition in-process with aws-local-stepfunctions, each
 * Task bound to its step (handlers/access/steps.ts) with the given clients (FakeAws or AWS). The
 * approval Task registers a task token through `waitForTaskToken` and waits for its answer, as
 * Step Functions does. Retry intervals are shortened (`retryIntervalMs`) so a local run does not
 * wait out the confirmation backoff.
 */

export type TaskTokenOutcome =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED'; error?: string; cause?: string }
  | { status: 'TIMED_OUT'; error: string };

export interface LocalRunOptions {
  /** The ASL definition (see `definitionFromTemplate`). */
  definition: StateMachineDefinition;
  input: unknown;
  ctx: StepContext;
  /** Registers a task token (e.g. FakeAws `fake.taskTokens.register`) and gives its eventual answer. */
  waitForTaskToken?: (options: { label: string; timeoutSeconds?: number }) => { token: string; outcome: Promise<TaskTokenOutcome> };
  /** Wait before each retry, instead of the definition's intervals (default 0). */
  retryIntervalMs?: number;
}

function namedError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/**
 * The definition of the AccessResolution state machine in a synthesized template, its intrinsics
 * resolved for the stack's account and Region (pseudo parameters, and function ARNs, which are
 * bound to local handlers anyway).
 */
export function definitionFromTemplate(template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }, env: { account: string; region: string } = { account: '000000000000', region: 'us-east-1' }): StateMachineDefinition {
  const machines = Object.entries(template.Resources ?? {}).filter(([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && id.startsWith('AccessResolution'));
  if (machines.length !== 1) throw new Error(`expected one AccessResolution state machine in the template, found ${machines.length}`);
  const raw = machines[0][1].Properties?.DefinitionString;
  return JSON.parse(typeof raw === 'string' ? raw : resolveJoin(raw, env)) as StateMachineDefinition;
}

const PSEUDO = { 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' } as Record<string, string>;

function resolveJoin(value: unknown, env: { account: string; region: string }): string {
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`unexpected DefinitionString: ${JSON.stringify(value).slice(0, 200)}`);
  return join[1].map((part) => {
    if (typeof part === 'string') return part;
    const ref = (part as { Ref?: string }).Ref;
    if (ref === 'AWS::Region') return env.region;
    if (ref === 'AWS::AccountId') return env.account;
    if (ref && PSEUDO[ref]) return PSEUDO[ref];
    const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt?.[1] === 'Arn') return `arn:aws:lambda:${env.region}:${env.account}:function:${getAtt[0]}`;
    throw new Error(`the definition uses an intrinsic the local runner does not resolve: ${JSON.stringify(part)}`);
  }).join(join[0]);
}

/** Every state that can retry, with the local wait before each retry. */
function retryOverrides(definition: StateMachineDefinition, ms: number): Record<string, number> {
  const out: Record<string, number> = {};
  const visit = (states: StateMachineDefinition['States']) => {
    for (const [name, state] of Object.entries(states)) {
      if ('Retry' in state && state.Retry) out[name] = ms;
      const processor = 'ItemProcessor' in state ? state.ItemProcessor : 'Iterator' in state ? state.Iterator : undefined;
      if (processor) visit(processor.States);
    }
  };
  visit(definition.States);
  return out;
}

export async function runAccessResolutionLocally(options: LocalRunOptions): Promise<unknown> {
  const { ctx } = options;
  const machine = new StateMachine(options.definition, { validationOptions: { checkArn: false } });
  const bind = <I, O>(step: (input: I, ctx: StepContext) => Promise<O>) => async (input: unknown) => (await step(input as I, ctx)) as never;
  const handlers = {
    [STATE_OF_STEP.intake]: bind(intake),
    [STATE_OF_STEP.deadLetter]: bind(deadLetter),
    [STATE_OF_STEP.assess]: bind(assess),
    [STATE_OF_STEP.apply]: bind(apply),
    [STATE_OF_STEP.confirm]: bind(confirm),
    [STATE_OF_STEP.record]: bind(record),
    [STATE_OF_STEP.notify]: bind(notify),
    [STATE_OF_STEP.requestApproval]: async (input: unknown) => {
      // A lambda:invoke.waitForTaskToken Task hands the function its Payload (state and token).
      const { state } = (input as { Payload: { state: ResolutionState } }).Payload;
      if (!options.waitForTaskToken) throw namedError('States.TaskFailed', 'this local run cannot wait for an approval (no task-token registry)');
      const { token, outcome } = options.waitForTaskToken({ label: `approve the Deny for finding ${state.ref.findingId}`, timeoutSeconds: state.settings.approvalTimeoutHours * 3600 });
      await requestApproval({ state, taskToken: token }, ctx);
      const answer = await outcome;
      if (answer.status === 'SUCCEEDED') return JSON.parse(answer.output) as never;
      if (answer.status === 'TIMED_OUT') throw namedError('States.Timeout', 'the approval request timed out');
      throw namedError(answer.error ?? 'States.TaskFailed', answer.cause ?? 'the approval task failed');
    },
  };
  const execution = machine.run(options.input as never, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retryOverrides(options.definition, options.retryIntervalMs ?? 0) },
    context: { Task: { Token: 'local-task-token' } },
  });
  return execution.result;
}
