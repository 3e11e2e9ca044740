-- Active findings counted by the product that raised them and the control they check
-- (control_id is empty for findings that are not control checks).
WITH latest AS (
  SELECT
    f.*,
    row_number() OVER (PARTITION BY finding_uid ORDER BY event_time DESC) AS update_rank
  FROM ${insights_database}.security_hub_findings AS f
)
SELECT
  product,
  control_id,
  count(*) AS findings,
  count(CASE WHEN upper(compliance_status) = 'FAILED' THEN 1 END) AS failed,
  max_by(severity, severity_id) AS highest_severity,
  count(DISTINCT account_id) AS accounts
FROM latest
WHERE update_rank = 1
  AND is_active
GROUP BY product, control_id
ORDER BY findings DESC, product NULLS LAST, control_id NULLS LAST
