/** What a SigV4-signed request says about its caller: the access key and the credential scope. */
export interface SignedScope {
  accessKeyId: string;
  /** Region of the credential scope. */
  region: string;
  /** Signing name of the credential scope, e.g. `organizations`, `s3`, `states`. */
  service: string;
  /** The session token sent with temporary credentials. */
  sessionToken?: string;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;
const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

/**
 * Reads the caller from the Authorization header or, for presigned URLs, the X-Amz-Credential query
 * parameter. FakeAws does not verify signatures: it is a loopback/in-process emulator, and the access
 * key alone decides the identity (documented in sandbox/README.md).
 */
export function readSignedScope(headers: Record<string, string>, query: Record<string, string | string[]>): SignedScope | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = AUTHORIZATION.exec(authorization);
    if (!match) return undefined;
    return { accessKeyId: match[1], region: match[3], service: match[4], sessionToken: headers['x-amz-security-token'] };
  }
  const credential = query['X-Amz-Credential'];
  if (typeof credential === 'string') {
    const match = CREDENTIAL.exec(credential);
    if (!match) return undefined;
    const token = query['X-Amz-Security-Token'];
    return { accessKeyId: match[1], region: match[3], service: match[4], sessionToken: typeof token === 'string' ? token : undefined };
  }
  return undefined;
}
