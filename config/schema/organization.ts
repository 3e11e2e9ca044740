import { z } from 'zod';
import { accountId, logicalName, ouPath, tags } from './common';

export interface OrganizationalUnitInput {
  name: string;
  pci?: boolean;
  children?: OrganizationalUnitInput[];
}

const ouName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/, 'an OU name (letters, digits, space, ".", "_", "-"; at most 128)');

export const organizationalUnitSchema: z.ZodType<OrganizationalUnitInput> = z.lazy(() =>
  z.strictObject({
    name: ouName,
    pci: z.boolean().optional().describe('Marks the PCI OU: its accounts are in PCI DSS scope'),
    children: z.array(organizationalUnitSchema).optional(),
  }),
);

export const accountSchema = z.strictObject({
  name: logicalName.describe('Logical name used everywhere else in the configuration'),
  email: z.email(),
  ou: ouPath.describe('OU path, e.g. Workloads/Pci; Root for the management account'),
  id: accountId.optional().describe('Account id, once the account exists'),
  pci: z.boolean().default(false).describe('In PCI DSS scope: must sit under the PCI OU'),
  tags: tags.default({}),
});

const scpTargets = z
  .strictObject({
    organizationalUnits: z.array(ouPath).default([]),
    accounts: z.array(logicalName).default([]),
  })
  .default({ organizationalUnits: [], accounts: [] });

export const serviceControlPolicySchema = z
  .strictObject({
    name: z.string().regex(/^[\w+=,.@-]{1,128}$/, 'a policy name (letters, digits, +=,.@_-; at most 128)'),
    description: z.string().max(512).default(''),
    file: z.string().optional().describe('Path of a JSON policy document, relative to the configuration directory'),
    document: z.record(z.string(), z.unknown()).optional().describe('Inline policy document'),
    targets: scpTargets,
  })
  .refine((scp) => (scp.file === undefined) !== (scp.document === undefined), {
    message: 'exactly one of file or document',
  });

export const pciGuardrailsSchema = z
  .strictObject({
    ou: ouPath.describe('The PCI OU; every pci: true account must sit under it'),
    denyLeaveOrganization: z.boolean().default(true),
    denyDisablingSecurityServices: z.boolean().default(true).describe('Security Hub, Config, Security Lake, CloudTrail, Access Analyzer'),
    denyRegionsOutsideConfig: z.boolean().default(true),
    protectRampartRoles: z.boolean().default(true),
  })
  .describe('The PCI guardrail SCP set Rampart generates and attaches to the PCI OU');

export const organizationSchema = z
  .strictObject({
    organizationalUnits: z.array(organizationalUnitSchema).min(1),
    accounts: z.array(accountSchema).min(1),
    mandatoryAccounts: z.strictObject({
      management: logicalName,
      logArchive: logicalName,
      securityTooling: logicalName,
    }),
    serviceControlPolicies: z.array(serviceControlPolicySchema).default([]),
    pciGuardrails: pciGuardrailsSchema.optional(),
    keepFullAwsAccess: z.boolean().default(true).describe('Keep the AWS-managed FullAWSAccess SCP attached (it counts against the 5-SCP limit)'),
  })
  .describe('organization.yaml: OU tree, accounts, mandatory accounts, SCPs and the PCI guardrails');

export type OrganizationConfig = z.infer<typeof organizationSchema>;
export type AccountConfig = z.infer<typeof accountSchema>;
export type ServiceControlPolicyConfig = z.infer<typeof serviceControlPolicySchema>;
export type PciGuardrailsConfig = z.infer<typeof pciGuardrailsSchema>;
