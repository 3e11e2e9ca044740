import { z } from 'zod';

export const replacementsSchema = z
  .strictObject({
    vars: z.record(z.string().regex(/^[A-Za-z_][\w.-]*$/, 'a variable name'), z.union([z.string(), z.number(), z.boolean()])),
  })
  .describe('replacements.yaml: values substituted for {{ name }} in the other files');
