/**
 * An error a service answers with. `code` is the error shape's name in the service model (e.g.
 * `NoSuchEntityException`); each protocol turns it into the wire code, HTTP status and body the
 * SDK maps back to the named exception class. Errors the model does not list (AccessDenied,
 * Throttling, ...) carry their wire code and status here.
 */
export class AwsError extends Error {
  readonly code: string;
  /** HTTP status when the model does not give one. */
  readonly status: number;
  /** Extra members of the error shape, e.g. `{ Reason: 'MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED' }`. */
  readonly fields: Record<string, unknown>;
  /** Response headers the error carries (e.g. `x-amz-bucket-region`). */
  readonly headers: Record<string, string>;
  /** True when the caller is at fault (Sender), false for service faults (Receiver). */
  readonly sender: boolean;

  constructor(code: string, message: string, options: { status?: number; fields?: Record<string, unknown>; headers?: Record<string, string>; sender?: boolean } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = options.status ?? 400;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
    this.sender = options.sender ?? this.status < 500;
  }
}

export function isAwsError(error: unknown): error is AwsError {
  return error instanceof AwsError;
}
