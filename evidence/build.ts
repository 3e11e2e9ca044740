import type { CheckDescriber } from '../frameworks/checks';
import type { Control, Framework } from '../frameworks/model';
import { AccountSet } from './accountSet';
import { CHECK_RESULTS_FILE } from './layout';
import type { Attestation } from './attestations';
import type { CheckResult, CheckStatus } from './checkResult';
import { exceptionCovers, exceptionState, isOrganizationWide, type EvidenceException } from './exceptions';
import { historyOf, previousControls, type PreviousControl } from './history';
import {
  CONTROL_RESULTS,
  COVERAGE_KINDS,
  EVIDENCE_REPORT_SCHEMA,
  HISTORY_CHANGES,
  type AccountReport,
  type AppliedAttestation,
  type AppliedException,
  type BaselineReport,
  type ControlReport,
  type ControlResult,
  type CoverageKind,
  type EvidenceReport,
  type ExceptionReport,
  type FrameworkReport,
  type GroupReport,
  type OuReport,
  type ScopeFinding,
  type Severity,
} from './report';
import { AccountDirectory, indexResults, STATUS_CODES, type AccountInfo, type ResultIndex } from './resultIndex';

export interface EvidenceInput {
  /** The time of the report; the engine never reads the clock. */
  now: Date;
  /** The frameworks to report on (frameworks/load.ts). */
  frameworks: readonly Framework[];
  /** Titles, severities and remediation hints of checks (from the same framework set). */
  describer: CheckDescriber;
  checkResults: readonly CheckResult[];
  /** The configured accounts: names, OUs and the PCI flag that decides PCI DSS scope. */
  accounts?: readonly AccountInfo[];
  /** governance.yaml evidence.exceptions. */
  exceptions?: readonly EvidenceException[];
  attestations?: readonly Attestation[];
  /** Earlier reports (one multi-framework report or one per framework) for history. */
  previous?: readonly EvidenceReport[];
  inventory?: EvidenceReport['inventory'];
  generatorVersion?: string;
}

export interface EvidenceBuild {
  report: EvidenceReport;
  /** Every usable check result, in result-id order: the run's check-results file. */
  index: ResultIndex;
}

/** How many findings of each kind a control lists; the counts always cover all of them. */
export const FINDINGS_PER_CONTROL = 25;
const PASSING_SAMPLE = 3;
const EVIDENCE_CHARS = 2000;
const REMEDIATION_HINTS = 5;
const SEVERITY_ORDER: Severity[] = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

interface RefAggregate {
  counts: Record<CheckStatus, number>;
  evaluated: AccountSet;
  failing: AccountSet;
  unknown: AccountSet;
  regions: Set<string>;
  organizationWide: boolean;
  positions: number[];
  fail: number[];
  unknownResults: number[];
  passSample: number[];
}

