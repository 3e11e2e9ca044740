import type { RetryErrorInfo } from '@smithy/types';
import { fullJitterDelay, RampartRetryStrategy, RETRY_POLICY } from '../../aws/retryPolicy';

const throttled: RetryErrorInfo = { errorType: 'THROTTLING' };

describe('the retry policy', () => {
  it('waits a uniformly random time up to the exponential backoff, capped', () => {
    expect(fullJitterDelay(1, RETRY_POLICY, () => 0)).toBe(0);
    expect(fullJitterDelay(1, RETRY_POLICY, () => 0.5)).toBe(RETRY_POLICY.baseDelayMs);
    expect(fullJitterDelay(3, RETRY_POLICY, () => 0.999)).toBe(Math.floor(0.999 * RETRY_POLICY.baseDelayMs * 8));
    expect(fullJitterDelay(30, RETRY_POLICY, () => 0.999)).toBe(Math.floor(0.999 * RETRY_POLICY.maxDelayMs));
  });

  it('retries throttling up to its attempts, transient errors briefly, and client errors never', async () => {
    const strategy = new RampartRetryStrategy({ ...RETRY_POLICY, baseDelayMs: 1 }, () => 0);
    let token = await strategy.acquireInitialRetryToken();
    for (let retry = 1; retry < RETRY_POLICY.throttlingAttempts; retry++) {
      token = await strategy.refreshRetryTokenForRetry(token, throttled);
      expect(token.getRetryCount()).toBe(retry);
    }
    await expect(strategy.refreshRetryTokenForRetry(token, throttled)).rejects.toThrow('retries exhausted');

    let transient = await strategy.acquireInitialRetryToken();
    transient = await strategy.refreshRetryTokenForRetry(transient, { errorType: 'SERVER_ERROR' });
    transient = await strategy.refreshRetryTokenForRetry(transient, { errorType: 'TRANSIENT' });
    await expect(strategy.refreshRetryTokenForRetry(transient, { errorType: 'SERVER_ERROR' })).rejects.toThrow('retries exhausted');
    await expect(strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(), { errorType: 'CLIENT_ERROR' })).rejects.toThrow('retries exhausted');
  });

  it('holds new calls of a throttled client back for the retry delay', async () => {
    const strategy = new RampartRetryStrategy({ ...RETRY_POLICY, baseDelayMs: 100 }, () => 0.9);
    const retry = await strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(), throttled);
    expect(retry.getRetryDelay()).toBe(180);
    const started = Date.now();
    await strategy.acquireInitialRetryToken();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('honours a Retry-After hint longer than its own delay', async () => {
    const strategy = new RampartRetryStrategy(RETRY_POLICY, () => 0);
    const retry = await strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(), { errorType: 'THROTTLING', retryAfterHint: new Date(Date.now() + 5000) });
    expect(retry.getRetryDelay()).toBeGreaterThan(4000);
  });

  it('does not retry an error its client names as an answer, though the SDK counts it as throttling', async () => {
    const strategy = new RampartRetryStrategy(RETRY_POLICY, () => 0, new Set(['LimitExceededException']));
    const quota = Object.assign(new Error('Cannot exceed quota for ACLSizePerRole: 2048'), { name: 'LimitExceededException' });
    await expect(strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(), { errorType: 'THROTTLING', error: quota as never })).rejects.toThrow('not retried');
    const other = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    await expect(strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(), { errorType: 'THROTTLING', error: other as never })).resolves.toBeDefined();
  });
});
