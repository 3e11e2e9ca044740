-- Every management event by a user in the last :days days, newest first. The user is matched
-- on the CloudTrail user name or, for assumed roles and federated sessions, the session name
-- (the last part of the principal ARN).
SELECT
  event_time,
  account_id,
  region,
  api_service,
  api_operation,
  status,
  error_code,
  source_ip,
  user_type,
  user_uid,
  session_issuer,
  idp_name,
  event_uid
FROM ${insights_database}.cloudtrail_management
WHERE event_time >= date_add('day', -:days, current_timestamp)
  AND (user_name = :user OR element_at(split(user_uid, '/'), -1) = :user)
ORDER BY event_time DESC, event_uid
