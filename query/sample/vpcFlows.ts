import type { LakeRecord } from '../lakeWriter';
import { hoursBefore, SampleScope } from './scope';

/**
 * VPC Flow Log records as Security Lake 2.0 stores them (OCSF 1.1.0 Network Activity 4001):
 * outbound traffic from instances to a small set of public addresses (documentation ranges),
 * inbound probes, some of it rejected.
 */

const DESTINATIONS = ['198.51.100.10', '198.51.100.77', '203.0.113.5', '203.0.113.200', '192.0.2.44', '192.0.2.91'] as const;
const OUTBOUND_PORTS = [443, 443, 443, 80, 22, 53, 3306] as const;
const INBOUND_PORTS = [443, 22, 3389] as const;
const FLOWS_PER_DAY = 12;
const CAPTURE_WINDOW_MS = 60_000;

export function vpcFlows(scope: SampleScope): LakeRecord[] {
  const records: LakeRecord[] = [];
  const total = FLOWS_PER_DAY * scope.days;
  const eni = `eni-${scope.random.hex(17)}`;
  const instance = `i-${scope.random.hex(17)}`;
  const privateIp = `10.${scope.random.int(0, 255)}.${scope.random.int(0, 255)}.${scope.random.int(1, 254)}`;
  for (let n = 0; n < total; n++) {
    const start = hoursBefore(scope, ((n + scope.random.next()) / total) * scope.days * 24);
    records.push(flow(scope, { eni, instance, privateIp }, start));
  }
  return records;
}

function flow(scope: SampleScope, host: { eni: string; instance: string; privateIp: string }, start: number): LakeRecord {
  const { random, account, region } = scope;
  const outbound = random.chance(0.7);
  const port = outbound ? random.pick(OUTBOUND_PORTS) : random.pick(INBOUND_PORTS);
  const remote = outbound ? random.pick(DESTINATIONS) : `${random.int(11, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
  const allowed = outbound ? random.chance(0.9) : random.chance(0.5);
  const bytes = allowed ? random.int(400, 5_000_000) : random.int(40, 240);
  const packets = Math.max(1, Math.round(bytes / 900));
  const ephemeral = random.int(32768, 60999);
  const local = { ip: host.privateIp, interface_uid: host.eni, instance_uid: host.instance, vpc_uid: `vpc-${account.slice(0, 8)}`, subnet_uid: `subnet-${account.slice(4, 12)}` };
  const src = outbound ? { ...local, port: ephemeral } : { ip: remote, port: ephemeral };
  const dst = outbound ? { ip: remote, port } : { ...local, port };
  const activityId = allowed ? 6 : 5;
  const activity = allowed ? 'Traffic' : 'Refuse';
  return {
    region,
    accountid: account,
    time: start,
    time_dt: new Date(start),
    start_time_dt: new Date(start),
    end_time_dt: new Date(start + CAPTURE_WINDOW_MS),
    metadata: { version: '1.1.0', profiles: ['cloud', 'security_control', 'datetime'], product: { name: 'Amazon VPC', vendor_name: 'AWS', version: '5', feature: { name: 'Flowlogs' } } },
    cloud: { account: { uid: account }, region, zone: `${region}a`, provider: 'AWS' },
    src_endpoint: src,
    dst_endpoint: dst,
    connection_info: {
      protocol_num: port === 53 ? 17 : 6,
      protocol_ver: 'IPv4',
      direction: outbound ? 'Outbound' : 'Inbound',
      direction_id: outbound ? 2 : 1,
      tcp_flags: port === 53 ? null : allowed ? 19 : 2,
    },
    traffic: { bytes, packets },
    status_code: 'OK',
    class_uid: 4001,
    class_name: 'Network Activity',
    category_uid: 4,
    category_name: 'Network Activity',
    activity_id: activityId,
    activity_name: activity,
    type_uid: 400100 + activityId,
    type_name: `Network Activity: ${activity}`,
    severity_id: 1,
    severity: 'Informational',
    action: allowed ? 'Allowed' : 'Denied',
    action_id: allowed ? 1 : 2,
    disposition: allowed ? 'Allowed' : 'Blocked',
    observables: [
      { name: 'src_endpoint.ip', type: 'IP Address', type_id: 2, value: src.ip },
      { name: 'dst_endpoint.ip', type: 'IP Address', type_id: 2, value: dst.ip },
    ],
  };
}