/** Assembles the evidence report: pure, deterministic for the same input. */
export function buildEvidenceReport(input: EvidenceInput): EvidenceBuild {
  const now = input.now.toISOString();
  const today = now.slice(0, 10);
  const directory = new AccountDirectory(input.accounts);
  const index = indexResults(input.checkResults, input.describer, directory);
  const previous = previousControls(input.previous ?? []);
  const unmatched: EvidenceReport['inputs']['unmatched'] = [];
  const aggregates = new Map<string, RefAggregate>();
  const pciKnown = directory.accounts.some((a) => a.pci);

  const frameworks = input.frameworks.map((framework) => {
    const pciOnly = framework.appliesTo === 'pci-accounts' && pciKnown;
    const inScope = (position: number) => !pciOnly || position < 0 || directory.accounts[position].pci;
    const aggregate = (key: string): RefAggregate | undefined => {
      const cacheKey = `${pciOnly ? 'pci' : 'all'}|${key}`;
      if (!aggregates.has(cacheKey)) {
        aggregates.set(cacheKey, aggregateResults(index.positions(key), index, directory.size, inScope));
      }
      return aggregates.get(cacheKey);
    };
    const exceptions = (input.exceptions ?? []).filter((e) => e.framework === framework.id);
    const attestations = (input.attestations ?? []).filter((a) => a.framework === framework.id);
    const controlIds = new Set(framework.controls.flatMap((c) => [c.id, ...(c.aliases ?? [])]));
    for (const e of exceptions) if (!controlIds.has(e.control)) unmatched.push({ kind: 'exception', framework: framework.id, control: e.control });
    for (const a of attestations) if (!controlIds.has(a.control)) unmatched.push({ kind: 'attestation', framework: framework.id, control: a.control });

    const used = new Uint8Array(index.size);
    const failedPerAccount = new Int32Array(directory.size);
    const unknownPerAccount = new Int32Array(directory.size);
    const evaluatedPerAccount = new Int32Array(directory.size);
    const history = previous.get(framework.id);
    const exceptionCoverage = new Map<EvidenceException, number>();
    const controls = framework.controls.map((control) => {
      const names = new Set([control.id, ...(control.aliases ?? [])]);
      const evaluation = evaluateControl({
        control,
        aggregates: control.checks.map((m) => aggregate(m.ref) as RefAggregate),
        index,
        directory,
        describer: input.describer,
        exceptions: exceptions.filter((e) => names.has(e.control)),
        attestation: latestAttestation(attestations.filter((a) => names.has(a.control))),
        today,
        coverage: exceptionCoverage,
        previous: history?.get(control.id),
        now,
      });
      for (const positions of evaluation.usedPositions) for (const p of positions) used[p] = 1;
      evaluation.failingAccounts.forEach((i) => failedPerAccount[i]++);
      evaluation.unknownAccounts.forEach((i) => unknownPerAccount[i]++);
      evaluation.evaluatedAccounts.forEach((i) => evaluatedPerAccount[i]++);
      return evaluation.report;
    });

    let usedCount = 0;
    for (let p = 0; p < used.length; p++) usedCount += used[p];

    const accounts = accountReports(directory, (i) => (pciOnly ? directory.accounts[i].pci : true) || evaluatedPerAccount[i] > 0, failedPerAccount, unknownPerAccount, evaluatedPerAccount);
    const notices = [...framework.notices];
    if (framework.appliesTo === 'pci-accounts' && !pciKnown) notices.push('No PCI accounts were given: results from every account were judged.');
    const report: FrameworkReport = {
      id: framework.id,
      name: framework.name,
      kind: framework.kind,
      version: framework.version,
      extends: framework.extends,
      sources: framework.sources,
      appliesTo: framework.appliesTo,
      notices,
      resultsUsed: usedCount,
      coverage: { total: controls.length, ...countBy(COVERAGE_KINDS, controls.map((c) => c.coverage)) },
      results: countBy(CONTROL_RESULTS, controls.map((c) => c.result)),
      history: countBy(HISTORY_CHANGES, controls.map((c) => c.history.change)),
      groups: groupReports(framework, controls),
      baselines: baselineReports(controls),
      accounts,
      ous: ouReports(accounts),
      controls,
      unresolvedMappings: framework.unresolvedMappings,
      exceptions: exceptions.map((e): ExceptionReport => ({ ...appliedException(e, today, exceptionCoverage.get(e) ?? 0), control: e.control, matched: controlIds.has(e.control) })),
    };
    return report;
  });

  return {
    index,
    report: {
      schema: EVIDENCE_REPORT_SCHEMA,
      generatedAt: now,
      generator: { name: 'rampart', version: input.generatorVersion ?? '0.0.0' },
      inventory: input.inventory,
      previous: input.previous?.length ? { generatedAt: [...input.previous].map((r) => r.generatedAt).sort().at(-1) as string } : undefined,
      inputs: {
        checkResults: input.checkResults.length,
        unknownChecks: [...index.unknown].map(([ref, count]) => ({ ref, count })).sort((a, b) => a.ref.localeCompare(b.ref)),
        unmatched,
      },
      frameworks,
    },
  };
}

function emptyAggregate(size: number): RefAggregate {
  return {
    counts: { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 },
    evaluated: new AccountSet(size), failing: new AccountSet(size), unknown: new AccountSet(size),
    regions: new Set(), organizationWide: false, positions: [], fail: [], unknownResults: [], passSample: [],
  };
}

