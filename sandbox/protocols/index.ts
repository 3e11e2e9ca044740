import type { ServiceModel } from '../models/serviceModel';
import { awsJsonProtocol } from './awsJson';
import { queryProtocol } from './query';
import { restJsonProtocol } from './restJson';
import { restXmlProtocol } from './restXml';
import type { Protocol } from './types';

const PROTOCOLS: Record<ServiceModel['metadata']['protocol'], Protocol> = {
  json: awsJsonProtocol,
  'rest-json': restJsonProtocol,
  query: queryProtocol,
  'rest-xml': restXmlProtocol,
};

export function protocolFor(model: ServiceModel): Protocol {
  return PROTOCOLS[model.metadata.protocol];
}

export type { Protocol, WireRequest, WireResponse } from './types';
