import { adminCaller, adminCredentials, mintSession, NEVER_EXPIRES, sessionCredentials, type Credentials } from './auth/credentials';
import { CallLog } from './callLog';
import { Clock } from './clock';
import type { SandboxCore } from './dispatch';
import { AwsError } from './errors';
import { validateInput } from './models/validate';
import { SeededRandom } from './random';
import { FaultInjector } from './realism/faults';
import type { LatencyModel } from './realism/latency';
import { AWS_RATE_LIMITS, RateLimiter, type RateLimit } from './realism/rateLimits';
import { SERVICES } from './services';
import { ServiceRegistry } from './services/registry';
import type { CallContext } from './services/service';
import { findRole } from './state/iam';
import { Organization } from './state/organization';
import { SandboxState } from './state/sandboxState';
import { TaskTokenRegistry } from './state/taskTokens';
import { inProcessHandler, type FakeRequestHandler } from './transport/inProcess';
import { listenLoopback, type ListenOptions, type LoopbackServer } from './transport/httpServer';

export interface FakeAwsOptions {
  /** Seeds ids, tokens, latencies and injected faults. Default 1. */
  seed?: number;
  /** Continue from a saved sandbox (see FakeAws.load). */
  state?: SandboxState;
  /** Pin the sandbox clock here (reproducible runs); the wall clock otherwise. */
  now?: Date;
  /** Simulated latency per call; none by default. */
  latency?: LatencyModel;
  /** AWS's per-API request rates (true), your own table, or none (default). */
  rateLimits?: boolean | Record<string, RateLimit>;
  /** Calls kept in the call log. Default 1,000,000. */
  callLogLimit?: number;
}

/** Who a client acts as: an account's administrator user, or a role session in the account. */
export interface Identity {
  account: string;
  /** Act as a session of this role (it must exist in the account when calls are made). */
  roleName?: string;
  sessionName?: string;
}

export interface ClientConfigOptions extends Identity {
  /** Default us-east-1. */
  region?: string;
}

/** Spread into any AWS SDK v3 client: `new OrganizationsClient({ ...fake.clientConfig({ account }) })`. */
export interface InProcessClientConfig {
  region: string;
  credentials: Credentials;
  requestHandler: FakeRequestHandler;
}

export interface HttpClientConfig {
  region: string;
  credentials: Credentials;
  endpoint: string;
  /** S3 needs path-style addressing against an IP endpoint. */
  forcePathStyle: boolean;
}

export interface FakeAwsServer extends LoopbackServer {
  clientConfig(options: ClientConfigOptions): HttpClientConfig;
  /** AWS_* environment variables for a child process (a bundled Lambda, the AWS CLI). */
  env(options: ClientConfigOptions): Record<string, string>;
}

/**
 * An in-process AWS that speaks the real wire protocols: SDK v3 clients (through `requestHandler`)
 * and anything that honours AWS_ENDPOINT_URL (through `listen`) talk to it unmodified.
 */
export class FakeAws {
  readonly state: SandboxState;
  readonly clock: Clock;
  readonly calls: CallLog;
  readonly faults: FaultInjector;
  readonly taskTokens: TaskTokenRegistry;
  readonly services: ServiceRegistry;
  private readonly core: SandboxCore;
  private handler: FakeRequestHandler | undefined;

  private constructor(options: FakeAwsOptions) {
    this.state = options.state ?? new SandboxState(options.seed ?? 1);
    this.clock = new Clock(options.now);
    this.calls = new CallLog(options.callLogLimit);
    this.faults = new FaultInjector(() => this.clock.nowMs());
    this.taskTokens = new TaskTokenRegistry(this.state.random, this.clock);
    this.services = new ServiceRegistry(SERVICES);
    const rateLimiter = options.rateLimits
      ? new RateLimiter(options.rateLimits === true ? AWS_RATE_LIMITS : options.rateLimits)
      : undefined;
    this.core = {
      state: this.state,
      clock: this.clock,
      calls: this.calls,
      faults: this.faults,
      services: this.services,
      taskTokens: this.taskTokens,
      realismRandom: new SeededRandom((this.state.seed ^ 0x5bd1e995) >>> 0),
      rateLimiter,
      latency: options.latency,
    };
  }

  static create(options: FakeAwsOptions = {}): FakeAws {
    return new FakeAws(options);
  }

  /** A sandbox continued from a state file written by `save` or `rampart sandbox init`. */
  static load(file: string, options: Omit<FakeAwsOptions, 'state' | 'seed'> = {}): FakeAws {
    return new FakeAws({ ...options, state: SandboxState.load(file) });
  }

  save(file: string): void {
    this.state.save(file);
  }

  get organization(): Organization | undefined {
    return this.state.organization;
  }

