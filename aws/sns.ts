import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients, ClientConstructor } from './clients';

/** Amazon SNS: Rampart's notification topic, one message per audience (subscriptions filter on it). */

const Sns = SNSClient as ClientConstructor<SNSClient>;

/** SNS caps a message at 256 KB; Rampart keeps notices well under it and links to the full report. */
export const MAX_MESSAGE_BYTES = 200_000;

export async function publishNotice(clients: AwsClients, topicArn: string, notice: { subject: string; message: string; audience: string }): Promise<string> {
  const out = await clients.client(Sns, 'sns', { account: clients.homeAccountId, region: clients.homeRegion }).send(new PublishCommand({
    TopicArn: topicArn,
    // SNS subjects: at most 100 printable ASCII characters, no line breaks.
    Subject: notice.subject.replace(/[^\x20-\x7e]/g, ' ').slice(0, 100),
    Message: Buffer.byteLength(notice.message) > MAX_MESSAGE_BYTES ? `${notice.message.slice(0, MAX_MESSAGE_BYTES / 4)}\n…(truncated; see the full report)` : notice.message,
    MessageAttributes: { audience: { DataType: 'String', StringValue: notice.audience } },
  }));
  return out.MessageId as string;
}

/** Creates a topic (idempotent in SNS) and returns its ARN: a local deployment of the workflows. */
export async function ensureTopic(clients: AwsClients, name: string): Promise<string> {
  const out = await clients.client(Sns, 'sns', { account: clients.homeAccountId, region: clients.homeRegion }).send(new CreateTopicCommand({ Name: name }));
  return out.TopicArn as string;
}
