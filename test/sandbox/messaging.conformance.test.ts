import * as EB from '@aws-sdk/client-eventbridge';
import * as SFN from '@aws-sdk/client-sfn';
import * as SNS from '@aws-sdk/client-sns';
import { busEvents } from '../../sandbox/state/eventbridge';
import { topicMessages } from '../../sandbox/state/sns';
import { errorOf, openSandbox, TRANSPORTS, type Sandbox } from './transports';

const ACCOUNT = '333333333333';
const REGION = 'us-east-1';

/** Written from the SNS, EventBridge and Step Functions API references. */
describe.each(TRANSPORTS)('SNS, EventBridge and Step Functions conformance (%s)', (transport) => {
  let sandbox: Sandbox;
  let sns: SNS.SNSClient;
  let events: EB.EventBridgeClient;
  let sfn: SFN.SFNClient;

  beforeEach(async () => {
    sandbox = await openSandbox(transport);
    const config = sandbox.client({ account: ACCOUNT, region: REGION });
    sns = new SNS.SNSClient(config);
    events = new EB.EventBridgeClient(config);
    sfn = new SFN.SFNClient(config);
  });
  afterEach(() => sandbox.close());

  const topic = async (name = 'rampart-drift') => (await sns.send(new SNS.CreateTopicCommand({ Name: name }))).TopicArn as string;

  describe('SNS', () => {
    it('creates a topic idempotently and lists topics 100 per page', async () => {
      const arn = await topic();
      expect(arn).toBe(`arn:aws:sns:${REGION}:${ACCOUNT}:rampart-drift`);
      expect(await topic()).toBe(arn);
      for (let i = 0; i < 104; i++) await topic(`t${i}`);
      const first = await sns.send(new SNS.ListTopicsCommand({}));
      expect(first.Topics).toHaveLength(100);
      expect(first.NextToken).toEqual(expect.any(String));
      const second = await sns.send(new SNS.ListTopicsCommand({ NextToken: first.NextToken }));
      expect(second.Topics).toHaveLength(5);
      expect(second.NextToken).toBeUndefined();
    });

    it('refuses invalid topic names and a re-create with different attributes (InvalidParameter)', async () => {
      expect((await errorOf(sns.send(new SNS.CreateTopicCommand({ Name: 'bad name' })))).name).toBe('InvalidParameterException');
      await sns.send(new SNS.CreateTopicCommand({ Name: 'attr', Attributes: { DisplayName: 'one' } }));
      expect((await errorOf(sns.send(new SNS.CreateTopicCommand({ Name: 'attr', Attributes: { DisplayName: 'two' } })))).name).toBe('InvalidParameterException');
    });

    it('subscribes: e-mail waits for confirmation, SQS is confirmed at once', async () => {
      const arn = await topic();
      expect((await sns.send(new SNS.SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'security@example.com' }))).SubscriptionArn).toBe('pending confirmation');
      const sqs = await sns.send(new SNS.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:drift` }));
      expect(sqs.SubscriptionArn).toMatch(new RegExp(`^${arn}:[0-9a-f-]{36}$`));
      const { Subscriptions } = await sns.send(new SNS.ListSubscriptionsByTopicCommand({ TopicArn: arn }));
      expect(Subscriptions).toEqual([
        { SubscriptionArn: 'PendingConfirmation', Owner: ACCOUNT, Protocol: 'email', Endpoint: 'security@example.com', TopicArn: arn },
        { SubscriptionArn: sqs.SubscriptionArn, Owner: ACCOUNT, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:drift`, TopicArn: arn },
      ]);
      expect((await errorOf(sns.send(new SNS.SubscribeCommand({ TopicArn: arn, Protocol: 'carrier-pigeon', Endpoint: 'x' })))).name).toBe('InvalidParameterException');
      expect((await errorOf(sns.send(new SNS.SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'not-an-address' })))).name).toBe('InvalidParameterException');
      expect((await errorOf(sns.send(new SNS.ListSubscriptionsByTopicCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:nope` })))).name).toBe('NotFoundException');
    });

    it('publishes with message attributes and keeps the delivery in the topic log', async () => {
      const arn = await topic();
      const sqs = await sns.send(new SNS.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:drift` }));
      const out = await sns.send(new SNS.PublishCommand({
        TopicArn: arn, Subject: 'Drift found', Message: '{"drifts":3}',
        MessageAttributes: { severity: { DataType: 'String', StringValue: 'HIGH' }, count: { DataType: 'Number', StringValue: '3' } },
      }));
      expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(topicMessages(sandbox.fake.state, arn)).toEqual([expect.objectContaining({
        messageId: out.MessageId, subject: 'Drift found', message: '{"drifts":3}', deliveredTo: [sqs.SubscriptionArn],
        attributes: { severity: { DataType: 'String', StringValue: 'HIGH' }, count: { DataType: 'Number', StringValue: '3' } },
      })]);
    });

    it('answers the Publish errors the reference lists', async () => {
      const arn = await topic();
      expect((await errorOf(sns.send(new SNS.PublishCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:nope`, Message: 'x' })))).name).toBe('NotFoundException');
      expect((await errorOf(sns.send(new SNS.PublishCommand({ TopicArn: arn, Message: 'x', Subject: 'a\nb' })))).name).toBe('InvalidParameterException');
      expect((await errorOf(sns.send(new SNS.PublishCommand({ TopicArn: arn, Message: 'x'.repeat(262145) })))).name).toBe('InvalidParameterException');
      expect((await errorOf(sns.send(new SNS.PublishCommand({ TopicArn: arn, Message: '{"email":"x"}', MessageStructure: 'json' })))).name).toBe('InvalidParameterException');
      expect((await errorOf(sns.send(new SNS.PublishCommand({ TopicArn: arn, Message: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'many' } } })))).name)
        .toBe('InvalidParameterValueException');
      const other = new SNS.SNSClient(sandbox.client({ account: '444444444444', region: REGION }));
      expect((await errorOf(other.send(new SNS.PublishCommand({ TopicArn: arn, Message: 'x' })))).name).toBe('AuthorizationErrorException');
    });

    it('requires a message group on FIFO topics and numbers their messages', async () => {
      const fifo = (await sns.send(new SNS.CreateTopicCommand({ Name: 'drift.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }))).TopicArn as string;
      expect((await errorOf(sns.send(new SNS.PublishCommand({ TopicArn: fifo, Message: 'x' })))).name).toBe('InvalidParameterException');
      const out = await sns.send(new SNS.PublishCommand({ TopicArn: fifo, Message: 'x', MessageGroupId: 'drift' }));
      expect(out.SequenceNumber).toMatch(/^\d+$/);
    });
  });

  describe('EventBridge', () => {
    it('creates rules, lists them by prefix with Limit/NextToken', async () => {
      const created = await events.send(new EB.PutRuleCommand({ Name: 'rampart-drift', EventPattern: JSON.stringify({ source: ['rampart'] }), Description: 'drift' }));
      expect(created.RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/rampart-drift`);
      await events.send(new EB.PutRuleCommand({ Name: 'rampart-schedule', ScheduleExpression: 'rate(1 hour)', State: 'DISABLED' }));
      await events.send(new EB.PutRuleCommand({ Name: 'other', EventPattern: JSON.stringify({ source: ['x'] }) }));
      const page = await events.send(new EB.ListRulesCommand({ NamePrefix: 'rampart', Limit: 1 }));
      expect(page.Rules).toEqual([expect.objectContaining({ Name: 'rampart-drift', State: 'ENABLED', EventBusName: 'default', Description: 'drift', EventPattern: '{"source":["rampart"]}' })]);
      const next = await events.send(new EB.ListRulesCommand({ NamePrefix: 'rampart', Limit: 1, NextToken: page.NextToken }));
      expect(next.Rules).toEqual([expect.objectContaining({ Name: 'rampart-schedule', ScheduleExpression: 'rate(1 hour)', State: 'DISABLED' })]);
      expect(next.NextToken).toBeUndefined();
    });

    it('refuses rules without pattern or schedule, bad patterns and an unknown bus', async () => {
      expect((await errorOf(events.send(new EB.PutRuleCommand({ Name: 'empty' })))).name).toBe('ValidationException');
      expect((await errorOf(events.send(new EB.PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "rampart"}' })))).name).toBe('InvalidEventPatternException');
      expect((await errorOf(events.send(new EB.PutRuleCommand({ Name: 'bad', EventPattern: 'not json' })))).name).toBe('InvalidEventPatternException');
      expect((await errorOf(events.send(new EB.PutRuleCommand({ Name: 'x', EventPattern: '{"source":["a"]}', EventBusName: 'nope' })))).name).toBe('ResourceNotFoundException');
    });

    it('adds targets to an existing rule, at most five', async () => {
      await events.send(new EB.PutRuleCommand({ Name: 'drift', EventPattern: '{"source":["rampart"]}' }));
      const ok = await events.send(new EB.PutTargetsCommand({ Rule: 'drift', Targets: [{ Id: 'sns', Arn: `arn:aws:sns:${REGION}:${ACCOUNT}:t` }] }));
      expect(ok.FailedEntryCount).toBe(0);
      expect((await events.send(new EB.ListTargetsByRuleCommand({ Rule: 'drift' }))).Targets).toEqual([{ Id: 'sns', Arn: `arn:aws:sns:${REGION}:${ACCOUNT}:t` }]);
      const five = Array.from({ length: 5 }, (_, i) => ({ Id: `t${i}`, Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q${i}` }));
      expect((await errorOf(events.send(new EB.PutTargetsCommand({ Rule: 'drift', Targets: five })))).name).toBe('LimitExceededException');
      expect((await errorOf(events.send(new EB.PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 'a', Arn: 'arn:aws:sqs:us-east-1:333333333333:q' }] })))).name).toBe('ResourceNotFoundException');
    });

    it('puts events, fails malformed entries one by one, and delivers matches to SNS targets', async () => {
      const arn = await topic();
      await events.send(new EB.PutRuleCommand({ Name: 'high', EventPattern: JSON.stringify({ source: ['rampart'], detail: { severity: ['HIGH'] } }) }));
      await events.send(new EB.PutTargetsCommand({ Rule: 'high', Targets: [{ Id: 'notify', Arn: arn }] }));
      const out = await events.send(new EB.PutEventsCommand({
        Entries: [
          { Source: 'rampart', DetailType: 'Drift Detected', Detail: JSON.stringify({ severity: 'HIGH' }) },
          { Source: 'rampart', DetailType: 'Drift Detected', Detail: JSON.stringify({ severity: 'LOW' }) },
          { Source: 'rampart', DetailType: 'Drift Detected', Detail: '{broken' },
        ],
      }));
      expect(out.FailedEntryCount).toBe(1);
      expect(out.Entries?.[0].EventId).toEqual(expect.any(String));
      expect(out.Entries?.[2]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
      expect(busEvents(sandbox.fake.state, ACCOUNT, REGION)).toHaveLength(2);
      const delivered = topicMessages(sandbox.fake.state, arn);
      expect(delivered).toHaveLength(1);
      expect(JSON.parse(delivered[0].message)).toEqual(expect.objectContaining({ source: 'rampart', 'detail-type': 'Drift Detected', detail: { severity: 'HIGH' }, account: ACCOUNT }));
      expect((await errorOf(events.send(new EB.PutEventsCommand({ Entries: [] })))).name).toBe('ValidationException');
    });
  });

  describe('Step Functions task tokens', () => {
    it('answers a waiting task with SendTaskSuccess; a second answer finds no task', async () => {
      const { token, outcome } = sandbox.fake.taskTokens.register({ account: ACCOUNT, region: REGION, label: 'approve remediation' });
      expect(sandbox.fake.taskTokens.pending().map((t) => t.label)).toEqual(['approve remediation']);
      await sfn.send(new SFN.SendTaskHeartbeatCommand({ taskToken: token }));
      await sfn.send(new SFN.SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
      expect(await outcome).toEqual({ status: 'SUCCEEDED', output: '{"approved":true}' });
      expect((await errorOf(sfn.send(new SFN.SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).name).toBe('TaskTimedOut');
    });

    it('fails a task with SendTaskFailure, carrying error and cause', async () => {
      const { token, outcome } = sandbox.fake.taskTokens.register({ account: ACCOUNT, region: REGION });
      await sfn.send(new SFN.SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not during the freeze' }));
      expect(await outcome).toEqual({ status: 'FAILED', error: 'Rejected', cause: 'not during the freeze' });
    });

    it('answers InvalidOutput, InvalidToken and TaskDoesNotExist (other account or Region)', async () => {
      const { token } = sandbox.fake.taskTokens.register({ account: ACCOUNT, region: REGION });
      expect((await errorOf(sfn.send(new SFN.SendTaskSuccessCommand({ taskToken: token, output: 'not json' })))).name).toBe('InvalidOutput');
      expect((await errorOf(sfn.send(new SFN.SendTaskHeartbeatCommand({ taskToken: 'forged' })))).name).toBe('InvalidToken');
      const elsewhere = new SFN.SFNClient(sandbox.client({ account: ACCOUNT, region: 'us-west-2' }));
      expect((await errorOf(elsewhere.send(new SFN.SendTaskHeartbeatCommand({ taskToken: token })))).name).toBe('TaskDoesNotExist');
    });

    it('times a task out on the sandbox clock (States.Timeout, then TaskTimedOut)', async () => {
      sandbox.fake.clock.set(new Date('2026-12-04T00:00:00Z'));
      const { token, outcome } = sandbox.fake.taskTokens.register({ account: ACCOUNT, region: REGION, timeoutSeconds: 3600 });
      sandbox.fake.clock.advance(3601 * 1000);
      expect((await errorOf(sfn.send(new SFN.SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).name).toBe('TaskTimedOut');
      expect(await outcome).toEqual({ status: 'TIMED_OUT', error: 'States.Timeout' });
    });
  });
});
