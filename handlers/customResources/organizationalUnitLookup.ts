import { ListOrganizationalUnitsForParentCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { CustomResourceEvent, OnEventResponse } from './cloudFormationEvent';

export interface OrganizationalUnitLookupProps {
  /** OU paths such as `Workloads/Pci`; `Root` is the organization root. */
  Paths: string[];
}

type Organizations = Pick<OrganizationsClient, 'send'>;

/** Attribute name under which the id of `Paths[index]` is returned. */
export const ouIdAttribute = (index: number) => `Ou${index}`;

/**
 * Resolves OU paths to ids for stacks outside the management account (Security Hub policy
 * associations), reading through the organization's delegated read access. Read-only: delete
 * does nothing.
 */
export async function lookUpOrganizationalUnits(event: CustomResourceEvent<OrganizationalUnitLookupProps>, organizations: Organizations): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
  if (!rootId) throw new Error('ListRoots returned no root: the account needs the organization read access that OrganizationStack grants');
  const childrenOf = new Map<string, Map<string, string>>();
  const data: Record<string, string> = {};
  for (const [index, ouPath] of event.ResourceProperties.Paths.entries()) {
    let id = rootId;
    if (ouPath !== 'Root') {
      for (const name of ouPath.split('/')) {
        const children = childrenOf.get(id) ?? (await listChildren(organizations, id));
        childrenOf.set(id, children);
        const next = children.get(name);
        if (!next) throw new Error(`OU "${ouPath}" does not exist yet (no "${name}" under ${id}): deploy OrganizationStack first`);
        id = next;
      }
    }
    data[ouIdAttribute(index)] = id;
  }
  return { PhysicalResourceId: event.PhysicalResourceId ?? `ou-lookup-${event.LogicalResourceId}`, Data: data };
}

async function listChildren(organizations: Organizations, parentId: string): Promise<Map<string, string>> {
  const children = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await organizations.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken }));
    for (const ou of page.OrganizationalUnits ?? []) if (ou.Name && ou.Id) children.set(ou.Name, ou.Id);
    NextToken = page.NextToken;
  } while (NextToken);
  return children;
}

export const onEvent = (event: CustomResourceEvent<OrganizationalUnitLookupProps>) => lookUpOrganizationalUnits(event, new OrganizationsClient({}));
