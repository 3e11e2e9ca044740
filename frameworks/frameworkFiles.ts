import { z } from 'zod';

/**
 * The file formats users write (YAML or JSON): their own frameworks (governance.yaml
 * evidence.customFrameworks) and overlays on another framework (evidence.overlays).
 * Templates: frameworks/templates/.
 */

export const CUSTOM_FRAMEWORK_FORMAT = 'rampart-framework/v1';
export const OVERLAY_FORMAT = 'rampart-overlay/v1';

const controlId = z.string().min(1).max(100).regex(/^\S(.*\S)?$/, 'a control id without leading or trailing spaces');

const responsibility = z.enum(['customer', 'aws', 'shared', 'not-applicable']);

const controlReference = z.strictObject({
  framework: z.string().min(1).describe('Id of a built-in framework, or of another custom framework or overlay'),
  control: controlId,
});

/** How a control gets evidence: Rampart checks directly, or the checks of controls in other frameworks. */
const mappingFields = {
  checks: z
    .array(z.string().min(1))
    .default([])
    .describe('Check references: a check id (org.pci-accounts-isolated) or check id and item (securityhub.control-results:IAM.6)'),
  controls: z.array(controlReference).default([]).describe('Controls of other frameworks whose evidence also proves this one'),
};

const group = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  parent: z.string().min(1).optional(),
});

export const customFrameworkControlSchema = z.strictObject({
  id: controlId,
  title: z.string().min(1),
  group: z.string().min(1).optional(),
  responsibility: responsibility.default('customer'),
  ...mappingFields,
});

export const customFrameworkFileSchema = z
  .strictObject({
    format: z.literal(CUSTOM_FRAMEWORK_FORMAT),
    version: z.string().min(1).optional(),
    source: z.string().min(1).describe('Where the control list comes from: document, version, date'),
    appliesTo: z.enum(['all-accounts', 'pci-accounts']).default('all-accounts'),
    groups: z.array(group).default([]),
    controls: z.array(customFrameworkControlSchema).min(1),
  })
  .describe('A framework you define: controls with their mappings to checks and to other frameworks\' controls');

export const overlayAddedControlSchema = z.strictObject({
  id: controlId,
  title: z.string().min(1).optional().describe('Required unless the id is a NIST SP 800-53 r5 control of a NIST-based base framework'),
  group: z.string().min(1).optional(),
  responsibility: responsibility.optional(),
  ...mappingFields,
});

export const overlayFileSchema = z
  .strictObject({
    format: z.literal(OVERLAY_FORMAT),
    version: z.string().min(1).optional(),
    source: z.string().min(1).describe('Where the overlay list comes from: document, version, date'),
    extends: z.string().min(1).optional().describe('The framework the overlay builds on; must match governance.yaml when given'),
    keep: z
      .union([z.literal('all'), z.array(controlId)])
      .describe('"all", or the ids of the base framework\'s controls the overlay keeps'),
    add: z.array(overlayAddedControlSchema).default([]),
    expect: z
      .strictObject({ kept: z.number().int().min(0).optional(), added: z.number().int().min(0).optional() })
      .optional()
      .describe('Counts the published overlay states; a list that does not match them is rejected'),
  })
  .describe('An overlay: a framework that keeps some (or all) controls of another and adds its own');

export type CustomFrameworkFile = z.infer<typeof customFrameworkFileSchema>;
export type OverlayFile = z.infer<typeof overlayFileSchema>;
export type ControlMappingFields = { checks: string[]; controls: { framework: string; control: string }[] };

/** A problem in a user's file, located by field path (the loader turns it into a positioned issue). */
export interface FileProblem {
  fieldPath: (string | number)[];
  rule: string;
  found: string;
  expected: string;
  hint: string;
  severity: 'error' | 'warning';
}
