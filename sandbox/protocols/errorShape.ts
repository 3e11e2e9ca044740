import type { AwsError } from '../errors';
import type { ServiceModel, Shape } from '../models/serviceModel';

export interface ResolvedError {
  /** The code on the wire: the shape name for JSON protocols, the shape's error code for query/XML. */
  code: string;
  status: number;
  message: string;
  sender: boolean;
  shape?: Shape;
}

/** Looks an error up in the service model for its wire code and HTTP status. */
export function resolveError(error: AwsError, model: ServiceModel, useErrorCode: boolean): ResolvedError {
  const shape = model.shapes[error.code];
  if (!shape?.exception) return { code: error.code, status: error.status, message: error.message, sender: error.sender };
  const status = shape.error?.httpStatusCode ?? error.status;
  return {
    code: useErrorCode ? (shape.error?.code ?? error.code) : error.code,
    status,
    message: error.message,
    sender: shape.error?.senderFault ?? status < 500,
    shape,
  };
}
