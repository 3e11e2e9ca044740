import type { AccountReport, ControlReport, ControlResult, EvidenceReport, FrameworkReport, HistoryChange, Severity } from '../report';

/**
 * OCSF 1.1.0 Compliance Finding (class 2003) events, one JSON object per line, so the evidence
 * itself can go to Security Lake or a SIEM: one finding per control (organization-wide result),
 * plus one per account where the control fails or could not be determined.
 */
export const OCSF_VERSION = '1.1.0';
export const COMPLIANCE_FINDING = { class_uid: 2003, class_name: 'Compliance Finding', category_uid: 2, category_name: 'Findings' } as const;

const ACTIVITY: Record<HistoryChange, { id: number; name: string }> = {
  new: { id: 1, name: 'Create' },
  regressed: { id: 2, name: 'Update' },
  unchanged: { id: 2, name: 'Update' },
  fixed: { id: 3, name: 'Close' },
};

const DETAIL_CHARS = 500;
const SEVERITY_ID: Record<Severity, number> = { INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };
const SEVERITY_NAME = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'];

/** compliance.status_id: 1 Pass, 2 Warning (no result for lack of information), 3 Fail. Not applicable has no id. */
const COMPLIANCE_STATUS: Record<ControlResult, { id?: number; name: string }> = {
  satisfied: { id: 1, name: 'Pass' },
  failed: { id: 3, name: 'Fail' },
  excepted: { id: 3, name: 'Fail' },
  unknown: { id: 2, name: 'Warning' },
  manual: { id: 2, name: 'Warning' },
  'not-applicable': { name: 'Not Applicable' },
};

/** Finding status_id: 1 New, 3 Suppressed (covered by an exception), 4 Resolved. */
const FINDING_STATUS: Record<ControlResult, { id: number; name: string }> = {
  failed: { id: 1, name: 'New' },
  unknown: { id: 1, name: 'New' },
  manual: { id: 1, name: 'New' },
  excepted: { id: 3, name: 'Suppressed' },
  satisfied: { id: 4, name: 'Resolved' },
  'not-applicable': { id: 4, name: 'Resolved' },
};

export function renderOcsf(report: EvidenceReport, framework: FrameworkReport): string {
  return ocsfFindings(report, framework).map((f) => JSON.stringify(f)).join('\n') + '\n';
}

export function ocsfFindings(report: EvidenceReport, framework: FrameworkReport): Record<string, unknown>[] {
  const accounts = new Map(framework.accounts.map((a) => [a.accountId, a]));
  const out: Record<string, unknown>[] = [];
  for (const control of framework.controls) {
    out.push(finding(report, framework, control, control.result, undefined));
    for (const id of control.failingAccountIds) out.push(finding(report, framework, control, 'failed', accounts.get(id) ?? { accountId: id }));
    const failing = new Set(control.failingAccountIds);
    for (const id of control.unknownAccountIds) {
      if (!failing.has(id)) out.push(finding(report, framework, control, 'unknown', accounts.get(id) ?? { accountId: id }));
    }
  }
  return out;
}

function finding(
  report: EvidenceReport,
  framework: FrameworkReport,
  control: ControlReport,
  result: ControlResult,
  account: Pick<AccountReport, 'accountId' | 'accountName' | 'ou'> | undefined,
): Record<string, unknown> {
  const time = Date.parse(report.generatedAt);
  const activity = ACTIVITY[control.history.change];
  const severityId = result === 'failed' || result === 'excepted' ? (control.severity ? SEVERITY_ID[control.severity] : 0) : 1;
  const status = COMPLIANCE_STATUS[result];
  const where = account ? ` in account ${account.accountName ?? account.accountId}` : '';
  const detail = account ? accountDetail(control, account.accountId, result) : control.reason;
  const event: Record<string, unknown> = {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: COMPLIANCE_FINDING.category_uid,
    category_name: COMPLIANCE_FINDING.category_name,
    class_uid: COMPLIANCE_FINDING.class_uid,
    class_name: COMPLIANCE_FINDING.class_name,
    type_uid: COMPLIANCE_FINDING.class_uid * 100 + activity.id,
    type_name: `${COMPLIANCE_FINDING.class_name}: ${activity.name}`,
    time,
    severity_id: severityId,
    severity: SEVERITY_NAME[severityId],
    status_id: FINDING_STATUS[result].id,
    status: FINDING_STATUS[result].name,
    message: `${framework.name} ${control.id}: ${result}${where}`,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Rampart', vendor_name: 'Rampart', version: report.generator.version, feature: { name: 'Evidence' } },
      profiles: ['cloud'],
    },
    cloud: {
      provider: 'AWS',
      ...(account ? { account: { uid: account.accountId, ...(account.accountName ? { name: account.accountName } : {}) } } : {}),
    },
    finding_info: {
      uid: `rampart:${framework.id}:${control.id}${account ? `:${account.accountId}` : ''}`,
      title: `${framework.name} ${control.id}${where}`,
      desc: control.title,
      types: [framework.name],
      first_seen_time: Date.parse(control.history.since),
      last_seen_time: time,
    },
    compliance: {
      standards: [framework.name],
      requirements: [control.id],
      control: control.id,
      status: status.name,
      ...(status.id !== undefined ? { status_id: status.id } : {}),
      status_detail: detail,
    },
    unmapped: account
      ? { rampart_result: result, ...(account.ou ? { rampart_ou: account.ou } : {}) }
      : { rampart_result: result, rampart_coverage: control.coverage, rampart_history: control.history.change, rampart_checks: control.checks.map((c) => c.ref) },
  };
  if (account) event.resource = { uid: account.accountId, type: 'AWS::::Account', ...(account.accountName ? { name: account.accountName } : {}) };
  if (control.remediation.length > 0 && (result === 'failed' || result === 'unknown' || result === 'manual' || result === 'excepted')) {
    // Per-account findings carry the first hint only: the organization-wide finding has them all.
    event.remediation = { desc: account ? control.remediation[0] : control.remediation.join(' ') };
  }
  return event;
}

function accountDetail(control: ControlReport, accountId: string, result: ControlResult): string {
  const list = result === 'failed' ? control.failing : control.unknown;
  const shown = list.filter((f) => f.accountId === accountId);
  if (shown.length > 0) {
    const text = shown.map((f) => `${f.ref}${f.region ? ` (${f.region})` : ''}: ${f.detail}`).join('; ');
    return text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS)}…` : text;
  }
  return `${result === 'failed' ? 'failing' : 'undetermined'} results in this account; see the run's check-results.jsonl.gz for ${control.checks.length} mapped check(s)`;
}
