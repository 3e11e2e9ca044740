import { resolveMappings, type ReferenceContext } from './controlReferences';
import type { CustomFrameworkFile, FileProblem } from './frameworkFiles';
import type { Control, ControlGroup, Framework } from './model';

/** A framework the user defines in a file (governance.yaml evidence.customFrameworks). */
export function buildCustomFramework(
  spec: { id: string; name: string },
  file: CustomFrameworkFile,
  ctx: ReferenceContext,
): { framework: Framework; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const groups = new Map<string, ControlGroup>();
  file.groups.forEach((group, index) => {
    if (groups.has(group.id)) {
      problems.push({ fieldPath: ['groups', index, 'id'], rule: 'framework.duplicate-id', severity: 'error', found: `"${group.id}" a second time`, expected: 'unique group ids', hint: 'merge or rename the groups' });
    }
    groups.set(group.id, { id: group.id, title: group.title, parentId: group.parent });
  });
  file.groups.forEach((group, index) => {
    if (group.parent !== undefined && !groups.has(group.parent)) {
      problems.push({ fieldPath: ['groups', index, 'parent'], rule: 'framework.group-ref', severity: 'error', found: `"${group.parent}"`, expected: `a group id: ${[...groups.keys()].join(', ')}`, hint: 'declare the parent group under groups' });
    }
  });

  const controls: Control[] = [];
  const seen = new Set<string>();
  file.controls.forEach((input, index) => {
    const at = ['controls', index];
    if (seen.has(input.id)) {
      problems.push({ fieldPath: [...at, 'id'], rule: 'framework.duplicate-id', severity: 'error', found: `"${input.id}" a second time`, expected: 'unique control ids', hint: 'merge the two entries' });
      return;
    }
    seen.add(input.id);
    if (input.group !== undefined && !groups.has(input.group)) {
      problems.push({ fieldPath: [...at, 'group'], rule: 'framework.group-ref', severity: 'error', found: `"${input.group}"`, expected: `a group id: ${[...groups.keys()].join(', ') || '(none declared)'}`, hint: 'declare the group under groups' });
    }
    const resolved = resolveMappings(input, at, ctx);
    problems.push(...resolved.problems);
    controls.push({
      id: input.id,
      title: input.title,
      groupPath: input.group !== undefined && groups.has(input.group) ? groupPath(input.group, groups) : [],
      responsibility: input.responsibility,
      checks: resolved.checks,
    });
  });

  return {
    framework: {
      id: spec.id,
      name: spec.name,
      kind: 'custom',
      version: file.version,
      sources: [`${ctx.fileLabel}: ${file.source}`],
      appliesTo: file.appliesTo,
      nistBased: false,
      groups: [...groups.values()],
      controls,
      notices: [],
      unresolvedMappings: [],
    },
    problems,
  };
}

function groupPath(id: string, groups: ReadonlyMap<string, ControlGroup>): string[] {
  const out: string[] = [];
  for (let current: string | undefined = id; current !== undefined && !out.includes(current); current = groups.get(current)?.parentId) {
    out.unshift(current);
  }
  return out;
}
