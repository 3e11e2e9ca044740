import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The integrity manifest of one evidence set (`<framework>/<date>/`): every file with its SHA-256
 * and size, and the hash of the inventory snapshot the evidence was computed from.
 */
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_SCHEMA = 'rampart.evidence-manifest/v1';

/** Relative, forward-slash paths inside the set; nothing that could point outside it. */
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').some((part) => part === '..' || part === '.' || part === ''), 'a relative path inside the evidence directory');

/** A file of another set this one relies on (the run's check results), addressed from this set's directory. */
const referencePath = z.string().regex(/^\.\.\/\.\.\/_check-results\/\d{4}-\d{2}-\d{2}\/[\w.-]+$/, 'a path to the run\'s check results, ../../_check-results/<date>/<file>');
const fileEntry = { sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) };

export const manifestSchema = z.strictObject({
  schema: z.literal(MANIFEST_SCHEMA),
  framework: z.string().min(1),
  generatedAt: z.string().min(1),
  inventory: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), observedAt: z.string().optional(), source: z.string().optional() }).nullable(),
  algorithm: z.literal('SHA-256'),
  files: z.array(z.strictObject({ path: relativePath, ...fileEntry })).min(1),
  references: z.array(z.strictObject({ path: referencePath, ...fileEntry })).optional(),
});

export type ManifestReference = NonNullable<z.infer<typeof manifestSchema>['references']>[number];

export type EvidenceManifest = z.infer<typeof manifestSchema>;

export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** JSON with object keys sorted at every level: the same data always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The hash recorded for an inventory snapshot: SHA-256 of its canonical JSON, so key order does not matter. */
export function inventorySha256(inventory: unknown): string {
  return sha256Hex(canonicalJson(inventory));
}

export function buildManifest(
  meta: { framework: string; generatedAt: string; inventory?: EvidenceManifest['inventory']; references?: ManifestReference[] },
  files: readonly { path: string; content: readonly Uint8Array[] }[],
): EvidenceManifest {
  return {
    schema: MANIFEST_SCHEMA,
    framework: meta.framework,
    generatedAt: meta.generatedAt,
    inventory: meta.inventory ?? null,
    algorithm: 'SHA-256',
    files: files
      .map((f) => {
        const hash = createHash('sha256');
        for (const chunk of f.content) hash.update(chunk);
        return { path: f.path, sha256: hash.digest('hex'), bytes: f.content.reduce((n, c) => n + c.byteLength, 0) };
      })
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    ...(meta.references?.length ? { references: meta.references } : {}),
  };
}
