import { z } from 'zod';

/** Regions Rampart knows. A Region outside this list is almost always a typo. */
export const AWS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'ca-central-1', 'ca-west-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-east-1', 'ap-east-2',
  'sa-east-1', 'me-south-1', 'me-central-1', 'il-central-1', 'af-south-1', 'mx-central-1',
] as const;

export const region = z.enum(AWS_REGIONS).describe('An AWS Region code, e.g. us-east-1');
export type Region = z.infer<typeof region>;

/** Logical names refer to accounts and OUs across files, as in LZA: never raw ids. */
export const logicalName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a name of letters, digits, ".", "_" or "-" (at most 64), starting with a letter or digit');

/** An OU path from the root, e.g. `Workloads/Pci`; `Root` is the organization root. */
export const ouPath = z
  .string()
  .regex(/^(Root|[A-Za-z0-9][A-Za-z0-9 ._-]*(\/[A-Za-z0-9][A-Za-z0-9 ._-]*)*)$/, 'an OU path such as "Workloads/Pci" or "Root"');

export const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit account id in quotes, e.g. "123456789012"');

export const tags = z.record(z.string().min(1).max(128), z.string().max(256)).describe('Tag keys and values');

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  // Date.parse rolls 2027-02-30 over to March; only a date that survives the round trip is real.
  .refine((value) => {
    const time = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  }, 'a real calendar date');

/** EventBridge Scheduler expressions. */
export const scheduleExpression = z
  .string()
  .regex(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^)]+\))$/, 'an EventBridge Scheduler expression: rate(1 hour) or cron(0 6 * * ? *)');
