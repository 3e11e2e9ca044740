-- Security Hub findings from Security Lake (source version 2, OCSF 1.1.0): one row per finding
-- update. CSPM control findings (Compliance Finding) carry `resource`; detection findings carry
-- `resources`; the first of either is shown. RecordState has no OCSF place and sits in `unmapped`;
-- a finding without it counts as active unless its workflow status or activity closed it.
SELECT
  finding_info.uid AS finding_uid,
  time_dt AS event_time,
  metadata.product.name AS product,
  class_name AS finding_class,
  finding_info.title AS title,
  status,
  element_at(unmapped, 'RecordState') AS record_state,
  activity_name AS activity,
  coalesce(element_at(unmapped, 'RecordState'), 'ACTIVE') = 'ACTIVE'
    AND coalesce(status, 'New') NOT IN ('Resolved', 'Suppressed')
    AND coalesce(activity_name, '') <> 'Close' AS is_active,
  severity,
  severity_id,
  coalesce(cloud.account.uid, accountid) AS account_id,
  coalesce(cloud.region, region) AS region,
  compliance.status AS compliance_status,
  compliance.control AS control_id,
  element_at(compliance.standards, 1) AS standard,
  remediation."desc" AS remediation,
  element_at(remediation.references, 1) AS remediation_url,
  coalesce(resource.type, element_at(resources, 1).type) AS resource_type,
  coalesce(resource.uid, element_at(resources, 1).uid) AS resource_uid
FROM ${source_database}.${source_table}
WHERE time_dt >= date_add('day', -${lookback_days}, current_timestamp)
