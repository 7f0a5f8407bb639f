// answers: every dated report's summary (no narrative, no raw payload): what evidence lists show
MATCH (r:Report)
WHERE r.reported_at IS NOT NULL
RETURN r.report_id AS report_id,
       r.kind AS kind,
       r.source_ref AS source_ref,
       r.organisation AS organisation,
       r.reported_at AS reported_at,
       r.force AS force,
       r.grading_source AS grading_source,
       r.grading_intel AS grading_intel,
       r.handling AS handling,
       r.conditions AS conditions,
       r.exploitation_types AS exploitation_types,
       r.child_involved AS child_involved
ORDER BY r.reported_at, r.report_id
