import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildLandingZone } from '../../stacks/landingZone';
import { ORGANIZATION_REMEDIATION_ROLE_NAME } from '../../stacks/organization/organizationStack';
import { createRampartApp } from '../../stacks/rampartApp';
import { DETAIL_TYPES } from '../../handlers/workflows/steps';
import { DRIFT_CHECK_NAME, driftWorkflows, REMEDIATE_NAME } from '../../workflows/driftWorkflows';
import { WORKFLOW_HANDLERS } from '../../workflows/handlerAssets';
import { autoRemediatingPciOrg } from './harness';

const config = autoRemediatingPciOrg();
const zone = buildLandingZone(createRampartApp(), config, { nag: false, governanceExtensions: [driftWorkflows()] });
const governance = Template.fromStack(zone.governance);
const organization = Template.fromStack(zone.organization);
type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (template: Template, type: string) => Object.entries(template.findResources(type)) as [string, Resource][];

function policyActions(name: string): string[] {
  const [, policy] = resources(governance, 'AWS::IAM::ManagedPolicy').find(([id]) => id.includes(name)) as [string, Resource];
  return (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe('the drift workflows in the governance stack', () => {
  it('schedule DriftCheck with EventBridge Scheduler from governance.yaml drift.schedule', () => {
    governance.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: config.governance.drift.schedule, FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('DriftCheck') }, Input: '{}' }),
    });
  });

  it('start Remediate when a drift check finds drift the policy lets Rampart repair or ask to repair', () => {
    governance.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['rampart'], 'detail-type': [DETAIL_TYPES.driftCheck],
        detail: { $or: [{ remediable: { auto: [{ numeric: ['>', 0] }] } }, { remediable: { approve: [{ numeric: ['>', 0] }] } }] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('Remediate') } })],
    });
  });

  it('log every execution and trace it', () => {
    const machines = resources(governance, 'AWS::StepFunctions::StateMachine');
    expect(machines.map(([, m]) => m.Properties.StateMachineName).sort()).toEqual([DRIFT_CHECK_NAME, REMEDIATE_NAME]);
    for (const [, machine] of machines) {
      expect(machine.Properties).toMatchObject({ TracingConfiguration: { Enabled: true }, LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false } });
    }
  });

  it('run one function per handler, each with the buckets and topic in its environment, under a role in /rampart/', () => {
    const functions = resources(governance, 'AWS::Lambda::Function').filter(([, f]) => (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.RAMPART_HANDLER);
    expect(functions.map(([, f]) => (f.Properties.Environment as { Variables: Record<string, string> }).Variables.RAMPART_HANDLER).sort()).toEqual([...WORKFLOW_HANDLERS].sort());
    const roles = Object.fromEntries(resources(governance, 'AWS::IAM::Role').map(([id, r]) => [id, r.Properties]));
    for (const [, fn] of functions) {
      expect(Object.keys((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).sort()).toEqual([
        'RAMPART_EVENT_BUS', 'RAMPART_EVIDENCE_BUCKET', 'RAMPART_EVIDENCE_PREFIX', 'RAMPART_HANDLER', 'RAMPART_TOPIC_ARN', 'RAMPART_WORK_BUCKET',
      ]);
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
      expect(roles[roleId].Path).toBe('/rampart/');
    }
  });

  it('let collectors only read, and only remediation assume the organization role or write', () => {
    const collector = policyActions('CollectorPermissions');
    // Writes: its own logs and traces, and the run files.
    expect(collector.filter((a) => /:(Put|Create|Update|Delete|Enable|Disable|Start|Attach|Batch(Enable|Disable|Update|Import))/.test(a)).sort()).toEqual([
      'logs:CreateLogStream', 'logs:PutLogEvents', 's3:PutObject', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments',
    ]);
    expect(policyActions('PublisherPermissions')).toEqual(expect.arrayContaining(['securityhub:BatchImportFindings', 'sns:Publish', 'events:PutEvents']));
    expect(policyActions('RemediatorPermissions')).toEqual(expect.arrayContaining(['sts:AssumeRole', 'securityhub:UpdateConfigurationPolicy', 'config:PutOrganizationConformancePack']));
    const [, remediator] = resources(governance, 'AWS::IAM::ManagedPolicy').find(([id]) => id.includes('RemediatorPermissions')) as [string, Resource];
    expect(JSON.stringify(remediator.Properties)).toContain(`:iam::111111111111:role/${ORGANIZATION_REMEDIATION_ROLE_NAME}`);
  });

  it('keep run files encrypted with the governance key, over TLS only, for 30 days', () => {
    governance.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'work-bucket/' },
    });
    governance.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('WorkBucket') },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('the roles remediation works through', () => {
  it('the organization role in the management account: assumable only from /rampart/ in security tooling, kept off the management account', () => {
    organization.hasResourceProperties('AWS::IAM::Role', {
      RoleName: ORGANIZATION_REMEDIATION_ROLE_NAME, MaxSessionDuration: 3600,
    });
    const [, role] = resources(organization, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === ORGANIZATION_REMEDIATION_ROLE_NAME) as [string, Resource];
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(':iam::333333333333:role/rampart/*');
    const keepOff = resources(organization, 'AWS::IAM::ManagedPolicy')
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: { Sid?: string; Effect: string; Resource: unknown }[] }).Statement)
      .find((s) => s.Sid === 'KeepOffTheManagementAccount');
    expect(keepOff?.Effect).toBe('Deny');
    expect(JSON.stringify(keepOff?.Resource)).toContain(':organizations::111111111111:account/*/111111111111');
  });

  it('the execution role: Security Lake repairs granted in the Security Lake administrator only', () => {
    const [, stackSet] = resources(organization, 'AWS::CloudFormation::StackSet')[0];
    const body = JSON.parse(stackSet.Properties.TemplateBody as string) as { Conditions: Record<string, unknown>; Resources: { ExecutionRole: { Properties: { Policies: unknown[] } } } };
    expect(body.Conditions.IsSecurityLakeAdministrator).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '222222222222'] });
    const conditional = body.Resources.ExecutionRole.Properties.Policies[1] as { 'Fn::If': [string, { PolicyName: string }, unknown] };
    expect(conditional['Fn::If'][0]).toBe('IsSecurityLakeAdministrator');
    expect(conditional['Fn::If'][1].PolicyName).toBe('RampartSecurityLakeRemediation');
  });
});
