import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { prepareLocalAccess, LOCAL_RULE_NAME, type LocalAccess } from '../../bin/commands/accessLocal';
import type { AccessResolutionMessage, AccessResolutionSettings } from '../../engine/accessResolution';
import { FakeAws } from '../../sandbox';
import { seedLandingZone } from '../../sandbox/seed/fromConfig';
import { accessAnalyzerSlot, type FindingRecord } from '../../sandbox/state/accessAnalyzer';
import { busEvents, type EventRecord } from '../../sandbox/state/eventbridge';
import { findRole } from '../../sandbox/state/iam';
import { SandboxState } from '../../sandbox/state/sandboxState';
import { findBucket, latestVersion } from '../../sandbox/state/s3';
import { topicMessages } from '../../sandbox/state/sns';
import { synthesizeAccessResolution } from '../../stacks/governance/accessResolution';
import { runAccessResolutionLocally } from '../../workflows/access/runLocally';
import { IDS, pciOrg } from '../engine/fixtures';

/** The pci-org landing zone in FakeAws with the access-resolution workflow, run locally as EventBridge would start it. */

export { IDS };
export const HOME_REGION = 'us-east-1';
export const EXTERNAL_ACCOUNT = '210987654321';
const NOW = new Date('2026-12-04T10:00:00Z');

let template: ReturnType<typeof synthesizeAccessResolution> | undefined;
export function accessTemplate(): ReturnType<typeof synthesizeAccessResolution> {
  template ??= synthesizeAccessResolution(pciOrg().config);
  return template;
}

let seeded: unknown;
async function seededState(): Promise<SandboxState> {
  if (!seeded) {
    const fake = FakeAws.create({ seed: 8, now: NOW });
    await seedLandingZone(fake, pciOrg().config);
    seeded = fake.state.toJSON();
  }
  return SandboxState.fromJSON(JSON.parse(JSON.stringify(seeded)));
}

export interface ExecutionOutput {
  source: 'event' | 'sweep';
  results: { role: string; outcomes: { findingId: string; outcome: string; reason: string; roleArn?: string }[] }[];
}

export class AccessSandbox {
  private seenEvents = 0;

  constructor(readonly fake: FakeAws, readonly local: LocalAccess) {}

  static async create(override?: Partial<AccessResolutionSettings>): Promise<AccessSandbox> {
    const fake = FakeAws.create({ state: await seededState(), now: NOW });
    const local = await prepareLocalAccess(pciOrg().config, {
      base: { requestHandler: fake.requestHandler(), credentials: fake.credentials({ account: IDS.securityTooling }) },
      now: () => fake.clock.now(),
      ...(override ? { override } : {}),
    });
    const sandbox = new AccessSandbox(fake, local);
    sandbox.matchedEvents();
    return sandbox;
  }

  /** Events on the analyzer's bus that matched the access-resolution rule since the last call. */
  matchedEvents(): EventRecord['event'][] {
    const all = busEvents(this.fake.state, IDS.securityTooling, HOME_REGION);
    const fresh = all.slice(this.seenEvents);
    this.seenEvents = all.length;
    return fresh.filter((e) => e.matched.some((m) => m.rule === LOCAL_RULE_NAME && m.targets.includes(this.local.stateMachineArn))).map((e) => e.event);
  }

  /** One execution, as the rule or the schedule starts it; approvals wait on FakeAws task tokens. */
  run(input: unknown): Promise<ExecutionOutput> {
    return runAccessResolutionLocally({
      definition: this.local.definition, input, ctx: this.local.ctx,
      waitForTaskToken: (options) => this.fake.taskTokens.register({ account: IDS.securityTooling, region: HOME_REGION, ...options }),
    }) as Promise<ExecutionOutput>;
  }

  /** Starts one execution per event that matched the rule since the last look, all at once. */
  async deliver(): Promise<ExecutionOutput[]> {
    return Promise.all(this.matchedEvents().map((event) => this.run(event)));
  }

  messages(): AccessResolutionMessage[] {
    return topicMessages(this.fake.state, this.local.topicArn).map((m) => JSON.parse(m.message) as AccessResolutionMessage);
  }

  subjects(): string[] {
    return topicMessages(this.fake.state, this.local.topicArn).map((m) => m.subject ?? '');
  }

  trustPolicy(accountId: string, roleName: string): { Statement: Record<string, unknown>[] } {
    const role = findRole(this.fake.state, accountId, roleName);
    if (!role) throw new Error(`no role ${roleName} in ${accountId}`);
    return JSON.parse(role.assumeRolePolicy) as { Statement: Record<string, unknown>[] };
  }

  findings(resource: string, region = HOME_REGION): FindingRecord[] {
    const analyzers = this.fake.state.find(accessAnalyzerSlot, IDS.securityTooling, region)?.analyzers ?? {};
    return Object.values(analyzers).flatMap((a) => Object.values(a.findings)).filter((f) => f.resource === resource);
  }

  record(key: string): Record<string, unknown> {
    const bucket = findBucket(this.fake.state, this.local.bucket);
    const version = bucket ? latestVersion(bucket, key) : undefined;
    if (!version) throw new Error(`no record ${key}`);
    return JSON.parse(Buffer.from(version.body, 'base64').toString('utf8')) as Record<string, unknown>;
  }

  /** Creates a role the way a person would (CreateRole in its account), which makes Access Analyzer report it. */
  async createRole(accountId: string, name: string, statements: Record<string, unknown>[], options: { path?: string; tags?: Record<string, string> } = {}): Promise<string> {
    const iam = new IAMClient(this.fake.clientConfig({ account: accountId }));
    const out = await iam.send(new CreateRoleCommand({
      RoleName: name, Path: options.path, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }));
    return out.Role?.Arn as string;
  }
}

export const trustAllow = (principal: unknown, action: string | string[] = 'sts:AssumeRole', extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: principal, Action: action, ...extra });
