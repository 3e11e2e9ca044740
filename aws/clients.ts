import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { CollectionError } from '../engine/inventory';
import { RampartRetryStrategy } from './retryPolicy';

/**
 * The client factory: every AWS SDK client Rampart uses is made here, with the one retry policy,
 * a call counter, and the identity for the account it targets: the workflows' own identity in
 * their home account, a session of the Rampart execution role in member accounts (cached until
 * shortly before it expires), and a session of the organization role in the management account
 * for the organization-level writes remediation plans allow.
 */

/** How the home identity reaches AWS: real AWS (nothing set), FakeAws in-process (`requestHandler`), or a loopback endpoint. */
export interface ClientBase {
  /** An SDK request handler (FakeAws's in-process transport). */
  requestHandler?: unknown;
  /** Credentials of the home identity; the SDK's default chain when omitted. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** One endpoint for every service (a loopback FakeAws); AWS_ENDPOINT_URL does the same from the environment. */
  endpoint?: string;
}

export interface AwsClientsOptions {
  /** The account the workflows run in (security tooling): its own identity is used there. */
  homeAccountId: string;
  homeRegion: string;
  /** Role assumed in member accounts (global.yaml executionRoleName). */
  executionRoleName: string;
  /** Role assumed in the management account for organization-level writes. */
  organizationRoleName: string;
  base?: ClientBase;
  /** Names the sessions in CloudTrail, e.g. `rampart-drift`. */
  sessionName?: string;
}

/** Whom a client acts as in its account. */
export type Principal = 'execution' | 'organization';

export interface ClientTarget {
  account: string;
  region: string;
  /** Default `execution`; `organization` only for management-account writes. */
  as?: Principal;
}

interface SdkClient {
  middlewareStack: { add(middleware: unknown, options: { step: 'deserialize'; name: string }): void };
  destroy(): void;
}

interface SdkClientConfig {
  region: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  requestHandler?: never;
  endpoint?: string;
  retryStrategy?: RampartRetryStrategy;
  forcePathStyle?: boolean;
}

export type ClientConstructor<T> = new (config: SdkClientConfig) => T;

const SESSION_SECONDS = 3600;
/** Sessions are renewed this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** API calls per `service:Operation`, every attempt counted. */
export class CallCounter {
  readonly counts: Record<string, number> = {};
  count(key: string): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }
  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  /** Calls since `before` (a copy of `counts` taken earlier). */
  since(before: Readonly<Record<string, number>>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, value] of Object.entries(this.counts)) if (value - (before[key] ?? 0) > 0) out[key] = value - (before[key] ?? 0);
    return out;
  }
}

export class AwsClients {
  readonly calls = new CallCounter();
  private readonly cache = new Map<string, SdkClient>();
  private readonly sessions = new Map<string, { expiresMs: number; credentials: Promise<AwsCredentialIdentity> }>();
  private sts?: STSClient;

  constructor(readonly options: AwsClientsOptions) {}

  get homeAccountId(): string {
    return this.options.homeAccountId;
  }

  get homeRegion(): string {
    return this.options.homeRegion;
  }

