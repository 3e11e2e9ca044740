import * as fs from 'node:fs';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FakeAws } from '../../sandbox';
import { busEvents } from '../../sandbox/state/eventbridge';
import { accessFindingPattern } from '../../workflows/access/accessResolutionDefinition';
import { startMoto, type Moto } from '../handlers/motoServer';
import { accessTemplate } from './localAccess';

/**
 * The rule's event pattern against the example event of the Access Analyzer documentation, in two
 * EventBridge implementations: FakeAws and moto (rules matching events put on the bus).
 */

type Event = Record<string, unknown> & { detail: Record<string, unknown> };
const SAMPLE = (JSON.parse(fs.readFileSync('test/access/fixtures/accessAnalyzerFindingEvent.json', 'utf8')) as { event: Event }).event;
const SAMPLE_ANALYZER = 'arn:aws:access-analyzer:us-west-2:111122223333:analyzer/MyAnalyzer';

/** The documented example as a finding on a role: only the resource fields change. */
function asRoleFinding(changes: Record<string, unknown> = {}): Event {
  return {
    ...SAMPLE,
    detail: { ...SAMPLE.detail, resourceType: 'AWS::IAM::Role', resource: 'arn:aws:iam::111122223333:role/service-role/vendor-access', action: ['sts:AssumeRole'], ...changes },
  };
}

const OURS = accessFindingPattern(SAMPLE_ANALYZER);
/** The published sample's pattern: one colon short in the resource type. */
const TYPO = { ...OURS, detail: { ...OURS.detail, resourceType: ['AWS::IAM:Role'] } };
const WITHOUT_TYPE = { source: OURS.source, 'detail-type': OURS['detail-type'], resources: OURS.resources, detail: { status: ['ACTIVE'] } };

const CASES: [string, object, Event, boolean][] = [
  ['the documented example on a role matches Rampart\'s pattern', OURS, asRoleFinding(), true],
  ['the documented example on a role never matches the typo\'d pattern', TYPO, asRoleFinding(), false],
  ['the documented example as published (a bucket) does not match: it is not a role', OURS, SAMPLE, false],
  ['the documented example as published matches once the resource type is left out', WITHOUT_TYPE, SAMPLE, true],
  ['an ARCHIVED finding does not match', OURS, asRoleFinding({ status: 'ARCHIVED' }), false],
  ['a RESOLVED finding does not match', OURS, asRoleFinding({ status: 'RESOLVED' }), false],
  ['another analyzer\'s finding does not match', OURS, { ...asRoleFinding(), resources: ['arn:aws:access-analyzer:us-west-2:111122223333:analyzer/Other'] }, false],
];

describe('the Access Analyzer finding rule', () => {
  it('is the pattern the stack synthesizes, with the resource type spelt AWS::IAM::Role', () => {
    const { template, settings } = accessTemplate();
    const rules = Object.values(template.Resources as Record<string, { Type: string; Properties: { EventPattern?: unknown } }>).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules.map((r) => r.Properties.EventPattern)).toEqual([accessFindingPattern(settings.analyzer.arn)]);
    expect(JSON.stringify(rules[0].Properties.EventPattern)).toContain('"resourceType":["AWS::IAM::Role"]');
  });

  describe('in FakeAws EventBridge (a rule on the default bus, the event put on it)', () => {
    it.each(CASES)('%s', async (_name, pattern, event, matches) => {
      const fake = FakeAws.create({ seed: 1 });
      const events = new EventBridgeClient(fake.clientConfig({ account: event.account as string, region: event.region as string }));
      await events.send(new PutRuleCommand({ Name: 'access-findings', EventPattern: JSON.stringify(pattern) }));
      const put = await events.send(new PutEventsCommand({
        Entries: [{ Source: event.source as string, DetailType: event['detail-type'] as string, Detail: JSON.stringify(event.detail), Resources: event.resources as string[], Time: new Date(event.time as string) }],
      }));
      expect(put.FailedEntryCount).toBe(0);
      const [delivered] = busEvents(fake.state, event.account as string, event.region as string);
      expect(delivered.event).toMatchObject({ source: event.source, 'detail-type': event['detail-type'], account: event.account, region: event.region, resources: event.resources, detail: event.detail });
      expect(delivered.matched.map((m) => m.rule)).toEqual(matches ? ['access-findings'] : []);
    });
  });

  describe('in moto\'s EventBridge (a rule delivering to an SQS queue, the event put on the bus)', () => {
    let moto: Moto | { skipped: string };
    beforeAll(async () => {
      moto = await startMoto();
    });
    afterAll(async () => {
      if ('stop' in moto) await moto.stop();
    });

    it.each(CASES.map((c, i) => [...c, i] as const))('%s', async (_name, pattern, event, matches, index) => {
      if ('skipped' in moto) {
        console.warn(`skipped: ${moto.skipped}`);
        return;
      }
      const config = { region: event.region as string, endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
      const events = new EventBridgeClient(config);
      const sqs = new SQSClient(config);
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `access-findings-${index}` }))).QueueUrl as string;
      const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn as string;
      await events.send(new PutRuleCommand({ Name: `access-findings-${index}`, EventPattern: JSON.stringify(pattern) }));
      await events.send(new PutTargetsCommand({ Rule: `access-findings-${index}`, Targets: [{ Id: 'queue', Arn: queueArn }] }));
      const put = await events.send(new PutEventsCommand({
        Entries: [{ Source: event.source as string, DetailType: event['detail-type'] as string, Detail: JSON.stringify(event.detail), Resources: event.resources as string[] }],
      }));
      expect(put.FailedEntryCount).toBe(0);
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      const delivered = (received.Messages ?? []).map((m) => JSON.parse(m.Body as string) as { detail: unknown });
      expect(delivered.map((d) => d.detail)).toEqual(matches ? [event.detail] : []);
    });
  });
});
