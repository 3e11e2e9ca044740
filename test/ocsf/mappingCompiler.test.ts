import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventRejection } from '../../ocsf/coerce';
import { loadMappingFile, loadMappingText } from '../../ocsf/loadMapping';
import { validateOcsfEvent } from '../../ocsf/validateEvent';
import { mapSample, ROOT, SAMPLES, type SampleSource } from './sampleEvents';

const REFERENCE_DIR = path.join(__dirname, 'fixtures', 'reference-mappings');

function mappingWith(schemaMapping: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ custom_source_events: { source_name: 't', matched_field: '$.kind', ocsf_mapping: { flow: { schema: 'network_activity', schema_mapping: schemaMapping } }, ...extra } });
}

const VALID_NETWORK = {
  metadata: { version: '1.1.0', product: { name: 'P', vendor_name: 'V' } },
  severity_id: 1, activity_id: 6, time: '$.t',
  src_endpoint: { ip: '$.src', port: '$.sport' }, dst_endpoint: { ip: '$.dst' },
};

describe('published mapping files load unchanged', () => {
  test.each(['aws_nfw.json', 'aws_alb.json', 'windows_sysmon.json'])('%s compiles, with its known mistakes reported as warnings', (file) => {
    const loaded = loadMappingFile(path.join(REFERENCE_DIR, file));
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(loaded.compiled).toBeDefined();
    const messages = loaded.issues.map((i) => `${i.where}: ${i.message} / ${i.fix}`);
    expect(messages.some((m) => /metadata\.version: .*"v1\.[01]\.0" is not 1\.1\.0/.test(m))).toBe(true);
    expect(messages.some((m) => /metadata\.profiles: .*(comma-separated string|single value, not a list)/.test(m))).toBe(true);
  });

  test('Network Firewall: decimal tcp_flags are flagged, since the service writes them in hexadecimal', () => {
    const loaded = loadMappingFile(path.join(REFERENCE_DIR, 'aws_nfw.json'));
    expect(loaded.issues).toContainEqual(expect.objectContaining({ severity: 'warning', where: 'ocsf_mapping.netflow.schema_mapping.connection_info.tcp_flags', fix: expect.stringContaining('"format": "hex"') }));
  });

  test('Sysmon: file.type_uid is read as file.type_id, the fixed type_uid 100701 is recomputed, strings for objects become their name', () => {
    const loaded = loadMappingFile(path.join(REFERENCE_DIR, 'windows_sysmon.json'));
    const where = loaded.issues.map((i) => i.where);
    expect(where).toContain('ocsf_mapping.11.schema_mapping.file.type_uid');
    expect(where).toContain('ocsf_mapping.5.schema_mapping.type_uid');
    const event = loaded.compiled!.map({ EventId: 5, Description: { UtcTime: '2024-05-01 12:00:00.250', ProcessId: '42', Image: 'C:\\a.exe', User: 'CORP\\bob' } });
    expect(event.type_uid).toBe(100702);
    expect(event.activity_id).toBe(2);
    expect(event.time).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 250));
    expect(event.actor).toEqual({ process: { name: 'C:\\a.exe' } });
    expect((event.process as Record<string, unknown>).pid).toBe(42);
    const file = loaded.compiled!.map({ EventId: 11, Description: { UtcTime: '2024-05-01 12:00:00.000', TargetFilename: 'C:\\x.txt', Image: 'C:\\a.exe' } });
    expect(file.file).toEqual({ name: 'C:\\x.txt', type_id: 1 });
    expect(validateOcsfEvent(JSON.parse(JSON.stringify(file)))).toEqual([]);
  });

  test('the copies are the published files, byte for byte', () => {
    const shared = path.resolve(ROOT, '..', '..', 'shared', 'data', 'reference-mappings');
    for (const file of ['aws_nfw.json', 'aws_alb.json', 'windows_sysmon.json']) {
      const copy = fs.readFileSync(path.join(REFERENCE_DIR, file));
      if (fs.existsSync(path.join(shared, file))) expect(copy.equals(fs.readFileSync(path.join(shared, file)))).toBe(true);
      expect(JSON.parse(copy.toString('utf8')).custom_source_events.ocsf_mapping).toBeDefined();
    }
  });
});

describe('shipped sources map their samples to valid OCSF 1.1.0', () => {
  test.each(Object.keys(SAMPLES) as SampleSource[])('%s', (source) => {
    const loaded = loadMappingFile(`builtin:${source}`);
    expect(loaded.issues).toEqual([]);
    const events = mapSample(source);
    for (const event of events) expect(validateOcsfEvent(event)).toEqual([]);
    expect(events).toEqual(JSON.parse(fs.readFileSync(path.join(__dirname, 'expected', `${source}.json`), 'utf8')));
  });

  test('Sysmon covers process, file, network and DNS activity', () => {
    expect(mapSample('windows-sysmon').map((e) => e.class_uid)).toEqual([1007, 1007, 1001, 1001, 4001, 4003]);
  });
});

