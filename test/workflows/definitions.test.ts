import { Template } from 'aws-cdk-lib/assertions';
import { GovernanceStack } from '../../stacks/governance/governanceStack';
import { createRampartApp } from '../../stacks/rampartApp';
import { buildLandingZone } from '../../stacks/landingZone';
import { driftWorkflows, DriftWorkflows, DRIFT_CHECK_NAME, REMEDIATE_NAME } from '../../workflows/driftWorkflows';
import { TOLERATED_FAILURE_PERCENTAGE } from '../../workflows/definitions';
import { EVIDENCE_NAME, EvidenceWorkflow, evidenceWorkflow } from '../../workflows/evidenceWorkflow';
import { resolveIntrinsics } from '../../workflows/local/intrinsics';
import { allStates, aslViolations } from './aslRules';
import { autoRemediatingPciOrg } from './harness';

const config = autoRemediatingPciOrg();

function definitions(distributed: boolean, withEvidence = false): Record<string, Parameters<typeof aslViolations>[0]> {
  const app = createRampartApp();
  const stack = new GovernanceStack(app, 'Rampart-Governance', { config, env: { account: '333333333333', region: 'us-east-1' } });
  new DriftWorkflows(stack, 'DriftWorkflows', { distributed });
  if (withEvidence) new EvidenceWorkflow(stack, 'EvidenceWorkflow');
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const resolver = { ref: (id: string) => id, getAtt: (id: string) => `arn:aws:lambda:us-east-1:333333333333:function:${id}` };
  return Object.fromEntries(Object.values(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine').map((r) => [
    r.Properties.StateMachineName as string,
    JSON.parse(resolveIntrinsics(r.Properties.DefinitionString, resolver, { account: '333333333333', region: 'us-east-1' }) as string),
  ]));
}

describe.each([false, true])('the state machine definitions (distributed %s)', (distributed) => {
  const defs = definitions(distributed);

  it('are JSONPath only, with every Map bounded and every Task retrying throttling with full jitter and catching failure', () => {
    expect(Object.keys(defs).sort()).toEqual([DRIFT_CHECK_NAME, REMEDIATE_NAME]);
    for (const [name, definition] of Object.entries(defs)) expect([name, aslViolations(definition)]).toEqual([name, []]);
  });

  it(`runs the per-account batches as ${distributed ? 'a Distributed Map tolerating failed batches' : 'an inline Map'} bounded by drift.maxConcurrency`, () => {
    const [, batches] = allStates(defs[DRIFT_CHECK_NAME]).find(([name]) => name === 'CollectAccounts') as [string, Record<string, unknown>];
    expect(batches.MaxConcurrency).toBe(config.governance.drift.maxConcurrency);
    const processor = batches.ItemProcessor as { ProcessorConfig: { Mode: string } };
    expect(processor.ProcessorConfig.Mode).toBe(distributed ? 'DISTRIBUTED' : 'INLINE');
    if (distributed) expect(batches.ToleratedFailurePercentage).toBe(TOLERATED_FAILURE_PERCENTAGE);
  });

  it('the Evidence workflow collects the same way, with the same states', () => {
    const withEvidence = definitions(distributed, true);
    const collect = (name: string) => JSON.stringify(allStates(withEvidence[name]).filter(([state]) => ['CollectViews', 'CollectAccounts'].includes(state)));
    expect(collect(EVIDENCE_NAME)).toBe(collect(DRIFT_CHECK_NAME));
    expect(aslViolations(withEvidence[EVIDENCE_NAME])).toEqual([]);
  });
});

describe('the definition rules', () => {
  const task = { Type: 'Task', Resource: 'arn', End: true, Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], JitterStrategy: 'FULL' }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'X' }] };

  it('catch JSONata, variables, unbounded Maps and Tasks without retries or catches, nested ones included', () => {
    expect(aslViolations({ States: { A: task } })).toEqual([]);
    expect(aslViolations({ QueryLanguage: 'JSONata', States: { A: task } })).toEqual(['definition: QueryLanguage JSONata']);
    expect(aslViolations({ States: { A: { ...task, Assign: { x: 1 } } } })).toEqual(['definition.A: Assign (JSONata or variables)']);
    expect(aslViolations({ States: { A: { ...task, Arguments: { x: '{% $states.input %}' } } } })).toEqual(['definition.A: Arguments (JSONata or variables)', 'definition.A: a JSONata expression']);
    expect(aslViolations({ States: { M: { Type: 'Map', End: true, ItemProcessor: { States: { A: { Type: 'Task', End: true } } } } } })).toEqual([
      'definition.M: unbounded Map (MaxConcurrency undefined)', 'definition.M.A: no throttling retry with full jitter', 'definition.M.A: no Catch',
    ]);
    expect(aslViolations({ States: { M: { Type: 'Map', MaxConcurrency: 0, End: true, ItemProcessor: { States: { A: task } } } } })).toEqual(['definition.M: unbounded Map (MaxConcurrency 0)']);
  });
});

describe('the Distributed Map variant (organizations over DISTRIBUTED_MAP_ACCOUNTS accounts)', () => {
  it('synthesizes under the three cdk-nag packs: the grant on its own child executions is acknowledged, nothing else', () => {
    const app = createRampartApp();
    buildLandingZone(app, config, { governanceExtensions: [driftWorkflows({ distributed: true }), evidenceWorkflow()] });
    expect(() => app.synth()).not.toThrow();
  });
});
