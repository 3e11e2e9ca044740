import { closest } from '../config/suggest';
import { findControl, resolveMappings, type ReferenceContext } from './controlReferences';
import type { FileProblem, OverlayFile } from './frameworkFiles';
import type { Control, ControlGroup, Framework } from './model';

export interface OverlaySpec {
  id: string;
  name: string;
  /** The framework governance.yaml says the overlay extends. */
  extends: string;
}

/**
 * Builds an overlay: the base framework's kept controls plus the overlay's added ones. On a
 * NIST-based base (CCCS Medium, NIST SP 800-53), ids may be written as NIST ids; a kept or added
 * NIST control gets the evidence of that control in the NIST SP 800-53 r5 framework.
 */
export function applyOverlay(
  spec: OverlaySpec,
  base: Framework,
  file: OverlayFile,
  ctx: ReferenceContext & { nist: Framework },
): { framework: Framework; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  if (file.extends !== undefined && file.extends !== spec.extends) {
    problems.push({
      fieldPath: ['extends'], rule: 'overlay.extends', severity: 'error', found: `"${file.extends}"`,
      expected: `"${spec.extends}", the framework governance.yaml names for overlay ${spec.id}`, hint: 'make the file and governance.yaml agree on the base framework',
    });
  }

  const controls = new Map<string, Control>();
  let keptEntries = 0;
  if (file.keep === 'all') {
    for (const control of base.controls) controls.set(control.id, { ...control, origin: 'kept' });
    keptEntries = base.controls.length;
  } else {
    const written = new Set<string>();
    file.keep.forEach((id, index) => {
      if (written.has(id)) {
        problems.push({ fieldPath: ['keep', index], rule: 'overlay.duplicate-id', severity: 'warning', found: `"${id}" a second time`, expected: 'each id once', hint: 'remove the repeated entry' });
        return;
      }
      written.add(id);
      const kept = keptControls(id, base, ctx.nist);
      if (kept.controls.length === 0) {
        const suggestion = closest(id, base.controls.flatMap((c) => [c.id, ...(c.aliases ?? [])]));
        problems.push({
          fieldPath: ['keep', index], rule: 'overlay.unknown-control', severity: 'error', found: `"${id}"`,
          expected: base.nistBased ? `a control of ${base.id} or an active NIST SP 800-53 r5 control id` : `a control id of ${base.id}`,
          hint: suggestion ? `did you mean "${suggestion}"?` : 'controls the base does not have belong under add, with a title',
        });
        return;
      }
      if (kept.outsideBase) {
        problems.push({
          fieldPath: ['keep', index], rule: 'overlay.kept-outside-catalogue', severity: 'warning', found: `"${id}", not among the ${base.controls.length} controls Rampart knows for ${base.id}`,
          expected: 'a control of the base catalogue', hint: `kept as NIST SP 800-53 r5 ${id}; its evidence comes from the checks mapped to that NIST control`,
        });
      }
      keptEntries++;
      for (const control of kept.controls) controls.set(control.id, { ...control, origin: 'kept' });
    });
  }

  let addedEntries = 0;
  file.add.forEach((input, index) => {
    const at = ['add', index];
    if (controls.has(input.id) || findControl(base, input.id)) {
      const kept = controls.has(input.id);
      problems.push({
        fieldPath: [...at, 'id'], rule: 'overlay.duplicate-id', severity: 'error', found: `"${input.id}", ${kept ? 'already kept' : `a control of ${base.id}`}`,
        expected: 'an id that is neither in the base framework nor already in the overlay', hint: kept ? 'remove it from add or from keep' : 'list it under keep instead',
      });
      return;
    }
    const nistControl = base.nistBased ? ctx.nist.controls.find((c) => c.id === input.id) : undefined;
    if (base.nistBased && !nistControl && /^[A-Z]{2}-\d+(\(\d+\))?$/.test(input.id)) {
      problems.push({
        fieldPath: [...at, 'id'], rule: 'overlay.unknown-control', severity: input.title ? 'warning' : 'error', found: `"${input.id}"`,
        expected: 'an active NIST SP 800-53 r5 control id', hint: 'the id is withdrawn in Rev. 5 or not in the catalogue; check it against the overlay document',
      });
      if (!input.title) return;
    }
    const title = input.title ?? nistControl?.title;
    if (title === undefined) {
      problems.push({ fieldPath: [...at, 'title'], rule: 'schema.missing', severity: 'error', found: 'nothing', expected: 'the control\'s title', hint: 'add a title: only NIST SP 800-53 r5 ids on a NIST-based base get theirs from the catalogue' });
      return;
    }
    const resolved = resolveMappings(input, at, ctx);
    problems.push(...resolved.problems);
    addedEntries++;
    controls.set(input.id, {
      id: input.id,
      title,
      groupPath: input.group !== undefined ? [input.group] : nistControl ? nistControl.groupPath : [],
      responsibility: input.responsibility ?? nistControl?.responsibility ?? 'customer',
      nistId: nistControl?.id,
      baselines: nistControl?.baselines,
      origin: 'added',
      checks: mergeChecks(nistControl?.checks ?? [], resolved.checks),
    });
  });

  if (file.expect?.kept !== undefined && file.expect.kept !== keptEntries) {
    problems.push({ fieldPath: ['expect', 'kept'], rule: 'overlay.count', severity: 'error', found: `${keptEntries} kept control entries`, expected: `${file.expect.kept}, as the file states`, hint: 'compare the keep list with the overlay document' });
  }
  if (file.expect?.added !== undefined && file.expect.added !== addedEntries) {
    problems.push({ fieldPath: ['expect', 'added'], rule: 'overlay.count', severity: 'error', found: `${addedEntries} added controls`, expected: `${file.expect.added}, as the file states`, hint: 'compare the add list with the overlay document' });
  }

  const list = [...controls.values()];
  return {
    framework: {
      id: spec.id,
      name: spec.name,
      kind: 'overlay',
      version: file.version,
      sources: [`${ctx.fileLabel}: ${file.source}`, ...base.sources],
      extends: base.id,
      appliesTo: base.appliesTo,
      nistBased: base.nistBased,
      groups: groupsFor(list, base, ctx.nist),
      controls: list,
      notices: [
        `Overlay on ${base.id} loaded from ${ctx.fileLabel}: ${keptEntries} kept entr${keptEntries === 1 ? 'y' : 'ies'}, ${addedEntries} added control(s), ${list.length} controls in all.`,
        ...base.notices,
      ],
      unresolvedMappings: [],
    },
    problems,
  };
}

/** Base controls a keep entry names: the control itself, every statement part of a NIST id, or the NIST control. */
function keptControls(id: string, base: Framework, nist: Framework): { controls: Control[]; outsideBase: boolean } {
  const direct = findControl(base, id);
  if (direct) return { controls: [direct], outsideBase: false };
  if (!base.nistBased) return { controls: [], outsideBase: false };
  const parts = base.controls.filter((c) => c.nistId === id);
  if (parts.length > 0) return { controls: parts, outsideBase: false };
  const nistControl = nist.controls.find((c) => c.id === id);
  return nistControl ? { controls: [nistControl], outsideBase: true } : { controls: [], outsideBase: false };
}

function groupsFor(controls: Control[], base: Framework, nist: Framework): ControlGroup[] {
  const known = new Map([...nist.groups, ...base.groups].map((g) => [g.id, g]));
  const used = new Set(controls.flatMap((c) => c.groupPath));
  return [...used].map((id) => known.get(id) ?? { id, title: id });
}

function mergeChecks(...lists: Control['checks'][]): Control['checks'] {
  const seen = new Map<string, Control['checks'][number]>();
  for (const list of lists) for (const c of list) if (!seen.has(c.ref)) seen.set(c.ref, c);
  return [...seen.values()];
}
