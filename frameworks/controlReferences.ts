import { closest } from '../config/suggest';
import type { CheckCatalogue, CheckDescriber } from './checks';
import type { ControlMappingFields, FileProblem } from './frameworkFiles';
import { parseCheckRef, type CheckMapping, type Control, type Framework } from './model';

/** What a user's file may refer to: the check catalogue and the frameworks built so far. */
export interface ReferenceContext {
  frameworks: ReadonlyMap<string, Framework>;
  catalogue: CheckCatalogue;
  describer: CheckDescriber;
  /** How the file is named in mapping bases, e.g. `frameworks/internal.yaml`. */
  fileLabel: string;
}

export function findControl(framework: Framework, id: string): Control | undefined {
  return framework.controls.find((c) => c.id === id) ?? framework.controls.find((c) => c.aliases?.includes(id));
}

/** Resolves a control's `checks` and `controls` entries to check mappings, reporting every bad reference. */
export function resolveMappings(
  fields: ControlMappingFields,
  fieldPath: (string | number)[],
  ctx: ReferenceContext,
): { checks: CheckMapping[]; problems: FileProblem[] } {
  const checks: CheckMapping[] = [];
  const problems: FileProblem[] = [];
  fields.checks.forEach((ref, index) => {
    const problem = checkRefProblem(ref, ctx);
    if (problem) problems.push({ fieldPath: [...fieldPath, 'checks', index], rule: 'framework.check-ref', severity: 'error', ...problem });
    else checks.push({ ref, basis: ctx.fileLabel });
  });
  fields.controls.forEach((reference, index) => {
    const at = [...fieldPath, 'controls', index];
    const framework = ctx.frameworks.get(reference.framework);
    if (!framework) {
      problems.push({
        fieldPath: [...at, 'framework'], rule: 'framework.control-ref', severity: 'error', found: `"${reference.framework}"`,
        expected: `a framework defined before this one: ${[...ctx.frameworks.keys()].join(', ')}`,
        hint: 'use a built-in framework id, or declare the framework you refer to under customFrameworks or overlays',
      });
      return;
    }
    const control = findControl(framework, reference.control);
    if (!control) {
      const suggestion = closest(reference.control, framework.controls.map((c) => c.id));
      problems.push({
        fieldPath: [...at, 'control'], rule: 'framework.control-ref', severity: 'error', found: `"${reference.control}"`,
        expected: `a control id of ${framework.id}`, hint: suggestion ? `did you mean "${suggestion}"?` : `see the control ids ${framework.id} lists in its report`,
      });
      return;
    }
    for (const mapping of control.checks) checks.push({ ref: mapping.ref, basis: `${ctx.fileLabel} via ${framework.id} ${control.id} (${mapping.basis})`, why: mapping.why });
  });
  return { checks: dedupe(checks), problems };
}

function checkRefProblem(ref: string, ctx: ReferenceContext): Omit<FileProblem, 'fieldPath' | 'rule' | 'severity'> | undefined {
  const { checkId, item } = parseCheckRef(ref);
  const check = ctx.catalogue.byId.get(checkId);
  if (!check) {
    const suggestion = closest(checkId, [...ctx.catalogue.byId.keys()]);
    return { found: `"${ref}"`, expected: 'a check id from the check catalogue (frameworks/data/rampart-checks.yaml)', hint: suggestion ? `did you mean "${suggestion}"?` : 'see the check catalogue in the README' };
  }
  if (item === undefined && (check.items === 'securityhub-pci-controls' || check.items === 'config-rules')) {
    const example = check.items === 'config-rules' ? `${checkId}:access-keys-rotated` : `${checkId}:IAM.6`;
    return { found: `"${ref}" without an item`, expected: `${checkId}:<${check.items === 'config-rules' ? 'Config rule name' : 'Security Hub control id'}>`, hint: `name the item, e.g. ${example}` };
  }
  if (item !== undefined && check.items === undefined) {
    return { found: `"${ref}"`, expected: `"${checkId}" alone (it has no items)`, hint: `write ${checkId}` };
  }
  if (item !== undefined && !ctx.describer.describe(ref)) {
    const what = check.items === 'config-rules' ? 'a rule of the shipped AWS Config conformance packs' : 'a control of the Security Hub PCI DSS v4.0.1 standard';
    return { found: `"${item}"`, expected: what, hint: 'check the spelling against the data sets in frameworks/data' };
  }
  return undefined;
}

function dedupe(checks: CheckMapping[]): CheckMapping[] {
  const seen = new Map<string, CheckMapping>();
  for (const c of checks) if (!seen.has(c.ref)) seen.set(c.ref, c);
  return [...seen.values()];
}
