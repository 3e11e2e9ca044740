/**
 * CloudFormation intrinsic functions, resolved the way a deployment would: Ref and Fn::GetAtt to
 * physical names and ARNs the caller chooses, Fn::Join, Fn::Sub, Fn::Select and Fn::Split, and
 * the pseudo parameters. Enough for the governance stack's definitions and function settings.
 */

export interface Resolver {
  /** Physical id of a resource (what Ref gives), or undefined for a parameter or pseudo parameter Rampart does not know. */
  ref(logicalId: string): string | undefined;
  getAtt(logicalId: string, attribute: string): string | undefined;
}

export interface Environment {
  account: string;
  region: string;
  partition?: string;
}

export function pseudoParameters(env: Environment): Record<string, string> {
  return {
    'AWS::AccountId': env.account,
    'AWS::Region': env.region,
    'AWS::Partition': env.partition ?? 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'Rampart-Governance',
  };
}

export class UnresolvedIntrinsic extends Error {
  constructor(what: string) {
    super(`cannot resolve ${what} locally`);
    this.name = 'UnresolvedIntrinsic';
  }
}

export function resolveIntrinsics(value: unknown, resolver: Resolver, env: Environment): unknown {
  const pseudo = pseudoParameters(env);
  const ref = (name: string): string => {
    const out = pseudo[name] ?? resolver.ref(name);
    if (out === undefined) throw new UnresolvedIntrinsic(`Ref ${name}`);
    return out;
  };
  const getAtt = (id: string, attribute: string): string => {
    const out = resolver.getAtt(id, attribute);
    if (out === undefined) throw new UnresolvedIntrinsic(`Fn::GetAtt ${id}.${attribute}`);
    return out;
  };
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (!v || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0];
      switch (key) {
        case 'Ref': return ref(arg as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? (arg as string[]) : (arg as string).split('.');
          return getAtt(id, attribute);
        }
        case 'Fn::Join': {
          const [separator, list] = arg as [string, unknown[]];
          return (resolve(list) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number | string, unknown];
          return (resolve(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, text] = arg as [string, unknown];
          return String(resolve(text)).split(separator);
        }
        case 'Fn::Sub': {
          const [template, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
          const vars = resolve(variables) as Record<string, unknown>;
          return template.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
            if (name in vars) return String(vars[name]);
            const dot = name.indexOf('.');
            return dot > 0 && !name.startsWith('AWS::') ? getAtt(name.slice(0, dot), name.slice(dot + 1)) : ref(name);
          }).replace(/\$\{!/g, '${');
        }
        default: break;
      }
    }
    return Object.fromEntries(entries.map(([k, inner]) => [k, resolve(inner)]));
  };
  return resolve(value);
}
