import {
  CONTROL_RESULTS,
  COVERAGE_KINDS,
  type ControlReport,
  type ControlResult,
  type CoverageKind,
  type EvidenceReport,
  type FrameworkReport,
  type ScopeFinding,
  type Severity,
} from '../report';

/**
 * A self-contained HTML report: no scripts, no external assets (a Content-Security-Policy forbids
 * them), readable on screen and in print. Findings and raw evidence are capped per control so the
 * page stays small for large organizations; the complete records are in the run's check-results.jsonl.gz.
 */
export const HTML_FINDINGS_PER_CONTROL = 10;
export const HTML_EVIDENCE_PER_CONTROL = 3;

const RESULT_LABEL: Record<ControlResult, string> = {
  failed: 'Failed', unknown: 'Unknown', excepted: 'Excepted', manual: 'Manual', satisfied: 'Satisfied', 'not-applicable': 'Not applicable',
};
const COVERAGE_LABEL: Record<CoverageKind, string> = {
  automated: 'Automated evidence', attested: 'Attested by a person', 'not-applicable': 'Not applicable', 'not-evaluated': 'Mapped, no result', unmapped: 'Unmapped (needs a person)',
};
const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFORMATIONAL: 4 };

export function renderHtml(report: EvidenceReport): string {
  const names = report.frameworks.map((f) => f.name).join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Rampart evidence: ${esc(names)} (${esc(report.generatedAt.slice(0, 10))})</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Compliance evidence</h1>
<p class="meta">${esc(names)} · generated ${esc(report.generatedAt)} by Rampart ${esc(report.generator.version)}${
    report.previous ? ` · compared with the report of ${esc(report.previous.generatedAt)}` : ' · no previous report: every control is new'
  }</p>
<p class="meta">Inventory snapshot: ${report.inventory ? `<code>sha256:${esc(report.inventory.sha256)}</code>${report.inventory.observedAt ? ` observed ${esc(report.inventory.observedAt)}` : ''}` : 'not recorded'} · ${report.inputs.checkResults} check results received${
    report.inputs.unknownChecks.length ? `, ${report.inputs.unknownChecks.reduce((n, u) => n + u.count, 0)} for checks Rampart does not know` : ''
  }</p>
<nav>${report.frameworks.map((f) => `<a href="#${anchor(f.id)}">${esc(f.name)}</a>`).join(' ')}</nav>
</header>
<main>
${report.frameworks.map((f) => summaryCard(f)).join('\n')}
${report.frameworks.map((f) => frameworkSection(report, f)).join('\n')}
${inputsSection(report)}
</main>
<footer><p>Check this report's integrity with <code>rampart evidence verify &lt;directory&gt;</code>: the manifest beside it lists every file with its SHA-256.</p></footer>
</body>
</html>
`;
}

function summaryCard(f: FrameworkReport): string {
  return `<section class="card">
<h2><a href="#${anchor(f.id)}">${esc(f.name)}</a></h2>
${resultBar(f.results, f.coverage.total)}
${coverageBar(f)}
<p class="history">Since the previous report: ${f.history.regressed} regressed, ${f.history.fixed} fixed, ${f.history.new} new, ${f.history.unchanged} unchanged.</p>
</section>`;
}

function resultBar(results: Record<ControlResult, number>, total: number): string {
  const segments = CONTROL_RESULTS.filter((r) => results[r] > 0)
    .map((r) => `<span class="seg r-${r}" style="width:${pct(results[r], total)}%" title="${RESULT_LABEL[r]}: ${results[r]}"></span>`)
    .join('');
  const legend = CONTROL_RESULTS.map((r) => `<li><span class="dot r-${r}"></span>${RESULT_LABEL[r]} <b>${results[r]}</b></li>`).join('');
  return `<div class="bar" role="img" aria-label="Results of ${total} controls">${segments}</div><ul class="legend">${legend}</ul>`;
}

function coverageBar(f: FrameworkReport): string {
  const total = f.coverage.total;
  const segments = COVERAGE_KINDS.filter((k) => f.coverage[k] > 0)
    .map((k) => `<span class="seg c-${k}" style="width:${pct(f.coverage[k], total)}%" title="${COVERAGE_LABEL[k]}: ${f.coverage[k]}"></span>`)
    .join('');
  const legend = COVERAGE_KINDS.map((k) => `<li><span class="dot c-${k}"></span>${COVERAGE_LABEL[k]} <b>${f.coverage[k]}</b></li>`).join('');
  return `<h3 class="small">Coverage of ${total} controls</h3><div class="bar" role="img" aria-label="Coverage">${segments}</div><ul class="legend">${legend}</ul>`;
}

function frameworkSection(report: EvidenceReport, f: FrameworkReport): string {
  const attention = f.controls
    .filter((c) => c.result === 'failed' || c.result === 'unknown' || c.result === 'excepted')
    .sort((a, b) => order(a) - order(b));
  const manual = f.controls.filter((c) => c.result === 'manual');
  const passing = f.controls.filter((c) => c.result === 'satisfied' || c.result === 'not-applicable');
  return `<section class="framework" id="${anchor(f.id)}">
<h2>${esc(f.name)}${f.version ? ` <small>${esc(f.version)}</small>` : ''}</h2>
<p class="meta">${f.kind === 'overlay' ? `Overlay on ${esc(f.extends ?? '')}. ` : f.kind === 'custom' ? 'Custom framework. ' : ''}Judges ${
    f.appliesTo === 'pci-accounts' ? 'PCI accounts and organization-wide results' : 'every account'
  }: ${f.resultsUsed} check results used, ${f.accounts.length} accounts.</p>
${f.notices.length ? `<div class="notices"><h3>Read first</h3><ul>${f.notices.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>` : ''}
${baselinesTable(f)}
${groupsTable(f)}
<h3>Needs attention (${attention.length})</h3>
${attention.length ? attention.map((c) => controlDetails(c)).join('\n') : '<p>No control failed, was excepted or could not be determined.</p>'}
<h3>Needs a person (${manual.length})</h3>
${manual.length ? `<details><summary>${manual.length} controls no check maps to: attest them or map a check</summary>${controlTable(manual, false)}</details>` : '<p>Every control has automated evidence or an attestation.</p>'}
<h3>Satisfied or not applicable (${passing.length})</h3>
${passing.length ? `<details><summary>Show ${passing.length} controls</summary>${controlTable(passing, true)}</details>` : '<p>None yet.</p>'}
${accountsTable(f)}
${ousTable(f)}
${exceptionsTable(f)}
${f.unresolvedMappings.length ? `<details><summary>Mappings Rampart could not attach (${f.unresolvedMappings.length})</summary><ul>${f.unresolvedMappings.map((u) => `<li><code>${esc(u.target)}</code>: ${esc(u.reason)}</li>`).join('')}</ul></details>` : ''}
<details><summary>Sources</summary><ul>${f.sources.map((s) => `<li>${esc(s)}</li>`).join('')}</ul></details>
<p class="meta">Generated ${esc(report.generatedAt)}.</p>
</section>`;
}

function order(c: ControlReport): number {
  const resultRank = c.result === 'failed' ? 0 : c.result === 'unknown' ? 10 : 20;
  return resultRank + (c.severity ? SEVERITY_RANK[c.severity] : 5);
}

function baselinesTable(f: FrameworkReport): string {
  if (f.baselines.length === 0) return '';
  const rows = f.baselines
    .map((b) => `<tr><td>${esc(b.baseline)}</td><td class="num">${b.controls}</td><td class="num">${b.coverage.automated}</td><td class="num">${b.coverage.attested}</td><td class="num">${b.coverage.unmapped + b.coverage['not-evaluated']}</td><td class="barcell">${miniBar(b.results, b.controls)}</td><td class="num bad">${b.results.failed}</td><td class="num">${b.results.satisfied}</td></tr>`)
    .join('');
  return `<h3>By baseline</h3><table class="baselines"><thead><tr><th>Baseline</th><th>Controls</th><th>Automated</th><th>Attested</th><th>Without evidence</th><th>Results</th><th>Failed</th><th>Satisfied</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function groupsTable(f: FrameworkReport): string {
  if (f.groups.length === 0) return '';
  const split = f.groups.some((g) => g.responsibilitySplit);
  const rows = f.groups
    .filter((g) => g.controls > 0 || g.responsibilitySplit)
    .map((g) => {
      const s = g.responsibilitySplit;
      return `<tr class="${g.parentId ? 'sub' : 'top'}"><td><code>${esc(g.id)}</code></td><td>${esc(g.title)}</td><td class="num">${g.controls}</td><td class="barcell">${miniBar(g.results, g.controls)}</td><td class="num bad">${g.results.failed}</td><td class="num">${g.results.satisfied}</td>${
        split ? `<td>${s ? `${s.customer} customer · ${s.aws} AWS · ${s.notApplicable} n/a of ${s.testCases}` : ''}</td>` : ''
      }</tr>`;
    })
    .join('');
  return `<h3>By requirement</h3><table class="groups"><thead><tr><th>Id</th><th>Requirement</th><th>Controls</th><th>Results</th><th>Failed</th><th>Satisfied</th>${
    split ? '<th>Responsibility (AWS serverless reference architecture test cases)</th>' : ''
  }</tr></thead><tbody>${rows}</tbody></table>`;
}

function miniBar(results: Record<ControlResult, number>, total: number): string {
  return `<div class="bar mini">${CONTROL_RESULTS.filter((r) => results[r] > 0)
    .map((r) => `<span class="seg r-${r}" style="width:${pct(results[r], total)}%"></span>`)
    .join('')}</div>`;
}

function controlDetails(c: ControlReport): string {
  const accounts = c.failingAccountIds.length || c.unknownAccountIds.length;
  return `<details class="control">
<summary><span class="badge r-${c.result}">${RESULT_LABEL[c.result]}</span> <code>${esc(c.id)}</code> ${esc(c.title)}${c.severity ? ` <span class="sev">${c.severity}</span>` : ''}${
    accounts ? ` <span class="muted">· ${c.failingAccountIds.length || c.unknownAccountIds.length} account(s)</span>` : ''
  } ${historyBadge(c)}</summary>
<div class="body">
<p>${esc(c.reason)}.</p>
${c.remediation.length ? `<div class="fix"><b>What to do</b><ul>${c.remediation.map((r) => `<li>${esc(r)}</li>`).join('')}</ul></div>` : ''}
<p class="meta">Responsibility: ${esc(c.responsibility)}${c.responsibilityNote ? ` (${esc(c.responsibilityNote)})` : ''}. Evaluated in ${c.scope.accounts} account(s)${
    c.scope.regions.length ? ` across ${esc(c.scope.regions.join(', '))}` : ''
  }${c.scope.organizationWide ? ', plus organization-wide checks' : ''}. Result since ${esc(c.history.since)}.</p>
${checksTable(c)}
${findingsTable('Failing', c.failing, c.failingTotal)}
${findingsTable('Could not be determined', c.unknown, c.unknownTotal)}
${findingsTable('Covered by an exception', c.excepted, c.exceptedTotal)}
${rawEvidence([...c.failing, ...c.unknown, ...c.excepted])}
${c.exceptions.length ? `<ul class="exceptions">${c.exceptions.map((e) => `<li><b>${e.state === 'expired' ? 'Expired exception' : 'Exception'}</b> owned by ${esc(e.owner)} until ${esc(e.expires)}${scopeText(e.scope)}: ${esc(e.justification)}</li>`).join('')}</ul>` : ''}
</div>
</details>`;
}

function historyBadge(c: ControlReport): string {
  if (c.history.change === 'unchanged') return '';
  return `<span class="hist h-${c.history.change}">${c.history.change}${c.history.previousResult ? ` (was ${RESULT_LABEL[c.history.previousResult].toLowerCase()})` : ''}</span>`;
}

function scopeText(scope: { accounts?: string[]; organizationalUnits?: string[]; regions?: string[] }): string {
  const parts = [
    scope.accounts ? `accounts ${scope.accounts.join(', ')}` : '',
    scope.organizationalUnits ? `OUs ${scope.organizationalUnits.join(', ')}` : '',
    scope.regions ? `Regions ${scope.regions.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? ` (${esc(parts.join('; '))})` : ' (everywhere)';
}

function checksTable(c: ControlReport): string {
  if (c.checks.length === 0) return '';
  const withResults = c.checks.filter((k) => k.counts.pass + k.counts.fail + k.counts.unknown + k.counts['not-applicable'] > 0);
  const silent = c.checks.length - withResults.length;
  const rows = withResults
    .map((k) => `<tr><td><code>${esc(k.ref)}</code><br><span class="muted">${esc(k.title)}</span></td><td class="muted">${esc(k.basis)}${k.why ? `<br>${esc(k.why)}` : ''}</td><td class="num">${k.counts.pass}</td><td class="num bad">${k.counts.fail}</td><td class="num">${k.counts.unknown}</td><td class="num">${k.counts['not-applicable']}</td></tr>`)
    .join('');
  return `<table class="checks"><thead><tr><th>Check</th><th>Mapping basis</th><th>Pass</th><th>Fail</th><th>Unknown</th><th>N/A</th></tr></thead><tbody>${rows}</tbody></table>${
    silent ? `<p class="muted">${silent} further mapped check(s) produced no result: ${esc(c.checks.filter((k) => !withResults.includes(k)).slice(0, 20).map((k) => k.ref).join(', '))}${silent > 20 ? ', …' : ''}</p>` : ''
  }`;
}

function findingsTable(title: string, findings: ScopeFinding[], total: number): string {
  if (total === 0) return '';
  const shown = findings.slice(0, HTML_FINDINGS_PER_CONTROL);
  const rows = shown
    .map((f) => `<tr><td>${esc(f.accountName ?? f.accountId ?? 'organization')}${f.accountId && f.accountName ? `<br><span class="muted">${esc(f.accountId)}</span>` : ''}</td><td>${esc(f.ou ?? '')}</td><td>${esc(f.region ?? '')}</td><td><code>${esc(f.ref)}</code></td><td>${esc(f.detail)}</td></tr>`)
    .join('');
  return `<h4>${esc(title)}: ${total}</h4><table class="findings"><thead><tr><th>Account</th><th>OU</th><th>Region</th><th>Check</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table>${
    total > shown.length ? `<p class="muted">${total - shown.length} more in the run's check-results.jsonl.gz (the failing accounts are all listed in report.json).</p>` : ''
  }`;
}

function rawEvidence(findings: ScopeFinding[]): string {
  const withEvidence = findings.filter((f) => f.evidence !== undefined).slice(0, HTML_EVIDENCE_PER_CONTROL);
  if (withEvidence.length === 0) return '';
  return withEvidence
    .map((f) => `<details class="raw"><summary>Raw evidence: <code>${esc(f.resultId)}</code> observed ${esc(f.observedAt)}</summary><pre>${esc(f.evidence as string)}</pre></details>`)
    .join('');
}

function controlTable(controls: ControlReport[], passing: boolean): string {
  const rows = controls
    .map((c) => `<tr><td><code>${esc(c.id)}</code></td><td>${esc(c.title)}</td><td>${esc(c.responsibility)}</td><td><span class="badge r-${c.result}">${RESULT_LABEL[c.result]}</span></td><td>${
      passing ? `${c.scope.accounts} account(s), ${c.checks.length} check(s)` : esc(c.reason)
    }</td><td>${esc(c.history.since.slice(0, 10))} ${historyBadge(c)}</td></tr>`)
    .join('');
  return `<table class="controls"><thead><tr><th>Id</th><th>Title</th><th>Responsibility</th><th>Result</th><th>${passing ? 'Evidence' : 'Why'}</th><th>Since</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function accountsTable(f: FrameworkReport): string {
  if (f.accounts.length === 0) return '';
  const failing = f.accounts.filter((a) => a.failedControls > 0 || a.unknownControls > 0).length;
  const rows = f.accounts
    .map((a) => `<tr${a.failedControls ? ' class="failing"' : ''}><td>${esc(a.accountName ?? '')}</td><td><code>${esc(a.accountId)}</code></td><td>${esc(a.ou ?? '')}</td><td class="num bad">${a.failedControls}</td><td class="num">${a.unknownControls}</td><td class="num">${a.evaluatedControls}</td></tr>`)
    .join('');
  return `<h3>By account</h3><p class="muted">${failing} of ${f.accounts.length} accounts have failed or undetermined controls.</p><details${failing > 0 && failing <= 50 ? ' open' : ''}><summary>Accounts, failing first</summary><table class="accounts"><thead><tr><th>Account</th><th>Id</th><th>OU</th><th>Failed controls</th><th>Unknown</th><th>Evaluated</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function ousTable(f: FrameworkReport): string {
  if (f.ous.length === 0) return '';
  const rows = f.ous
    .map((o) => `<tr><td>${esc(o.ou)}</td><td class="num">${o.accounts}</td><td class="num bad">${o.accountsFailing}</td><td class="num">${o.failedControlAccounts}</td><td class="barcell"><div class="bar mini"><span class="seg r-failed" style="width:${pct(o.accountsFailing, o.accounts)}%"></span><span class="seg r-satisfied" style="width:${pct(o.accounts - o.accountsFailing, o.accounts)}%"></span></div></td></tr>`)
    .join('');
  return `<h3>By OU</h3><table class="ous"><thead><tr><th>OU</th><th>Accounts</th><th>With failed controls</th><th>Failed control × account</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function exceptionsTable(f: FrameworkReport): string {
  if (f.exceptions.length === 0) return '';
  const rows = f.exceptions
    .map((e) => `<tr${e.state === 'expired' ? ' class="failing"' : ''}><td><code>${esc(e.control)}</code>${e.matched ? '' : ' <span class="bad">(no such control)</span>'}</td><td>${esc(e.owner)}</td><td>${esc(e.expires)} ${e.state === 'expired' ? '<b class="bad">expired: counts as failed</b>' : ''}</td><td>${scopeText(e.scope)}</td><td>${esc(e.justification)}</td><td class="num">${e.covers}</td></tr>`)
    .join('');
  return `<h3>Exceptions</h3><table class="exceptions"><thead><tr><th>Control</th><th>Owner</th><th>Expires</th><th>Scope</th><th>Justification</th><th>Results covered</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function inputsSection(report: EvidenceReport): string {
  const { unknownChecks, unmatched } = report.inputs;
  if (unknownChecks.length === 0 && unmatched.length === 0) return '';
  return `<section class="framework"><h2>Inputs Rampart could not use</h2>${
    unknownChecks.length ? `<h3>Results for unknown checks</h3><ul>${unknownChecks.map((u) => `<li><code>${esc(u.ref)}</code>: ${u.count}</li>`).join('')}</ul>` : ''
  }${unmatched.length ? `<h3>Exceptions and attestations for controls that do not exist</h3><ul>${unmatched.map((u) => `<li>${u.kind} for ${esc(u.framework)} <code>${esc(u.control)}</code></li>`).join('')}</ul>` : ''}</section>`;
}

function pct(part: number, total: number): string {
  return total === 0 ? '0' : ((part / total) * 100).toFixed(2);
}

function anchor(id: string): string {
  return `fw-${id.replace(/[^a-zA-Z0-9-]/g, '-')}`;
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

const STYLE = `
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#bf8700;--exc:#8250df;--man:#57606a;--na:#afb8c1;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:16px;border-bottom:1px solid var(--line)}
h1{font-size:24px;margin:8px 0}h2{font-size:20px;margin:24px 0 8px}h3{font-size:16px;margin:20px 0 8px}h3.small{font-size:13px;margin:12px 0 4px}h4{font-size:14px;margin:12px 0 4px}
.meta,.muted{color:var(--muted)}.meta{margin:4px 0}
nav{margin:8px 0 12px}nav a{margin-right:16px}
a{color:#0969da}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:16px 0;background:var(--soft)}
.card h2{margin-top:0}
.framework{border-top:2px solid var(--ink);margin-top:32px}
.notices{border-left:4px solid var(--warn);background:#fff8c5;padding:4px 12px;margin:12px 0}
.bar{display:flex;height:18px;border-radius:4px;overflow:hidden;background:var(--soft);border:1px solid var(--line);print-color-adjust:exact;-webkit-print-color-adjust:exact}
.bar.mini{height:10px;min-width:120px}
.seg{display:block;height:100%}
.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 16px}
.dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:baseline;print-color-adjust:exact;-webkit-print-color-adjust:exact}
.r-satisfied,.c-automated{background:var(--ok)}.r-failed{background:var(--bad)}.r-unknown,.c-not-evaluated{background:var(--warn)}.r-excepted{background:var(--exc)}
.r-manual,.c-unmapped{background:var(--man)}.r-not-applicable,.c-not-applicable{background:var(--na)}.c-attested{background:#0969da}
.badge{display:inline-block;padding:0 6px;border-radius:10px;color:#fff;font-size:12px;print-color-adjust:exact;-webkit-print-color-adjust:exact}
.badge.r-not-applicable{color:var(--ink)}
.sev{font-size:11px;border:1px solid var(--bad);color:var(--bad);border-radius:3px;padding:0 4px}
.hist{font-size:11px;border-radius:3px;padding:0 4px;border:1px solid var(--line)}.h-regressed{border-color:var(--bad);color:var(--bad)}.h-fixed{border-color:var(--ok);color:var(--ok)}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num{text-align:right;white-space:nowrap}.bad{color:var(--bad)}
tr.top td{font-weight:600;background:#fbfbfc}tr.failing td{background:#fff5f5}
td.barcell{width:160px}
details{margin:6px 0}
details.control{border:1px solid var(--line);border-radius:6px;padding:6px 10px}
details.control>summary{cursor:pointer}
details.control .body{padding:4px 0 4px 12px}
.fix{border-left:4px solid var(--ok);background:#dafbe1;padding:4px 12px;margin:8px 0}
pre{background:var(--soft);border:1px solid var(--line);padding:8px;overflow:auto;max-height:320px;font:12px ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}
footer{border-top:1px solid var(--line);margin-top:32px;padding:12px 20px;color:var(--muted)}
@media print{
  body{font-size:11px}nav,footer{display:none}
  header,main{max-width:none;padding:0}
  .framework{break-before:page}
  tr,details.control,.card{break-inside:avoid}
  details::details-content{content-visibility:visible;display:block}
  pre{max-height:none}
  a{color:inherit;text-decoration:none}
}
`;
