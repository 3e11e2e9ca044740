import { z } from 'zod';
import { logicalName, region } from './common';

/** Security Lake's native AWS log sources and the versions it accepts. */
export const AWS_LOG_SOURCES = ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'SH_FINDINGS', 'ROUTE53', 'LAMBDA_EXECUTION', 'S3_DATA', 'EKS_AUDIT', 'WAF'] as const;
export type AwsLogSourceName = (typeof AWS_LOG_SOURCES)[number];

/**
 * OCSF event classes Security Lake accepts for custom sources: OCSF class_uid, and the short code
 * Rampart appends to a source's name when one mapping file feeds several classes.
 */
export const CUSTOM_SOURCE_EVENT_CLASSES = {
  FILE_ACTIVITY: { uid: 1001, code: 'file' },
  KERNEL_EXTENSION: { uid: 1002, code: 'kext' },
  KERNEL_ACTIVITY: { uid: 1003, code: 'kern' },
  MEMORY_ACTIVITY: { uid: 1004, code: 'mem' },
  MODULE_ACTIVITY: { uid: 1005, code: 'mod' },
  SCHEDULED_JOB_ACTIVITY: { uid: 1006, code: 'job' },
  PROCESS_ACTIVITY: { uid: 1007, code: 'proc' },
  SECURITY_FINDING: { uid: 2001, code: 'find' },
  ACCOUNT_CHANGE: { uid: 3001, code: 'acct' },
  AUTHENTICATION: { uid: 3002, code: 'authn' },
  AUTHORIZATION: { uid: 3003, code: 'authz' },
  ENTITY_MANAGEMENT_AUDIT: { uid: 3004, code: 'ent' },
  NETWORK_ACTIVITY: { uid: 4001, code: 'net' },
  HTTP_ACTIVITY: { uid: 4002, code: 'http' },
  DNS_ACTIVITY: { uid: 4003, code: 'dns' },
  DHCP_ACTIVITY: { uid: 4004, code: 'dhcp' },
  RDP_ACTIVITY: { uid: 4005, code: 'rdp' },
  SMB_ACTIVITY: { uid: 4006, code: 'smb' },
  SSH_ACTIVITY: { uid: 4007, code: 'ssh' },
  FTP_ACTIVITY: { uid: 4008, code: 'ftp' },
  EMAIL_ACTIVITY: { uid: 4009, code: 'mail' },
  NETWORK_FILE_ACTIVITY: { uid: 4010, code: 'nfile' },
  EMAIL_FILE_ACTIVITY: { uid: 4011, code: 'mfile' },
  EMAIL_URL_ACTIVITY: { uid: 4012, code: 'murl' },
  DEVICE_INVENTORY_INFO: { uid: 5001, code: 'inv' },
  DEVICE_CONFIG_STATE: { uid: 5002, code: 'cfg' },
  WEB_RESOURCE_ACTIVITY: { uid: 6001, code: 'web' },
  APPLICATION_LIFECYCLE: { uid: 6002, code: 'life' },
  API_ACTIVITY: { uid: 6003, code: 'api' },
  WEB_RESOURCE_ACCESS_ACTIVITY: { uid: 6004, code: 'wacc' },
} as const;
export type CustomSourceEventClass = keyof typeof CUSTOM_SOURCE_EVENT_CLASSES;

export const STORAGE_CLASSES = ['STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;

const accountScope = z
  .union([z.literal('all'), z.array(logicalName).min(1)])
  .describe('"all" or a list of account logical names');

/** Custom source names become part of the provider role name, which IAM caps at 64 characters. */
export const customSourceName = z
  .string()
  .min(1)
  .max(20, 'at most 20 characters (Security Lake uses the name in the 64-character provider role name)')
  .regex(/^[\w\-:.]+$/, 'only letters, digits, "_", "-", ":" and "."');

export const securityLakeSchema = z
  .strictObject({
    delegatedAdmin: logicalName.describe('Usually the log-archive account'),
    regions: z.array(region).min(1),
    rollupRegions: z
      .array(
        z.strictObject({
          region,
          contributingRegions: z.array(region).min(1),
        }),
      )
      .default([]),
    encryption: z
      .strictObject({ kmsKeyAlias: z.string().regex(/^alias\/[\w/_-]{1,250}$/, 'a KMS alias such as alias/rampart-securitylake').optional() })
      .default({})
      .describe('Omit kmsKeyAlias to use S3-managed encryption'),
    lifecycle: z
      .strictObject({
        expirationDays: z.number().int().min(1).max(36500),
        transitions: z.array(z.strictObject({ days: z.number().int().min(1), storageClass: z.enum(STORAGE_CLASSES) })).default([]),
      })
      .describe('Retention of data in the lake'),
    awsSources: z
      .array(
        z.strictObject({
          source: z.enum(AWS_LOG_SOURCES),
          version: z.enum(['1.0', '2.0']).default('2.0'),
          accounts: accountScope.default('all'),
        }),
      )
      .min(1),
    organizationAutoEnable: z.boolean().default(true).describe('Enable the AWS sources for accounts that join later'),
    customSources: z
      .array(
        z.strictObject({
          name: customSourceName,
          version: z.string().regex(/^[A-Za-z0-9\-._]{1,32}$/, 'a source version (letters, digits, "-", ".", "_"; at most 32)').default('1.0'),
          eventClass: z
            .enum(Object.keys(CUSTOM_SOURCE_EVENT_CLASSES) as [CustomSourceEventClass, ...CustomSourceEventClass[]])
            .optional()
            .describe('Omit to create one source per OCSF class the mapping produces, named <name>-<class code>'),
          mapping: z
            .string()
            .min(1)
            .describe('Mapping file in the transformation-library format, relative to the configuration directory, or builtin:<name> for a shipped one'),
          ingestion: z.enum(['kinesis', 's3']),
          providerAccount: logicalName.describe('Account whose principal writes the data'),
        }),
      )
      .default([]),
    subscribers: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[\w\s.-]{1,64}$/, 'a subscriber name'),
          account: logicalName.describe('The visualization account that queries the lake'),
          accessType: z.enum(['LAKEFORMATION', 'S3']).default('LAKEFORMATION'),
          sources: z.array(z.string().min(1)).min(1).describe('AWS source names and custom source names'),
          principals: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, 'an IAM role or user ARN')).default([]),
          externalId: z.string().min(2).max(1224),
          lookbackDays: z
            .number()
            .int()
            .min(1)
            .max(3650)
            .optional()
            .describe('How many days back the rampart_security_insights views read (LAKEFORMATION subscribers); default 90'),
        }),
      )
      .default([]),
  })
  .describe('securitylake.yaml: Security Lake delegated admin, Regions, rollup, sources and subscribers');

export type SecurityLakeConfig = z.infer<typeof securityLakeSchema>;
export type CustomSourceConfig = SecurityLakeConfig['customSources'][number];
