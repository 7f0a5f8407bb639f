"""Jobs that run over the whole graph: the demo, the daily scan, referral routing."""
