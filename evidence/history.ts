import type { ControlReport, ControlResult, EvidenceReport, HistoryChange } from './report';

export interface PreviousControl {
  result: ControlResult;
  since: string;
}

/** Previous results by framework and control, from one or several earlier reports (later ones win). */
export function previousControls(previous: readonly EvidenceReport[]): Map<string, Map<string, PreviousControl>> {
  const out = new Map<string, Map<string, PreviousControl>>();
  const ordered = [...previous].sort((a, b) => a.generatedAt.localeCompare(b.generatedAt));
  for (const report of ordered) {
    for (const framework of report.frameworks) {
      const controls = new Map<string, PreviousControl>();
      for (const c of framework.controls) controls.set(c.id, { result: c.result, since: c.history?.since ?? report.generatedAt });
      out.set(framework.id, controls);
    }
  }
  return out;
}

/** Better results rank higher; moving down is a regression, moving up a fix. */
const RANK: Record<ControlResult, number> = { failed: 0, unknown: 1, manual: 2, excepted: 3, satisfied: 4, 'not-applicable': 4 };

/** Compares a control's result with the previous report's; `since` is when the current result began. */
export function historyOf(current: ControlResult, previous: PreviousControl | undefined, now: string): ControlReport['history'] {
  if (!previous) return { change: 'new', since: now };
  const change: HistoryChange = RANK[current] < RANK[previous.result] ? 'regressed' : RANK[current] > RANK[previous.result] ? 'fixed' : 'unchanged';
  return { change, previousResult: previous.result, since: current === previous.result ? previous.since : now };
}
