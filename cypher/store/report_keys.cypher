// answers: which of these report keys are already stored, with their versions and content hashes
// params: $keys (list of report keys)
UNWIND $keys AS k
MATCH (x:ReportKey {report_key: k})
RETURN x.report_key AS report_key, x.versions AS versions, x.hashes AS hashes
