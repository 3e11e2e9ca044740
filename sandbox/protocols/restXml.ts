import { parseXML } from '@aws-sdk/xml-builder';
import { AwsError } from '../errors';
import { shapeOf, type ServiceModel, type ShapeRef } from '../models/serviceModel';
import { resolveError } from './errorShape';
import { matchRoute, readBoundMembers, writeBoundMembers } from './httpBindings';
import type { Protocol, WireRequest } from './types';
import { escapeXml, writeXmlMembers, writeXmlValue, xmlToStructure, xmlToValue } from './xmlCodec';

/** Root elements S3 answers with where the output shape is not a payload (from the S3 API reference). */
const RESULT_ELEMENTS: Record<string, string> = {
  ListObjectsV2: 'ListBucketResult',
  ListBuckets: 'ListAllMyBucketsResult',
  GetBucketVersioning: 'VersioningConfiguration',
};

/**
 * The bucket named by a virtual-hosted-style host: `<bucket>.s3.<region>.amazonaws.com`,
 * `<bucket>.s3.amazonaws.com` or `<bucket>.localhost`.
 */
export function virtualHostBucket(hostname: string): string | undefined {
  const aws = /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/.exec(hostname);
  if (aws) return aws[1];
  const local = /^(.+)\.localhost$/.exec(hostname);
  return local ? local[1] : undefined;
}

function requestPath(request: WireRequest): string {
  const bucket = virtualHostBucket(request.hostname);
  return bucket ? `/${encodeURIComponent(bucket)}${request.path === '/' ? '' : request.path}` : request.path;
}

function namespaceOf(model: ServiceModel): string {
  return model.metadata.xmlNamespace ?? `http://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}/`;
}

type XmlElement = { [key: string]: string | XmlElement | XmlElement[] };

function parseXmlBody(body: Buffer): XmlElement {
  try {
    const parsed = parseXML(body.toString('utf8')) as XmlElement;
    const root = Object.values(parsed)[0];
    return typeof root === 'object' && !Array.isArray(root) ? root : {};
  } catch (error) {
    throw new AwsError('MalformedXML', `The XML you provided was not well-formed or did not validate against our published schema: ${(error as Error).message}`);
  }
}

const labelCache = new WeakMap<object, Record<string, string>>();

/** The restXml protocol (S3): path-style and virtual-hosted-style requests, XML bodies, S3's `<Error>` documents. */
export const restXmlProtocol: Protocol = {
  route(request, model) {
    const match = matchRoute(model, request.method, requestPath(request), request.query);
    if (!match) {
      throw new AwsError('NotImplemented', `FakeAws does not implement ${request.method} ${request.path}${Object.keys(request.query).length ? `?${Object.keys(request.query).join('&')}` : ''}.`, { status: 501 });
    }
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
      else if (payloadShape.type === 'string') {
        if (request.body.length) bound[shape.payload] = request.body.toString('utf8');
      } else if (request.body.length) bound[shape.payload] = xmlToValue(parseXmlBody(request.body), ref, model, shape.payload);
      return bound;
    }
    const fromBody = request.body.length ? xmlToStructure(parseXmlBody(request.body), shape, model, '') : {};
    return { ...fromBody, ...bound };
  },

  serializeOutput(output, model, operation, requestId) {
    const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId };
    let status = operation.http.responseCode ?? 200;
    let body = Buffer.alloc(0);
    let streaming = false;
    if (operation.output) {
      const shape = shapeOf(model, operation.output);
      const bound = writeBoundMembers(output, shape, model);
      Object.assign(headers, bound.headers);
      status = bound.status ?? status;
      if (shape.payload) {
        const ref = (shape.members ?? {})[shape.payload] as ShapeRef;
        const payloadShape = shapeOf(model, ref.shape);
        const value = output[shape.payload];
        if (payloadShape.type === 'blob' || payloadShape.type === 'string') {
          body = value === undefined ? Buffer.alloc(0) : Buffer.from(value as string | Uint8Array);
          streaming = ref.streaming === true || payloadShape.streaming === true;
        } else if (value !== undefined) {
          const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
          writeXmlValue(parts, value, ref, ref.locationName ?? payloadShape.locationName ?? ref.shape, model, namespaceOf(model));
          body = Buffer.from(parts.join(''));
          headers['content-type'] = 'application/xml';
        }
      } else if (Object.values(shape.members ?? {}).some((m) => !m.location)) {
        const root = RESULT_ELEMENTS[operation.name] ?? shape.locationName ?? operation.output.replace(/Output$/, 'Result');
        const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n', `<${root} xmlns="${namespaceOf(model)}">`];
        writeXmlMembers(parts, output, shape, model);
        parts.push(`</${root}>`);
        body = Buffer.from(parts.join(''));
        headers['content-type'] = 'application/xml';
      }
    }
    return { status, headers, body, streaming };
  },

  serializeError(error, model, request, requestId) {
    const resolved = resolveError(error, model, true);
    const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId, ...error.headers };
    if (request.method === 'HEAD') return { status: resolved.status, headers, body: Buffer.alloc(0) };
    const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', `<Error><Code>${escapeXml(resolved.code)}</Code><Message>${escapeXml(resolved.message)}</Message>`];
    for (const [name, value] of Object.entries(error.fields)) parts.push(`<${name}>${escapeXml(String(value))}</${name}>`);
    parts.push(`<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`);
    headers['content-type'] = 'application/xml';
    return { status: resolved.status, headers, body: Buffer.from(parts.join('')) };
  },
};