function aggregateResults(positions: readonly number[], index: ResultIndex, size: number, inScope: (account: number) => boolean): RefAggregate {
  const agg = emptyAggregate(size);
  const regions = new Set<number>();
  for (const p of positions) {
    const account = index.accounts[p];
    if (!inScope(account)) continue;
    agg.positions.push(p);
    const status = STATUS_CODES[index.statuses[p]];
    agg.counts[status]++;
    if (index.regions[p] >= 0) regions.add(index.regions[p]);
    if (account < 0) agg.organizationWide = true;
    else agg.evaluated.add(account);
    if (status === 'fail') {
      agg.fail.push(p);
      if (account >= 0) agg.failing.add(account);
    } else if (status === 'unknown') {
      agg.unknownResults.push(p);
      if (account >= 0) agg.unknown.add(account);
    } else if (status === 'pass' && agg.passSample.length < PASSING_SAMPLE) {
      agg.passSample.push(p);
    }
  }
  for (const r of regions) agg.regions.add(index.regionNames[r]);
  return agg;
}

interface ControlEvaluation {
  report: ControlReport;
  usedPositions: number[][];
  failingAccounts: AccountSet;
  unknownAccounts: AccountSet;
  evaluatedAccounts: AccountSet;
}

interface ControlContext {
  control: Control;
  aggregates: RefAggregate[];
  index: ResultIndex;
  directory: AccountDirectory;
  describer: CheckDescriber;
  exceptions: EvidenceException[];
  attestation?: Attestation;
  today: string;
  /** Accumulates, per exception, how many results it covers across the framework. */
  coverage: Map<EvidenceException, number>;
  previous?: PreviousControl;
  now: string;
}

