import * as path from 'node:path';
import type { z } from 'zod';
import type { ConfigIssue } from '../config/errors';
import type { RampartConfig } from '../config/model';
import { schemaIssues } from '../config/schemaIssues';
import { formatFieldPath, loadYamlFile, type SourceMap } from '../config/source';
import { BUILTIN_CATALOGS } from './catalogs';
import { buildCccsMedium, CCCS_MEDIUM_ID, CCCS_MEDIUM_PBHVA_ID } from './cccsMedium';
import { CheckDescriber, loadCheckCatalogue, type CheckCatalogue } from './checks';
import type { ReferenceContext } from './controlReferences';
import { buildCustomFramework } from './customFramework';
import { customFrameworkFileSchema, overlayFileSchema, type CustomFrameworkFile, type FileProblem, type OverlayFile } from './frameworkFiles';
import type { Framework } from './model';
import { buildNist80053, NIST_800_53_ID } from './nist80053';
import { applyOverlay } from './overlay';
import { buildPciDss, PCI_DSS_ID } from './pciDss';

export interface FrameworkSet {
  /** Every framework by id: the built-in ones, then the user's overlays and custom frameworks. */
  frameworks: ReadonlyMap<string, Framework>;
  catalogue: CheckCatalogue;
  describer: CheckDescriber;
  /** Problems in the user's framework and overlay files, located by file and line. */
  issues: ConfigIssue[];
}

let builtins: { frameworks: Map<string, Framework>; catalogue: CheckCatalogue; describer: CheckDescriber } | undefined;

/** The built-in frameworks (built once per process from the shipped data sets). */
export function builtinFrameworks(): { frameworks: ReadonlyMap<string, Framework>; catalogue: CheckCatalogue; describer: CheckDescriber } {
  if (!builtins) {
    const catalogue = loadCheckCatalogue();
    const cccs = buildCccsMedium(BUILTIN_CATALOGS, catalogue);
    const frameworks = new Map<string, Framework>();
    for (const framework of [buildPciDss(BUILTIN_CATALOGS, catalogue), buildNist80053(BUILTIN_CATALOGS, catalogue), cccs, pbhvaWithoutOverlay(cccs)]) {
      frameworks.set(framework.id, framework);
    }
    builtins = { frameworks, catalogue, describer: new CheckDescriber(catalogue, BUILTIN_CATALOGS) };
  }
  return builtins;
}

/**
 * Until the user provides the PBHVA overlay list, `cccs-medium-pbhva` reports on the CCCS Medium
 * controls alone and says so: the overlay has no machine-readable publication to ship.
 */
function pbhvaWithoutOverlay(cccs: Framework): Framework {
  return {
    ...cccs,
    id: CCCS_MEDIUM_PBHVA_ID,
    name: 'CCCS Medium + PBHVA overlay (overlay list not loaded)',
    notices: [
      `The PBHVA overlay list is not loaded: this report covers the CCCS Medium controls only. Provide the overlay (governance.yaml evidence.overlays: { id: ${CCCS_MEDIUM_PBHVA_ID}, extends: ${CCCS_MEDIUM_ID}, file: ... }; template: frameworks/templates/pbhva-overlay.yaml).`,
      ...cccs.notices,
    ],
  };
}

type Evidence = RampartConfig['governance']['evidence'];
type ConfigView = Pick<RampartConfig, 'dir' | 'governance' | 'locate'>;

interface PendingFramework {
  id: string;
  kind: 'overlay' | 'custom';
  /** Index in governance.yaml's overlays or customFrameworks. */
  index: number;
  fileLabel: string;
  sourceMap: SourceMap;
  file: OverlayFile | CustomFrameworkFile;
  extends?: string;
  name: string;
  dependsOn: string[];
}

