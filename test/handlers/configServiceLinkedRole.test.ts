import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { CONFIG_SERVICE_LINKED_ROLE, configRecorderTemplate, SERVICE_LINKED_ROLE_FUNCTION } from '../../stacks/awsConfig/configRecorder';
import { startMoto, type Moto } from './motoServer';

// The inline function of the recorder StackSet's member template, run with the machines' Python against moto's IAM.
let moto: Moto | { skipped: string };
let workdir: string;
let responses: { Status: string; Reason: string; PhysicalResourceId: string; RequestId: string }[];
let responseServer: http.Server;
let responseUrl: string;

beforeAll(async () => {
  moto = await startMoto();
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-slr-'));
  fs.writeFileSync(path.join(workdir, 'index.py'), SERVICE_LINKED_ROLE_FUNCTION);
  fs.writeFileSync(path.join(workdir, 'invoke.py'), [
    'import importlib.util, json, sys, types',
    "spec = importlib.util.spec_from_file_location('index', sys.argv[1])",
    'module = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(module)',
    "module.handler(json.loads(sys.argv[2]), types.SimpleNamespace(log_stream_name='test'))",
  ].join('\n'));
  responses = [];
  // Stands in for CloudFormation's pre-signed response URL.
  responseServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'PUT') responses.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((resolve) => responseServer.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(responseServer.address() as { port: number }).port}/response`;
}, 60_000);

afterAll(async () => {
  if ('stop' in moto) await moto.stop();
  await new Promise((resolve) => responseServer.close(resolve));
  fs.rmSync(workdir, { recursive: true, force: true });
});

/** Runs the function once; asynchronously, so this process can take CloudFormation's part and answer its PUT. */
async function invoke(requestType: 'Create' | 'Update' | 'Delete', endpoint: string, requestId: string): Promise<void> {
  const event = { RequestType: requestType, ResponseURL: responseUrl, StackId: 'arn:aws:cloudformation:us-east-1:555555555551:stack/rampart/1', RequestId: requestId, LogicalResourceId: 'ConfigServiceLinkedRole', ResourceType: 'Custom::RampartConfigServiceLinkedRole', ResourceProperties: {} };
  const child = spawn('python3', [path.join(workdir, 'invoke.py'), path.join(workdir, 'index.py'), JSON.stringify(event)], {
    env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (status !== 0) throw new Error(`the function crashed instead of answering CloudFormation: ${stderr}`);
}

const lastResponse = (requestId: string) => responses.filter((r) => r.RequestId === requestId).at(-1);

describe('the recorder template\'s service-linked role function', () => {
  it('fits CloudFormation\'s inline code limit and is what the member template runs', () => {
    expect(SERVICE_LINKED_ROLE_FUNCTION.length).toBeLessThan(4096);
    const template = configRecorderTemplate({ global: { homeRegion: 'us-east-1', tags: {} }, security: { config: { recorder: { allSupported: true } } } } as never, 'bucket') as { Resources: Record<string, { Properties: { Code?: { ZipFile: string } } }> };
    expect(template.Resources.ServiceLinkedRoleFunction.Properties.Code?.ZipFile).toBe(SERVICE_LINKED_ROLE_FUNCTION);
  });

  // moto names the role AWSServiceRoleForconfig (IAM: AWSServiceRoleForConfig) and answers a second create with
  // EntityAlreadyExists (IAM: InvalidInput "has been taken"); the function accepts both answers.
  it('creates AWSServiceRoleForConfig, then treats it as present on every further Region and on update, and leaves it on delete', async () => {
    if ('skipped' in moto) {
      console.warn(`moto check skipped: ${moto.skipped}`);
      return;
    }
    const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    expect((await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/config.amazonaws.com/' }))).Roles ?? []).toHaveLength(0);

    await invoke('Create', moto.endpoint, 'first-region');
    expect(lastResponse('first-region')).toMatchObject({ Status: 'SUCCESS', Reason: `${CONFIG_SERVICE_LINKED_ROLE} created`, PhysicalResourceId: CONFIG_SERVICE_LINKED_ROLE });
    const role = (await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/config.amazonaws.com/' }))).Roles ?? [];
    expect(role.map((r) => r.RoleName?.toLowerCase())).toEqual([CONFIG_SERVICE_LINKED_ROLE.toLowerCase()]);

    await invoke('Create', moto.endpoint, 'second-region');
    expect(lastResponse('second-region')).toMatchObject({ Status: 'SUCCESS', Reason: `${CONFIG_SERVICE_LINKED_ROLE} already present` });
    await invoke('Update', moto.endpoint, 'update');
    expect(lastResponse('update')).toMatchObject({ Status: 'SUCCESS' });
    await invoke('Delete', moto.endpoint, 'delete');
    expect(lastResponse('delete')).toMatchObject({ Status: 'SUCCESS', Reason: `${CONFIG_SERVICE_LINKED_ROLE} left in place` });
    expect((await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/config.amazonaws.com/' }))).Roles).toHaveLength(1);
  }, 60_000);

  it('reports a failure to CloudFormation with the reason instead of leaving the stack waiting', async () => {
    if ('skipped' in moto) return;
    await invoke('Create', 'http://127.0.0.1:9', 'unreachable');
    expect(lastResponse('unreachable')).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/127\.0\.0\.1:9/) });
  }, 60_000);
});