function evaluateControl(ctx: ControlContext): ControlEvaluation {
  const { control, aggregates, index, directory } = ctx;
  const size = directory.size;
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 };
  const evaluated = new AccountSet(size);
  let failingAccounts = new AccountSet(size);
  const unknownAccounts = new AccountSet(size);
  const regions = new Set<string>();
  let organizationWide = false;
  let failPositions: number[] = [];
  const unknownPositions: number[] = [];
  const passSample: number[] = [];
  for (const agg of aggregates) {
    for (const s of ['pass', 'fail', 'unknown', 'not-applicable'] as const) counts[s] += agg.counts[s];
    evaluated.addAll(agg.evaluated);
    failingAccounts.addAll(agg.failing);
    unknownAccounts.addAll(agg.unknown);
    for (const r of agg.regions) regions.add(r);
    organizationWide ||= agg.organizationWide;
    if (agg.fail.length) failPositions = failPositions.concat(agg.fail);
    for (const p of agg.unknownResults) unknownPositions.push(p);
    for (const p of agg.passSample) if (passSample.length < PASSING_SAMPLE) passSample.push(p);
  }
  const total = counts.pass + counts.fail + counts.unknown + counts['not-applicable'];

  // Exceptions: active ones take the failures in their scope out of "failed"; expired ones count as failed.
  const scopeOf = (p: number) => {
    const scope = index.results[p].scope;
    const info = index.accounts[p] >= 0 ? directory.accounts[index.accounts[p]] : undefined;
    return { accountName: scope.accountName ?? info?.name, ou: scope.ou ?? info?.ou, region: scope.region };
  };
  const applied: AppliedException[] = [];
  let exceptedPositions: number[] = [];
  let expiredApplies = false;
  for (const exception of ctx.exceptions) {
    const state = exceptionState(exception, ctx.today);
    if (state === 'active') {
      const covered = failPositions.filter((p) => exceptionCovers(exception, scopeOf(p)));
      if (covered.length) {
        const coveredSet = new Set(covered);
        failPositions = failPositions.filter((p) => !coveredSet.has(p));
        exceptedPositions = exceptedPositions.concat(covered);
      }
      const coversManual = total === 0 && isOrganizationWide(exception);
      applied.push(appliedException(exception, ctx.today, covered.length + (coversManual ? 1 : 0)));
      ctx.coverage.set(exception, (ctx.coverage.get(exception) ?? 0) + covered.length + (coversManual ? 1 : 0));
    } else {
      expiredApplies = true;
      const inScope = aggregates.reduce((n, agg) => n + agg.positions.filter((p) => exceptionCovers(exception, scopeOf(p))).length, 0);
      applied.push(appliedException(exception, ctx.today, inScope));
      ctx.coverage.set(exception, (ctx.coverage.get(exception) ?? 0) + inScope);
    }
  }
  if (exceptedPositions.length) {
    failingAccounts = new AccountSet(size);
    for (const p of failPositions) if (index.accounts[p] >= 0) failingAccounts.add(index.accounts[p]);
  }
  if (expiredApplies) {
    for (const exception of ctx.exceptions) {
      if (exceptionState(exception, ctx.today) !== 'expired') continue;
      directory.accounts.forEach((a, i) => {
        if ((exception.scope.accounts || exception.scope.organizationalUnits) && exceptionCovers({ scope: { ...exception.scope, regions: undefined } }, { accountName: a.name, ou: a.ou })) failingAccounts.add(i);
      });
    }
  }

  const attestation = ctx.attestation ? appliedAttestation(ctx.attestation, ctx.today) : undefined;
  const currentAttestation = attestation?.state === 'current' ? attestation : undefined;
  const activeOrgWideException = applied.some((a) => a.state === 'active' && a.covers > 0 && total === 0);
  const { result, reason, coverage } = decide({
    control, counts, total, failing: failPositions.length, excepted: exceptedPositions.length, expiredApplies,
    attestation, currentAttestation, activeOrgWideException, applied,
  });

  const finding = (p: number): ScopeFinding => toFinding(index, p, directory);
  const severity = severityOf(control, aggregates, ctx.describer);
  const remediation = remediationOf(control, aggregates, ctx.describer, result);

  return {
    report: {
      id: control.id,
      title: control.title,
      groupPath: control.groupPath,
      responsibility: control.responsibility,
      responsibilityNote: control.responsibilityNote,
      nistId: control.nistId,
      baselines: control.baselines,
      origin: control.origin,
      result,
      reason,
      coverage,
      severity: result === 'failed' || result === 'excepted' ? severity : undefined,
      checks: control.checks.map((m, i) => ({
        ref: m.ref, title: ctx.describer.describe(m.ref)?.title ?? m.ref, basis: m.basis, why: m.why, counts: { ...aggregates[i].counts },
      })),
      scope: { accounts: evaluated.size(), regions: [...regions].sort(), organizationWide },
      failing: failPositions.slice(0, FINDINGS_PER_CONTROL).map(finding),
      failingTotal: failPositions.length,
      unknown: unknownPositions.slice(0, FINDINGS_PER_CONTROL).map(finding),
      unknownTotal: unknownPositions.length,
      failingAccountIds: result === 'failed' ? accountIds(failingAccounts, directory) : [],
      unknownAccountIds: accountIds(unknownAccounts, directory),
      excepted: exceptedPositions.slice(0, FINDINGS_PER_CONTROL).map(finding),
      exceptedTotal: exceptedPositions.length,
      passingSample: result === 'satisfied' ? passSample.map(finding) : [],
      exceptions: applied,
      attestation,
      remediation,
      history: historyOf(result, ctx.previous, ctx.now),
    },
    usedPositions: aggregates.map((a) => a.positions),
    failingAccounts: result === 'failed' ? failingAccounts : new AccountSet(size),
    unknownAccounts,
    evaluatedAccounts: evaluated,
  };
}

interface Decision {
  result: ControlResult;
  reason: string;
  coverage: CoverageKind;
}

