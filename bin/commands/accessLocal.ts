import { CreateBucketCommand, PutObjectLockConfigurationCommand, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { AccessClients, type ClientBase } from '../../aws/accessClients';
import type { RampartConfig } from '../../config/model';
import type { AccessResolutionSettings } from '../../engine/accessResolution';
import type { StepContext } from '../../handlers/access/steps';
import { ACCESS_RECORD_PREFIX, synthesizeAccessResolution } from '../../stacks/governance/accessResolution';
import { definitionFromTemplate } from '../../workflows/access/runLocally';

/**
 * The access-resolution workflow ready to run locally: its definition and rule synthesized from
 * the configuration, and what the governance stack provides in AWS (the notification topic, the
 * evidence bucket with Object Lock, the rule on the default bus) created in the target account
 * if missing. Used by `rampart access` and the workflow tests.
 */

export const LOCAL_TOPIC_NAME = 'rampart-notifications';
export const LOCAL_RULE_NAME = 'rampart-access-resolution';

export interface LocalAccess {
  settings: AccessResolutionSettings;
  definition: StateMachineDefinition;
  /** The rule's event pattern as synthesized. */
  eventPattern: Record<string, unknown>;
  stateMachineArn: string;
  topicArn: string;
  bucket: string;
  clients: AccessClients;
  ctx: StepContext;
}

export interface LocalAccessOptions {
  base: ClientBase;
  accountIds?: Record<string, string>;
  now?: () => Date;
  /** Settings to change for this run (e.g. the mode). */
  override?: Partial<AccessResolutionSettings>;
  /** The deployed governance stack's topic and evidence bucket (real AWS): used as they are, nothing is created. */
  outputs?: { topicArn: string; bucket: string };
}

/** Synthesizing bundles the handlers: once per configuration and process is enough. */
const synthesized = new WeakMap<RampartConfig, Map<string, ReturnType<typeof synthesizeAccessResolution>>>();

function synthesizeOnce(config: RampartConfig, accountIds: Record<string, string> = {}): ReturnType<typeof synthesizeAccessResolution> {
  const byIds = synthesized.get(config) ?? new Map<string, ReturnType<typeof synthesizeAccessResolution>>();
  synthesized.set(config, byIds);
  const key = JSON.stringify(accountIds);
  const cached = byIds.get(key) ?? synthesizeAccessResolution(config, { accountIds });
  byIds.set(key, cached);
  return cached;
}

export async function prepareLocalAccess(config: RampartConfig, options: LocalAccessOptions): Promise<LocalAccess> {
  const { template, settings: synthesizedSettings } = synthesizeOnce(config, options.accountIds);
  const settings = { ...synthesizedSettings, ...options.override };
  const definition = definitionFromTemplate(template, { account: settings.analyzer.accountId, region: settings.analyzer.region });
  if (options.override) {
    const settingsState = definition.States.Settings as unknown as { Parameters: { settings: unknown } };
    settingsState.Parameters.settings = settings as never;
  }
  const rule = Object.values(template.Resources as Record<string, { Type: string; Properties: { EventPattern?: Record<string, unknown> } }>)
    .find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventPattern);
  if (!rule?.Properties.EventPattern) throw new Error('the synthesized access-resolution workflow has no EventBridge rule');
  const { accountId, region } = settings.analyzer;
  const now = options.now ?? (() => new Date());
  const clients = new AccessClients({
    homeAccountId: accountId, homeRegion: region, executionRoleName: settings.executionRoleName, base: options.base, sessionName: 'rampart-access-local', nowMs: () => now().getTime(),
  });

  const stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${LOCAL_RULE_NAME}`;
  const { topicArn, bucket } = options.outputs ?? await createOutputs(config, clients, options.base, { accountId, region, eventPattern: rule.Properties.EventPattern, stateMachineArn });
  return {
    settings, definition, eventPattern: rule.Properties.EventPattern, stateMachineArn, topicArn, bucket, clients,
    ctx: { clients: () => clients, topicArn, recordBucket: bucket, recordPrefix: `${config.governance.evidence.bucketPrefix}${ACCESS_RECORD_PREFIX}`, now },
  };
}

/** What GovernanceStack deploys, made in a sandbox: the topic, the Object Lock evidence bucket, and the rule on the default bus. */
async function createOutputs(
  config: RampartConfig, clients: AccessClients, base: ClientBase,
  target: { accountId: string; region: string; eventPattern: Record<string, unknown>; stateMachineArn: string },
): Promise<{ topicArn: string; bucket: string }> {
  const { accountId, region } = target;
  const topicArn = (await clients.sns().send(new CreateTopicCommand({ Name: LOCAL_TOPIC_NAME }))).TopicArn as string;
  const bucket = `rampart-evidence-${accountId}-${region}`;
  try {
    await clients.s3().send(new CreateBucketCommand({
      Bucket: bucket, ObjectLockEnabledForBucket: true,
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }));
    await clients.s3().send(new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: config.governance.evidence.retentionDays } } },
    }));
  } catch (error) {
    if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
  }
  const events = new EventBridgeClient({ region, ...(base.credentials ? { credentials: base.credentials } : {}), ...(base.requestHandler ? { requestHandler: base.requestHandler as never } : {}) });
  try {
    await events.send(new PutRuleCommand({ Name: LOCAL_RULE_NAME, EventPattern: JSON.stringify(target.eventPattern), State: 'ENABLED' }));
    await events.send(new PutTargetsCommand({ Rule: LOCAL_RULE_NAME, Targets: [{ Id: 'AccessResolution', Arn: target.stateMachineArn }] }));
  } finally {
    events.destroy();
  }
  return { topicArn, bucket };
}
