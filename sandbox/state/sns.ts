import { AwsError } from '../errors';
import type { SeededRandom } from '../random';
import { defineSlot, type SandboxState } from './sandboxState';

export interface SubscriptionRecord {
  arn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  /** http(s) and e-mail subscriptions wait for the endpoint owner's confirmation. */
  confirmed: boolean;
  attributes: Record<string, string>;
}

export interface DeliveredMessage {
  messageId: string;
  /** ISO 8601. */
  at: string;
  subject?: string;
  message: string;
  messageStructure?: string;
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  /** Confirmed subscriptions the message went to. */
  deliveredTo: string[];
  sequenceNumber?: string;
  messageGroupId?: string;
}

export interface TopicRecord {
  name: string;
  arn: string;
  owner: string;
  attributes: Record<string, string>;
  tags: { Key: string; Value: string }[];
  subscriptions: SubscriptionRecord[];
  /** Every message published to the topic, oldest first. */
  messages: DeliveredMessage[];
}

export interface SnsRegionState {
  topics: Record<string, TopicRecord>;
}

export const snsSlot = defineSlot<SnsRegionState>('sns', () => ({ topics: {} }));

/** SNS quotas (Amazon SNS endpoints and quotas). */
export const SNS_QUOTAS = { standardTopics: 100000, fifoTopics: 1000, subscriptionsPerTopic: 12500000, messageBytes: 262144, messageAttributes: 10, tagsPerTopic: 50 } as const;

export const SNS_PROTOCOLS = ['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose'] as const;
const NEEDS_CONFIRMATION = new Set(['http', 'https', 'email', 'email-json']);

function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', `Invalid parameter: ${message}`);
}

export function topicArn(account: string, region: string, name: string): string {
  return `arn:aws:sns:${region}:${account}:${name}`;
}

/** The topic an ARN names, wherever it lives in the sandbox. */
export function findTopic(state: SandboxState, arn: string): TopicRecord | undefined {
  const match = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)$/.exec(arn);
  if (!match) return undefined;
  return state.find(snsSlot, match[2], match[1])?.topics[arn];
}

export function requireTopic(state: SandboxState, arn: string, callerAccount: string, callerRegion: string): TopicRecord {
  const match = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)$/.exec(arn);
  if (!match) throw invalidParameter('TopicArn');
  const topic = findTopic(state, arn);
  if (!topic || match[1] !== callerRegion) throw new AwsError('NotFoundException', 'Topic does not exist');
  // The default topic policy lets only the owner act on the topic.
  if (topic.owner !== callerAccount) throw new AwsError('AuthorizationErrorException', `User: ${callerAccount} is not authorized to perform this action on ${arn}`);
  return topic;
}

export function createTopic(
  state: SandboxState, account: string, region: string,
  input: { name: string; attributes?: Record<string, string>; tags?: { Key: string; Value: string }[] },
): TopicRecord {
  const fifo = input.attributes?.FifoTopic === 'true';
  const validName = fifo ? /^[A-Za-z0-9_-]{1,251}\.fifo$/ : /^[A-Za-z0-9_-]{1,256}$/;
  if (!validName.test(input.name)) throw invalidParameter('Topic Name');
  const sns = state.get(snsSlot, account, region);
  const arn = topicArn(account, region, input.name);
  const existing = sns.topics[arn];
  if (existing) {
    const differs = Object.entries(input.attributes ?? {}).some(([k, v]) => existing.attributes[k] !== v);
    if (differs) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    return existing;
  }
  const counts = Object.values(sns.topics).reduce((n, t) => n + (t.name.endsWith('.fifo') === fifo ? 1 : 0), 0);
  if (counts >= (fifo ? SNS_QUOTAS.fifoTopics : SNS_QUOTAS.standardTopics)) {
    throw new AwsError('TopicLimitExceededException', 'Topic limit exceeded');
  }
  if ((input.tags?.length ?? 0) > SNS_QUOTAS.tagsPerTopic) throw new AwsError('TagLimitExceededException', `Could not complete request: tag quota of per resource exceeded`);
  const topic: TopicRecord = {
    name: input.name, arn, owner: account, attributes: { ...input.attributes }, tags: [...(input.tags ?? [])], subscriptions: [], messages: [],
  };
  sns.topics[arn] = topic;
  return topic;
}

function endpointProblem(protocol: string, endpoint: string | undefined): string | undefined {
  if (endpoint === undefined || endpoint === '') return 'Endpoint';
  switch (protocol) {
    case 'email':
    case 'email-json':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(endpoint) ? undefined : 'Email address';
    case 'http':
      return endpoint.startsWith('http://') ? undefined : 'Endpoint must match the specified protocol';
    case 'https':
      return endpoint.startsWith('https://') ? undefined : 'Endpoint must match the specified protocol';
    case 'sqs':
      return /^arn:aws:sqs:[a-z0-9-]+:\d{12}:.+$/.test(endpoint) ? undefined : 'SQS endpoint ARN';
    case 'lambda':
      return /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:.+$/.test(endpoint) ? undefined : 'Lambda endpoint ARN';
    case 'firehose':
      return /^arn:aws:firehose:[a-z0-9-]+:\d{12}:deliverystream\/.+$/.test(endpoint) ? undefined : 'Firehose endpoint ARN';
    case 'sms':
      return /^\+?[0-9]{5,15}$/.test(endpoint) ? undefined : 'Invalid SMS endpoint';
    default:
      return undefined;
  }
}

export function subscribe(
  topic: TopicRecord, input: { protocol: string; endpoint?: string; attributes?: Record<string, string>; owner: string },
  random: SeededRandom,
): SubscriptionRecord {
  if (!(SNS_PROTOCOLS as readonly string[]).includes(input.protocol)) {
    throw invalidParameter(`Amazon SNS does not support this protocol string: ${input.protocol}`);
  }
  const problem = endpointProblem(input.protocol, input.endpoint);
  if (problem) throw invalidParameter(problem);
  const existing = topic.subscriptions.find((s) => s.protocol === input.protocol && s.endpoint === input.endpoint);
  if (existing) return existing;
  const subscription: SubscriptionRecord = {
    arn: `${topic.arn}:${random.uuid()}`,
    protocol: input.protocol,
    endpoint: input.endpoint as string,
    owner: input.owner,
    confirmed: !NEEDS_CONFIRMATION.has(input.protocol),
    attributes: { ...input.attributes },
  };
  topic.subscriptions.push(subscription);
  return subscription;
}

/** Records a message as delivered to every confirmed subscription of the topic. */
export function publishToTopic(topic: TopicRecord, message: Omit<DeliveredMessage, 'deliveredTo' | 'messageId'>, random: SeededRandom): DeliveredMessage {
  const delivered: DeliveredMessage = {
    messageId: random.uuid(),
    ...message,
    deliveredTo: topic.subscriptions.filter((s) => s.confirmed).map((s) => s.arn),
  };
  topic.messages.push(delivered);
  return delivered;
}

/** Messages published to a topic, for tests and the demo. */
export function topicMessages(state: SandboxState, arn: string): DeliveredMessage[] {
  return findTopic(state, arn)?.messages ?? [];
}
