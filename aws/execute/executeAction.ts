import type { Inventory, ScopeSnapshot } from '../../engine/inventory';
import {
  actionAccountIds, checkPrecondition, checkVerification, recheckDrift, recordAction, type ActionRecord, type ConditionResult, type PlannedAction,
} from '../../engine/remediation';
import { toCollectionError } from '../clients';
import type { CollectionContext } from '../collect/aggregates';
import { rereadScopes } from '../collect/reread';
import { ACTION_HANDLERS, ORGANIZATION_WRITES, type ActionContext, type ActionHandler } from './actionHandlers';

export interface ExecuteOptions {
  /** The clock (the engine never reads it). */
  now: () => Date;
  /** A person's decision on an `approve` action; an `approve` action without an approval is not written. */
  approval?: ActionRecord['approval'];
  /** Re-reads after writing before concluding the write did not take (AWS applies some changes asynchronously). */
  verifyAttempts?: number;
  /** Wait between those re-reads. */
  verifyDelayMs?: number;
}

/**
 * Runs one planned action under the executor protocol: re-read its scopes ▸ re-check its drifts ▸
 * precondition (nothing is written when a re-read scope is unknown or the drift changed) ▸ write ▸
 * re-read ▸ verification ▸ the record with the before/after evidence. Refuses, whatever the plan
 * says, to write to the management account's own resources or to use the organization role for
 * anything but organization-level writes.
 */
export async function executeAction(
  planned: PlannedAction,
  inventory: Inventory,
  ctx: ActionContext & Pick<CollectionContext, 'admins' | 'controlCatalog'>,
  options: ExecuteOptions,
): Promise<ActionRecord> {
  const startedAt = options.now().toISOString();
  const finish = (input: { precondition?: ConditionResult; before?: ScopeSnapshot[]; error?: { code: string; message: string }; verification?: ConditionResult; after?: ScopeSnapshot[] }) =>
    recordAction({ planned, startedAt, finishedAt: options.now().toISOString(), ...(options.approval ? { approval: options.approval } : {}), ...input });

  if (options.approval && options.approval.decision !== 'approved') return finish({});
  if (planned.mode === 'approve' && !options.approval) return finish({ precondition: { holds: false, reason: 'not written: the action needs a person\'s approval and has none' } });
  const refusal = refusalOf(planned, ctx.managementAccountId);
  if (refusal) return finish({ precondition: { holds: false, reason: refusal } });

  const collection = { clients: ctx.clients, desired: ctx.desired, admins: ctx.admins, ...(ctx.controlCatalog ? { controlCatalog: ctx.controlCatalog } : {}) };
  const before = await rereadScopes(planned.rereads, collection);
  const precondition = checkPrecondition(planned, recheckDrift(ctx.desired, inventory, planned, before));
  if (!precondition.holds) return finish({ precondition, before });

  const handler = ACTION_HANDLERS[planned.action.kind] as ActionHandler<typeof planned.action.kind> | undefined;
  try {
    if (!handler) throw Object.assign(new Error(`Rampart has no executor for ${planned.action.kind}`), { name: 'NoExecutor' });
    await handler(planned.action as never, ctx);
  } catch (error) {
    const after = await rereadScopes(planned.rereads, collection);
    return finish({ precondition, before, error: toCollectionError(error), after });
  }

  const attempts = Math.max(1, options.verifyAttempts ?? 3);
  let after: ScopeSnapshot[] = [];
  let verification: ConditionResult = { holds: false, reason: 'not verified' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    after = await rereadScopes(planned.rereads, collection);
    verification = checkVerification(planned, recheckDrift(ctx.desired, inventory, planned, after));
    if (verification.holds || attempt === attempts) break;
    await new Promise((resolve) => setTimeout(resolve, (options.verifyDelayMs ?? 2000) * attempt));
  }
  return finish({ precondition, before, verification, after });
}

/** Why an action may not run, whatever the plan says: the management account's own resources, or the organization role for anything else. */
function refusalOf(planned: PlannedAction, managementAccountId: string): string | undefined {
  if (actionAccountIds(planned.action).includes(managementAccountId)) {
    return `refused: ${planned.description} would change the management account (${managementAccountId}), which Rampart never touches`;
  }
  const account = 'accountId' in planned.action ? planned.action.accountId : 'adminAccountId' in planned.action ? planned.action.adminAccountId : undefined;
  if (!ORGANIZATION_WRITES.has(planned.action.kind) && account === managementAccountId) {
    return `refused: ${planned.action.kind} would write in the management account`;
  }
  return undefined;
}