describe('load-time checks', () => {
  const issues = (text: string) => loadMappingText(text, 'test.json').issues;

  test('a missing required attribute rejects the mapping with the reason', () => {
    const { dst_endpoint: _dst, ...withoutDst } = VALID_NETWORK;
    const found = issues(mappingWith(withoutDst));
    expect(found).toContainEqual(expect.objectContaining({ severity: 'error', where: 'ocsf_mapping.flow.schema_mapping.dst_endpoint', message: expect.stringContaining('required by Network Activity (4001)') }));
    expect(loadMappingText(mappingWith(withoutDst), 't').compiled).toBeUndefined();
  });

  test('an attribute the class does not have is kept under unmapped, with a warning', () => {
    const loaded = loadMappingText(mappingWith({ ...VALID_NETWORK, colour: '$.c' }), 't');
    expect(loaded.issues).toContainEqual(expect.objectContaining({ severity: 'warning', where: 'ocsf_mapping.flow.schema_mapping.colour' }));
    const event = loaded.compiled!.map({ kind: 'flow', t: 1714564800, src: '10.0.0.1', dst: '10.0.0.2', c: 'blue' });
    expect(event.unmapped).toEqual({ colour: 'blue' });
    expect(event).not.toHaveProperty('colour');
  });

  test('an unmapped key given twice keeps the later value, with a warning', () => {
    const loaded = loadMappingText(mappingWith({ ...VALID_NETWORK, colour: '$.c', unmapped: { colour: '$.paint' } }), 't');
    expect(loaded.issues).toContainEqual(expect.objectContaining({ severity: 'warning', where: 'ocsf_mapping.flow.schema_mapping.unmapped.colour', message: 'unmapped key "colour" is given twice' }));
    const event = loaded.compiled!.map({ kind: 'flow', t: 1714564800, src: '10.0.0.1', dst: '10.0.0.2', c: 'blue', paint: 'red' });
    expect(event.unmapped).toEqual({ colour: 'red' });
  });

  test('string-typed numbers are converted with a warning; a non-number is an error', () => {
    expect(issues(mappingWith({ ...VALID_NETWORK, severity_id: '1' }))).toContainEqual(expect.objectContaining({ severity: 'warning', message: '"1" is a string-typed number' }));
    expect(issues(mappingWith({ ...VALID_NETWORK, severity_id: 'high' }))).toContainEqual(expect.objectContaining({ severity: 'error', where: 'ocsf_mapping.flow.schema_mapping.severity_id' }));
  });

  test('enum values outside OCSF are errors', () => {
    expect(issues(mappingWith({ ...VALID_NETWORK, activity_id: 42 }))).toContainEqual(expect.objectContaining({ severity: 'error', where: 'ocsf_mapping.flow.schema_mapping.activity_id' }));
  });

  test('a typed leaf that contradicts OCSF is an error', () => {
    expect(issues(mappingWith({ ...VALID_NETWORK, dst_endpoint: { ip: '$.dst', port: { path: '$.p', type: 'string' } } }))).toContainEqual(
      expect.objectContaining({ severity: 'error', where: 'ocsf_mapping.flow.schema_mapping.dst_endpoint.port' }),
    );
  });

  test('type_uid is class_uid × 100 + activity_id; time is epoch milliseconds', () => {
    const mapping = loadMappingText(mappingWith({ ...VALID_NETWORK, activity_id: { enum: { evaluate: '$.a', values: { open: 1, close: 2 }, other: 99 } } }), 't').compiled!;
    const base = { kind: 'flow', src: '10.0.0.1', dst: '10.0.0.2' };
    expect(mapping.map({ ...base, a: 'close', t: 1714564800 })).toMatchObject({ activity_id: 2, type_uid: 400102, time: 1714564800000 });
    expect(mapping.map({ ...base, a: 'x', t: '2024-05-01T12:00:00.5+02:00' })).toMatchObject({ activity_id: 99, type_uid: 400199, time: Date.UTC(2024, 4, 1, 10, 0, 0, 500) });
    expect(mapping.map({ ...base, a: 'open', t: 1714564800123 }).time).toBe(1714564800123);
  });

  test('runtime rejections carry a reason', () => {
    const mapping = loadMappingText(mappingWith(VALID_NETWORK), 't').compiled!;
    const reject = (record: unknown) => {
      try {
        mapping.map(record);
      } catch (error) {
        return error as EventRejection;
      }
      throw new Error('not rejected');
    };
    expect(reject({ kind: 'other' })).toMatchObject({ code: 'unknown-match', message: expect.stringContaining('no mapping for $.kind = "other"') });
    expect(reject({ kind: 'flow', src: '1', dst: '2' })).toMatchObject({ code: 'missing-required', field: 'time' });
    expect(reject({ kind: 'flow', t: 1, src: '1', dst: '2', sport: 'http' })).toMatchObject({ code: 'wrong-type', field: 'src_endpoint.port' });
    expect(reject({ kind: 'flow', t: 1, src: 'x'.repeat(70_000), dst: '2' })).toMatchObject({ code: 'field-too-large', field: 'src_endpoint.ip' });
    expect(reject([1, 2])).toMatchObject({ code: 'not-an-object' });
  });

  test('bad JSON points at the line', () => {
    expect(issues('{\n "custom_source_events": {,\n}')[0]).toMatchObject({ severity: 'error', where: expect.stringMatching(/line 2/) });
  });

  test('classes Rampart cannot type yet are refused with the list it can', () => {
    const text = JSON.stringify({ custom_source_events: { source_name: 'auth', matched_field: '$.k', ocsf_mapping: { a: { schema: 'authentication', schema_mapping: {} } } } });
    expect(issues(text)[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('Authentication (3002)') });
  });
});
