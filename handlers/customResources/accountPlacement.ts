import { ListAccountsForParentCommand, ListParentsCommand, MoveAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { isAwsError, type CustomResourceEvent, type IsCompleteEvent, type IsCompleteResponse, type OnEventResponse } from './cloudFormationEvent';

export interface AccountPlacementProps {
  /** AccountIds: comma-separated account ids that belong in the OU. */
  Placements: { OrganizationalUnitId: string; AccountIds: string }[];
}

type Organizations = Pick<OrganizationsClient, 'send'>;

/** Moves per isComplete call: Organizations allows a few MoveAccount calls per second, and the provider polls again. */
export const MOVES_PER_CHECK = 20;

/** Nothing happens on the event itself: isComplete converges the placement in batches. */
export async function acceptPlacement(event: CustomResourceEvent<AccountPlacementProps>): Promise<OnEventResponse> {
  return { PhysicalResourceId: event.PhysicalResourceId ?? `account-placement-${event.LogicalResourceId}` };
}

/**
 * Moves every listed account into its OU, a batch per call, until all are placed. Deleting the
 * resource, or dropping an account from it, leaves accounts where they are: moving an account
 * out of its OU changes which SCPs govern it and is never a side effect.
 */
export async function placeAccounts(event: IsCompleteEvent<AccountPlacementProps>, organizations: Organizations): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  let budget = MOVES_PER_CHECK;
  let misplaced = 0;
  for (const placement of event.ResourceProperties.Placements) {
    const present = await accountsIn(organizations, placement.OrganizationalUnitId);
    for (const accountId of placement.AccountIds.split(',').filter(Boolean)) {
      if (present.has(accountId)) continue;
      if (budget === 0) {
        misplaced++;
        continue;
      }
      budget--;
      await moveAccount(organizations, accountId, placement.OrganizationalUnitId);
    }
  }
  if (misplaced > 0) console.log(JSON.stringify({ level: 'INFO', message: 'accounts still to move', count: misplaced }));
  return { IsComplete: misplaced === 0 };
}

async function accountsIn(organizations: Organizations, parentId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await organizations.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken }));
    for (const account of page.Accounts ?? []) if (account.Id) ids.add(account.Id);
    NextToken = page.NextToken;
  } while (NextToken);
  return ids;
}

async function moveAccount(organizations: Organizations, accountId: string, destination: string): Promise<void> {
  let source: string | undefined;
  try {
    source = (await organizations.send(new ListParentsCommand({ ChildId: accountId }))).Parents?.[0]?.Id;
  } catch (error) {
    if (isAwsError(error, 'ChildNotFoundException', 'AccountNotFoundException')) {
      throw new Error(`account ${accountId} is not a member of this organization: invite it, or correct its id in organization.yaml`, { cause: error });
    }
    throw error;
  }
  if (!source || source === destination) return;
  try {
    await organizations.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: source, DestinationParentId: destination }));
  } catch (error) {
    if (!isAwsError(error, 'DuplicateAccountException')) throw error;
  }
}

export const onEvent = acceptPlacement;
export const isComplete = (event: IsCompleteEvent<AccountPlacementProps>) => placeAccounts(event, new OrganizationsClient({}));
