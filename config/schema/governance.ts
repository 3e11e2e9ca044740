import { z } from 'zod';
import { DRIFT_TYPE_NAMES } from '../driftTypeNames';
import { isoDate, logicalName, ouPath, region, scheduleExpression } from './common';

export const REMEDIATION_MODES = ['report', 'auto', 'approve'] as const;
export type RemediationMode = (typeof REMEDIATION_MODES)[number];

export const BUILTIN_FRAMEWORKS = ['pci-dss-4.0', 'cccs-medium-pbhva', 'nist-800-53-r5'] as const;
/** Catalogues Rampart ships besides those: CCCS Medium alone, the base the PBHVA overlay extends. */
export const BUILTIN_BASE_FRAMEWORKS = ['cccs-medium'] as const;

const frameworkId = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,63}$/, 'a framework id such as pci-dss-4.0');

export const governanceSchema = z
  .strictObject({
    drift: z.strictObject({
      schedule: scheduleExpression,
      maxConcurrency: z.number().int().min(1).max(40).default(10).describe('Accounts collected in parallel'),
    }),
    remediation: z.strictObject({
      defaultMode: z.enum(REMEDIATION_MODES).default('report'),
      policies: z
        .array(
          z.strictObject({
            drift: z.enum(DRIFT_TYPE_NAMES),
            mode: z.enum(REMEDIATION_MODES),
          }),
        )
        .default([]),
      maxActionsPerRun: z.number().int().min(0).max(1000).default(25).describe('Blast-radius limit: actions beyond it wait for the next run'),
      approvalTimeoutHours: z.number().int().min(1).max(24 * 14).default(72),
    }),
    evidence: z.strictObject({
      frameworks: z.array(frameworkId).min(1),
      schedule: scheduleExpression,
      bucketPrefix: z.string().regex(/^[\w/.-]*$/, 'an S3 key prefix').default('evidence/'),
      retentionDays: z.number().int().min(1).max(36500).describe('Object Lock retention of evidence objects'),
      overlays: z
        .array(
          z.strictObject({
            id: frameworkId,
            extends: frameworkId,
            file: z.string().min(1).describe('Overlay control list you provide (see frameworks/templates)'),
          }),
        )
        .default([]),
      customFrameworks: z
        .array(z.strictObject({ id: frameworkId, name: z.string().min(1), file: z.string().min(1) }))
        .default([]),
      exceptions: z
        .array(
          z.strictObject({
            framework: frameworkId,
            control: z.string().min(1).describe('Framework control id, e.g. 10.2.1 or AC-2'),
            scope: z
              .strictObject({
                accounts: z.array(logicalName).optional(),
                organizationalUnits: z.array(ouPath).optional(),
                regions: z.array(region).optional(),
              })
              .default({}),
            owner: z.email().describe('Who answers for the exception'),
            justification: z.string().min(20, 'a justification of at least 20 characters'),
            expires: isoDate,
          }),
        )
        .default([]),
    }),
  })
  .describe('governance.yaml: drift schedule, remediation policy, evidence frameworks and exceptions');

export type GovernanceConfig = z.infer<typeof governanceSchema>;
export type EvidenceException = GovernanceConfig['evidence']['exceptions'][number];
