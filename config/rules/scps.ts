import * as fs from 'node:fs';
import * as path from 'node:path';
import { pciGuardrailPolicyNames, SCP_MAX_CHARACTERS, SCP_MAX_PER_TARGET, type PolicyDocument } from '../model';
import type { CrossFileRule, RuleContext } from './context';

/** SCP documents exist, are valid policy JSON within the size quota, and no target exceeds 5 SCPs. */
export const scpRules: CrossFileRule[] = [
  { title: 'SCP documents and the 5-SCP limit per target', needs: ['organization'], check: checkServiceControlPolicies },
];

function checkServiceControlPolicies(ctx: RuleContext): void {
  const organization = ctx.file('organization');
  organization.serviceControlPolicies.forEach((scp, index) => {
    const base = ['serviceControlPolicies', index];
    let document: unknown = scp.document;
    let source = 'the inline document';
    const fieldPath = scp.file !== undefined ? [...base, 'file'] : [...base, 'document'];
    if (scp.file !== undefined) {
      source = scp.file;
      const file = path.resolve(ctx.dir, scp.file);
      if (!fs.existsSync(file)) {
        ctx.report('organization', fieldPath, {
          rule: 'scp.file-missing', found: `no file at ${scp.file}`, expected: 'a JSON policy document relative to the configuration directory',
          hint: 'create the file or correct the path',
        });
        return;
      }
      try {
        document = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        ctx.report('organization', fieldPath, {
          rule: 'scp.json', found: `${scp.file} is not valid JSON (${(error as Error).message})`, expected: 'a JSON policy document',
          hint: 'fix the JSON syntax (a trailing comma or a missing quote is the usual cause)',
        });
        return;
      }
    }
    const doc = document as Partial<PolicyDocument> | null;
    if (!doc || typeof doc !== 'object' || doc.Version !== '2012-10-17' || doc.Statement === undefined) {
      ctx.report('organization', fieldPath, {
        rule: 'scp.shape', found: `${source} without Version "2012-10-17" and Statement`, expected: 'an IAM policy document',
        hint: 'start the document with {"Version": "2012-10-17", "Statement": [...]}',
      });
      return;
    }
    const size = JSON.stringify(doc).length;
    if (size > SCP_MAX_CHARACTERS) {
      ctx.report('organization', fieldPath, {
        rule: 'scp.size', found: `${size} characters (whitespace removed)`, expected: `at most ${SCP_MAX_CHARACTERS} characters, the AWS Organizations quota`,
        hint: 'split the statements across two SCPs or combine actions with wildcards',
      });
      return;
    }
    if (scp.targets.organizationalUnits.length === 0 && scp.targets.accounts.length === 0) {
      ctx.report('organization', [...base, 'targets'], {
        rule: 'scp.no-targets', severity: 'warning', found: 'no targets', expected: 'at least one OU or account',
        hint: 'an SCP without targets protects nothing; add targets or remove it',
      });
    }
    ctx.scpDocuments[scp.name] = doc as PolicyDocument;
  });

  // Count SCPs per target, including FullAWSAccess and the generated PCI guardrails.
  const perTarget = new Map<string, { count: number; names: string[]; fieldPath: (string | number)[] }>();
  const add = (target: string, name: string, fieldPath: (string | number)[]) => {
    const entry = perTarget.get(target) ?? { count: organization.keepFullAwsAccess ? 1 : 0, names: organization.keepFullAwsAccess ? ['FullAWSAccess'] : [], fieldPath };
    entry.count += 1;
    entry.names.push(name);
    entry.fieldPath = fieldPath;
    perTarget.set(target, entry);
  };
  if (organization.pciGuardrails) {
    for (const name of pciGuardrailPolicyNames(organization.pciGuardrails)) add(`OU ${organization.pciGuardrails.ou}`, name, ['pciGuardrails']);
  }
  organization.serviceControlPolicies.forEach((scp, index) => {
    scp.targets.organizationalUnits.forEach((ou, i) => add(`OU ${ou}`, scp.name, ['serviceControlPolicies', index, 'targets', 'organizationalUnits', i]));
    scp.targets.accounts.forEach((account, i) => add(`account ${account}`, scp.name, ['serviceControlPolicies', index, 'targets', 'accounts', i]));
  });
  for (const [target, entry] of perTarget) {
    if (entry.count > SCP_MAX_PER_TARGET) {
      ctx.report('organization', entry.fieldPath, {
        rule: 'scp.per-target', found: `${entry.count} SCPs on ${target} (${entry.names.join(', ')})`, expected: `at most ${SCP_MAX_PER_TARGET} SCPs per target, the AWS Organizations quota`,
        hint: 'merge policies into fewer documents, or attach some to a parent OU',
      });
    }
  }
}
