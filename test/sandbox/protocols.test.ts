import * as S3 from '@aws-sdk/client-s3';
import * as SH from '@aws-sdk/client-securityhub';
import * as http from 'node:http';
import { Readable } from 'node:stream';
import { AwsError, type FakeAwsServer } from '../../sandbox';
import { serviceModel } from '../../sandbox/models/serviceModel';
import { validateInput, violationMessage } from '../../sandbox/models/validate';
import { decodeAwsChunked } from '../../sandbox/protocols/awsChunked';
import { escapeXml } from '../../sandbox/protocols/xmlCodec';
import { paginate } from '../../sandbox/services/paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from '../../sandbox/services/service';
import { SERVICES } from '../../sandbox/services';
import { errorOf, openSandbox, TRANSPORTS, type Sandbox } from './transports';

/**
 * A restJson service written for this test, shaped like Security Hub's DescribeHub (GET, query
 * binding), UpdateStandardsControl (PATCH, greedy URI label, JSON body) and a 404 error shape, so
 * the restJson front-end is exercised by the real SecurityHubClient.
 */
const restJsonModel = serviceModel('securityhub', {
  metadata: { apiVersion: '2018-10-26', endpointPrefix: 'securityhub', protocol: 'rest-json', serviceId: 'SecurityHub', signingName: 'securityhub', jsonVersion: '1.1' },
  operations: {
    DescribeHub: { http: { method: 'GET', requestUri: '/accounts' }, input: 'DescribeHubRequest', output: 'DescribeHubResponse', errors: ['ResourceNotFoundException'] },
    UpdateStandardsControl: { http: { method: 'PATCH', requestUri: '/standards/control/{StandardsControlArn+}' }, input: 'UpdateStandardsControlRequest', output: 'UpdateStandardsControlResponse', errors: ['ResourceNotFoundException'] },
  },
  shapes: {
    DescribeHubRequest: { type: 'structure', members: { HubArn: { shape: 'NonEmptyString', location: 'querystring', locationName: 'HubArn' } } },
    DescribeHubResponse: { type: 'structure', members: { HubArn: { shape: 'NonEmptyString' }, SubscribedAt: { shape: 'NonEmptyString' }, AutoEnableControls: { shape: 'Boolean' } } },
    UpdateStandardsControlRequest: {
      type: 'structure', required: ['StandardsControlArn'],
      members: { StandardsControlArn: { shape: 'NonEmptyString', location: 'uri', locationName: 'StandardsControlArn' }, ControlStatus: { shape: 'ControlStatus' }, DisabledReason: { shape: 'NonEmptyString' } },
    },
    UpdateStandardsControlResponse: { type: 'structure', members: {} },
    ResourceNotFoundException: { type: 'structure', members: { Message: { shape: 'NonEmptyString' }, Code: { shape: 'NonEmptyString' } }, error: { httpStatusCode: 404 }, exception: true },
    NonEmptyString: { type: 'string', pattern: '.*\\S.*' },
    Boolean: { type: 'boolean' },
    ControlStatus: { type: 'string', enum: ['ENABLED', 'DISABLED'] },
  },
});

const controls = new Map<string, { status: string; reason?: string }>();
const restJsonService: ServiceDefinition = {
  model: restJsonModel,
  actionPrefix: 'securityhub',
  global: false,
  errors: protocolErrors('rest-json'),
  operations: {
    DescribeHub(input: SH.DescribeHubRequest, ctx: CallContext): SH.DescribeHubResponse {
      const arn = `arn:aws:securityhub:${ctx.region}:${ctx.account}:hub/default`;
      if (input.HubArn && input.HubArn !== arn) throw new AwsError('ResourceNotFoundException', `Hub ${input.HubArn} not found`, { fields: { Code: 'ResourceNotFoundException' } });
      return { HubArn: arn, SubscribedAt: '2026-01-01T00:00:00.000Z', AutoEnableControls: true };
    },
    UpdateStandardsControl(input: SH.UpdateStandardsControlRequest): SH.UpdateStandardsControlResponse {
      controls.set(input.StandardsControlArn as string, { status: input.ControlStatus as string, reason: input.DisabledReason });
      return {};
    },
  },
};

