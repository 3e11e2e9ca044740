import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/**
 * The one retry policy of every AWS call Rampart makes: throttling is retried with exponential
 * backoff and full jitter (a random wait between 0 and min(cap, base × 2^attempt)), so many
 * collectors hitting one API spread out instead of retrying in lockstep; transient and server
 * errors (a Region answering 503) are retried briefly, then reported, so a collector marks the
 * scope unknown instead of waiting on an outage.
 */
export const RETRY_POLICY = {
  /** Attempts of a throttled call, the first included. */
  throttlingAttempts: 8,
  /** Attempts of a call that failed with a transient or server error. */
  transientAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 20_000,
} as const;

export type RetryPolicy = { [K in keyof typeof RETRY_POLICY]: number };

/** Full jitter: a uniformly random wait up to the exponential backoff of this retry (1 for the first retry). */
export function fullJitterDelay(retry: number, policy: RetryPolicy = RETRY_POLICY, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

class Attempt implements RetryToken {
  constructor(private readonly retries: number, private readonly delayMs: number) {}
  getRetryCount(): number {
    return this.retries;
  }
  getRetryDelay(): number {
    return this.delayMs;
  }
}

/**
 * The policy as an SDK v3 retry strategy (the SDK's retry middleware waits the token's delay).
 * One strategy serves one client, i.e. one API endpoint of one account and Region: the unit AWS
 * meters. When a call is throttled, new calls of that client also hold back for the retry's
 * delay, so a burst of parallel reads slows down together instead of hammering the limit.
 */
export class RampartRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private pausedUntilMs = 0;

  /**
   * @param notRetried error names the SDK counts as throttling that are answers for this client's
   * callers, not rate limits (IAM's LimitExceededException is a quota, such as the trust-policy length).
   */
  constructor(
    private readonly policy: RetryPolicy = RETRY_POLICY,
    private readonly random: () => number = Math.random,
    private readonly notRetried: ReadonlySet<string> = new Set(),
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    const wait = this.pausedUntilMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return new Attempt(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, error: RetryErrorInfo): Promise<RetryToken> {
    const attempts = token.getRetryCount() + 1;
    if (this.notRetried.has(error.error?.name ?? '')) throw new Error('not retried: an answer, not a rate limit');
    const allowed = error.errorType === 'THROTTLING' ? this.policy.throttlingAttempts
      : error.errorType === 'TRANSIENT' || error.errorType === 'SERVER_ERROR' ? this.policy.transientAttempts : 1;
    if (attempts >= allowed) throw new Error('retries exhausted');
    const retry = attempts;
    const hinted = error.retryAfterHint ? Math.max(0, error.retryAfterHint.getTime() - Date.now()) : 0;
    const delay = Math.min(this.policy.maxDelayMs, Math.max(hinted, fullJitterDelay(retry, this.policy, this.random)));
    if (error.errorType === 'THROTTLING') this.pausedUntilMs = Math.max(this.pausedUntilMs, Date.now() + delay);
    return new Attempt(retry, delay);
  }

  recordSuccess(): void {}
}
