import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { messageSubject, type AccessResolutionMessage } from '../engine/accessResolution';

/** What the access-resolution workflow leaves behind: the SNS message of each outcome and the before/after record in the evidence bucket. */

/** Matches stacks/governance/governanceStack.ts NOTIFICATION_AUDIENCE_ATTRIBUTE: e-mail subscriptions filter on it. */
const AUDIENCE_ATTRIBUTE = 'audience';

export async function publishAccessMessage(sns: SNSClient, topicArn: string, message: AccessResolutionMessage): Promise<string> {
  const out = await sns.send(new PublishCommand({
    TopicArn: topicArn,
    Subject: messageSubject(message),
    Message: JSON.stringify(message, null, 2),
    MessageAttributes: {
      [AUDIENCE_ATTRIBUTE]: { DataType: 'String', StringValue: 'security' },
      outcome: { DataType: 'String', StringValue: message.outcome },
      findingId: { DataType: 'String', StringValue: message.findingId },
    },
  }));
  return out.MessageId ?? '';
}

/** Writes a JSON record; the evidence bucket's default Object Lock retention keeps it. */
export async function putJsonRecord(s3: S3Client, bucket: string, key: string, record: unknown): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(record, null, 2), ContentType: 'application/json' }));
}
