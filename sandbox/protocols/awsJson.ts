import { AwsError } from '../errors';
import { shapeOf } from '../models/serviceModel';
import { resolveError } from './errorShape';
import { errorBody, jsonToStructure, structureToJson } from './jsonCodec';
import type { Protocol, WireRequest } from './types';

export function parseJsonBody(request: WireRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/**
 * The awsJson 1.0/1.1 protocol (Organizations, EventBridge, Step Functions, Config): POST / with
 * `X-Amz-Target: <prefix>.<Operation>`, JSON in and out, `__type` naming the error shape.
 */
export const awsJsonProtocol: Protocol = {
  route(request, model) {
    const target = request.headers['x-amz-target'];
    if (!target) throw new AwsError('UnknownOperationException', 'The request carries no X-Amz-Target header.');
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot);
    const operation = model.operations[target.slice(dot + 1)];
    if (prefix !== model.metadata.targetPrefix || !operation) throw new AwsError('UnknownOperationException', `Unknown operation ${target}.`);
    return operation;
  },

  parseInput(request, model, operation) {
    const body = parseJsonBody(request);
    return operation.input ? jsonToStructure(body, shapeOf(model, operation.input), model, '') : {};
  },

  serializeOutput(output, model, operation, requestId) {
    const body = operation.output ? structureToJson(output, shapeOf(model, operation.output), model) : {};
    return {
      status: 200,
      headers: { 'content-type': `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`, 'x-amzn-requestid': requestId },
      body: Buffer.from(JSON.stringify(body), 'utf8'),
    };
  },

  serializeError(error, model, _request, requestId) {
    const resolved = resolveError(error, model, false);
    return {
      status: resolved.status,
      headers: {
        'content-type': `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`,
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': resolved.code,
        ...error.headers,
      },
      body: Buffer.from(JSON.stringify(errorBody(resolved.code, resolved.message, error.fields, resolved.shape, model)), 'utf8'),
    };
  },
};
