import * as path from 'node:path';
import { z } from 'zod';
import type { ConfigIssue } from '../config/errors';
import { isoDate } from '../config/schema/common';
import { schemaIssues } from '../config/schemaIssues';
import { loadYamlFile } from '../config/source';

/**
 * Manual attestations: a person states that a control no check can prove is met (or does not
 * apply), with when and until when. Template: frameworks/templates/attestations.yaml.
 */
export const ATTESTATIONS_FORMAT = 'rampart-attestations/v1';

export const attestationSchema = z.strictObject({
  framework: z.string().min(1),
  control: z.string().min(1).describe('Framework control id, e.g. 12.6.1 or AT-2'),
  status: z.enum(['satisfied', 'not-applicable']),
  statement: z.string().min(20, 'a statement of at least 20 characters an auditor can read'),
  attestedBy: z.string().min(3).describe('Who attests: name or e-mail'),
  attestedAt: isoDate,
  expires: isoDate,
  reference: z.string().min(1).optional().describe('Where the supporting document lives: ticket, document id or URL'),
});

export const attestationsFileSchema = z.strictObject({
  format: z.literal(ATTESTATIONS_FORMAT),
  attestations: z.array(attestationSchema),
});

export type Attestation = z.infer<typeof attestationSchema>;

/** Loads an attestations file (YAML or JSON), every problem located by line. */
export function loadAttestations(file: string, rootDir = path.dirname(path.resolve(file))): { attestations: Attestation[]; issues: ConfigIssue[] } {
  const loaded = loadYamlFile(path.resolve(file), { rootDir });
  if (loaded.issues.some((i) => i.severity === 'error')) return { attestations: [], issues: loaded.issues };
  const parsed = attestationsFileSchema.safeParse(loaded.value ?? {});
  if (!parsed.success) return { attestations: [], issues: [...loaded.issues, ...schemaIssues(attestationsFileSchema, loaded.value, parsed.error, loaded.sourceMap)] };
  const issues = [...loaded.issues];
  parsed.data.attestations.forEach((a, index) => {
    if (a.expires <= a.attestedAt) {
      issues.push({
        ...loaded.sourceMap.locate(['attestations', index, 'expires']), field: `attestations[${index}].expires`, rule: 'attestation.expiry', severity: 'error',
        found: a.expires, expected: `a date after attestedAt (${a.attestedAt})`, hint: 'an attestation is valid from when it was made until it expires',
      });
    }
  });
  return { attestations: issues.some((i) => i.severity === 'error') ? [] : parsed.data.attestations, issues };
}
