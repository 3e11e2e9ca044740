import { openOrganization, type Sandbox, type TransportName } from './transports';

/**
 * A small organization for the security services' conformance tests:
 *   Root ── management 111111111111
 *        ├─ Security ── admin 222222222222 (delegated administrator), log 222222222223
 *        ├─ Pci ── pci1 333333333331, pci2 333333333332
 *        └─ NonPci ── web 444444444441
 */
export const ACCOUNTS = {
  management: '111111111111',
  admin: '222222222222',
  log: '222222222223',
  pci1: '333333333331',
  pci2: '333333333332',
  web: '444444444441',
} as const;

export interface SecurityOrganization extends Sandbox {
  rootId: string;
  ous: { security: string; pci: string; nonPci: string };
}

export async function openSecurityOrganization(transport: TransportName, options: { now?: Date } = {}): Promise<SecurityOrganization> {
  const sandbox = await openOrganization(transport, { now: options.now ?? new Date('2026-06-01T00:00:00Z') });
  const org = sandbox.fake.organization;
  if (!org) throw new Error('no organization');
  const random = sandbox.fake.state.random;
  const now = sandbox.fake.clock.now();
  const ous = {
    security: org.createOu(org.rootId, 'Security', random).id,
    pci: org.createOu(org.rootId, 'Pci', random).id,
    nonPci: org.createOu(org.rootId, 'NonPci', random).id,
  };
  const place: [string, string][] = [
    [ACCOUNTS.admin, ous.security], [ACCOUNTS.log, ous.security], [ACCOUNTS.pci1, ous.pci], [ACCOUNTS.pci2, ous.pci], [ACCOUNTS.web, ous.nonPci],
  ];
  for (const [id, parentId] of place) org.addAccount({ id, name: `account-${id}`, email: `${id}@example.com`, parentId, joinedMethod: 'CREATED' }, now);
  return { ...sandbox, ous };
}

/** Registers a delegated administrator the way the management account does (trusted access first). */
export function delegate(sandbox: Sandbox, servicePrincipal: string, account: string = ACCOUNTS.admin): void {
  const org = sandbox.fake.organization;
  if (!org) throw new Error('no organization');
  org.enableServiceAccess(servicePrincipal, sandbox.fake.clock.now());
  org.registerDelegatedAdministrator(account, servicePrincipal, sandbox.fake.clock.now());
}
