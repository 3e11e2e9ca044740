import { loadValidConfig } from '../../stacks/synthesize';
import { synthesizeAccessResolution } from '../../stacks/governance/accessResolution';
import { accessFindingPattern, THROTTLING_ERRORS } from '../../workflows/access/accessResolutionDefinition';
import { definitionFromTemplate } from '../../workflows/access/runLocally';
import { ExampleCopy } from '../config/exampleCopy';
import { pciOrg } from '../engine/fixtures';

type Resource = { Type: string; Properties: Record<string, unknown> };
type State = Record<string, unknown> & { Type: string };

const { template, settings } = synthesizeAccessResolution(pciOrg().config);
const resources = template.Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([id, r]) => r.Type === type && id.startsWith('AccessResolution'));
const definition = definitionFromTemplate(template, { account: '333333333333', region: 'us-east-1' });

/** Every state of the definition, Map processors included. */
function allStates(states: Record<string, unknown> = definition.States as Record<string, unknown>): [string, State][] {
  return Object.entries(states as Record<string, State>).flatMap(([name, state]) => {
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, unknown> } | undefined;
    return [[name, state] as [string, State], ...(processor ? allStates(processor.States) : [])];
  });
}

/** The statements of the managed policy attached to a step's role. */
function statementsOf(step: string): { Action: string | string[]; Resource: unknown }[] {
  const [, policy] = ofType('AWS::IAM::ManagedPolicy').find(([id]) => id.startsWith(`AccessResolution${step}Permissions`)) ?? [];
  if (!policy) throw new Error(`no managed policy for ${step}`);
  return (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
}
const actionsOf = (step: string) => statementsOf(step).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();

describe('the access-resolution workflow in the governance stack', () => {
  it('is JSONPath only, with bounded Maps, and every Task retries throttling and catches errors', () => {
    const text = JSON.stringify(definition);
    expect(text).not.toMatch(/"QueryLanguage"|JSONata|"Assign"|"Arguments"|"Output"/);
    const states = allStates();
    const maps = states.filter(([, s]) => s.Type === 'Map');
    expect(maps.map(([name, s]) => [name, s.MaxConcurrency])).toEqual([['ResolveRoles', 5], ['ResolveFindings', 1]]);
    const tasks = states.filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['Apply', 'Assess', 'Confirm', 'DeadLetter', 'Intake', 'Notify', 'Record', 'RequestApproval']);
    for (const [name, task] of tasks) {
      const retried = (task.Retry as { ErrorEquals: string[]; JitterStrategy?: string }[]).find((r) => THROTTLING_ERRORS.every((e) => r.ErrorEquals.includes(e)));
      expect([name, retried?.JitterStrategy]).toEqual([name, 'FULL']);
      expect([name, ((task.Catch as unknown[] | undefined) ?? []).length > 0]).toEqual([name, true]);
    }
    expect(states.find(([name]) => name === 'RequestApproval')?.[1]).toMatchObject({ Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', TimeoutSeconds: 72 * 3600 });
    expect(states.find(([name]) => name === 'Confirm')?.[1].Retry).toContainEqual(expect.objectContaining({ ErrorEquals: ['FindingStillActive'], MaxAttempts: 5 }));
  });

  it('carries the settings of the configuration', () => {
    expect((definition.States.Settings as unknown as { Parameters: { settings: unknown } }).Parameters.settings).toEqual(settings);
    expect(settings).toMatchObject({ mode: 'auto', managementAccountId: '111111111111', executionRoleName: 'RampartExecutionRole' });
  });

  it('starts on ACTIVE role findings of the home Region analyzer, and on the sweep schedule, with a dead-letter queue for both', () => {
    const [[, rule]] = ofType('AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual(accessFindingPattern('arn:aws:access-analyzer:us-east-1:333333333333:analyzer/rampart-organization'));
    const [[queueId]] = ofType('AWS::SQS::Queue');
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } }, RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 8 } })]);
    const [[, schedule]] = ofType('AWS::Scheduler::Schedule');
    expect(schedule.Properties).toMatchObject({ ScheduleExpression: 'rate(6 hours)', Target: { Input: '{"sweep":true}', DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } } });
  });

  it('gives every role a path under /rampart/, managed policies only, and each step exactly what it calls', () => {
    const roles = ofType('AWS::IAM::Role');
    expect(roles.length).toBe(11);
    for (const [, role] of roles) expect(role.Properties.Path).toBe('/rampart/');
    expect(ofType('AWS::IAM::Policy')).toEqual([]);
    const logs = ['logs:CreateLogStream', 'logs:PutLogEvents'];
    expect(actionsOf('Intake')).toEqual(['access-analyzer:ListFindings', ...logs].sort());
    expect(actionsOf('Assess')).toEqual(['access-analyzer:GetFinding', 'access-analyzer:ValidatePolicy', ...logs, 'organizations:DescribeOrganization', 'sts:AssumeRole'].sort());
    expect(actionsOf('Apply')).toEqual([...logs, 'sts:AssumeRole'].sort());
    expect(actionsOf('Confirm')).toEqual(['access-analyzer:GetFinding', 'access-analyzer:StartResourceScan', ...logs].sort());
    expect(actionsOf('Record')).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', ...logs, 's3:PutObject'].sort());
    expect(actionsOf('Notify')).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', ...logs, 'sns:Publish'].sort());
    // No step may change IAM in the security-tooling account itself; member-account writes go through the execution role.
    expect(statementsOf('Apply').find((s) => s.Action === 'sts:AssumeRole')?.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/RampartExecutionRole']] });
    for (const step of ['Intake', 'Assess', 'Apply', 'Confirm', 'Record', 'Notify', 'RequestApproval', 'DeadLetter']) expect(actionsOf(step).some((a) => a.startsWith('iam:'))).toBe(false);
  });

  it('follows the configuration: the mode for ExternalTrustOnRole and the sweep schedule', () => {
    const copy = new ExampleCopy()
      .replace('governance.yaml', '{ drift: ExternalTrustOnRole, mode: auto }', '{ drift: ExternalTrustOnRole, mode: approve }')
      .replace('security.yaml', 'sweepSchedule: rate(6 hours)', 'sweepSchedule: cron(0 */2 * * ? *)');
    const changed = synthesizeAccessResolution(loadValidConfig(copy.dir, new Date('2026-12-04T00:00:00Z')).config);
    expect(changed.settings).toMatchObject({ mode: 'approve', modeSource: 'governance.yaml sets approve for ExternalTrustOnRole' });
    const schedule = Object.values(changed.template.Resources as Record<string, Resource>).find((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedule?.Properties.ScheduleExpression).toBe('cron(0 */2 * * ? *)');
  });
});
