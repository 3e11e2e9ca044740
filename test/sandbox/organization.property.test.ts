import fc from 'fast-check';
import { AwsError, FakeAws } from '../../sandbox';
import { policyTypeLimits } from '../../sandbox/state/organization';

const MANAGEMENT = '111111111111';
const PRINCIPALS = ['securityhub.amazonaws.com', 'config.amazonaws.com', 'access-analyzer.amazonaws.com'];

type Op =
  | { kind: 'createOu'; parent: number; name: string }
  | { kind: 'addAccount'; parent: number }
  | { kind: 'moveAccount'; account: number; destination: number }
  | { kind: 'deleteOu'; ou: number }
  | { kind: 'removeAccount'; account: number }
  | { kind: 'createPolicy' }
  | { kind: 'attach'; policy: number; target: number }
  | { kind: 'detach'; policy: number; target: number }
  | { kind: 'register'; account: number; principal: number }
  | { kind: 'deregister'; account: number; principal: number };

const index = fc.nat(50);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('createOu' as const), parent: index, name: fc.constantFrom('A', 'B', 'C') }),
  fc.record({ kind: fc.constant('addAccount' as const), parent: index }),
  fc.record({ kind: fc.constant('moveAccount' as const), account: index, destination: index }),
  fc.record({ kind: fc.constant('deleteOu' as const), ou: index }),
  fc.record({ kind: fc.constant('removeAccount' as const), account: index }),
  fc.record({ kind: fc.constant('createPolicy' as const) }),
  fc.record({ kind: fc.constant('attach' as const), policy: index, target: index }),
  fc.record({ kind: fc.constant('detach' as const), policy: index, target: index }),
  fc.record({ kind: fc.constant('register' as const), account: index, principal: fc.nat(2) }),
  fc.record({ kind: fc.constant('deregister' as const), account: index, principal: fc.nat(2) }),
);

function pick<T>(list: readonly T[], i: number): T | undefined {
  return list.length ? list[i % list.length] : undefined;
}

/** Lists every page of a paginated handler. */
async function all<T>(fake: FakeAws, operation: string, input: Record<string, unknown>, key: string): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fake.invoke<Record<string, unknown>>('organizations', operation, { ...input, ...(token ? { NextToken: token } : {}) }, { account: MANAGEMENT });
    out.push(...(page[key] as T[]));
    token = page.NextToken as string | undefined;
  } while (token);
  return out;
}

describe('organization views over random organizations', () => {
  it('agree with each other, keep AWS limits, and refuse changes without changing anything', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
      const fake = FakeAws.create({ seed: 2 });
      const org = fake.createOrganization({ managementAccountId: MANAGEMENT, email: 'm@example.com' });
      org.enablePolicyType(org.rootId, 'SERVICE_CONTROL_POLICY');
      const now = new Date('2026-12-04T00:00:00Z');
      let nextAccount = 200000000000;
      for (const step of ops) {
        const parents = [org.rootId, ...Object.keys(org.data.ous)];
        const members = org.accounts().filter((a) => a.id !== MANAGEMENT).map((a) => a.id);
        const targets = [...parents, ...org.accounts().map((a) => a.id)];
        const policies = Object.keys(org.data.policies);
        const before = JSON.stringify(org.data);
        try {
          switch (step.kind) {
            case 'createOu': org.createOu(pick(parents, step.parent) as string, step.name, fake.state.random); break;
            case 'addAccount': {
              const id = String(nextAccount++);
              org.addAccount({ id, name: `a${id}`, email: `${id}@example.com`, parentId: pick(parents, step.parent) as string }, now);
              break;
            }
            case 'moveAccount': {
              const account = pick(members, step.account);
              if (account) org.moveAccount(account, org.parentOf(account) as string, pick(parents, step.destination) as string);
              break;
            }
            case 'deleteOu': { const ou = pick(parents.slice(1), step.ou); if (ou) org.deleteOu(ou); break; }
            case 'removeAccount': { const account = pick(members, step.account); if (account) org.removeAccount(account); break; }
            case 'createPolicy': org.createPolicy({ name: `p${policies.length}`, description: '', type: 'SERVICE_CONTROL_POLICY', content: '{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}' }, fake.state.random); break;
            case 'attach': org.attachPolicy(pick(policies, step.policy) as string, pick(targets, step.target) as string); break;
            case 'detach': org.detachPolicy(pick(policies, step.policy) as string, pick(targets, step.target) as string); break;
            case 'register': {
              const account = pick(members, step.account);
              org.enableServiceAccess(PRINCIPALS[step.principal], now);
              if (account) org.registerDelegatedAdministrator(account, PRINCIPALS[step.principal], now);
              break;
            }
            case 'deregister': { const account = pick(members, step.account); if (account) org.deregisterDelegatedAdministrator(account, PRINCIPALS[step.principal]); break; }
          }
        } catch (error) {
          if (!(error instanceof AwsError)) throw error;
          // enableServiceAccess may have happened before a refused registration; nothing else may change.
          if (step.kind !== 'register') expect(JSON.stringify(org.data)).toBe(before);
        }
      }

      const parents = [org.rootId, ...Object.keys(org.data.ous)];
      const allAccounts = await all<{ Id: string }>(fake, 'ListAccounts', {}, 'Accounts');
      const byParent: string[] = [];
      for (const parent of parents) byParent.push(...(await all<{ Id: string }>(fake, 'ListAccountsForParent', { ParentId: parent }, 'Accounts')).map((a) => a.Id));
      expect(byParent.sort()).toEqual(allAccounts.map((a) => a.Id).sort());
      expect(new Set(byParent).size).toBe(byParent.length);

      for (const target of [...parents, ...allAccounts.map((a) => a.Id)]) {
        const attached = await all<{ Id: string }>(fake, 'ListPoliciesForTarget', { TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' }, 'Policies');
        expect(attached.length).toBeGreaterThanOrEqual(1);
        expect(attached.length).toBeLessThanOrEqual(policyTypeLimits('SERVICE_CONTROL_POLICY').maxPerTarget);
        for (const policy of attached) {
          const targets = await all<{ TargetId: string }>(fake, 'ListTargetsForPolicy', { PolicyId: policy.Id }, 'Targets');
          expect(targets.map((t) => t.TargetId)).toContain(target);
        }
      }
      for (const ou of Object.keys(org.data.ous)) expect(org.ouDepth(ou)).toBeLessThanOrEqual(5);

      const admins = await all<{ Id: string }>(fake, 'ListDelegatedAdministrators', {}, 'DelegatedAdministrators');
      for (const admin of admins) {
        const services = await all<{ ServicePrincipal: string }>(fake, 'ListDelegatedServicesForAccount', { AccountId: admin.Id }, 'DelegatedServices');
        for (const service of services) {
          const forService = await all<{ Id: string }>(fake, 'ListDelegatedAdministrators', { ServicePrincipal: service.ServicePrincipal }, 'DelegatedAdministrators');
          expect(forService.map((a) => a.Id)).toContain(admin.Id);
        }
      }
    }), { numRuns: 60 });
  });
});
