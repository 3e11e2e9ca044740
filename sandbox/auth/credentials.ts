import type { SeededRandom } from '../random';
import { findRole } from '../state/iam';
import type { SandboxState, SessionRecord } from '../state/sandboxState';

/** Who is calling: an account's administrator user or a role session. */
export interface Caller {
  account: string;
  /** `arn:aws:iam::<account>:user/fakeaws-admin` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string;
  /** GetCallerIdentity's UserId: the user id, or `<role id>:<session>` for a role session. */
  userId: string;
  accessKeyId: string;
  kind: 'user' | 'assumed-role';
  roleName?: string;
  roleArn?: string;
  sessionName?: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

const ADMIN_KEY = /^AKIAFAKE(\d{12})$/;

/** The administrator IAM user every sandbox account has: full access to its own account. */
export const ADMIN_USER_NAME = 'fakeaws-admin';

/**
 * Long-term credentials of an account's administrator user: `AKIAFAKE<account id>`. They work for
 * any account id and are how a sandbox is bootstrapped (from the management account, typically).
 * An IAM user rather than the root user, because AWS refuses AssumeRole to root users.
 */
export function adminCredentials(account: string): Credentials {
  return { accessKeyId: `AKIAFAKE${account}`, secretAccessKey: `fakeaws-admin-secret-${account}` };
}

export function adminCaller(account: string): Caller {
  return {
    account, arn: `arn:aws:iam::${account}:user/${ADMIN_USER_NAME}`, userId: `AIDAFAKE${account}`, accessKeyId: `AKIAFAKE${account}`, kind: 'user',
  };
}

/** Sessions handed out by the sandbox itself (clientConfig) never expire. */
export const NEVER_EXPIRES = Number.MAX_SAFE_INTEGER;

export function mintSession(
  state: SandboxState,
  role: { account: string; roleName: string; roleArn: string; roleId: string },
  sessionName: string,
  expiresAt: number,
  random: SeededRandom,
): SessionRecord {
  const session: SessionRecord = {
    accessKeyId: `ASIA${random.upperAlnum(16)}`,
    secretAccessKey: random.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
    sessionToken: `FQoGZXIvYXdzE${random.chars(120, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
    ...role,
    sessionName,
    expiresAt,
  };
  state.sessions.set(session.accessKeyId, session);
  return session;
}

export function sessionCredentials(session: SessionRecord): Credentials {
  return {
    accessKeyId: session.accessKeyId,
    secretAccessKey: session.secretAccessKey,
    sessionToken: session.sessionToken,
    ...(session.expiresAt !== NEVER_EXPIRES ? { expiration: new Date(session.expiresAt) } : {}),
  };
}

/** The principal forms a policy can name for this caller: its own ARN, and for a session the role's ARN. */
export function principalArns(caller: Caller): string[] {
  return caller.kind === 'assumed-role' && caller.roleArn ? [caller.arn, caller.roleArn] : [caller.arn];
}

export type Identification =
  | { caller: Caller }
  | { problem: 'unknown-key' | 'expired' | 'bad-token' }
  | { problem: 'role-deleted'; caller: Caller };

function sessionCaller(session: SessionRecord): Caller {
  return {
    account: session.account,
    arn: `arn:aws:sts::${session.account}:assumed-role/${session.roleName}/${session.sessionName}`,
    userId: `${session.roleId}:${session.sessionName}`,
    accessKeyId: session.accessKeyId,
    kind: 'assumed-role',
    roleName: session.roleName,
    roleArn: session.roleArn,
    sessionName: session.sessionName,
  };
}

/** Resolves an access key (and session token) to the caller, as AWS authenticates a request. */
export function identify(state: SandboxState, accessKeyId: string, sessionToken: string | undefined, nowMs: number): Identification {
  const admin = ADMIN_KEY.exec(accessKeyId);
  if (admin) return { caller: adminCaller(admin[1]) };
  const session = state.sessions.get(accessKeyId);
  if (!session) return { problem: 'unknown-key' };
  if (sessionToken !== session.sessionToken) return { problem: 'bad-token' };
  if (session.expiresAt <= nowMs) return { problem: 'expired' };
  const caller = sessionCaller(session);
  // A deleted (or deleted and recreated) role takes its sessions' permissions with it.
  const role = findRole(state, session.account, session.roleName);
  if (!role || role.id !== session.roleId) return { problem: 'role-deleted', caller };
  return { caller };
}
