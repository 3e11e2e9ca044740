import { z } from 'zod';

/**
 * The input of evidence: one judgement of one check (or one item of a check, such as a Security
 * Hub control or an AWS Config rule) in one scope. Checks over the inventory produce these; a
 * collector that failed produces `unknown`, never `pass`.
 */
export const CHECK_STATUSES = ['pass', 'fail', 'unknown', 'not-applicable'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const checkResultSchema = z.strictObject({
  /** A check id of the catalogue, e.g. `org.pci-accounts-isolated`, `drift.ScpDetached`. */
  checkId: z.string().min(1),
  /** For per-item checks: Security Hub control id (`IAM.6`), Config rule name or source identifier, Security Lake source. */
  item: z.string().min(1).optional(),
  status: z.enum(CHECK_STATUSES),
  /** Where the judgement applies; empty for organization-wide checks. */
  scope: z.strictObject({
    accountId: z.string().regex(/^\d{12}$/, 'a 12-digit account id').optional(),
    accountName: z.string().min(1).optional(),
    /** OU path, e.g. `Workloads/Pci`. */
    ou: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
  }),
  /** When the state was observed (ISO 8601). */
  observedAt: z.iso.datetime({ offset: true }),
  /** One line a person reads: what was found. */
  detail: z.string(),
  /** The raw data the judgement was made on (e.g. the inventory fragment or the API response). */
  evidence: z.unknown().optional(),
});

export type CheckResult = z.infer<typeof checkResultSchema>;

/** A record that could not be used, with why: nothing is dropped silently. */
export interface RejectedRecord {
  /** Position in the input (0-based record index, or line number for JSON lines). */
  at: number;
  reason: string;
}

/** Validates records from an untrusted source (a file, another process); bad ones are returned with their reason. */
export function parseCheckResults(records: readonly unknown[]): { results: CheckResult[]; rejected: RejectedRecord[] } {
  const results: CheckResult[] = [];
  const rejected: RejectedRecord[] = [];
  records.forEach((record, at) => {
    const parsed = checkResultSchema.safeParse(record);
    if (parsed.success) results.push(parsed.data);
    else rejected.push({ at, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ') });
  });
  return { results, rejected };
}

/** Reads check results from JSON lines (one record per line; blank lines ignored). Line numbers are 1-based. */
export function parseCheckResultLines(text: string): { results: CheckResult[]; rejected: RejectedRecord[] } {
  const results: CheckResult[] = [];
  const rejected: RejectedRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      rejected.push({ at: index + 1, reason: `not JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = parseCheckResults([record]);
    results.push(...parsed.results);
    rejected.push(...parsed.rejected.map((r) => ({ at: index + 1, reason: r.reason })));
  });
  return { results, rejected };
}
