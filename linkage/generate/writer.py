"""`write_world`: a generated world as files, the layout the demo, tests and benchmarks read."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from linkage.gcpause import gc_paused
from linkage.generate.world import TRUTH_COLUMNS, GeneratedWorld

KINDS = ("nrm", "dtn", "intel", "referral")
ORDER_COLUMNS = ("order_ref", "order_type", "full_name", "dob", "force", "made_on", "expires_on")


def write_world(world: GeneratedWorld, out_dir: Path) -> dict[str, Path]:
    """Write nrm.jsonl, dtn.jsonl, intel.jsonl, referral.jsonl (one report per line, UTF-8),
    truth.csv, planted.json and orders.csv into `out_dir`; return {stem: path}, e.g.
    {"nrm": .../nrm.jsonl, "truth": .../truth.csv}."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with gc_paused():
        return _write(world, out_dir)


def _write(world: GeneratedWorld, out_dir: Path) -> dict[str, Path]:
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"),
                              check_circular=False).encode
    lines: dict[str, list[str]] = {k: [] for k in KINDS}
    for report in world.reports:
        lines[report["kind"]].append(encode(report))
    paths: dict[str, Path] = {}
    for kind in KINDS:
        path = out_dir / f"{kind}.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            if lines[kind]:
                fh.write("\n".join(lines[kind]))
                fh.write("\n")
        paths[kind] = path
    path = out_dir / "truth.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(_truth_csv(world.truth))
    paths["truth"] = path
    path = out_dir / "planted.json"
    path.write_text(json.dumps(world.planted, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    paths["planted"] = path
    path = out_dir / "orders.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=ORDER_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(world.orders)
    paths["orders"] = path
    return paths


def _truth_csv(truth: list[dict]) -> str:
    """truth.csv text. Generated refs, ids and E.164 phones never need CSV quoting, so the rows
    are joined directly (several times faster than `csv.writer`); the comma count proves it, and
    anything else goes through `csv.writer` after all."""
    head = ",".join(TRUTH_COLUMNS) + "\n"
    body = "".join([f'{t["report_kind"]},{t["source_ref"]},{t["record_ref"]},{t["record_type"]},'
                    f'{t["true_entity"]},{"true" if t["anonymous"] else "false"}\n' for t in truth])
    if (body.count(",") == 5 * len(truth) and body.count("\n") == len(truth)
            and '"' not in body and "\r" not in body):
        return head + body
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(TRUTH_COLUMNS)
    w.writerows((t["report_kind"], t["source_ref"], t["record_ref"], t["record_type"],
                 t["true_entity"], "true" if t["anonymous"] else "false") for t in truth)
    return out.getvalue()