  /** An SDK client for a service (counted under `service`, e.g. `securityhub`) in an account and Region. */
  client<T extends SdkClient>(Service: ClientConstructor<T>, service: string, target: ClientTarget): T {
    const as = target.as ?? 'execution';
    const key = `${service}|${target.account}|${target.region}|${as}`;
    const cached = this.cache.get(key);
    if (cached) return cached as T;
    const client = new Service(this.config(target.region, this.credentialsFor(target.account, as)));
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
        this.calls.count(`${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`);
        return next(args);
      },
      { step: 'deserialize', name: 'rampartCallCounter' },
    );
    this.cache.set(key, client);
    return client;
  }

  /** Releases sockets (the in-process transport holds none, HTTP clients do). */
  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.sts?.destroy();
    this.cache.clear();
  }

  private config(region: string, credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider): SdkClientConfig {
    const base = this.options.base ?? {};
    const endpoint = base.endpoint;
    return {
      region,
      ...(credentials ? { credentials } : {}),
      ...(base.requestHandler ? { requestHandler: base.requestHandler as never } : {}),
      ...(endpoint ? { endpoint } : {}),
      // Path-style addressing reaches S3 on an IP endpoint (loopback) as well as on AWS.
      forcePathStyle: Boolean(endpoint ?? process.env.AWS_ENDPOINT_URL),
      retryStrategy: new RampartRetryStrategy(),
    };
  }

  private credentialsFor(account: string, as: Principal): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined {
    if (account === this.options.homeAccountId && as === 'execution') return this.options.base?.credentials;
    const roleName = as === 'organization' ? this.options.organizationRoleName : this.options.executionRoleName;
    return () => this.session(account, roleName);
  }

  /** A session of `roleName` in `account`, shared by every client of that account until it nears expiry. */
  private session(account: string, roleName: string): Promise<AwsCredentialIdentity> {
    const key = `${account}|${roleName}`;
    const cached = this.sessions.get(key);
    if (cached && cached.expiresMs - RENEW_BEFORE_MS > Date.now()) return cached.credentials;
    this.sts ??= this.client(STSClient as ClientConstructor<STSClient>, 'sts', { account: this.options.homeAccountId, region: this.options.homeRegion });
    const roleArn = `arn:aws:iam::${account}:role/${roleName}`;
    // The session lasts the duration asked for; counted on this host's clock, which may differ from the service's.
    const expiration = new Date(Date.now() + SESSION_SECONDS * 1000);
    const credentials = this.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: this.options.sessionName ?? 'rampart', DurationSeconds: SESSION_SECONDS }))
      .then((out) => {
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole into ${roleArn} returned no credentials`);
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration };
      })
      .catch((error: unknown) => {
        this.sessions.delete(key);
        throw new AssumeRoleError(roleArn, error);
      });
    this.sessions.set(key, { expiresMs: expiration.getTime(), credentials });
    return credentials;
  }
}

/** Rampart could not get a session in an account: the scopes read there are unknown for this reason. */
export class AssumeRoleError extends Error {
  readonly code: string;
  constructor(roleArn: string, cause: unknown) {
    const inner = cause instanceof Error ? cause : new Error(String(cause));
    super(`could not assume ${roleArn}: ${inner.message}`);
    this.name = 'AssumeRoleError';
    this.code = inner.name === 'Error' ? 'AssumeRoleFailed' : inner.name;
  }
}

/** The error of a failed read, as an inventory records it: the AWS error code and its message. */
export function toCollectionError(error: unknown): CollectionError {
  if (error instanceof AssumeRoleError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    const code = (error as { Code?: string }).Code ?? (error.name && error.name !== 'Error' ? error.name : 'Error');
    return { code, message: error.message || code };
  }
  return { code: 'Error', message: String(error) };
}

/** A session of a role in the home account, for a process that stands in for a service assuming its role (the local workflow runner). */
export async function assumeRole(clients: AwsClients, roleArn: string, sessionName: string, durationSeconds = SESSION_SECONDS): Promise<AwsCredentialIdentity> {
  const sts = clients.client(STSClient as ClientConstructor<STSClient>, 'sts', { account: clients.homeAccountId, region: clients.homeRegion });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: durationSeconds }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole into ${roleArn} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** The account of the credentials in `base` (STS GetCallerIdentity). */
export async function callerAccount(base: ClientBase, region: string): Promise<string> {
  const clients = new AwsClients({ homeAccountId: 'caller', homeRegion: region, executionRoleName: '', organizationRoleName: '', base });
  try {
    const sts = clients.client(STSClient as ClientConstructor<STSClient>, 'sts', { account: 'caller', region });
    return (await sts.send(new GetCallerIdentityCommand({}))).Account as string;
  } finally {
    clients.destroy();
  }
}
