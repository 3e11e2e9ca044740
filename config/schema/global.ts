import { z } from 'zod';
import { logicalName, region, tags } from './common';

export const globalSchema = z
  .strictObject({
    homeRegion: region.describe('Region where Rampart, the Security Hub aggregator and the Config aggregator live'),
    enabledRegions: z.array(region).min(1).describe('Every Region the organization may use; others are denied to PCI accounts'),
    managementAccount: logicalName.describe('Logical name of the management account (defined in organization.yaml)'),
    executionRoleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name')
      .default('RampartExecutionRole')
      .describe('Role Rampart assumes in every member account; deployed by a service-managed StackSet'),
    tags: tags.default({}),
    notifications: z
      .strictObject({
        securityEmails: z.array(z.email()).default([]).describe('Receive drift and access-remediation notices'),
        complianceEmails: z.array(z.email()).default([]).describe('Receive evidence report notices'),
      })
      .default({ securityEmails: [], complianceEmails: [] }),
  })
  .describe('global.yaml: Regions, management account, tags and notification e-mails');

export type GlobalConfig = z.infer<typeof globalSchema>;
