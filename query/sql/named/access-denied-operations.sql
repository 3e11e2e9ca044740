-- API operations most often refused for lack of permission in the last :hours hours.
SELECT
  api_service,
  api_operation,
  count(*) AS denied_calls,
  count(DISTINCT user_uid) AS principals,
  count(DISTINCT account_id) AS accounts,
  max(event_time) AS last_seen
FROM ${insights_database}.cloudtrail_management
WHERE event_time >= date_add('hour', -:hours, current_timestamp)
  AND error_code IN (
    'AccessDenied',
    'AccessDeniedException',
    'Client.UnauthorizedOperation',
    'UnauthorizedOperation',
    'Client.OperationNotPermitted'
  )
GROUP BY api_service, api_operation
ORDER BY denied_calls DESC, api_service, api_operation
LIMIT 25