function decide(d: {
  control: Control;
  counts: Record<CheckStatus, number>;
  total: number;
  failing: number;
  excepted: number;
  expiredApplies: boolean;
  attestation?: AppliedAttestation;
  currentAttestation?: AppliedAttestation;
  activeOrgWideException: boolean;
  applied: AppliedException[];
}): Decision {
  const expired = d.applied.find((a) => a.state === 'expired');
  const expiredNote = expired ? `exception owned by ${expired.owner} expired on ${expired.expires}` : '';
  if (d.total > 0) {
    const tally = `${d.counts.pass} pass, ${d.counts.fail} fail, ${d.counts.unknown} unknown, ${d.counts['not-applicable']} not applicable`;
    if (d.failing > 0) return { result: 'failed', reason: `${d.failing} failing result(s) (${tally})${expired ? `; ${expiredNote}` : ''}`, coverage: 'automated' };
    if (d.expiredApplies) return { result: 'failed', reason: `${expiredNote}: counts as failed until renewed or removed (${tally})`, coverage: 'automated' };
    if (d.counts.unknown > 0) return { result: 'unknown', reason: `${d.counts.unknown} result(s) could not be determined (${tally})`, coverage: 'automated' };
    if (d.excepted > 0) return { result: 'excepted', reason: `${d.excepted} failing result(s) covered by an active exception (${tally})`, coverage: 'automated' };
    if (d.counts.pass > 0) return { result: 'satisfied', reason: `every result passes (${tally})`, coverage: 'automated' };
    return { result: 'not-applicable', reason: `every check reports not applicable (${tally})`, coverage: 'not-applicable' };
  }
  if (d.expiredApplies) return { result: 'failed', reason: `${expiredNote}: counts as failed until renewed or removed`, coverage: d.control.checks.length ? 'not-evaluated' : 'unmapped' };
  if (d.currentAttestation) {
    const who = `attested by ${d.currentAttestation.attestedBy} on ${d.currentAttestation.attestedAt}, valid until ${d.currentAttestation.expires}`;
    return d.currentAttestation.status === 'satisfied'
      ? { result: 'satisfied', reason: who, coverage: 'attested' }
      : { result: 'not-applicable', reason: `not applicable, ${who}`, coverage: 'not-applicable' };
  }
  if (d.activeOrgWideException) {
    const e = d.applied.find((a) => a.state === 'active') as AppliedException;
    return { result: 'excepted', reason: `covered by an exception owned by ${e.owner} until ${e.expires}`, coverage: d.control.checks.length ? 'not-evaluated' : 'unmapped' };
  }
  const lapsed = d.attestation ? `; the attestation by ${d.attestation.attestedBy} expired on ${d.attestation.expires}` : '';
  if (d.control.checks.length > 0) {
    return { result: 'unknown', reason: `none of the ${d.control.checks.length} mapped check(s) produced a result${lapsed}`, coverage: 'not-evaluated' };
  }
  return { result: 'manual', reason: `no automated check maps to this control: a person must attest it${lapsed}`, coverage: 'unmapped' };
}

function appliedException(e: EvidenceException, today: string, covers: number): AppliedException {
  const scope: AppliedException['scope'] = {};
  if (e.scope.accounts) scope.accounts = e.scope.accounts;
  if (e.scope.organizationalUnits) scope.organizationalUnits = e.scope.organizationalUnits;
  if (e.scope.regions) scope.regions = e.scope.regions;
  return { owner: e.owner, justification: e.justification, expires: e.expires, state: exceptionState(e, today), scope, covers };
}

function appliedAttestation(a: Attestation, today: string): AppliedAttestation {
  return {
    status: a.status, statement: a.statement, attestedBy: a.attestedBy, attestedAt: a.attestedAt, expires: a.expires, reference: a.reference,
    state: a.expires <= today || a.attestedAt > today ? 'expired' : 'current',
  };
}

/** The most recent attestation for a control. */
function latestAttestation(list: Attestation[]): Attestation | undefined {
  return list.reduce<Attestation | undefined>((best, a) => (!best || a.attestedAt > best.attestedAt ? a : best), undefined);
}

function accountIds(set: AccountSet, directory: AccountDirectory): string[] {
  const ids: string[] = [];
  set.forEach((i) => ids.push(directory.accounts[i].id));
  return ids.sort();
}

function toFinding(index: ResultIndex, p: number, directory: AccountDirectory): ScopeFinding {
  const result = index.results[p];
  const info = index.accounts[p] >= 0 ? directory.accounts[index.accounts[p]] : undefined;
  const finding: ScopeFinding = { resultId: index.resultId(p), ref: index.refs[p], status: result.status, observedAt: result.observedAt, detail: result.detail };
  if (result.scope.accountId) finding.accountId = result.scope.accountId;
  const accountName = result.scope.accountName ?? info?.name;
  if (accountName) finding.accountName = accountName;
  const ou = result.scope.ou ?? info?.ou;
  if (ou) finding.ou = ou;
  if (result.scope.region) finding.region = result.scope.region;
  if (result.evidence !== undefined) {
    const text = JSON.stringify(result.evidence, null, 1);
    finding.evidence = text.length > EVIDENCE_CHARS ? `${text.slice(0, EVIDENCE_CHARS)}… (${text.length} characters; complete in ${CHECK_RESULTS_FILE})` : text;
  }
  return finding;
}

