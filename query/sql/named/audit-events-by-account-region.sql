-- CloudTrail management events per account and Region in the last :days days, and how many of
-- them lack each detail PCI DSS 10.2.2 asks of an audit log entry. Every counted event has its
-- time: the window is selected on it. An AWS service acting for the account is identified, and
-- is the origin, by the service name CloudTrail puts in the user agent (e.g. config.amazonaws.com).
-- An account and Region that recorded nothing in the window has no row.
SELECT
  account_id,
  region,
  count(*) AS events,
  count(CASE WHEN status = 'Failure' THEN 1 END) AS failed_events,
  count(CASE WHEN error_code IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation', 'Client.OperationNotPermitted') THEN 1 END) AS denied_events,
  count(CASE WHEN coalesce(user_uid, user_name, CASE WHEN user_type = 'AWSService' THEN user_agent END) IS NULL THEN 1 END) AS without_user,
  count(CASE WHEN user_type IS NULL THEN 1 END) AS without_user_type,
  count(CASE WHEN api_operation IS NULL THEN 1 END) AS without_event_type,
  count(CASE WHEN coalesce(status, '') NOT IN ('Success', 'Failure') THEN 1 END) AS without_outcome,
  count(CASE WHEN coalesce(source_ip, user_agent) IS NULL THEN 1 END) AS without_origin,
  count(CASE WHEN api_service IS NULL THEN 1 END) AS without_affected_service,
  min(event_time) AS first_seen,
  max(event_time) AS last_seen
FROM ${insights_database}.cloudtrail_management
WHERE event_time >= date_add('day', -:days, current_timestamp)
GROUP BY account_id, region
ORDER BY account_id, region
