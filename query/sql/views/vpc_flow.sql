-- VPC Flow Logs from Security Lake (source version 2, OCSF 1.1.0 Network Activity).
-- direction is 'Inbound' or 'Outbound'; action is 'Allowed' or 'Denied'.
SELECT
  time_dt AS event_time,
  start_time_dt AS start_time,
  end_time_dt AS end_time,
  src_endpoint.ip AS src_ip,
  src_endpoint.port AS src_port,
  dst_endpoint.ip AS dst_ip,
  dst_endpoint.port AS dst_port,
  connection_info.protocol_num AS protocol_num,
  connection_info.direction AS direction,
  traffic.bytes AS bytes,
  traffic.packets AS packets,
  action,
  coalesce(src_endpoint.interface_uid, dst_endpoint.interface_uid) AS interface_uid,
  coalesce(cloud.account.uid, accountid) AS account_id,
  coalesce(cloud.region, region) AS region
FROM ${source_database}.${source_table}
WHERE time_dt >= date_add('day', -${lookback_days}, current_timestamp)