function severityOf(control: Control, aggregates: RefAggregate[], describer: CheckDescriber): Severity | undefined {
  let best = -1;
  control.checks.forEach((m, i) => {
    if (aggregates[i].counts.fail === 0) return;
    const severity = describer.describe(m.ref)?.severity;
    if (severity) best = Math.max(best, SEVERITY_ORDER.indexOf(severity));
  });
  return best < 0 ? undefined : SEVERITY_ORDER[best];
}

function remediationOf(control: Control, aggregates: RefAggregate[], describer: CheckDescriber, result: ControlResult): string[] {
  if (result === 'manual') return ['Record an attestation for this control (frameworks/templates/attestations.yaml), or map a check to it.'];
  const hints = new Set<string>();
  control.checks.forEach((m, i) => {
    if (hints.size >= REMEDIATION_HINTS) return;
    if (aggregates[i].counts.fail > 0 || aggregates[i].counts.unknown > 0) {
      const hint = describer.describe(m.ref)?.remediation;
      if (hint) hints.add(hint);
    }
  });
  if (result === 'unknown' && hints.size === 0) hints.add('Make sure the mapped checks run: the Security Hub standard, conformance pack or collector behind them must be deployed and reachable.');
  return [...hints];
}

function countBy<K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) out[v]++;
  return out;
}

function groupReports(framework: Framework, controls: ControlReport[]): GroupReport[] {
  const byGroup = new Map<string, ControlReport[]>();
  for (const c of controls) for (const g of c.groupPath) (byGroup.get(g) ?? byGroup.set(g, []).get(g) as ControlReport[]).push(c);
  return framework.groups.map((g) => {
    const list = byGroup.get(g.id) ?? [];
    return { id: g.id, title: g.title, parentId: g.parentId, responsibilitySplit: g.responsibilitySplit, controls: list.length, results: countBy(CONTROL_RESULTS, list.map((c) => c.result)) };
  });
}

function baselineReports(controls: ControlReport[]): BaselineReport[] {
  const names = [...new Set(controls.flatMap((c) => c.baselines ?? []))];
  return ['LOW', 'MODERATE', 'HIGH', 'PRIVACY'].filter((b) => names.includes(b)).map((baseline) => {
    const list = controls.filter((c) => c.baselines?.includes(baseline));
    return { baseline, controls: list.length, coverage: countBy(COVERAGE_KINDS, list.map((c) => c.coverage)), results: countBy(CONTROL_RESULTS, list.map((c) => c.result)) };
  });
}

function accountReports(directory: AccountDirectory, include: (i: number) => boolean, failed: Int32Array, unknown: Int32Array, evaluated: Int32Array): AccountReport[] {
  const out: AccountReport[] = [];
  directory.accounts.forEach((a, i) => {
    if (!include(i)) return;
    out.push({ accountId: a.id, accountName: a.name, ou: a.ou, failedControls: failed[i], unknownControls: unknown[i], evaluatedControls: evaluated[i] });
  });
  return out.sort((x, y) => y.failedControls - x.failedControls || y.unknownControls - x.unknownControls || x.accountId.localeCompare(y.accountId));
}

/** Per OU, counted into every ancestor too (Workloads includes Workloads/Pci). */
function ouReports(accounts: AccountReport[]): OuReport[] {
  const byOu = new Map<string, OuReport>();
  for (const a of accounts) {
    const path = a.ou ?? '(unknown OU)';
    const parts = path.split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      const ou = parts.slice(0, depth).join('/');
      const entry = byOu.get(ou) ?? { ou, accounts: 0, accountsFailing: 0, failedControlAccounts: 0 };
      entry.accounts++;
      if (a.failedControls > 0) entry.accountsFailing++;
      entry.failedControlAccounts += a.failedControls;
      byOu.set(ou, entry);
    }
  }
  return [...byOu.values()].sort((x, y) => x.ou.localeCompare(y.ou));
}
