import { FakeAws, type ClientConfigOptions, type FakeAwsOptions, type FakeAwsServer } from '../../sandbox';

export const TRANSPORTS = ['in-process', 'http'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** A sandbox reached through one transport: SDK clients get their config from `client(...)`. */
export interface Sandbox {
  fake: FakeAws;
  transport: TransportName;
  /** Client config for an identity; maxAttempts 1 so errors surface without SDK retries. */
  client(options: ClientConfigOptions): Record<string, unknown>;
  close(): Promise<void>;
}

export async function openSandbox(transport: TransportName, options: FakeAwsOptions = {}): Promise<Sandbox> {
  const fake = FakeAws.create({ seed: 11, ...options });
  let server: FakeAwsServer | undefined;
  if (transport === 'http') server = await fake.listen();
  return {
    fake,
    transport,
    client: (config) => ({ ...(server ? server.clientConfig(config) : fake.clientConfig(config)), maxAttempts: 1 }),
    close: async () => {
      await server?.close();
    },
  };
}

export const MANAGEMENT = '111111111111';

/** A sandbox with an organization whose management account is 111111111111, SCPs enabled. */
export async function openOrganization(transport: TransportName, options: FakeAwsOptions = {}): Promise<Sandbox & { rootId: string }> {
  const sandbox = await openSandbox(transport, options);
  const org = sandbox.fake.createOrganization({ managementAccountId: MANAGEMENT, email: 'management@example.com', name: 'management' });
  org.enablePolicyType(org.rootId, 'SERVICE_CONTROL_POLICY');
  return { ...sandbox, rootId: org.rootId };
}

export type ServiceError = Error & { name: string; $metadata?: { httpStatusCode?: number }; [member: string]: unknown };

/** The error a promise rejects with (fails the test when it resolves). */
export async function errorOf(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
