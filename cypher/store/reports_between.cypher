// answers: reports with reported_at in a window (without the raw payload: reading it for a
// window of tens of thousands of reports cost more than all the rest)
// params: $from_date (date), $to_date (date)
MATCH (r:Report)
WHERE r.reported_at >= $from_date AND r.reported_at <= $to_date
RETURN r.report_id AS report_id,
       r.report_key AS report_key,
       r.kind AS kind,
       r.source_ref AS source_ref,
       r.organisation AS organisation,
       r.version AS version,
       r.content_hash AS content_hash,
       r.reported_at AS reported_at,
       r.received_at AS received_at,
       r.force AS force,
       r.grading_source AS grading_source,
       r.grading_intel AS grading_intel,
       r.handling AS handling,
       r.conditions AS conditions,
       r.narrative AS narrative,
       r.urgency AS urgency,
       r.child_involved AS child_involved,
       r.exploitation_types AS exploitation_types
ORDER BY r.reported_at, r.report_id
