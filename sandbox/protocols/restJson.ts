import { AwsError } from '../errors';
import { shapeOf, type ShapeRef } from '../models/serviceModel';
import { parseJsonBody } from './awsJson';
import { resolveError } from './errorShape';
import { readBoundMembers, matchRoute, writeBoundMembers } from './httpBindings';
import { errorBody, jsonToStructure, jsonToValue, structureToJson, valueToJson } from './jsonCodec';
import type { Protocol } from './types';

const labelCache = new WeakMap<object, Record<string, string>>();

/**
 * The restJson protocol (Security Hub, Security Lake, Access Analyzer): the HTTP method and URI
 * template pick the operation; members bind to labels, query parameters, headers and a JSON body.
 */
export const restJsonProtocol: Protocol = {
  route(request, model) {
    const match = matchRoute(model, request.method, request.path, request.query);
    if (!match) throw new AwsError('UnknownOperationException', `No operation matches ${request.method} ${request.path}.`, { status: 404 });
    labelCache.set(request, match.labels);
    return match.operation;
  },

  parseInput(request, model, operation) {
    if (!operation.input) return {};
    const shape = shapeOf(model, operation.input);
    const bound = readBoundMembers(request, labelCache.get(request) ?? {}, shape, model);
    if (shape.payload) {
      const ref = (shape.members ?? {})[shape.payload] as ShapeRef;
      const payloadShape = shapeOf(model, ref.shape);
      if (payloadShape.type === 'blob') bound[shape.payload] = request.body;
      else if (payloadShape.type === 'string') bound[shape.payload] = request.body.toString('utf8');
      else if (request.body.length) bound[shape.payload] = jsonToValue(parseJsonBody(request), ref.shape, model, shape.payload);
      return bound;
    }
    return { ...jsonToStructure(parseJsonBody(request), shape, model, '', true), ...bound };
  },

  serializeOutput(output, model, operation, requestId) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': requestId };
    let status = operation.http.responseCode ?? 200;
    let body: Buffer = Buffer.from('{}');
    if (operation.output) {
      const shape = shapeOf(model, operation.output);
      const bound = writeBoundMembers(output, shape, model);
      Object.assign(headers, bound.headers);
      status = bound.status ?? status;
      if (shape.payload) {
        const ref = (shape.members ?? {})[shape.payload] as ShapeRef;
        const payloadShape = shapeOf(model, ref.shape);
        const value = output[shape.payload];
        if (payloadShape.type === 'blob' || payloadShape.type === 'string') body = value === undefined ? Buffer.alloc(0) : Buffer.from(value as string | Uint8Array);
        else body = Buffer.from(JSON.stringify(valueToJson(value, ref, model) ?? {}));
      } else {
        body = Buffer.from(JSON.stringify(structureToJson(output, shape, model, true)));
      }
    }
    return { status, headers, body };
  },

  serializeError(error, model, _request, requestId) {
    const resolved = resolveError(error, model, false);
    return {
      status: resolved.status,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': resolved.code, ...error.headers },
      body: Buffer.from(JSON.stringify(errorBody(resolved.code, resolved.message, error.fields, resolved.shape, model))),
    };
  },
};