  /** Creates the organization (all features, SCPs not yet enabled) with its management account. */
  createOrganization(options: { managementAccountId: string; email: string; name?: string }): Organization {
    if (this.state.organization) throw new Error(`the sandbox already has organization ${this.state.organization.id}`);
    this.state.organization = Organization.create({
      managementAccountId: options.managementAccountId, managementEmail: options.email, managementName: options.name,
      random: this.state.random, now: this.clock.now(),
    });
    return this.state.organization;
  }

  /** The per-API rate limiter, or undefined when rate limits are off. */
  get rateLimiter(): RateLimiter | undefined {
    return this.core.rateLimiter;
  }

  /** Turns AWS rate limits on (true / a table) or off (false). */
  setRateLimits(limits: boolean | Record<string, RateLimit>): void {
    this.core.rateLimiter = limits ? new RateLimiter(limits === true ? AWS_RATE_LIMITS : limits) : undefined;
  }

  setLatency(model: LatencyModel | undefined): void {
    this.core.latency = model;
  }

  /** One SDK request handler for every service, Region and identity: the credentials decide who calls. */
  requestHandler(): FakeRequestHandler {
    this.handler ??= inProcessHandler(this.core);
    return this.handler;
  }

  /** Credentials for an identity: the account's administrator user, or a session of `roleName`. */
  credentials(identity: Identity): Credentials {
    if (!/^\d{12}$/.test(identity.account)) throw new Error(`"${identity.account}" is not an AWS account id (12 digits)`);
    if (!identity.roleName) return adminCredentials(identity.account);
    const role = findRole(this.state, identity.account, identity.roleName);
    const session = mintSession(
      this.state,
      {
        account: identity.account, roleName: identity.roleName,
        roleArn: role?.arn ?? `arn:aws:iam::${identity.account}:role/${identity.roleName}`,
        // A session for a role that does not exist yet is refused at call time, as AWS refuses it.
        roleId: role?.id ?? 'AROA-MISSING-ROLE',
      },
      identity.sessionName ?? 'fakeaws-session', NEVER_EXPIRES, this.state.random,
    );
    return sessionCredentials(session);
  }

  clientConfig(options: ClientConfigOptions): InProcessClientConfig {
    return { region: options.region ?? 'us-east-1', credentials: this.credentials(options), requestHandler: this.requestHandler() };
  }

  /** Serves the sandbox on a loopback port for AWS_ENDPOINT_URL, bundled Lambdas and the AWS CLI. */
  async listen(options: ListenOptions = {}): Promise<FakeAwsServer> {
    const server = await listenLoopback(this.core, options);
    return {
      ...server,
      close: () => server.close(),
      clientConfig: (config) => ({
        region: config.region ?? 'us-east-1', credentials: this.credentials(config), endpoint: server.url, forcePathStyle: true,
      }),
      env: (config) => {
        const credentials = this.credentials(config);
        return {
          AWS_ENDPOINT_URL: server.url,
          AWS_REGION: config.region ?? 'us-east-1',
          AWS_DEFAULT_REGION: config.region ?? 'us-east-1',
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
        };
      },
    };
  }

  /**
   * Runs an operation's handler directly, as the account's administrator (or a role), skipping the
   * wire protocol, faults, rate limits and the call log: for seeding and scenarios that change the
   * sandbox the way a person would, under the same AWS rules (validation, errors).
   */
  async invoke<T = Record<string, unknown>>(service: string, operation: string, input: Record<string, unknown>, identity: Identity & { region?: string }): Promise<T> {
    const definition = this.services.get(service);
    const opModel = definition?.model.operations[operation];
    const handler = definition?.operations[operation];
    if (!definition || !opModel || !handler) throw new Error(`FakeAws has no operation ${service}:${operation}`);
    const caller = identity.roleName
      ? {
          account: identity.account, kind: 'assumed-role' as const, accessKeyId: 'direct',
          arn: `arn:aws:sts::${identity.account}:assumed-role/${identity.roleName}/${identity.sessionName ?? 'fakeaws'}`,
          userId: `direct:${identity.sessionName ?? 'fakeaws'}`, roleName: identity.roleName,
          roleArn: findRole(this.state, identity.account, identity.roleName)?.arn, sessionName: identity.sessionName ?? 'fakeaws',
        }
      : adminCaller(identity.account);
    const ctx: CallContext = {
      caller, account: identity.account, region: identity.region ?? 'us-east-1', service, operation, requestId: 'direct',
      state: this.state, clock: this.clock, random: this.state.random, taskTokens: this.taskTokens, overHttp: false,
    };
    if (opModel.input) {
      const violations = validateInput(input, opModel.input, definition.model);
      if (violations.length) throw definition.errors.validation(violations);
    }
    definition.authorize?.(ctx);
    const output = (await handler(input as never, ctx)) as T;
    this.services.notify(ctx);
    return output;
  }
}

export { AwsError };
