/**
 * Application Load Balancer access log lines (space-separated, some fields quoted) as records with the
 * field names the transformation library's ALB mapping uses. "-" means "not available" and is left out.
 * Field order: Elastic Load Balancing User Guide, "Access log entries" (Application Load Balancers).
 */
const FIELDS = [
  'type', 'time', 'elb', 'client:port', 'target:port', 'request_processing_time', 'target_processing_time', 'response_processing_time',
  'elb_status_code', 'target_status_code', 'received_bytes', 'sent_bytes', 'request', 'user_agent', 'ssl_cipher', 'ssl_protocol',
  'target_group_arn', 'trace_id', 'domain_name', 'chosen_cert_arn', 'matched_rule_priority', 'request_creation_time', 'actions_executed',
  'redirect_url', 'error_reason', 'target_port_list', 'target_status_code_list', 'classification', 'classification_reason', 'conn_trace_id',
] as const;

/** Splits on spaces, keeping double-quoted fields (with \" escapes) whole. */
function splitFields(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        value += line[i++];
      }
      if (i >= line.length) return undefined;
      i++;
      out.push(value);
    } else {
      const end = line.indexOf(' ', i);
      out.push(end === -1 ? line.slice(i) : line.slice(i, end));
      i = end === -1 ? line.length : end;
    }
  }
  return out;
}

function hostPort(value: string): [string, string] | undefined {
  const at = value.lastIndexOf(':');
  return at > 0 ? [value.slice(0, at), value.slice(at + 1)] : undefined;
}

/** One access log line as a record; undefined when the line is not an ALB access log entry. */
export function parseAlbLogLine(line: string): Record<string, string> | undefined {
  const values = splitFields(line);
  if (!values || values.length < 13) return undefined;
  const record: Record<string, string> = {};
  FIELDS.forEach((name, index) => {
    const value = values[index];
    if (value === undefined || value === '-' || value === '') return;
    if (name === 'client:port' || name === 'target:port') {
      const parts = hostPort(value);
      const prefix = name === 'client:port' ? 'client' : 'target';
      if (parts) [record[`${prefix}_ip`], record[`${prefix}_port`]] = parts;
    } else if (name === 'request') {
      const [method, url, protocol] = value.split(' ');
      if (method && method !== '-') record.request_method = method;
      if (url && url !== '-') {
        record.request_url = url;
        const match = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?/i.exec(url);
        if (match) {
          record.request_scheme = match[1];
          record.request_host = match[2];
          if (match[3]) record.request_port = match[3];
          if (match[4]) record.request_path = match[4];
          if (match[5]) record.request_query = match[5];
        }
      }
      if (protocol && protocol !== '-') record.request_protocol = protocol;
    } else {
      record[name] = value;
    }
  });
  return record;
}
