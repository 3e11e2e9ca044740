import { z } from 'zod';
import { logicalName, ouPath, region, scheduleExpression } from './common';

/** Security Hub standards Rampart can put in a central configuration policy. */
export const SECURITY_HUB_STANDARDS = {
  'pci-dss-v4.0.1': 'standards/pci-dss/v/4.0.1',
  'aws-foundational-security-best-practices-v1.0.0': 'standards/aws-foundational-security-best-practices/v/1.0.0',
  'cis-aws-foundations-benchmark-v3.0.0': 'standards/cis-aws-foundations-benchmark/v/3.0.0',
  'nist-800-53-v5.0.0': 'standards/nist-800-53/v/5.0.0',
  'aws-resource-tagging-standard-v1.0.0': 'standards/aws-resource-tagging-standard/v/1.0.0',
} as const;
export type SecurityHubStandardName = keyof typeof SECURITY_HUB_STANDARDS;
export const PCI_STANDARD: SecurityHubStandardName = 'pci-dss-v4.0.1';

export function securityHubStandardArn(name: SecurityHubStandardName, region: string): string {
  return `arn:aws:securityhub:${region}::${SECURITY_HUB_STANDARDS[name]}`;
}

/** AWS Config conformance pack templates Rampart deploys as organization conformance packs. */
export const CONFORMANCE_PACK_TEMPLATES = {
  'pci-dss-4.0': 'Operational-Best-Practices-for-PCI-DSS-v4.0-including-global-resourcetypes',
  'cccs-medium': 'Operational-Best-Practices-for-CCCS-Medium',
  'nist-800-53-r5': 'Operational-Best-Practices-for-NIST-800-53-rev-5',
} as const;
export type ConformancePackTemplate = keyof typeof CONFORMANCE_PACK_TEMPLATES;

const standardName = z.enum(Object.keys(SECURITY_HUB_STANDARDS) as [SecurityHubStandardName, ...SecurityHubStandardName[]]);

export const configurationPolicySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9 _.-]{1,128}$/, 'a policy name (letters, digits, space, "_", ".", "-")'),
  description: z.string().max(512).default(''),
  targets: z.array(ouPath).min(1).describe('OU paths this policy is associated with'),
  standards: z.array(standardName).min(1),
  disabledControls: z
    .array(
      z.strictObject({
        control: z.string().regex(/^[A-Za-z0-9]+\.\d+$/, 'a Security Hub control id such as EC2.10 or IAM.6'),
        reason: z.string().min(10, 'a reason of at least 10 characters that an auditor can read'),
      }),
    )
    .default([]),
});

const exemptRoleSchema = z
  .strictObject({
    arn: z.string().regex(/^arn:aws[a-z-]*:iam::(\d{12}|\*):role\/.+$/, 'an IAM role ARN').optional(),
    pathPrefix: z.string().regex(/^\/([\w+=,.@-]+\/)*$/, 'an IAM path such as /break-glass/').optional(),
    tag: z.strictObject({ key: z.string().min(1), value: z.string() }).optional(),
    reason: z.string().min(10, 'a reason of at least 10 characters'),
  })
  .refine((role) => [role.arn, role.pathPrefix, role.tag].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of arn, pathPrefix or tag',
  });

export const securitySchema = z
  .strictObject({
    securityHub: z.strictObject({
      delegatedAdmin: logicalName,
      aggregationRegion: region,
      configurationPolicies: z.array(configurationPolicySchema).min(1),
    }),
    config: z.strictObject({
      recorder: z
        .strictObject({
          allSupported: z.boolean().default(true),
          includeGlobalResourceTypesIn: region.optional().describe('Record global resources (IAM) only in this Region; defaults to the home Region'),
        })
        .default({ allSupported: true }),
      aggregator: z.strictObject({
        name: z.string().regex(/^[\w-]{1,256}$/, 'an aggregator name').default('rampart-organization'),
        account: logicalName,
      }),
      conformancePacks: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[a-zA-Z][-a-zA-Z0-9]{0,50}$/, 'a conformance pack name: a letter then letters, digits or "-" (at most 51)'),
            template: z.enum(Object.keys(CONFORMANCE_PACK_TEMPLATES) as [ConformancePackTemplate, ...ConformancePackTemplate[]]),
            excludedAccounts: z.array(logicalName).default([]),
          }),
        )
        .default([]),
    }),
    accessAnalyzer: z.strictObject({
      analyzerName: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,254}$/, 'an analyzer name').default('rampart-organization'),
      sweepSchedule: scheduleExpression.default('rate(6 hours)').describe('How often missed findings are swept'),
      trustedPrincipals: z
        .array(
          z.strictObject({
            principal: z.string().min(1).describe('Principal ARN, account id, or service name allowed to reach into the organization'),
            accounts: z.array(logicalName).optional().describe('Accounts it may reach; all when omitted'),
            reason: z.string().min(10, 'a reason of at least 10 characters'),
          }),
        )
        .default([]),
      exemptRoles: z.array(exemptRoleSchema).default([]).describe('Break-glass and other roles Rampart never changes'),
    }),
  })
  .describe('security.yaml: Security Hub central configuration, AWS Config and IAM Access Analyzer');

export type SecurityConfig = z.infer<typeof securitySchema>;
export type ConfigurationPolicyConfig = z.infer<typeof configurationPolicySchema>;
export type ExemptRoleConfig = z.infer<typeof exemptRoleSchema>;
