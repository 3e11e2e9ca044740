import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_FRAMEWORKS } from '../../config/schema/governance';
import type { Attestation } from '../../evidence/attestations';
import type { EvidenceException } from '../../evidence/exceptions';
import { loadFrameworks, type FrameworkSet } from '../../frameworks/load';
import type { Framework } from '../../frameworks/model';

/**
 * What the Evidence workflow's handlers know of the configuration beyond the workflow settings
 * (settings.json: the desired state), derived at synth and shipped beside each handler as
 * evidence-settings.json: the frameworks to report on, those built from the user's files (the
 * built-in ones are rebuilt from the shipped data sets), exceptions, attestations, retention and
 * the conformance packs' rules.
 */
export interface EvidenceHandlerSettings {
  /** governance.yaml evidence.frameworks. */
  frameworks: string[];
  /** Overlays and custom frameworks, built at synth from the user's files. */
  userFrameworks: Framework[];
  exceptions: EvidenceException[];
  /** The configuration directory's attestations.yaml at synth, if any. */
  attestations: Attestation[];
  /** governance.yaml evidence.retentionDays: Object Lock retention of every evidence object. */
  retentionDays: number;
  conformancePackRules: Record<string, string[]>;
}

export const EVIDENCE_SETTINGS_FILE = 'evidence-settings.json';

let loaded: EvidenceHandlerSettings | undefined;

/** The settings in a function's code directory. */
export function readEvidenceSettings(codeDir: string): EvidenceHandlerSettings {
  return JSON.parse(fs.readFileSync(path.join(codeDir, EVIDENCE_SETTINGS_FILE), 'utf8')) as EvidenceHandlerSettings;
}

/** The settings shipped with the bundled handler, next to its index.js. */
export function loadEvidenceSettings(): EvidenceHandlerSettings {
  loaded ??= readEvidenceSettings(__dirname);
  return loaded;
}

/** The built-in frameworks and the user's, as the handlers report on them. */
export function frameworksOf(settings: EvidenceHandlerSettings): FrameworkSet {
  const set = loadFrameworks();
  const frameworks = new Map(set.frameworks);
  for (const framework of settings.userFrameworks) frameworks.set(framework.id, framework);
  return { ...set, frameworks };
}

/** What a run may ask for: framework ids, or "all" (as `rampart evidence --framework all`: the built-in frameworks and the user's overlays and custom frameworks). */
export type FrameworkRequest = string[] | 'all' | undefined;

/** The frameworks of a run: those requested (each known, or a clear error), else governance.yaml evidence.frameworks. */
export function selectFrameworks(requested: FrameworkRequest, settings: EvidenceHandlerSettings): string[] {
  if (requested === undefined) return settings.frameworks;
  const known = [...frameworksOf(settings).frameworks.keys()];
  if (requested === 'all') return [...new Set([...BUILTIN_FRAMEWORKS, ...settings.userFrameworks.map((f) => f.id)])];
  const unknown = Array.isArray(requested) ? requested.filter((id) => typeof id !== 'string' || !known.includes(id)) : [requested];
  if (unknown.length || !Array.isArray(requested) || requested.length === 0) {
    throw new Error(`the run's input asks for frameworks ${JSON.stringify(requested)}: ${unknown.length ? `unknown ${unknown.map(String).join(', ')}; ` : ''}expected a non-empty list of ${known.join(', ')}, or "all"`);
  }
  return [...new Set(requested)];
}
