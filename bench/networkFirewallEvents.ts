/**
 * Deterministic AWS Network Firewall flow and alert log lines (JSON, one per line, as the service writes
 * them to S3), for benchmarks and tests.
 */
const PROTOCOLS = ['TCP', 'UDP', 'TCP', 'TCP', 'ICMP'];
const APP_PROTOCOLS = ['tls', 'http', 'dns', 'unknown'];
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
/** Common TCP flag combinations as Suricata writes them (hex): SYN, ACK, SYN+ACK, PSH+ACK, FIN+ACK, ... */
const TCP_FLAGS = ['02', '10', '12', '18', '11', '19', '13', '14', '16', '17'];

/** A small linear congruential generator: the same seed gives the same events. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

export function networkFirewallLines(count: number, seed = 42, startMs = Date.UTC(2024, 4, 1, 12)): string[] {
  const next = generator(seed);
  const lines: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const r = next();
    const t = startMs + i * 7;
    const iso = new Date(t).toISOString().replace('Z', '000+0000');
    const proto = PROTOCOLS[r % PROTOCOLS.length];
    const src = `10.${(r >>> 8) & 255}.${(r >>> 16) & 255}.${(r >>> 24) & 255}`;
    const dst = `${52 + (r % 100)}.${(r >>> 5) & 255}.${(r >>> 13) & 255}.${(r >>> 21) & 255}`;
    const common = {
      firewall_name: `fw-${r % 4}`,
      availability_zone: ZONES[r % 3],
      event_timestamp: String(Math.floor(t / 1000)),
    };
    const alert = r % 10 === 0;
    const event: Record<string, unknown> = {
      timestamp: iso,
      flow_id: 1_000_000_000_000 + i,
      event_type: alert ? 'alert' : 'netflow',
      src_ip: src,
      src_port: 1024 + (r % 60000),
      dest_ip: dst,
      dest_port: [443, 80, 53, 22, 8443][r % 5],
      proto,
      app_proto: APP_PROTOCOLS[r % 4],
    };
    if (alert) {
      event.alert = { action: r % 20 === 0 ? 'blocked' : 'allowed', signature_id: 1000 + (r % 50), rev: 1, signature: `Rampart bench rule ${r % 50}`, category: '', severity: 1 + (r % 3) };
      if (r % 4 === 0) event.tls = { sni: 'example.com', version: 'TLS 1.2' };
    } else {
      event.netflow = { pkts: 1 + (r % 500), bytes: 60 + (r % 900_000), start: iso, end: iso, age: r % 120, min_ttl: 63, max_ttl: 64 };
      if (proto === 'TCP') event.tcp = { tcp_flags: TCP_FLAGS[(r >>> 3) % TCP_FLAGS.length], syn: true, ack: true };
    }
    lines[i] = JSON.stringify({ ...common, event });
  }
  return lines;
}
