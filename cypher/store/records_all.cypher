// answers: every record
MATCH (r:Record)
RETURN r.record_id AS record_id,
       r.report_id AS report_id,
       r.record_type AS record_type,
       r.role AS role,
       r.ref AS ref,
       r.value AS value,
       r.display AS display,
       r.attrs AS attrs,
       r.keys AS keys,
       r.force AS force,
       r.use AS use,
       r.venue_type AS venue_type,
       r.lat AS lat,
       r.lon AS lon,
       r.reported_at AS reported_at
