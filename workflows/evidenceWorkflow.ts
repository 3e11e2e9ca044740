import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RampartConfig } from '../config/model';
import { loadAttestations } from '../evidence/attestations';
import { CHECK_CATALOGUE_FILE } from '../frameworks/checks';
import { loadFrameworks } from '../frameworks/load';
import { EVIDENCE_SETTINGS_FILE, type EvidenceHandlerSettings } from '../handlers/evidence/settings';
import { ENVIRONMENT } from '../handlers/workflows/runtime';
import { SETTINGS_FILE, type WorkflowSettings } from '../handlers/workflows/settings';
import { HANDLER_RUNTIME } from '../stacks/customResourceProvider';
import type { GovernanceStack } from '../stacks/governance/governanceStack';
import { bundleHandler } from '../stacks/handlerBundle';
import type { GovernanceExtension } from '../stacks/landingZone';
import { acknowledge } from '../stacks/nag';
import { RAMPART_WORKFLOW_ROLE_PATH } from '../stacks/organization/executionRole';
import { acknowledgeDistributedMapPolicy, DriftWorkflows } from './driftWorkflows';
import { EVIDENCE_HANDLERS, evidenceDefinition, type EvidenceFunctions, type EvidenceHandler } from './evidenceDefinition';
import { conformancePackRuleNames } from './evidenceSettings';
import { childExecutionGrants, STATE_MACHINE_WILDCARD_REASON, stateMachineStatements } from './permissions';
import { buildWorkflowSettings } from './settings';

export const EVIDENCE_NAME = 'Rampart-Evidence';

/** The governance-stack extension that adds the Evidence workflow; it collects with the drift workflows' collectors, so it comes after driftWorkflows(). */
export function evidenceWorkflow(): GovernanceExtension {
  return (stack) => {
    new EvidenceWorkflow(stack, 'EvidenceWorkflow');
  };
}

const TIMEOUT_OF: Record<EvidenceHandler, Duration> = {
  evaluateChecks: Duration.minutes(10), renderFramework: Duration.minutes(10), notifyEvidence: Duration.minutes(1),
};
const MEMORY_OF: Record<EvidenceHandler, number> = { evaluateChecks: 2048, renderFramework: 2048, notifyEvidence: 256 };

/** What the evidence handlers are shipped with besides the workflow settings: built at synth from the configuration directory. */
export function buildEvidenceHandlerSettings(config: RampartConfig): EvidenceHandlerSettings {
  const { evidence } = config.governance;
  const set = loadFrameworks(config);
  const errors = set.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(`the evidence frameworks do not load: ${errors.map((i) => `${i.file}:${i.line} ${i.field} ${i.found}`).join('; ')}; run rampart validate`);
  const builtIn = new Set(loadFrameworks().frameworks.keys());
  const attestationsFile = path.join(config.dir, 'attestations.yaml');
  const attestations = fs.existsSync(attestationsFile) ? loadAttestations(attestationsFile) : { attestations: [], issues: [] };
  if (attestations.issues.some((i) => i.severity === 'error')) throw new Error(`${attestationsFile} does not load; run rampart validate`);
  return {
    frameworks: [...evidence.frameworks],
    userFrameworks: [...set.frameworks.values()].filter((f) => !builtIn.has(f.id) || f.kind !== 'builtin'),
    exceptions: evidence.exceptions,
    attestations: attestations.attestations,
    retentionDays: evidence.retentionDays,
    conformancePackRules: conformancePackRuleNames(config),
  };
}

let scratch: string | undefined;

/**
 * A Lambda code directory: the handler's bundle, the settings it reads beside index.js, and the
 * check catalogue (read from disk at run time as data/rampart-checks.yaml beside the bundle).
 * Keyed by content, so any change gives a new asset.
 */
