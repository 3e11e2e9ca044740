import type { AwsError } from '../errors';
import type { OperationModel, ServiceModel } from '../models/serviceModel';

/** An HTTP request as it reached FakeAws, whichever transport carried it. */
export interface WireRequest {
  method: string;
  /** Path as sent (percent-encoded), without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
  hostname: string;
}

export interface WireResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
  /** The body is a streaming payload (S3 GetObject): in-process callers receive it as a stream. */
  streaming?: boolean;
}

/** One wire protocol: finds the operation a request names, reads its input, writes its output or error. */
export interface Protocol {
  route(request: WireRequest, model: ServiceModel): OperationModel;
  parseInput(request: WireRequest, model: ServiceModel, operation: OperationModel): Record<string, unknown>;
  serializeOutput(output: Record<string, unknown>, model: ServiceModel, operation: OperationModel, requestId: string): WireResponse;
  serializeError(error: AwsError, model: ServiceModel, request: WireRequest, requestId: string): WireResponse;
}
