-- Active Amazon Inspector findings grouped by title (typically CVE and package), worst first.
WITH latest AS (
  SELECT
    f.*,
    row_number() OVER (PARTITION BY finding_uid ORDER BY event_time DESC) AS update_rank
  FROM ${insights_database}.security_hub_findings AS f
  WHERE product = 'Inspector'
)
SELECT
  title,
  max_by(severity, severity_id) AS severity,
  count(*) AS findings,
  count(DISTINCT resource_uid) AS resources,
  count(DISTINCT account_id) AS accounts,
  max(event_time) AS last_seen
FROM latest
WHERE update_rank = 1
  AND is_active
GROUP BY title
ORDER BY max(severity_id) DESC, findings DESC, title
