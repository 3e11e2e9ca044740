import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { MOVES_PER_CHECK, placeAccounts, type AccountPlacementProps } from '../../handlers/customResources/accountPlacement';
import type { CustomResourceEvent } from '../../handlers/customResources/cloudFormationEvent';
import { lookUpOrganizationalUnits } from '../../handlers/customResources/organizationalUnitLookup';
import { lookUpRoot } from '../../handlers/customResources/organizationRoot';
import { startMoto, type Moto } from './motoServer';

// Real SDK clients against moto's Organizations (the same wire protocol as AWS).
let moto: Moto | undefined;
let skipped: string | undefined;
let organizations: OrganizationsClient;
let rootId: string;
const ous: Record<string, string> = {};
const accountIds: string[] = [];

function event<P>(requestType: 'Create' | 'Update' | 'Delete', props: P): CustomResourceEvent<P> {
  return {
    RequestType: requestType, LogicalResourceId: 'Resource', ResourceType: 'Custom::Test', StackId: 'stack', RequestId: 'request',
    ResourceProperties: { ...props, ServiceToken: 'token' },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'physical-id' }),
  };
}

/** Counts the MoveAccount calls a client makes, passing every call through. */
function countingMoves(client: OrganizationsClient): { client: Pick<OrganizationsClient, 'send'>; moves: () => number } {
  let moves = 0;
  return {
    client: { send: ((command: { constructor: { name: string } }) => {
      if (command.constructor.name === 'MoveAccountCommand') moves++;
      return client.send(command as never);
    }) as OrganizationsClient['send'] },
    moves: () => moves,
  };
}

beforeAll(async () => {
  const started = await startMoto();
  if ('skipped' in started) {
    skipped = started.skipped;
    return;
  }
  moto = started;
  organizations = new OrganizationsClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  rootId = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id as string;
  ous.Workloads = (await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }))).OrganizationalUnit?.Id as string;
  // Enough siblings that listing Workloads' children takes more than one page.
  for (let i = 1; i <= 25; i++) {
    const name = `Team${String(i).padStart(2, '0')}`;
    ous[`Workloads/${name}`] = (await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: ous.Workloads, Name: name }))).OrganizationalUnit?.Id as string;
  }
  ous['Workloads/Pci'] = (await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: ous.Workloads, Name: 'Pci' }))).OrganizationalUnit?.Id as string;
  for (let i = 0; i < MOVES_PER_CHECK + 5; i++) {
    await organizations.send(new CreateAccountCommand({ AccountName: `workload-${i}`, Email: `workload-${i}@example.com` }));
  }
  const listed = (await organizations.send(new ListAccountsCommand({}))).Accounts ?? [];
  accountIds.push(...listed.filter((a) => a.Name?.startsWith('workload-')).map((a) => a.Id as string));
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

function whenMoto(run: () => Promise<void>): () => Promise<void> {
  return async () => {
    if (skipped) {
      console.warn(`moto check skipped: ${skipped}`);
      return;
    }
    await run();
  };
}

describe('organization root lookup', () => {
  it('returns the root id as physical id and attribute, and does nothing on delete', whenMoto(async () => {
    expect(await lookUpRoot(event('Create', {}), organizations)).toEqual({ PhysicalResourceId: rootId, Data: { RootId: rootId } });
    expect(await lookUpRoot(event('Delete', {}), organizations)).toEqual({ PhysicalResourceId: 'physical-id' });
  }));
});

describe('OU lookup by path', () => {
  it('resolves nested paths and Root, paging through siblings', whenMoto(async () => {
    const result = await lookUpOrganizationalUnits(event('Create', { Paths: ['Workloads/Pci', 'Root', 'Workloads', 'Workloads/Team25'] }), organizations);
    expect(result.Data).toEqual({ Ou0: ous['Workloads/Pci'], Ou1: rootId, Ou2: ous.Workloads, Ou3: ous['Workloads/Team25'] });
  }));

  it('says which OU is missing and what to deploy first', whenMoto(async () => {
    await expect(lookUpOrganizationalUnits(event('Create', { Paths: ['Workloads/Payments'] }), organizations))
      .rejects.toThrow('OU "Workloads/Payments" does not exist yet (no "Payments" under');
  }));
});

describe('account placement', () => {
  const props = (): AccountPlacementProps => ({ Placements: [{ OrganizationalUnitId: ous['Workloads/Pci'], AccountIds: accountIds.join(',') }] });
  const inPci = async () => {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await organizations.send(new ListAccountsForParentCommand({ ParentId: ous['Workloads/Pci'], NextToken }));
      ids.push(...(page.Accounts ?? []).map((a) => a.Id as string));
      NextToken = page.NextToken;
    } while (NextToken);
    return ids.sort();
  };

  it('moves a batch per poll until every account is in its OU, then does nothing more', whenMoto(async () => {
    const counting = countingMoves(organizations);
    const first = await placeAccounts({ ...event('Create', props()), PhysicalResourceId: 'placement' }, counting.client);
    expect(first.IsComplete).toBe(false);
    expect(counting.moves()).toBe(MOVES_PER_CHECK);
    const second = await placeAccounts({ ...event('Create', props()), PhysicalResourceId: 'placement' }, counting.client);
    expect(second.IsComplete).toBe(true);
    expect(await inPci()).toEqual([...accountIds].sort());
    const before = counting.moves();
    expect((await placeAccounts({ ...event('Update', props()) }, counting.client)).IsComplete).toBe(true);
    expect(counting.moves()).toBe(before);
  }));

  it('leaves accounts where they are on delete', whenMoto(async () => {
    expect(await placeAccounts(event('Delete', props()), organizations)).toEqual({ IsComplete: true });
    expect(await inPci()).toEqual([...accountIds].sort());
  }));

  it('names an account that is not in the organization', whenMoto(async () => {
    const stranger = { Placements: [{ OrganizationalUnitId: ous['Workloads/Pci'], AccountIds: '999999999999' }] };
    await expect(placeAccounts(event('Create', stranger), organizations)).rejects.toThrow('account 999999999999 is not a member of this organization');
  }));
});
