import type * as Events from '@aws-sdk/client-eventbridge';
import { AwsError } from '../errors';
import generated from '../models/events.json';
import { serviceModel } from '../models/serviceModel';
import { busName, compilePattern, EVENTBRIDGE_QUOTAS, eventBridgeSlot, putEvent, ruleArn, type RuleRecord } from '../state/eventbridge';
import { paginate } from './paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('events', generated);

/** PutEvents accepts at most 256 KB of entries per call. */
const MAX_PUT_EVENTS_BYTES = 256 * 1024;
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+ \S+ \S+ \S+ \S+ \S+\))$/;

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

function invalidToken(): AwsError {
  return validation('The NextToken provided is invalid.');
}

/** The event entry size EventBridge counts: Time, Source, DetailType, Detail, Resources in UTF-8 bytes. */
function entrySize(entry: Events.PutEventsRequestEntry): number {
  return (entry.Time ? 14 : 0) + Buffer.byteLength(entry.Source ?? '') + Buffer.byteLength(entry.DetailType ?? '') + Buffer.byteLength(entry.Detail ?? '')
    + (entry.Resources ?? []).reduce((n, r) => n + Buffer.byteLength(r), 0);
}

function rulesOf(ctx: CallContext, bus: string): Record<string, RuleRecord> {
  const regionState = ctx.state.get(eventBridgeSlot, ctx.account, ctx.region);
  return (regionState.rules[bus] ??= {});
}

function requireRule(ctx: CallContext, bus: string, name: string): RuleRecord {
  const rule = ctx.state.find(eventBridgeSlot, ctx.account, ctx.region)?.rules[bus]?.[name];
  if (!rule) throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
  return rule;
}

function ruleOut(rule: RuleRecord): Events.Rule {
  return {
    Name: rule.name, Arn: rule.arn, State: rule.state, EventBusName: rule.bus,
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression !== undefined ? { ScheduleExpression: rule.scheduleExpression } : {}),
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
  };
}

const handlers = {
  /** Entries fail one by one (FailedEntryCount), as EventBridge reports them, rather than failing the call. */
  PutEvents(input: Events.PutEventsRequest, ctx: CallContext): Events.PutEventsResponse {
    const entries = input.Entries ?? [];
    const total = entries.reduce((n, e) => n + entrySize(e), 0);
    if (total > MAX_PUT_EVENTS_BYTES) throw validation(`Total size of the entries in the request is over the limit of ${MAX_PUT_EVENTS_BYTES} bytes.`);
    const results: Events.PutEventsResultEntry[] = entries.map((entry) => {
      if (!entry.Source) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' };
      if (!entry.DetailType) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' };
      if (entry.Detail === undefined) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' };
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      let bus: string;
      try {
        bus = busName(entry.EventBusName, ctx.account, ctx.region);
      } catch (error) {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: (error as Error).message };
      }
      const record = putEvent(ctx.state, ctx.account, ctx.region, bus, {
        source: entry.Source, detailType: entry.DetailType, detail, resources: entry.Resources ?? [], time: entry.Time ?? ctx.clock.now(),
      }, ctx.random);
      return { EventId: record.id };
    });
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  },

  PutRule(input: Events.PutRuleRequest, ctx: CallContext): Events.PutRuleResponse {
    const bus = busName(input.EventBusName, ctx.account, ctx.region);
    const name = input.Name as string;
    if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
      throw validation('Parameter(s) ScheduleExpression or EventPattern must be specified.');
    }
    if (input.ScheduleExpression !== undefined && !SCHEDULE.test(input.ScheduleExpression)) throw validation('Parameter ScheduleExpression is not valid.');
    if (input.EventPattern !== undefined) compilePattern(input.EventPattern);
    const rules = rulesOf(ctx, bus);
    const existing = rules[name];
    if (!existing && Object.keys(rules).length >= EVENTBRIDGE_QUOTAS.rulesPerBus) {
      throw new AwsError('LimitExceededException', `The requested resource exceeds the maximum number allowed (${EVENTBRIDGE_QUOTAS.rulesPerBus} rules per event bus).`);
    }
    const rule: RuleRecord = {
      name, arn: ruleArn(ctx.account, ctx.region, bus, name), bus,
      eventPattern: input.EventPattern, scheduleExpression: input.ScheduleExpression,
      state: input.State ?? existing?.state ?? 'ENABLED',
      description: input.Description, roleArn: input.RoleArn,
      tags: (input.Tags as { Key: string; Value: string }[] | undefined) ?? existing?.tags ?? [],
      targets: existing?.targets ?? [],
    };
    rules[name] = rule;
    return { RuleArn: rule.arn };
  },

  ListRules(input: Events.ListRulesRequest, ctx: CallContext): Events.ListRulesResponse {
    const bus = busName(input.EventBusName, ctx.account, ctx.region);
    const rules = Object.values(ctx.state.find(eventBridgeSlot, ctx.account, ctx.region)?.rules[bus] ?? {})
      .filter((r) => !input.NamePrefix || r.name.startsWith(input.NamePrefix))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const { page, nextToken } = paginate(rules, { operation: model.operations.ListRules, token: input.NextToken, limit: input.Limit, invalidToken, keyOf: (r) => r.name });
    return { Rules: page.map(ruleOut), ...(nextToken ? { NextToken: nextToken } : {}) };
  },

  PutTargets(input: Events.PutTargetsRequest, ctx: CallContext): Events.PutTargetsResponse {
    const bus = busName(input.EventBusName, ctx.account, ctx.region);
    const rule = requireRule(ctx, bus, input.Rule as string);
    const targets = input.Targets ?? [];
    const added = targets.filter((t) => !rule.targets.some((existing) => existing.Id === t.Id)).length;
    if (rule.targets.length + added > EVENTBRIDGE_QUOTAS.targetsPerRule) {
      throw new AwsError('LimitExceededException', `The requested resource exceeds the maximum number allowed (${EVENTBRIDGE_QUOTAS.targetsPerRule} targets per rule).`);
    }
    for (const target of targets) {
      const stored = JSON.parse(JSON.stringify(target)) as RuleRecord['targets'][number];
      const at = rule.targets.findIndex((t) => t.Id === target.Id);
      if (at >= 0) rule.targets[at] = stored;
      else rule.targets.push(stored);
    }
    return { FailedEntryCount: 0, FailedEntries: [] };
  },

  ListTargetsByRule(input: Events.ListTargetsByRuleRequest, ctx: CallContext): Events.ListTargetsByRuleResponse {
    const bus = busName(input.EventBusName, ctx.account, ctx.region);
    const rule = requireRule(ctx, bus, input.Rule as string);
    const { page, nextToken } = paginate(rule.targets, { operation: model.operations.ListTargetsByRule, token: input.NextToken, limit: input.Limit, invalidToken, keyOf: (t) => t.Id });
    return { Targets: page as Events.Target[], ...(nextToken ? { NextToken: nextToken } : {}) };
  },
};

/** Amazon EventBridge: events on the default bus, matched against rules and delivered to their targets. */
export const eventBridgeService: ServiceDefinition = {
  model,
  actionPrefix: 'events',
  global: false,
  errors: protocolErrors('json'),
  operations: handlers,
};