function evidenceAsset(handler: EvidenceHandler, workflow: WorkflowSettings, evidence: EvidenceHandlerSettings): string {
  const bundle = fs.readFileSync(path.join(bundleHandler(`evidence/${handler}`), 'index.js'));
  const catalogue = fs.readFileSync(CHECK_CATALOGUE_FILE);
  const files: [string, Buffer | string][] = [
    ['index.js', bundle], [SETTINGS_FILE, JSON.stringify(workflow)], [EVIDENCE_SETTINGS_FILE, JSON.stringify(evidence)], [path.join('data', path.basename(CHECK_CATALOGUE_FILE)), catalogue],
  ];
  const hash = createHash('sha256');
  for (const [name, content] of files) hash.update(name).update(content);
  if (!scratch) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-evidence-assets-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  const dir = path.join(scratch, `${handler}-${hash.digest('hex').slice(0, 16)}`);
  if (!fs.existsSync(dir)) {
    for (const [name, content] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
  }
  return dir;
}

/**
 * The Evidence workflow (scheduled by EventBridge Scheduler from governance.yaml evidence.schedule):
 * collect with the DriftCheck collectors ▸ checks ▸ one set per framework, written with its
 * manifest to the Object-Locked evidence bucket under <prefix><framework>/<date>/ with a
 * compliance-mode retention on every object ▸ a notice to the compliance audience.
 */
export class EvidenceWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: EvidenceFunctions;

  constructor(scope: GovernanceStack, id: string) {
    super(scope, id);
    const stack = scope;
    const drift = stack.node.tryFindChild('DriftWorkflows');
    if (!(drift instanceof DriftWorkflows)) {
      throw new Error('the Evidence workflow collects with the drift workflows\' collectors: list driftWorkflows() before evidenceWorkflow() in governanceExtensions');
    }
    const config = stack.config;
    const workflowSettings = buildWorkflowSettings(config, stack.account);
    const evidenceSettings = buildEvidenceHandlerSettings(config);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: stack.key, removalPolicy: RemovalPolicy.RETAIN });
    const role = new iam.Role(this, 'HandlerRole', {
      path: RAMPART_WORKFLOW_ROLE_PATH,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Rampart Evidence workflow: checks, framework sets and the compliance notice',
      managedPolicies: [evidencePermissions(this, stack, drift.workBucket, logGroup, workflowSettings)],
    }).withoutPolicyUpdates();

    const environment = {
      [ENVIRONMENT.workBucket]: drift.workBucket.bucketName,
      [ENVIRONMENT.evidenceBucket]: stack.evidenceBucket.bucketName,
      [ENVIRONMENT.evidencePrefix]: stack.evidencePrefix,
      [ENVIRONMENT.topicArn]: stack.notificationTopic.topicArn,
      [ENVIRONMENT.eventBusName]: 'default',
    };
    this.functions = Object.fromEntries(EVIDENCE_HANDLERS.map((handler) => {
      const fn = new lambda.Function(this, `${handler[0].toUpperCase()}${handler.slice(1)}`, {
        code: lambda.Code.fromAsset(evidenceAsset(handler, workflowSettings, evidenceSettings)),
        handler: 'index.handler',
        runtime: HANDLER_RUNTIME,
        role,
        logGroup,
        timeout: TIMEOUT_OF[handler],
        memorySize: MEMORY_OF[handler],
        environment: { ...environment, RAMPART_HANDLER: handler },
        description: `Rampart Evidence workflow: ${handler}`,
        tracing: lambda.Tracing.ACTIVE,
      });
      acknowledgeFunction(fn, handler);
      return [handler, fn];
    })) as unknown as EvidenceFunctions;

    const collectors = drift.functions;
    const invoked = [...Object.values(this.functions), collectors.collectPlan, collectors.collectView, collectors.collectFollowUps, collectors.collectAccounts, collectors.detectDrift];
    const machineRole = new iam.Role(this, 'StateMachineRole', {
      path: RAMPART_WORKFLOW_ROLE_PATH,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: 'Rampart workflows: the Evidence state machine',
      managedPolicies: [stateMachinePermissions(this, invoked, drift.distributed ? [`arn:${stack.partition}:states:${stack.region}:${stack.account}:stateMachine:${EVIDENCE_NAME}`] : [])],
    }).withoutPolicyUpdates();
    this.stateMachine = new sfn.StateMachine(this, 'Evidence', {
      stateMachineName: EVIDENCE_NAME,
      comment: 'Collect the organization, check it, write one evidence set per framework with its manifest to the Object-Locked evidence bucket, notify compliance',
      definitionBody: sfn.DefinitionBody.fromChainable(evidenceDefinition(new Construct(this, 'States'), { ...collectors, ...this.functions }, { maxConcurrency: workflowSettings.drift.maxConcurrency, distributed: drift.distributed })),
      role: machineRole,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      timeout: Duration.hours(6),
    });
    if (drift.distributed) acknowledgeDistributedMapPolicy(this.stateMachine);

    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler starts the Rampart Evidence workflow',
      managedPolicies: [new iam.ManagedPolicy(this, 'SchedulerPermissions', {
        statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] })],
      })],
    }).withoutPolicyUpdates();
    new scheduler.CfnSchedule(this, 'EvidenceSchedule', {
      description: `Rampart evidence (governance.yaml evidence.schedule: ${config.governance.evidence.schedule})`,
      scheduleExpression: config.governance.evidence.schedule,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.stateMachine.stateMachineArn, roleArn: schedulerRole.roleArn, input: '{}',
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}

/**
 * Least privilege for the evidence handlers: read the run's files and write its evidence files;
 * read conformance-pack rule compliance; read what protects the evidence bucket; write and read
 * back evidence under the prefix (with the Object Lock retention header); notify.
 */
function evidencePermissions(scope: Construct, stack: GovernanceStack, workBucket: s3.Bucket, logGroup: logs.LogGroup, settings: WorkflowSettings): iam.ManagedPolicy {
  const partition = stack.partition;
  const executionRoles = `arn:${partition}:iam::*:role/${settings.executionRoleName}`;
  const evidenceObjects = stack.evidenceBucket.arnForObjects(`${stack.evidencePrefix}*`);
  const policy = new iam.ManagedPolicy(scope, 'HandlerPermissions', {
    description: 'Rampart Evidence workflow: checks, framework sets and the compliance notice',
    statements: [
      new iam.PolicyStatement({ sid: 'RunFiles', actions: ['s3:GetObject', 's3:PutObject'], resources: [workBucket.arnForObjects('runs/*')] }),
      new iam.PolicyStatement({ sid: 'ReadRuleCompliance', actions: ['config:DescribeAggregateComplianceByConfigRules', 'config:GetOrganizationConformancePackDetailedStatus'], resources: ['*'] }),
      new iam.PolicyStatement({ sid: 'AssumeExecutionRole', actions: ['sts:AssumeRole'], resources: [executionRoles] }),
      new iam.PolicyStatement({
        sid: 'InspectEvidenceBucket',
        actions: ['s3:GetBucketObjectLockConfiguration', 's3:GetEncryptionConfiguration', 's3:GetBucketPolicy', 's3:GetBucketVersioning'],
        resources: [stack.evidenceBucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ListEvidence', actions: ['s3:ListBucket'], resources: [stack.evidenceBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${stack.evidencePrefix}*`] } },
      }),
      new iam.PolicyStatement({ sid: 'WriteAndReadEvidence', actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'], resources: [evidenceObjects] }),
      new iam.PolicyStatement({ sid: 'GovernanceKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [stack.key.keyArn] }),
      new iam.PolicyStatement({ sid: 'Notify', actions: ['sns:Publish'], resources: [stack.notificationTopic.topicArn] }),
      new iam.PolicyStatement({ sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      new iam.PolicyStatement({ sid: 'Tracing', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
    ],
  });
  const objectsOf = (bucket: s3.Bucket, suffix: string) => `Resource::<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${suffix}`;
  acknowledge(policy, {
    'AwsSolutions-IAM5[Resource::*]': 'AWS Config\'s aggregate rule compliance and organization conformance pack status take the aggregator and pack by parameter, not as a resource; X-Ray trace segments take no resource',
    [`AwsSolutions-IAM5[Resource::${executionRoles.replace(`arn:${partition}`, 'arn:<AWS::Partition>')}]`]: 'The execution role has the same name in every member account; the Config administrator account it reads rule compliance in is any of them',
    [`AwsSolutions-IAM5[${objectsOf(workBucket, 'runs/*')}]`]: 'Each run reads and writes its files under runs/<execution name>/, a name Step Functions chooses when the run starts',
    [`AwsSolutions-IAM5[${objectsOf(stack.evidenceBucket, `${stack.evidencePrefix}*`)}]`]: 'Evidence sets are written under <prefix><framework>/<date>/ and <prefix>_check-results/<date>/, dates known only when a run starts; earlier sets are read back to build history',
  });
  return policy;
}

/** `distributedMachines`: the state machine, when it runs its account batches as a Distributed Map. */
function stateMachinePermissions(scope: Construct, functions: lambda.IFunction[], distributedMachines: string[]): iam.ManagedPolicy {
  const children = childExecutionGrants(distributedMachines, Stack.of(scope).partition);
  const managed = new iam.ManagedPolicy(scope, 'StateMachinePermissions', {
    description: 'Rampart workflows: run the Evidence state machine',
    statements: [...stateMachineStatements(functions), ...children.statements],
  });
  acknowledge(managed, { 'AwsSolutions-IAM5[Resource::*]': STATE_MACHINE_WILDCARD_REASON, ...children.acknowledgements });
  return managed;
}

function acknowledgeFunction(fn: lambda.Function, handler: string): void {
  const sync = `The ${handler} evidence handler is invoked synchronously by Step Functions, which retries it and catches its failure; there is no event to park in a queue`;
  const vpc = `The ${handler} evidence handler calls only public AWS service endpoints (S3, AWS Config, SNS) and reaches no VPC resource`;
  acknowledge(fn, {
    'AwsSolutions-L1': `Runs ${HANDLER_RUNTIME.name}, the newest Node.js runtime that cfn-lint 1.51 accepts; nodejs26.x, which cdk-nag asks for, fails template validation (E3030)`,
    'NIST.800.53.R5-LambdaConcurrency': `The ${handler} evidence handler runs at most once per framework of a daily run (the Map's MaxConcurrency bounds it); reserving capacity would take it from the account for nothing`,
    'NIST.800.53.R5-LambdaDLQ': sync,
    'PCI.DSS.321-LambdaDLQ': sync,
    'NIST.800.53.R5-LambdaInsideVPC': vpc,
    'PCI.DSS.321-LambdaInsideVPC': vpc,
  });
}