/** Built-in frameworks plus the configuration's overlays and custom frameworks, every file problem collected. */
export function loadFrameworks(config?: ConfigView): FrameworkSet {
  const base = builtinFrameworks();
  const frameworks = new Map(base.frameworks);
  const issues: ConfigIssue[] = [];
  if (!config) return { ...base, frameworks, issues };
  const evidence: Evidence = config.governance.evidence;

  const pending: PendingFramework[] = [];
  const declared = new Set<string>();
  const declare = (id: string, fieldPath: (string | number)[], replaceable: boolean) => {
    const clash = (base.frameworks.has(id) && !replaceable) || declared.has(id);
    if (clash) {
      issues.push(governanceIssue(config, fieldPath, {
        rule: 'evidence.framework-id', found: `"${id}", already ${declared.has(id) ? 'declared' : 'a built-in framework'}`,
        expected: 'an id of its own', hint: `name it differently, e.g. ${id}-internal`,
      }));
      return false;
    }
    declared.add(id);
    return true;
  };

  evidence.overlays.forEach((overlay, index) => {
    if (!declare(overlay.id, ['evidence', 'overlays', index, 'id'], overlay.id === CCCS_MEDIUM_PBHVA_ID)) return;
    const loaded = loadFile(config, overlay.file, overlayFileSchema, issues);
    if (!loaded) return;
    const referenced = loaded.value.add.flatMap((c) => c.controls.map((r) => r.framework));
    pending.push({
      id: overlay.id, kind: 'overlay', index, fileLabel: loaded.label, sourceMap: loaded.sourceMap, file: loaded.value, extends: overlay.extends,
      name: overlay.id === CCCS_MEDIUM_PBHVA_ID ? 'CCCS Medium + PBHVA overlay' : overlay.id, dependsOn: [overlay.extends, ...referenced],
    });
  });
  evidence.customFrameworks.forEach((custom, index) => {
    if (!declare(custom.id, ['evidence', 'customFrameworks', index, 'id'], false)) return;
    const loaded = loadFile(config, custom.file, customFrameworkFileSchema, issues);
    if (!loaded) return;
    pending.push({
      id: custom.id, kind: 'custom', index, fileLabel: loaded.label, sourceMap: loaded.sourceMap, file: loaded.value, name: custom.name,
      dependsOn: loaded.value.controls.flatMap((c) => c.controls.map((r) => r.framework)),
    });
  });

  // Build in dependency order; whatever is left when nothing more can be built refers in a circle or to nothing.
  const builtIds = new Set(base.frameworks.keys());
  let progress = true;
  while (pending.length > 0 && progress) {
    progress = false;
    for (const item of [...pending]) {
      const waiting = item.dependsOn.filter((dep) => dep !== item.id && declared.has(dep) && !builtIds.has(dep) && pending.some((p) => p.id === dep));
      if (waiting.length > 0) continue;
      pending.splice(pending.indexOf(item), 1);
      progress = true;
      const built = buildPending(item, frameworks, base, issues, config);
      if (built) {
        frameworks.set(built.id, built);
        builtIds.add(built.id);
      }
    }
  }
  for (const item of pending) {
    issues.push(governanceIssue(config, ['evidence', item.kind === 'overlay' ? 'overlays' : 'customFrameworks', item.index, 'id'], {
      rule: 'evidence.framework-cycle', found: `${item.id} depends on ${item.dependsOn.filter((d) => pending.some((p) => p.id === d)).join(', ')}, which depend back on it`,
      expected: 'frameworks that refer to each other without a circle', hint: 'map one of them to checks or built-in controls instead',
    }));
  }
  return { frameworks, catalogue: base.catalogue, describer: base.describer, issues };
}

function buildPending(item: PendingFramework, frameworks: Map<string, Framework>, base: ReturnType<typeof builtinFrameworks>, issues: ConfigIssue[], config: ConfigView): Framework | undefined {
  const ctx: ReferenceContext = { frameworks, catalogue: base.catalogue, describer: base.describer, fileLabel: item.fileLabel };
  let result: { framework: Framework; problems: FileProblem[] };
  if (item.kind === 'overlay') {
    const extended = frameworks.get(item.extends as string);
    if (!extended) {
      issues.push(governanceIssue(config, ['evidence', 'overlays', item.index, 'extends'], {
        rule: 'evidence.framework', found: `"${item.extends}"`, expected: `a known framework: ${[...frameworks.keys()].join(', ')}`, hint: 'name the framework the overlay builds on',
      }));
      return undefined;
    }
    result = applyOverlay({ id: item.id, name: item.name, extends: item.extends as string }, extended, item.file as OverlayFile, { ...ctx, nist: frameworks.get(NIST_800_53_ID) as Framework });
  } else {
    result = buildCustomFramework({ id: item.id, name: item.name }, item.file as CustomFrameworkFile, ctx);
  }
  for (const problem of result.problems) {
    const { fieldPath, ...rest } = problem;
    issues.push({ ...item.sourceMap.locate(fieldPath), field: formatFieldPath(fieldPath), ...rest });
  }
  return result.problems.some((p) => p.severity === 'error') ? undefined : result.framework;
}

function loadFile<S extends z.ZodType>(config: ConfigView, file: string, schema: S, issues: ConfigIssue[]): { value: z.infer<S>; sourceMap: SourceMap; label: string } | undefined {
  const absolute = path.resolve(config.dir, file);
  const loaded = loadYamlFile(absolute, { rootDir: config.dir });
  issues.push(...loaded.issues);
  if (loaded.issues.some((i) => i.severity === 'error')) return undefined;
  const parsed = schema.safeParse(loaded.value ?? {});
  if (!parsed.success) {
    issues.push(...schemaIssues(schema, loaded.value, parsed.error, loaded.sourceMap));
    return undefined;
  }
  return { value: parsed.data, sourceMap: loaded.sourceMap, label: loaded.sourceMap.rootFile };
}

function governanceIssue(config: ConfigView, fieldPath: (string | number)[], issue: Pick<ConfigIssue, 'rule' | 'found' | 'expected' | 'hint'>): ConfigIssue {
  return { ...config.locate('governance', fieldPath), field: formatFieldPath(fieldPath), severity: 'error', ...issue };
}

export { CCCS_MEDIUM_ID, CCCS_MEDIUM_PBHVA_ID, NIST_800_53_ID, PCI_DSS_ID };
