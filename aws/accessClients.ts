import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import { RampartRetryStrategy, RETRY_POLICY } from './retryPolicy';

/**
 * The clients the access-resolution workflow uses: its own identity in the security-tooling
 * account (Access Analyzer, SNS, S3, Organizations) and a session of the Rampart execution role in
 * the account of each role it changes (IAM). Throttling is retried in the SDK (backoff with full
 * jitter, Rampart's one retry policy) beneath the workflow's own Retry.
 */

/** How the home identity reaches AWS: real AWS (nothing set) or FakeAws (its in-process `requestHandler` and credentials). */
export interface ClientBase {
  requestHandler?: unknown;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpoint?: string;
}

export interface AccessClientsOptions {
  homeAccountId: string;
  homeRegion: string;
  executionRoleName: string;
  base?: ClientBase;
  sessionName?: string;
  /** The clock sessions expire by (a sandbox's own clock in local runs). */
  nowMs?: () => number;
}

/**
 * The SDK counts IAM's LimitExceededException (a quota, such as the trust-policy length) among
 * throttling errors and would retry it; it is an answer, not a rate limit, so it is not retried.
 */
const QUOTA_ANSWERS: ReadonlySet<string> = new Set(['LimitExceededException']);

const SESSION_SECONDS = 3600;
const RENEW_BEFORE_MS = 5 * 60_000;
/** IAM is global; its endpoint is in us-east-1. */
const IAM_REGION = 'us-east-1';

type Config = { region: string; credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider; requestHandler?: never; endpoint?: string; retryStrategy: RetryStrategyV2 };

export class AccessClients {
  private readonly sessions = new Map<string, { expiresMs: number; credentials: Promise<AwsCredentialIdentity> }>();
  private readonly iamClients = new Map<string, IAMClient>();
  private stsClient?: STSClient;
  private analyzerClient?: AccessAnalyzerClient;
  private snsClient?: SNSClient;
  private s3Client?: S3Client;
  private organizationsClient?: OrganizationsClient;

  constructor(readonly options: AccessClientsOptions) {}

  private config(region: string, credentials = this.options.base?.credentials): Config {
    const base = this.options.base ?? {};
    return {
      region, retryStrategy: new RampartRetryStrategy(RETRY_POLICY, Math.random, QUOTA_ANSWERS),
      ...(credentials ? { credentials } : {}),
      ...(base.requestHandler ? { requestHandler: base.requestHandler as never } : {}),
      ...(base.endpoint ? { endpoint: base.endpoint } : {}),
    };
  }

  accessAnalyzer(): AccessAnalyzerClient {
    return (this.analyzerClient ??= new AccessAnalyzerClient(this.config(this.options.homeRegion)));
  }

  sns(): SNSClient {
    return (this.snsClient ??= new SNSClient(this.config(this.options.homeRegion)));
  }

  s3(): S3Client {
    return (this.s3Client ??= new S3Client({ ...this.config(this.options.homeRegion), forcePathStyle: Boolean(this.options.base?.endpoint ?? process.env.AWS_ENDPOINT_URL) }));
  }

  organizations(): OrganizationsClient {
    return (this.organizationsClient ??= new OrganizationsClient(this.config(this.options.homeRegion)));
  }

  /** IAM of `accountId`, through a session of the execution role there. */
  iam(accountId: string): IAMClient {
    let client = this.iamClients.get(accountId);
    if (!client) {
      client = new IAMClient(this.config(IAM_REGION, () => this.session(accountId)));
      this.iamClients.set(accountId, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of [this.stsClient, this.analyzerClient, this.snsClient, this.s3Client, this.organizationsClient, ...this.iamClients.values()]) client?.destroy();
  }

  private session(accountId: string): Promise<AwsCredentialIdentity> {
    const cached = this.sessions.get(accountId);
    const now = this.options.nowMs?.() ?? Date.now();
    if (cached && cached.expiresMs - RENEW_BEFORE_MS > now) return cached.credentials;
    this.stsClient ??= new STSClient(this.config(this.options.homeRegion));
    const roleArn = `arn:aws:iam::${accountId}:role/${this.options.executionRoleName}`;
    const credentials = this.stsClient.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: this.options.sessionName ?? 'rampart-access', DurationSeconds: SESSION_SECONDS }))
      .then((out) => {
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole into ${roleArn} returned no credentials`);
        const expiration = c.Expiration ?? new Date(now + SESSION_SECONDS * 1000);
        this.sessions.set(accountId, { expiresMs: expiration.getTime(), credentials });
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration };
      })
      .catch((error: unknown) => {
        this.sessions.delete(accountId);
        const inner = error instanceof Error ? error : new Error(String(error));
        throw Object.assign(new Error(`could not assume ${roleArn}: ${inner.message}`), { name: inner.name === 'Error' ? 'AssumeRoleFailed' : inner.name });
      });
    this.sessions.set(accountId, { expiresMs: now + SESSION_SECONDS * 1000, credentials });
    return credentials;
  }
}
