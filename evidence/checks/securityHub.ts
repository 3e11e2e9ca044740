import { standardResource, type DesiredConfigurationPolicy } from '../../engine/desiredState';
import { BUILTIN_CATALOGS } from '../../frameworks/catalogs';
import { SECURITY_HUB_CONTROL_RESULTS } from '../../frameworks/checks';
import { SECURITY_HUB_STANDARDS, PCI_STANDARD } from '../../config/schema/security';
import { readScope, unreadable, type CheckContext } from './context';

export const PCI_STANDARD_ENABLED = 'securityhub.pci-standard-enabled';

const PCI_STANDARD_RESOURCE = SECURITY_HUB_STANDARDS[PCI_STANDARD];
/** The Security Hub controls of PCI DSS v4.0.1 the report maps to requirements (the shipped data set). */
const PCI_CONTROL_IDS = BUILTIN_CATALOGS.securityHubPci.controls.map((c) => c.securityControlId);

/**
 * The PCI DSS v4.0.1 standard and its control results in every PCI account and Region.
 *
 * The inventory holds, per account and Region, the enabled standards, the disabled controls and
 * the ids of controls with an active FAILED finding. So a control passes when the PCI standard is
 * READY, the control is not disabled and it has no failed finding; it fails with a failed
 * finding; it is not evaluated (unknown) when the standard is not READY, the control was disabled
 * without the configuration saying so, or findings were not collected; and not applicable when
 * the configuration disables it with a reason.
 */
export function checkSecurityHub(ctx: CheckContext): void {
  const policies = new Map(ctx.input.desired.securityHub.configurationPolicies.map((p) => [p.name, p]));
  for (const account of ctx.activeAccounts()) {
    if (!ctx.inPciScope(account.id)) continue;
    const policy = account.securityHubPolicy ? policies.get(account.securityHubPolicy) : undefined;
    for (const region of ctx.input.desired.securityHub.regions) checkAccountRegion(ctx, account.id, region, policy);
  }
}

function checkAccountRegion(ctx: CheckContext, accountId: string, region: string, policy: DesiredConfigurationPolicy | undefined): void {
  const scope = ctx.accountScope(accountId, region);
  const hub = readScope(ctx.input.inventory.accounts[accountId]?.regions[region]?.securityHub);
  const controls = (status: 'unknown', detail: string) => {
    for (const id of PCI_CONTROL_IDS) ctx.add(SECURITY_HUB_CONTROL_RESULTS, status, scope, detail, undefined, id);
  };
  if (!hub.known) {
    const detail = unreadable('Security Hub in this account and Region', hub.error);
    ctx.add(PCI_STANDARD_ENABLED, 'unknown', scope, detail);
    controls('unknown', detail);
    return;
  }
  const state = hub.known;
  const standard = state.enabled ? state.standards.find((s) => standardResource(s.standardArn) === PCI_STANDARD_RESOURCE) : undefined;
  const evidence = { hubEnabled: state.enabled, standardArn: standard?.standardArn ?? null, standardStatus: standard?.status ?? null, configurationPolicyId: state.configurationPolicyId ?? null };
  if (!state.enabled) {
    ctx.add(PCI_STANDARD_ENABLED, 'fail', scope, 'Security Hub is not enabled: PCI DSS v4.0.1 is not running', evidence);
    controls('unknown', 'not evaluated: Security Hub is not enabled in this account and Region');
    return;
  }
  if (!standard || standard.status !== 'READY') {
    const status = standard?.status === 'PENDING' ? 'unknown' : 'fail';
    const detail = standard ? `PCI DSS v4.0.1 is ${standard.status}, not READY` : 'PCI DSS v4.0.1 is not enabled';
    ctx.add(PCI_STANDARD_ENABLED, status, scope, status === 'unknown' ? `${detail}: it is still being enabled` : detail, evidence);
    controls('unknown', `not evaluated: ${detail}`);
    return;
  }
  ctx.add(PCI_STANDARD_ENABLED, 'pass', scope, 'PCI DSS v4.0.1 is READY', evidence);

  const approved = new Map((policy?.disabledControls ?? []).map((c) => [c.controlId, c.reason]));
  const disabled = new Map(state.disabledControls.map((c) => [c.controlId, c.reason]));
  const failed = state.findings ? new Set(state.findings.failedControlIds) : undefined;
  for (const id of PCI_CONTROL_IDS) {
    if (disabled.has(id)) {
      const reason = approved.get(id);
      if (reason !== undefined) ctx.add(SECURITY_HUB_CONTROL_RESULTS, 'not-applicable', scope, `disabled by configuration policy ${policy?.name}: ${reason}`, { controlId: id, disabled: true, reason }, id);
      else ctx.add(SECURITY_HUB_CONTROL_RESULTS, 'unknown', scope, `not evaluated: the control is disabled and the configuration does not disable it${disabled.get(id) ? ` (${disabled.get(id)})` : ''}`, { controlId: id, disabled: true }, id);
    } else if (!failed) {
      ctx.add(SECURITY_HUB_CONTROL_RESULTS, 'unknown', scope, 'control findings were not collected: the result cannot be read', { controlId: id }, id);
    } else if (failed.has(id)) {
      ctx.add(SECURITY_HUB_CONTROL_RESULTS, 'fail', scope, `Security Hub reports an active FAILED finding for ${id}`, { controlId: id, compliance: 'FAILED' }, id);
    } else {
      ctx.add(SECURITY_HUB_CONTROL_RESULTS, 'pass', scope, `${id} is enabled with no active FAILED finding`, { controlId: id, compliance: 'no failed finding' }, id);
    }
  }
}
