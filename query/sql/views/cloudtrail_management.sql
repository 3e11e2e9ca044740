-- CloudTrail management events from Security Lake (source version 2, OCSF 1.1.0 API Activity).
-- The account is the one the event was recorded in (the table's accountid partition).
SELECT
  metadata.uid AS event_uid,
  time_dt AS event_time,
  api.operation AS api_operation,
  api.service.name AS api_service,
  status,
  api.response.error AS error_code,
  api.response.message AS error_message,
  actor.user.name AS user_name,
  actor.user.type AS user_type,
  actor.user.uid AS user_uid,
  actor.user.credential_uid AS credential_uid,
  actor.user.account.uid AS user_account_id,
  actor.idp.name AS idp_name,
  actor.session.issuer AS session_issuer,
  actor.session.is_mfa AS mfa_authenticated,
  src_endpoint.ip AS source_ip,
  http_request.user_agent AS user_agent,
  accountid AS account_id,
  coalesce(cloud.region, region) AS region
FROM ${source_database}.${source_table}
WHERE time_dt >= date_add('day', -${lookback_days}, current_timestamp)
