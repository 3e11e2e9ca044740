-- Destination IPs receiving the most bytes of accepted outbound traffic on a port in the last
-- :hours hours.
SELECT
  dst_ip,
  CAST(sum(bytes) AS bigint) AS total_bytes,
  CAST(sum(packets) AS bigint) AS total_packets,
  count(*) AS flows,
  count(DISTINCT src_ip) AS sources,
  count(DISTINCT account_id) AS accounts
FROM ${insights_database}.vpc_flow
WHERE event_time >= date_add('hour', -:hours, current_timestamp)
  AND direction = 'Outbound'
  AND action = 'Allowed'
  AND dst_port = :port
GROUP BY dst_ip
ORDER BY total_bytes DESC, dst_ip
LIMIT 25
