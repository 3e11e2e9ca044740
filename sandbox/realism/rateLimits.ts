/**
 * Per-API request rates as token buckets (rate = refill per second, burst = bucket size), keyed by
 * account × Region × operation as AWS meters them. `source` says where each figure comes from;
 * "estimate" marks APIs for which AWS publishes no figure (IAM and Organizations throttle, but
 * document no rate), sized from what AWS users commonly report.
 */
export interface RateLimit {
  rate: number;
  burst: number;
  source: string;
}

/** Keys: `<signing name>:<Operation>` or `<signing name>:*` for every operation of a service. */
export const AWS_RATE_LIMITS: Record<string, RateLimit> = {
  'organizations:*': { rate: 20, burst: 40, source: 'estimate: Organizations answers TooManyRequestsException but publishes no rate' },
  'organizations:CreateAccount': { rate: 1, burst: 5, source: 'estimate: account creation is serialized per organization' },
  'iam:*': { rate: 20, burst: 40, source: 'estimate: IAM throttles control-plane calls (Throttling, Rate exceeded) without a published rate' },
  'sts:*': { rate: 600, burst: 600, source: 'IAM and STS quotas: STS request rate per account per Region' },
  'sns:ListTopics': { rate: 30, burst: 30, source: 'SNS API reference: ListTopics is throttled at 30 TPS' },
  'sns:ListSubscriptionsByTopic': { rate: 30, burst: 30, source: 'SNS API reference: ListSubscriptionsByTopic is throttled at 30 TPS' },
  'sns:Subscribe': { rate: 100, burst: 100, source: 'SNS API reference: Subscribe is throttled at 100 TPS' },
  'sns:CreateTopic': { rate: 100, burst: 100, source: 'estimate: SNS control-plane calls, as Subscribe' },
  'sns:Publish': { rate: 9000, burst: 9000, source: 'SNS quotas: Publish, smallest regional default (us-east-1 allows 30,000)' },
  'events:PutEvents': { rate: 10000, burst: 10000, source: 'EventBridge quotas: PutEvents, us-east-1 default' },
  'events:*': { rate: 50, burst: 100, source: 'estimate: EventBridge control-plane calls' },
  'states:SendTaskSuccess': { rate: 500, burst: 1000, source: 'estimate: Step Functions API action throttling (token bucket)' },
  'states:SendTaskFailure': { rate: 500, burst: 1000, source: 'estimate: Step Functions API action throttling (token bucket)' },
  'states:SendTaskHeartbeat': { rate: 500, burst: 1000, source: 'estimate: Step Functions API action throttling (token bucket)' },
  's3:PutObject': { rate: 3500, burst: 3500, source: 'S3 performance guidelines: 3,500 PUT/COPY/POST/DELETE per second per prefix' },
  's3:DeleteObject': { rate: 3500, burst: 3500, source: 'S3 performance guidelines: 3,500 PUT/COPY/POST/DELETE per second per prefix' },
  's3:GetObject': { rate: 5500, burst: 5500, source: 'S3 performance guidelines: 5,500 GET/HEAD per second per prefix' },
  's3:HeadObject': { rate: 5500, burst: 5500, source: 'S3 performance guidelines: 5,500 GET/HEAD per second per prefix' },
  's3:*': { rate: 100, burst: 200, source: 'estimate: S3 bucket configuration calls' },
  'securityhub:GetFindings': { rate: 3, burst: 6, source: 'Security Hub API reference (GetFindings): 3 requests per second, burst 6, per account per Region' },
  'securityhub:BatchImportFindings': { rate: 10, burst: 30, source: 'Security Hub API reference (BatchImportFindings): 10 requests per second, burst 30' },
  'securityhub:BatchUpdateFindings': { rate: 10, burst: 30, source: 'Security Hub API reference (BatchUpdateFindings): 10 requests per second, burst 30' },
  'securityhub:*': { rate: 10, burst: 30, source: 'Security Hub API reference: other operations 10 requests per second, burst 30' },
  'securitylake:*': { rate: 10, burst: 20, source: 'estimate: Security Lake answers ThrottlingException but publishes no rate' },
  'config:PutOrganizationConformancePack': { rate: 1, burst: 1, source: 'estimate: AWS Config organization-wide deployments are serialized' },
  'config:*': { rate: 10, burst: 20, source: 'estimate: AWS Config per-API rates vary (Service Quotas) and are mostly unpublished' },
  'access-analyzer:*': { rate: 10, burst: 20, source: 'estimate: IAM Access Analyzer publishes no request rate' },
};

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Token buckets over the sandbox clock, so a pinned clock makes throttling reproducible. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limits: Record<string, RateLimit>;

  constructor(limits: Record<string, RateLimit> = AWS_RATE_LIMITS) {
    this.limits = { ...limits };
  }

  limitFor(signingName: string, operation: string): RateLimit | undefined {
    return this.limits[`${signingName}:${operation}`] ?? this.limits[`${signingName}:*`];
  }

  /** Sets or replaces one limit (`service:Operation` or `service:*`). */
  set(key: string, limit: RateLimit): void {
    this.limits[key] = limit;
    for (const bucketKey of this.buckets.keys()) if (bucketKey.includes(`|${key.split(':')[0]}:`)) this.buckets.delete(bucketKey);
  }

  /** Takes a token; false when the caller must be throttled. */
  take(signingName: string, operation: string, account: string, region: string, nowMs: number): boolean {
    const limit = this.limitFor(signingName, operation);
    if (!limit) return true;
    const key = `${account}|${region}|${signingName}:${this.limits[`${signingName}:${operation}`] ? operation : '*'}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: limit.burst, updatedMs: nowMs };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * limit.rate);
      bucket.updatedMs = nowMs;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}
