import { formatInventoryIssue, parseInventory, readScope, serializeInventory, withScopes, type Inventory } from '../../engine/inventory';
import { cleanInventory, IDS, ok } from './fixtures';

const issuesOf = (value: unknown) => parseInventory(value).issues.map(formatInventoryIssue);

/** Writes `value` at `path` in a plain JSON copy, to build documents the types would not allow. */
function setAt(document: unknown, path: (string | number)[], value: unknown): void {
  let node = document as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

describe('inventory JSON round trip', () => {
  it('serializes and parses back to the same document', () => {
    const inventory = cleanInventory();
    ok(inventory.accounts[IDS.paymentsProd].regions['us-east-1'].securityHub).findings = {
      failedControlIds: ['EC2.10'], activeBySeverity: { CRITICAL: 0, HIGH: 2, MEDIUM: 1, LOW: 0, INFORMATIONAL: 4 },
    };
    inventory.accounts[IDS.webProd].regions['us-east-2'].config = { status: 'unknown', error: { code: 'AccessDeniedException', message: 'denied' } };
    inventory.metadata.callCounts = { 'organizations:ListAccounts': 3 };
    inventory.metadata.sources = [{ scope: 'securitylake.region', via: 'aggregate', operations: ['securitylake:GetDataLakeSources'], scopes: 3 }];
    for (const indent of [undefined, 2]) {
      const result = parseInventory(serializeInventory(inventory, { indent }));
      expect(result.issues).toEqual([]);
      expect(result.inventory).toEqual(inventory);
    }
  });

  it('accepts an already parsed value', () => {
    const inventory = cleanInventory();
    expect(parseInventory(JSON.parse(JSON.stringify(inventory))).inventory).toEqual(inventory);
  });
});

describe('a snapshot that is not a valid inventory gets clear errors', () => {
  it('text that is not JSON', () => {
    expect(issuesOf('{"schemaVersion": 1,')).toEqual([expect.stringMatching(/^\(document\): not valid JSON/)]);
  });

  it('JSON that is not an inventory, or of another version', () => {
    expect(issuesOf('[1, 2]')).toEqual(['(document): expected an inventory object (the output of `rampart snapshot`)']);
    expect(issuesOf('{"accounts": {}}')[0]).toMatch(/^schemaVersion: missing; expected 1\. This does not look like a Rampart inventory/);
    expect(issuesOf({ ...cleanInventory(), schemaVersion: 2 })[0]).toMatch(/^schemaVersion: found 2; this Rampart reads version 1\. Take a new snapshot/);
  });

  it('names the path of each wrong field, all at once', () => {
    const inventory: unknown = cleanInventory();
    setAt(inventory, ['accounts', IDS.paymentsProd, 'regions', 'us-east-1', 'securityHub', 'status'], 'clean');
    setAt(inventory, ['organization', 'structure', 'accounts', 0, 'id'], '1234');
    setAt(inventory, ['securityLake', 'regions', 'us-east-1', 'dataLake', 'status'], 'DONE');
    setAt(inventory, ['accessAnalyzer', 'regions', 'us-east-2', 'analyzers', 0, 'zone'], 'org');
    const issues = issuesOf(inventory);
    expect(issues).toEqual(expect.arrayContaining([
      'accounts["444444444444"].regions["us-east-1"].securityHub.status: expected status "ok" (with the scope\'s data) or "unknown" (with error: { code, message })',
      'organization.structure.accounts[0].id: a 12-digit account id such as "123456789012"',
      expect.stringMatching(/^securityLake\.regions\["us-east-1"\]\.dataLake\.status: Invalid option: expected one of "INITIALIZED"\|"PENDING"\|"COMPLETED"\|"FAILED"/),
      'accessAnalyzer.regions["us-east-2"].analyzers[0]: unknown field(s) "zone"; remove or correct them',
    ]));
    expect(issues).toHaveLength(4);
  });

  it('an unknown scope must say why', () => {
    const inventory: unknown = cleanInventory();
    setAt(inventory, ['organization', 'policies'], { status: 'unknown' });
    expect(issuesOf(inventory)).toEqual(['organization.policies.error: Invalid input: expected object, received undefined']);
  });

  it('ids that point nowhere are reported', () => {
    const inventory = cleanInventory();
    const structure = ok(inventory.organization.structure);
    structure.accounts[1].parentId = 'ou-root-99999999';
    structure.organizationalUnits[1].path = 'Elsewhere/Pci';
    structure.managementAccountId = '000000000000';
    expect(issuesOf(inventory)).toEqual([
      'organization.structure.organizationalUnits[1].path: "Elsewhere/Pci" does not match the names of its parents; expected "Workloads"',
      'organization.structure.accounts[1].parentId: "ou-root-99999999" is neither the root nor a listed OU',
      'organization.structure.managementAccountId: 000000000000 is not among the listed accounts',
    ]);
  });
});

describe('scopes', () => {
  it('reads each kind of scope', () => {
    const inventory = cleanInventory();
    expect(readScope(inventory, { kind: 'securityhub.account', accountId: IDS.webProd, region: 'us-east-2' })).toBe(inventory.accounts[IDS.webProd].regions['us-east-2'].securityHub);
    expect(readScope(inventory, { kind: 'config.conformancePacks', region: 'us-west-2' })).toBe(inventory.config.conformancePacks['us-west-2']);
    expect(readScope(inventory, { kind: 'iam.account', accountId: '000000000000' })).toBeUndefined();
  });

  it('withScopes replaces re-read scopes in a copy and leaves the original alone', () => {
    const inventory = cleanInventory();
    const before = JSON.stringify(inventory);
    const fresh = withScopes(inventory, [
      { ref: { kind: 'config.recorder', accountId: IDS.analytics, region: 'us-east-1' }, state: { status: 'ok', recorder: null } },
      { ref: { kind: 'organizations.trustedAccess' }, state: { status: 'unknown', error: { code: 'Throttling', message: 'slow down' } } },
      { ref: { kind: 'iam.account', accountId: '999999999999' }, state: undefined },
    ]) as Inventory;
    expect(JSON.stringify(inventory)).toBe(before);
    expect(ok(fresh.accounts[IDS.analytics].regions['us-east-1'].config).recorder).toBeNull();
    expect(fresh.accounts[IDS.analytics].regions['us-east-2']).toBe(inventory.accounts[IDS.analytics].regions['us-east-2']);
    expect(fresh.organization.trustedAccess.status).toBe('unknown');
    expect(fresh.accounts['999999999999'].iam).toEqual({ status: 'unknown', error: { code: 'NotCollected', message: 'the scope was not re-read' } });
    expect(parseInventory(fresh).issues).toEqual([]);
  });
});