describe.each(TRANSPORTS)('wire protocols (%s)', (transport) => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await openSandbox(transport);
    sandbox.fake.services.add(restJsonService);
  });
  afterEach(() => sandbox.close());

  it('restJson: routes by method and URI template, binds query strings, greedy labels and JSON bodies', async () => {
    const hub = new SH.SecurityHubClient(sandbox.client({ account: '333333333333', region: 'us-east-2' }));
    const described = await hub.send(new SH.DescribeHubCommand({}));
    expect(described).toEqual(expect.objectContaining({ HubArn: 'arn:aws:securityhub:us-east-2:333333333333:hub/default', AutoEnableControls: true }));
    const arn = 'arn:aws:securityhub:us-east-2:333333333333:control/pci-dss/v/4.0.1/Macie.1';
    await hub.send(new SH.UpdateStandardsControlCommand({ StandardsControlArn: arn, ControlStatus: 'DISABLED', DisabledReason: 'ticket SEC-412' }));
    expect(controls.get(arn)).toEqual({ status: 'DISABLED', reason: 'ticket SEC-412' });
    const missing = await errorOf(hub.send(new SH.DescribeHubCommand({ HubArn: 'arn:aws:securityhub:us-east-2:333333333333:hub/other' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    expect(missing.message).toContain('not found');
    const invalid = await errorOf(hub.send(new SH.UpdateStandardsControlCommand({ StandardsControlArn: arn, ControlStatus: 'OFF' as SH.ControlStatus })));
    expect(invalid.name).toBe('ValidationException');
  });

  it('restXml: decodes aws-chunked streaming uploads with trailing checksums', async () => {
    const s3 = new S3.S3Client(sandbox.client({ account: '222222222222', region: 'us-east-1' }));
    await s3.send(new S3.CreateBucketCommand({ Bucket: 'chunked-uploads' }));
    const body = Readable.from([Buffer.from('first chunk, '), Buffer.from('second chunk')]);
    await s3.send(new S3.PutObjectCommand({ Bucket: 'chunked-uploads', Key: 'stream.txt', Body: body, ContentLength: 25 }));
    const got = await s3.send(new S3.GetObjectCommand({ Bucket: 'chunked-uploads', Key: 'stream.txt' }));
    expect(await got.Body?.transformToString()).toBe('first chunk, second chunk');
  });
});

/** A raw HTTP request, so tests can send what SDKs never would (and set Host). */
function rawRequest(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${options.path ?? '/'}`, { method: options.method ?? 'POST', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('wire errors on the loopback server', () => {
  let sandbox: Sandbox;
  let server: FakeAwsServer;
  let url: string;
  beforeAll(async () => {
    sandbox = await openSandbox('in-process');
    server = await sandbox.fake.listen();
    url = server.url;
  });
  afterAll(() => server.close());

  const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=AKIAFAKE111111111111/20261204/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

  it('awsJson: an unknown X-Amz-Target answers UnknownOperationException', async () => {
    const response = await rawRequest(url, {
      body: '{}',
      headers: { 'x-amz-target': 'AWSOrganizationsV20161128.LeaveOrganizationNow', 'content-type': 'application/x-amz-json-1.1', authorization: auth('organizations') },
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual(expect.objectContaining({ __type: 'UnknownOperationException' }));
  });

  it('query: an unknown Action answers InvalidAction in an ErrorResponse document', async () => {
    const response = await rawRequest(url, {
      body: 'Action=CreateUser&Version=2010-05-08&UserName=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth('iam') },
    });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
  });

  it('query: a request without credentials answers MissingAuthenticationToken', async () => {
    const response = await rawRequest(url, { body: 'Action=GetCallerIdentity&Version=2011-06-15', headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'sts.amazonaws.com' } });
    expect(response.status).toBe(403);
    expect(response.text).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('says plainly when it cannot tell which service a request is for', async () => {
    const response = await rawRequest(url, { method: 'GET', path: '/whatever' });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).message).toContain('could not tell which AWS service');
  });

  it('refuses to listen on anything but a loopback address', async () => {
    await expect(sandbox.fake.listen({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('protocol building blocks', () => {
  it('decodes aws-chunked bodies with signatures and trailers', () => {
    const body = Buffer.from('5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n');
    expect(decodeAwsChunked(body)).toEqual({ payload: Buffer.from('hello world'), trailers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
    expect(() => decodeAwsChunked(Buffer.from('ff\r\nshort'))).toThrow(AwsError);
  });

  it('escapes XML text', () => {
    expect(escapeXml('a<b & c>d\r')).toBe('a&lt;b &amp; c&gt;d&#13;');
  });

  it('words model violations as AWS services do', () => {
    const iam = SERVICES.find((s) => s.model.name === 'iam')?.model;
    if (!iam) throw new Error('iam model missing');
    const violations = validateInput({ RoleName: 'has space', MaxSessionDuration: 60 }, 'CreateRoleRequest', iam);
    expect(violations.map((v) => [v.path, v.kind])).toEqual([['assumeRolePolicyDocument', 'required'], ['roleName', 'pattern'], ['maxSessionDuration', 'minValue']]);
    expect(violationMessage(violations)).toMatch(/^3 validation errors detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null; /);
  });

  it('keeps paging right when an item before the cursor is deleted between pages', () => {
    const operation = { name: 'ListThings', http: { method: 'POST', requestUri: '/' }, errors: [], pageSize: { default: 2 } };
    const items = ['a', 'b', 'c', 'd', 'e'];
    const invalidToken = () => new AwsError('InvalidToken', 'bad');
    const first = paginate(items, { operation, invalidToken, keyOf: (i) => i });
    expect(first.page).toEqual(['a', 'b']);
    const afterDelete = paginate(items.filter((i) => i !== 'a'), { operation, token: first.nextToken, invalidToken, keyOf: (i) => i });
    expect(afterDelete.page).toEqual(['c', 'd']);
    expect(() => paginate(items, { operation: { ...operation, name: 'Other' }, token: first.nextToken, invalidToken })).toThrow('bad');
  });

  it('has a handler for every generated operation and an operation for every handler', () => {
    for (const service of SERVICES) {
      expect(Object.keys(service.operations).sort()).toEqual(Object.keys(service.model.operations).sort());
    }
  });
});
