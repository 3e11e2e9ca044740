import * as fs from 'node:fs';
import * as path from 'node:path';
import { NEVER_AUTO_DRIFT_TYPES } from '../driftTypeNames';
import { BUILTIN_BASE_FRAMEWORKS, BUILTIN_FRAMEWORKS } from '../schema/governance';
import type { CrossFileRule, RuleContext } from './context';

/** Remediation policy is safe, frameworks are known, and exceptions are current. */
export const governanceRules: CrossFileRule[] = [
  { title: 'remediation modes, evidence frameworks and exception expiry', needs: ['governance'], check: checkGovernance },
];

function checkGovernance(ctx: RuleContext): void {
  const governance = ctx.file('governance');

  governance.remediation.policies.forEach((policy, index) => {
    if (policy.mode === 'auto' && NEVER_AUTO_DRIFT_TYPES.has(policy.drift)) {
      ctx.report('governance', ['remediation', 'policies', index, 'mode'], {
        rule: 'remediation.never-auto', found: `auto for ${policy.drift}`, expected: 'report or approve',
        hint: 'moving or removing accounts always needs a human: use approve',
      });
    }
  });

  const frameworkIds = new Set<string>([...BUILTIN_FRAMEWORKS, ...BUILTIN_BASE_FRAMEWORKS]);
  const fileBacked = [
    ...governance.evidence.customFrameworks.map((f, index) => ({ id: f.id, file: f.file, fieldPath: ['evidence', 'customFrameworks', index, 'file'] })),
    ...governance.evidence.overlays.map((f, index) => ({ id: f.id, file: f.file, fieldPath: ['evidence', 'overlays', index, 'file'] })),
  ];
  for (const framework of fileBacked) {
    frameworkIds.add(framework.id);
    if (!fs.existsSync(path.resolve(ctx.dir, framework.file))) {
      ctx.report('governance', framework.fieldPath, {
        rule: 'evidence.framework-file', found: `no file at ${framework.file}`, expected: 'a framework or overlay file relative to the configuration directory',
        hint: 'create it from frameworks/templates or correct the path',
      });
    }
  }
  governance.evidence.overlays.forEach((overlay, index) => {
    if (!frameworkIds.has(overlay.extends)) {
      ctx.report('governance', ['evidence', 'overlays', index, 'extends'], {
        rule: 'evidence.framework', found: `"${overlay.extends}"`, expected: `a known framework: ${[...frameworkIds].join(', ')}`, hint: 'name the framework the overlay builds on',
      });
    }
  });
  governance.evidence.frameworks.forEach((id, index) => {
    if (!frameworkIds.has(id)) {
      ctx.report('governance', ['evidence', 'frameworks', index], {
        rule: 'evidence.framework', found: `"${id}"`, expected: `a known framework: ${[...frameworkIds].join(', ')}`,
        hint: 'use a built-in framework id or declare it under customFrameworks or overlays',
      });
    }
  });

  const today = ctx.now.toISOString().slice(0, 10);
  governance.evidence.exceptions.forEach((exception, index) => {
    const base = ['evidence', 'exceptions', index];
    if (!frameworkIds.has(exception.framework)) {
      ctx.report('governance', [...base, 'framework'], {
        rule: 'evidence.framework', found: `"${exception.framework}"`, expected: `a known framework: ${[...frameworkIds].join(', ')}`, hint: 'name the framework whose control is excepted',
      });
    }
    if (exception.expires <= today) {
      ctx.report('governance', [...base, 'expires'], {
        rule: 'evidence.exception-expired', severity: 'warning', found: `expired on ${exception.expires}`, expected: `a date after ${today}`,
        hint: 'the control counts as failed until the exception is renewed with a new justification or removed',
      });
    }
  });
}
