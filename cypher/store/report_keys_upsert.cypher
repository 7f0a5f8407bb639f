// answers: records the latest version and every content hash seen for each report key
// params: $rows [{report_key, kind, source_ref, organisation, versions, hashes}]
UNWIND $rows AS row
WITH row, row.report_key AS k
MERGE (x:ReportKey {report_key: k})
ON CREATE SET x.kind = row.kind, x.source_ref = row.source_ref, x.organisation = row.organisation,
              x.versions = row.versions, x.hashes = row.hashes
ON MATCH SET x.versions = row.versions, x.hashes = row.hashes
