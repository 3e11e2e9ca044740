import type * as Sns from '@aws-sdk/client-sns';
import { AwsError } from '../errors';
import generated from '../models/sns.json';
import { serviceModel } from '../models/serviceModel';
import { violationMessage } from '../models/validate';
import { createTopic, findTopic, publishToTopic, requireTopic, SNS_QUOTAS, snsSlot, subscribe, type DeliveredMessage } from '../state/sns';
import { paginate } from './paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('sns', generated);

function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', `Invalid parameter: ${message}`);
}

function invalidValue(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message);
}

function invalidToken(): AwsError {
  return invalidParameter('NextToken');
}

function checkAttributes(attributes: Record<string, Sns.MessageAttributeValue>): DeliveredMessage['attributes'] {
  const entries = Object.entries(attributes);
  if (entries.length > SNS_QUOTAS.messageAttributes) {
    throw invalidParameter(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${SNS_QUOTAS.messageAttributes}].`);
  }
  const out: DeliveredMessage['attributes'] = {};
  for (const [name, value] of entries) {
    const type = value.DataType ?? '';
    const base = type.split('.')[0];
    if (!['String', 'Number', 'Binary'].includes(base)) {
      throw invalidValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (base === 'Binary') {
      if (!value.BinaryValue || value.BinaryValue.length === 0) throw invalidValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
      out[name] = { DataType: type, BinaryValue: Buffer.from(value.BinaryValue).toString('base64') };
      continue;
    }
    if (value.StringValue === undefined || value.StringValue === '') {
      throw invalidValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (base === 'Number' && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.StringValue)) {
      throw invalidValue(`The message attribute '${name}' with type 'Number' must have a numeric value.`);
    }
    out[name] = { DataType: type, StringValue: value.StringValue };
  }
  return out;
}

function messageSize(message: string, attributes: DeliveredMessage['attributes']): number {
  let size = Buffer.byteLength(message);
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue ?? '') + (value.BinaryValue ? Buffer.from(value.BinaryValue, 'base64').length : 0);
  }
  return size;
}

const handlers = {
  CreateTopic(input: Sns.CreateTopicInput, ctx: CallContext): Sns.CreateTopicResponse {
    const topic = createTopic(ctx.state, ctx.account, ctx.region, {
      name: input.Name as string, attributes: input.Attributes, tags: input.Tags as { Key: string; Value: string }[] | undefined,
    });
    return { TopicArn: topic.arn };
  },

  ListTopics(input: Sns.ListTopicsInput, ctx: CallContext): Sns.ListTopicsResponse {
    const topics = Object.keys(ctx.state.find(snsSlot, ctx.account, ctx.region)?.topics ?? {});
    const { page, nextToken } = paginate(topics, { operation: model.operations.ListTopics, token: input.NextToken, invalidToken, keyOf: (arn) => arn });
    return { Topics: page.map((TopicArn) => ({ TopicArn })), ...(nextToken ? { NextToken: nextToken } : {}) };
  },

  Subscribe(input: Sns.SubscribeInput, ctx: CallContext): Sns.SubscribeResponse {
    const topic = requireTopic(ctx.state, input.TopicArn as string, ctx.account, ctx.region);
    const subscription = subscribe(topic, {
      protocol: input.Protocol as string, endpoint: input.Endpoint, attributes: input.Attributes, owner: ctx.account,
    }, ctx.random);
    return { SubscriptionArn: subscription.confirmed || input.ReturnSubscriptionArn ? subscription.arn : 'pending confirmation' };
  },

  ListSubscriptionsByTopic(input: Sns.ListSubscriptionsByTopicInput, ctx: CallContext): Sns.ListSubscriptionsByTopicResponse {
    const topic = requireTopic(ctx.state, input.TopicArn as string, ctx.account, ctx.region);
    const { page, nextToken } = paginate(topic.subscriptions, { operation: model.operations.ListSubscriptionsByTopic, token: input.NextToken, invalidToken, keyOf: (s) => s.arn });
    return {
      Subscriptions: page.map((s) => ({
        SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation', Owner: s.owner, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: topic.arn,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  },

  Publish(input: Sns.PublishInput, ctx: CallContext): Sns.PublishResponse {
    const arn = input.TopicArn ?? input.TargetArn;
    if (!arn && !input.PhoneNumber) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    if (!arn) throw invalidParameter('PhoneNumber Reason: FakeAws does not send SMS messages');
    if (!input.TopicArn && !findTopic(ctx.state, arn)) throw new AwsError('NotFoundException', 'Endpoint does not exist');
    const topic = requireTopic(ctx.state, arn, ctx.account, ctx.region);
    const message = input.Message as string;
    if (message.length === 0) throw invalidParameter('Empty message');
    if (input.Subject !== undefined && (input.Subject.length === 0 || input.Subject.length > 100 || !/^[\x20-\x7e]*$/.test(input.Subject))) {
      throw invalidParameter('Subject');
    }
    if (input.MessageStructure !== undefined) {
      if (input.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        throw invalidParameter('Message Structure - JSON message body failed to parse');
      }
      if (!parsed || typeof parsed !== 'object' || typeof (parsed as Record<string, unknown>).default !== 'string') {
        throw invalidParameter('Message Structure - No default entry in JSON message body');
      }
    }
    const attributes = checkAttributes(input.MessageAttributes ?? {});
    if (messageSize(message, attributes) > SNS_QUOTAS.messageBytes) throw invalidParameter('Message too long');
    const fifo = topic.attributes.FifoTopic === 'true';
    if (fifo) {
      if (!input.MessageGroupId) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
      if (!input.MessageDeduplicationId && topic.attributes.ContentBasedDeduplication !== 'true') {
        throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
    } else if (input.MessageGroupId !== undefined && input.MessageGroupId.length > 128) {
      throw invalidParameter('MessageGroupId');
    }
    const sequenceNumber = fifo ? String(topic.messages.length + 1).padStart(20, '0') : undefined;
    const delivered = publishToTopic(topic, {
      at: ctx.clock.now().toISOString(), subject: input.Subject, message, messageStructure: input.MessageStructure, attributes,
      ...(sequenceNumber ? { sequenceNumber, messageGroupId: input.MessageGroupId } : {}),
    }, ctx.random);
    return { MessageId: delivered.messageId, ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}) };
  },
};

/** Amazon SNS topics and subscriptions; every published message is kept in the topic's delivery log. */
export const snsService: ServiceDefinition = {
  model,
  actionPrefix: 'sns',
  global: false,
  errors: {
    ...protocolErrors('query'),
    accessDenied: (message) => new AwsError('AuthorizationErrorException', message),
    throttling: () => new AwsError('Throttled', 'Rate exceeded', { status: 429 }),
    validation: (violations) => new AwsError('InvalidParameterException', `Invalid parameter: ${violationMessage(violations)}`),
  },
  operations: handlers,
};
