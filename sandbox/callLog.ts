/** One API call as FakeAws served it. */
export interface CallRecord {
  seq: number;
  /** Sandbox clock time, epoch ms. */
  at: number;
  /** Botocore service name: `organizations`, `iam`, `s3`, ... */
  service: string;
  operation: string;
  account: string;
  region: string;
  /** The caller's ARN (root or assumed-role session). */
  principal: string;
  /** Simulated latency plus the time FakeAws spent, in ms. */
  latencyMs: number;
  status: number;
  /** `ok`, or the error code answered. */
  outcome: string;
  transport: 'in-process' | 'http' | 'direct';
}

export interface CallFilter {
  service?: string;
  operation?: string;
  account?: string;
  region?: string;
  outcome?: string;
  /** Only failed (`false`) or only successful (`true`) calls. */
  ok?: boolean;
}

function matches(record: CallRecord, filter: CallFilter): boolean {
  return (filter.service === undefined || record.service === filter.service)
    && (filter.operation === undefined || record.operation === filter.operation)
    && (filter.account === undefined || record.account === filter.account)
    && (filter.region === undefined || record.region === filter.region)
    && (filter.outcome === undefined || record.outcome === filter.outcome)
    && (filter.ok === undefined || (record.outcome === 'ok') === filter.ok);
}

/** The call log tests and benchmarks count API calls with. Keeps the last `limit` calls. */
export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;
  private totalCount = 0;

  constructor(private readonly limit = 1_000_000) {}

  add(record: Omit<CallRecord, 'seq'>): void {
    this.seq += 1;
    this.totalCount += 1;
    this.records.push({ seq: this.seq, ...record });
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }

  /** Calls kept, oldest first. */
  get entries(): readonly CallRecord[] {
    return this.records;
  }

  /** Every call since the log was created or cleared, including any no longer kept. */
  get total(): number {
    return this.totalCount;
  }

  filter(filter: CallFilter = {}): CallRecord[] {
    return this.records.filter((r) => matches(r, filter));
  }

  count(filter: CallFilter = {}): number {
    let n = 0;
    for (const r of this.records) if (matches(r, filter)) n++;
    return n;
  }

  /** Calls per `service:Operation`. */
  summary(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.records) out[`${r.service}:${r.operation}`] = (out[`${r.service}:${r.operation}`] ?? 0) + 1;
    return out;
  }

  clear(): void {
    this.records = [];
    this.totalCount = 0;
  }
}
