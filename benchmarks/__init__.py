"""`make bench`: performance figures, printed. Each bench_*.py module has run(workdir) -> rows."""
