-- Security Hub controls whose latest result is FAILED on at least one active finding.
WITH latest AS (
  SELECT
    f.*,
    row_number() OVER (PARTITION BY finding_uid ORDER BY event_time DESC) AS update_rank
  FROM ${insights_database}.security_hub_findings AS f
  WHERE control_id IS NOT NULL
)
SELECT
  control_id,
  max(title) AS control_title,
  max_by(severity, severity_id) AS severity,
  count(DISTINCT resource_uid) AS failed_resources,
  count(DISTINCT account_id) AS accounts,
  count(DISTINCT region) AS regions,
  max(event_time) AS last_seen
FROM latest
WHERE update_rank = 1
  AND is_active
  AND upper(compliance_status) = 'FAILED'
GROUP BY control_id
ORDER BY max(severity_id) DESC, failed_resources DESC, control_id
