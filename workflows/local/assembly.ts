import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RampartConfig } from '../../config/model';
import { buildLandingZone } from '../../stacks/landingZone';
import { createRampartApp } from '../../stacks/rampartApp';
import { driftWorkflows } from '../driftWorkflows';
import { evidenceWorkflow } from '../evidenceWorkflow';
import { resolveIntrinsics, type Environment, type Resolver } from './intrinsics';

/**
 * The workflows as deployed: the landing zone synthesized in-process (the inline-Map variant, which
 * the local runner can execute), then each state machine's definition, each function's code
 * directory and environment, and the buckets, topic and roles they use, with every intrinsic
 * resolved to the physical names a local deployment gives them.
 */

interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

interface Template {
  Resources: Record<string, TemplateResource>;
}

export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** The handler under handlers/workflows/ or handlers/evidence/ (RAMPART_HANDLER). */
  handler: string;
  /** The code directory in the cloud assembly (index.js, settings.json and, for evidence, evidence-settings.json). */
  codeDir: string;
  environment: Record<string, string>;
  /** The role the function runs as: its name and path. */
  role: { name: string; path: string };
}

export interface LocalRole {
  account: string;
  name: string;
  path: string;
  trustPolicy: unknown;
}

export interface LocalWorkflows {
  outdir: string;
  env: Environment;
  managementAccountId: string;
  /** State machine name → resolved ASL definition. */
  definitions: Record<string, StateMachineDefinition>;
  /** By function ARN. */
  functions: Map<string, LocalFunction>;
  buckets: { name: string; objectLockDays?: number }[];
  topics: string[];
  roles: LocalRole[];
}

export interface StateMachineDefinition {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export interface SynthesizeOptions {
  /** Ids of accounts the configuration names without one (as `-c accountIds`). */
  accountIds?: Record<string, string>;
  /** Where the cloud assembly goes; a temporary directory by default. */
  outdir?: string;
}

export function synthesizeLocalWorkflows(config: RampartConfig, options: SynthesizeOptions = {}): LocalWorkflows {
  const outdir = options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-local-assembly-'));
  const app = createRampartApp({ outdir });
  const zone = buildLandingZone(app, config, { accountIds: options.accountIds, governanceExtensions: [driftWorkflows({ distributed: false }), evidenceWorkflow()], nag: false });
  const assembly = app.synth();
  const read = (stackName: string) => {
    const artifact = assembly.getStackByName(stackName);
    return { template: artifact.template as Template, account: artifact.environment.account, region: artifact.environment.region };
  };
  const governance = read(zone.governance.stackName);
  const organization = read(zone.organization.stackName);
  const env: Environment = { account: governance.account, region: governance.region };
  const resources = governance.template.Resources;

  const physical = new Map<string, { ref: string; arn: string }>();
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    const account = env.account;
    const region = env.region;
    switch (resource.Type) {
      case 'AWS::S3::Bucket': {
        const name = `${id.toLowerCase().slice(0, 48)}-${account}`;
        physical.set(id, { ref: name, arn: `arn:aws:s3:::${name}` });
        break;
      }
      case 'AWS::SNS::Topic': physical.set(id, { ref: `arn:aws:sns:${region}:${account}:${id}`, arn: `arn:aws:sns:${region}:${account}:${id}` }); break;
      case 'AWS::Lambda::Function': physical.set(id, { ref: id, arn: `arn:aws:lambda:${region}:${account}:function:${id}` }); break;
      case 'AWS::StepFunctions::StateMachine': {
        const name = (props.StateMachineName as string | undefined) ?? id;
        physical.set(id, { ref: `arn:aws:states:${region}:${account}:stateMachine:${name}`, arn: `arn:aws:states:${region}:${account}:stateMachine:${name}` });
        break;
      }
      case 'AWS::IAM::Role': {
        const name = (props.RoleName as string | undefined) ?? id.slice(0, 64);
        physical.set(id, { ref: name, arn: `arn:aws:iam::${account}:role${(props.Path as string | undefined) ?? '/'}${name}` });
        break;
      }
      case 'AWS::Logs::LogGroup': physical.set(id, { ref: `/rampart/${id}`, arn: `arn:aws:logs:${region}:${account}:log-group:/rampart/${id}:*` }); break;
      default: physical.set(id, { ref: id, arn: `arn:aws:${resource.Type.split('::')[1].toLowerCase()}:${region}:${account}:${id}` });
    }
  }
  const resolver: Resolver = { ref: (id) => physical.get(id)?.ref, getAtt: (id) => physical.get(id)?.arn };
  const resolve = <T>(value: unknown) => resolveIntrinsics(value, resolver, env) as T;

  const definitions: LocalWorkflows['definitions'] = {};
  const functions = new Map<string, LocalFunction>();
  const buckets: LocalWorkflows['buckets'] = [];
  const topics: string[] = [];
  const roles: LocalRole[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::StepFunctions::StateMachine') {
      definitions[props.StateMachineName as string] = JSON.parse(resolve<string>(props.DefinitionString)) as StateMachineDefinition;
    } else if (resource.Type === 'AWS::Lambda::Function') {
      const environment = resolve<Record<string, string>>((props.Environment as { Variables?: unknown } | undefined)?.Variables ?? {});
      const s3Key = (props.Code as { S3Key?: string }).S3Key ?? '';
      const roleId = ((props.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'] ?? [])[0];
      const roleProps = resources[roleId]?.Properties ?? {};
      const fn: LocalFunction = {
        logicalId: id, name: id, arn: physical.get(id)?.arn as string, handler: environment.RAMPART_HANDLER ?? '',
        codeDir: path.join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`), environment,
        role: { name: physical.get(roleId)?.ref as string, path: (roleProps.Path as string | undefined) ?? '/' },
      };
      if (fn.handler) functions.set(fn.arn, fn);
    } else if (resource.Type === 'AWS::S3::Bucket') {
      const lock = props.ObjectLockConfiguration as { Rule?: { DefaultRetention?: { Days?: number } } } | undefined;
      buckets.push({ name: physical.get(id)?.ref as string, ...(lock?.Rule?.DefaultRetention?.Days ? { objectLockDays: lock.Rule.DefaultRetention.Days } : {}) });
    } else if (resource.Type === 'AWS::SNS::Topic') {
      topics.push(id);
    } else if (resource.Type === 'AWS::IAM::Role' && props.Path === '/rampart/') {
      roles.push({ account: env.account, name: physical.get(id)?.ref as string, path: '/rampart/', trustPolicy: resolve(props.AssumeRolePolicyDocument) });
    }
  }
  // The organization stack's role for organization-level remediation, in the management account.
  for (const resource of Object.values(organization.template.Resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type !== 'AWS::IAM::Role' || typeof props.RoleName !== 'string' || !('AssumeRolePolicyDocument' in props)) continue;
    const trust = resolveIntrinsics(props.AssumeRolePolicyDocument, { ref: () => undefined, getAtt: () => undefined }, { account: organization.account, region: organization.region });
    if (JSON.stringify(trust).includes(`${env.account}:role/rampart/`)) roles.push({ account: organization.account, name: props.RoleName, path: '/', trustPolicy: trust });
  }
  return { outdir, env, managementAccountId: organization.account, definitions, functions, buckets, topics, roles };
}
