import type { AwsCredentialIdentity } from '@smithy/types';
import { assumeRole, AwsClients, type ClientBase } from '../../aws/clients';
import { ensureRole } from '../../aws/iam';
import { ensureBucket } from '../../aws/s3';
import { ensureTopic } from '../../aws/sns';
import type { FakeAws } from '../../sandbox';
import type { TaskTokenRegistry } from '../../sandbox/state/taskTokens';
import type { LocalWorkflows } from './assembly';

/** How the local runner reaches the sandbox: FakeAws in this process, or its loopback server. */
export interface SandboxTransport {
  /** Client settings for an account's administrator. */
  admin(account: string): ClientBase;
  /** The sandbox's task-token registry, when it runs in this process (approvals wait on it). */
  taskTokens?: TaskTokenRegistry;
  /** The loopback endpoint, when the sandbox is served (bundled handlers reach it through AWS_ENDPOINT_URL). */
  endpoint?: string;
}

/** FakeAws's administrator access key convention: AKIAFAKE<account id> (sandbox/README.md). */
function sandboxAdmin(account: string): AwsCredentialIdentity {
  return { accessKeyId: `AKIAFAKE${account}`, secretAccessKey: 'fakeaws' };
}

export function inProcessSandbox(fake: FakeAws, endpoint?: string): SandboxTransport {
  return {
    admin: (account) => ({ requestHandler: fake.requestHandler(), credentials: fake.credentials({ account }) }),
    taskTokens: fake.taskTokens,
    ...(endpoint ? { endpoint } : {}),
  };
}

export function loopbackSandbox(url: string): SandboxTransport {
  return { admin: (account) => ({ endpoint: url, credentials: sandboxAdmin(account) }), endpoint: url };
}

/** The role the local runner's handlers act as: it stands in for Lambda assuming a function's role under /rampart/. */
export const LOCAL_RUNNER_ROLE = 'RampartLocalRunner';
/** Lambda renews a function's credentials; a local run holds one session, so it lasts as long as IAM allows (12 hours). */
const LOCAL_SESSION_SECONDS = 12 * 3600;

export interface LocalDeployment {
  /** Client settings of the handlers: a session of the local runner role in the security-tooling account. */
  handlerBase: ClientBase;
  credentials: AwsCredentialIdentity;
}

function adminClients(sandbox: SandboxTransport, account: string, region: string): AwsClients {
  return new AwsClients({ homeAccountId: account, homeRegion: region, executionRoleName: '', organizationRoleName: '', base: sandbox.admin(account) });
}

/**
 * Creates in the sandbox what deploying the stacks would have created for the workflows: the work
 * and evidence buckets, the notification topic, the workflow roles and the management account's
 * organization remediation role. Idempotent: a sandbox deployed once is left as it is.
 */
export async function deployLocally(workflows: LocalWorkflows, sandbox: SandboxTransport): Promise<LocalDeployment> {
  const { account, region } = workflows.env;
  const home = adminClients(sandbox, account, region);
  for (const bucket of workflows.buckets) await ensureBucket(home, bucket.name, bucket.objectLockDays);
  for (const topic of workflows.topics) await ensureTopic(home, topic);
  for (const role of workflows.roles) {
    await ensureRole(role.account === account ? home : adminClients(sandbox, role.account, region), { name: role.name, path: role.path, trustPolicy: role.trustPolicy });
  }
  await ensureRole(home, {
    name: LOCAL_RUNNER_ROLE, path: '/rampart/', description: 'Stands in for Lambda assuming the workflow functions\' roles in a local run', maxSessionSeconds: LOCAL_SESSION_SECONDS,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] },
  });
  const credentials = await assumeRole(home, `arn:aws:iam::${account}:role/rampart/${LOCAL_RUNNER_ROLE}`, 'rampart-local-runner', LOCAL_SESSION_SECONDS);
  home.destroy();
  const admin = sandbox.admin(account);
  return { handlerBase: { ...admin, credentials }, credentials };
}
