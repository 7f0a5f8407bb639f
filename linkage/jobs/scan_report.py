"""A scan result on disk: `scan.json` (the whole result), a CSV per finding type (plus alerts,
excluded hubs and the evidence), and `report.html`, a page a supervisor reads in a browser.

The HTML is self-contained (inline CSS, no script, nothing fetched from elsewhere) so it can be
mailed or opened on a locked-down machine. Tables are in priority order; every report id links
to its entry in the evidence section (source reference, kind, organisation, date, grading and
handling, with the conditions that must travel with handling code C).

These files hold personal data from the graph: they are written where the user asks and nowhere
else, and the CLI records in the audit log that they were written.
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

from linkage.model import force_name

FINDING_COLUMNS = [
    "priority", "status", "score", "entity_id", "label", "reports", "previous_reports",
    "report_count", "forces", "roles", "first_seen", "last_seen", "best_grading", "handling",
    "conditions", "child_involved", "cross_border", "exploitation_types", "venue_types", "flags",
    "report_ids", "source_refs",
]
ALERT_COLUMNS = [
    "priority", "kind", "title", "detail", "entity_id", "entity_type", "label", "forces", "reports",
    "best_grading", "child_involved", "score", "report_ids", "source_refs",
]
EXCLUDED_COLUMNS = ["type", "entity_id", "label", "reports", "forces", "first_seen", "last_seen", "reason"]
EVIDENCE_COLUMNS = [
    "finding", "report_id", "kind", "source_ref", "organisation", "reported_at", "force", "grading",
    "handling", "conditions", "chain", "roles",
]

# The HTML shows at most this many rows per table (the most urgent); the CSVs and JSON hold all.
MAX_HTML_ROWS = 300

TYPE_TITLES = {"locations": "Repeat locations", "people": "Repeat people", "phones": "Repeat phones",
               "vehicles": "Repeat vehicles", "accounts": "Repeat accounts"}


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (list, tuple)):
        return "; ".join(_cell(x) for x in v)
    return str(v)


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])


def _with_refs(item: dict) -> dict:
    ev = item.get("evidence") or []
    return {**item, "report_ids": [e["report_id"] for e in ev],
            "source_refs": [e.get("source_ref") for e in ev]}


def write_outputs(result: dict, out_dir: Path) -> dict:
    """Write every output file into `out_dir` (created); returns their paths as strings."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict = {"dir": str(out_dir), "csv": {}}
    for name, items in result["findings"].items():
        p = out_dir / f"{name}.csv"
        _write_csv(p, FINDING_COLUMNS, [_with_refs(f) for f in items])
        paths["csv"][name] = str(p)
    p = out_dir / "alerts.csv"
    _write_csv(p, ALERT_COLUMNS, [_with_refs(a) for a in result["alerts"]])
    paths["csv"]["alerts"] = str(p)
    p = out_dir / "excluded.csv"
    _write_csv(p, EXCLUDED_COLUMNS, result["excluded"])
    paths["csv"]["excluded"] = str(p)
    p = out_dir / "evidence.csv"
    rows = []
    for item in [*result["alerts"], *(f for fs in result["findings"].values() for f in fs)]:
        for e in item.get("evidence") or []:
            rows.append({**e, "finding": item["key"]})
    _write_csv(p, EVIDENCE_COLUMNS, rows)
    paths["csv"]["evidence"] = str(p)
    paths["html"] = str(out_dir / "report.html")
    paths["json"] = str(out_dir / "scan.json")
    result = {**result, "outputs": paths}
    (out_dir / "report.html").write_text(render_html(result), encoding="utf-8")
    (out_dir / "scan.json").write_text(
        json.dumps(result, ensure_ascii=False, default=str, separators=(",", ":")), encoding="utf-8")
    return paths


# -- HTML ------------------------------------------------------------------------------------------

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1c2430;background:#f5f6f8}
header{background:#1f3147;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c9d3df}
main{padding:18px 28px;max-width:1500px}
section{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:12px 16px;margin:0 0 18px}
h2{font-size:17px;margin:4px 0 10px}h2 small{font-weight:normal;color:#5a6675}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e6e9ee;padding:5px 7px;text-align:left;vertical-align:top}
th{background:#eef1f5;position:sticky;top:0}
tr:target{background:#fff4c2}
.badge{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600}
.new{background:#dff3e4;color:#17652d}.escalating{background:#fde2c8;color:#8a3b00}
.unchanged{background:#e8ebef;color:#4b5563}.alert{background:#fbd5d5;color:#8b1111}
.child{background:#8b1111;color:#fff}.handling-C{background:#fff0b3;color:#6b5100}
.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#6b7684}.refs a{margin-right:4px;white-space:nowrap}
td.ev{max-width:360px}td.what{min-width:260px}nav a{margin-right:14px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 18px}
.card{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:10px 14px;min-width:130px}
.card b{display:block;font-size:20px}
.warn{background:#fff7e0;border-color:#f0d58a}
@media print{th{position:static}header{background:#fff;color:#000}}
"""


def _e(v) -> str:
    return html.escape(_cell(v))


def _anchor(report_id: str) -> str:
    return "r-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in report_id)


def _refs(evidence: list[dict], limit: int = 12) -> str:
    links = [f'<a href="#{_anchor(e["report_id"])}" title="{_e(e["report_id"])}">'
             f'{_e(e.get("source_ref") or e["report_id"])}</a>' for e in evidence[:limit]]
    more = f' <span class="muted">+{len(evidence) - limit} more</span>' if len(evidence) > limit else ""
    return f'<span class="refs">{" ".join(links)}{more}</span>'


def _forces(codes) -> str:
    out = []
    for c in codes or []:
        try:
            out.append(f'<span title="{_e(force_name(c))}">{_e(c)}</span>')
        except KeyError:
            out.append(_e(c))
    return ", ".join(out)


def _badge(status: str) -> str:
    return f'<span class="badge {_e(status)}">{_e(status)}</span>'


def _grading(item: dict) -> str:
    g = _e(item.get("best_grading") or "")
    if item.get("handling") == "C":
        g += ' <span class="badge handling-C" title="handling code C: conditions apply">C</span>'
    return g


def _more(total: int, csv_name: str) -> str:
    if total <= MAX_HTML_ROWS:
        return ""
    return (f'<p class="muted">The {MAX_HTML_ROWS} most urgent of {total:,} are shown; all of them are in '
            f"{_e(csv_name)} and scan.json.</p>")


def render_html(result: dict) -> str:
    counts = result["counts"]
    params = result["params"]
    prev = result.get("previous")
    title = f"Daily scan {result['date']}" + (f" - {result['force']}" if result.get("force") else "")
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
             f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"]
    parts.append(
        f"<header><h1>{_e(title)}</h1><p>Window {_e(result['window']['start'])} to "
        f"{_e(result['window']['end'])} ({params['window_days']} days) &middot; at least "
        f"{params['min_reports']} distinct reports &middot; compared with "
        f"{_e(prev['scan_id'] + ' (' + str(prev['date']) + ')') if prev else 'no earlier scan'}"
        f" &middot; run {_e(str(result['ran_at'])[:19].replace('T', ' '))} UTC"
        f"{'' if result.get('recorded') else ' &middot; <b>not recorded (read-only scan)</b>'}</p>"
        f"<p>OFFICIAL-SENSITIVE: personal data about victims and suspects. Handling codes and "
        f"conditions below travel with the intelligence.</p></header><main>")
    cards = [("reports in window", counts["reports_in_window"]), ("distinct chains", counts["chains"]),
             ("alerts", len(result["alerts"]))]
    for name, c in counts["findings"].items():
        cards.append((TYPE_TITLES.get(name, name).lower(), f"{c['total']} ({c['new']} new, {c['escalating']} up)"))
    cards.append(("excluded hubs", counts["excluded"]))
    parts.append('<div class="cards">' + "".join(
        f'<div class="card"><b>{_e(v)}</b>{_e(k)}</div>' for k, v in cards) + "</div>")
    nav = [("alerts", "Alerts")] + [(n, TYPE_TITLES.get(n, n)) for n in result["findings"]] + \
        [("excluded", "Not flagged"), ("evidence", "Evidence")]
    parts.append("<nav>" + "".join(f'<a href="#{_e(k)}">{_e(v)}</a>' for k, v in nav) + "</nav><br>")
    for w in result.get("warnings") or []:
        parts.append(f'<section class="warn">{_e(w)}</section>')
    shown: list[dict] = []

    # alerts
    parts.append(f'<section id="alerts"><h2>Alerts <small>{len(result["alerts"])}, most urgent first'
                 "</small></h2>")
    if result["alerts"]:
        parts.append("<table><thead><tr><th>#</th><th>alert</th><th>what</th><th>forces</th>"
                     "<th>reports</th></tr></thead><tbody>")
        for a in result["alerts"][:MAX_HTML_ROWS]:
            shown.append(a)
            child = ' <span class="badge child">child</span>' if a.get("child_involved") else ""
            parts.append(
                f'<tr id="{_e(a["key"])}"><td class="num">{a["priority"]}</td>'
                f'<td><span class="badge alert">{_e(a["title"])}</span>{child}</td>'
                f"<td class=\"what\">{_e(a['detail'])}<br><span class=\"muted\">{_e(a.get('entity_id'))}</span></td>"
                f"<td>{_forces(a['forces'])}</td><td class=\"ev\">{_refs(a.get('evidence') or [])}</td></tr>")
        parts.append("</tbody></table>" + _more(len(result["alerts"]), "alerts.csv"))
    else:
        parts.append('<p class="muted">No alerts since the last scan.</p>')
    parts.append("</section>")

    # findings per type
    for name, items in result["findings"].items():
        c = counts["findings"][name]
        parts.append(f'<section id="{_e(name)}"><h2>{_e(TYPE_TITLES.get(name, name))} <small>{c["total"]}: '
                     f'{c["new"]} new, {c["escalating"]} escalating, {c["unchanged"]} unchanged</small></h2>')
        if not items:
            parts.append('<p class="muted">None in this window.</p></section>')
            continue
        parts.append("<table><thead><tr><th>#</th><th>status</th><th>entity</th><th class=\"num\">reports</th>"
                     "<th>seen</th><th>forces</th><th>roles</th><th>grading</th><th>evidence</th>"
                     "</tr></thead><tbody>")
        for f in items[:MAX_HTML_ROWS]:
            shown.append(f)
            prev_n = (f" <span class=\"muted\">(was {f['previous_reports']})</span>"
                      if f.get("previous_reports") is not None and f["status"] == "escalating" else "")
            extra = []
            if f.get("child_involved"):
                extra.append('<span class="badge child">child</span>')
            for fl in f.get("flags") or []:
                extra.append(f'<span class="badge unchanged">{_e(fl)}</span>')
            parts.append(
                f'<tr id="{_e(f["key"])}"><td class="num">{f["priority"]}</td><td>{_badge(f["status"])}</td>'
                f"<td><b>{_e(f['label'])}</b> {' '.join(extra)}<br><span class=\"muted\">{_e(f['entity_id'])}"
                f"{' &middot; ' + _e(f['venue_types']) if f.get('venue_types') else ''}</span></td>"
                f'<td class="num">{f["reports"]}{prev_n}</td>'
                f"<td>{_e(f['first_seen'])} &ndash; {_e(f['last_seen'])}</td>"
                f"<td>{_forces(f['forces'])}</td><td>{_e(f['roles'])}</td><td>{_grading(f)}</td>"
                f"<td class=\"ev\">{_refs(f['evidence'])}</td></tr>")
        parts.append("</tbody></table>" + _more(len(items), f"{name}.csv") + "</section>")

    # excluded
    parts.append(f'<section id="excluded"><h2>Not flagged: benign and known hubs <small>{len(result["excluded"])}'
                 "</small></h2>")
    if result["excluded"]:
        parts.append("<table><thead><tr><th>entity</th><th class=\"num\">reports</th><th>forces</th><th>why</th>"
                     "</tr></thead><tbody>")
        for x in result["excluded"][:MAX_HTML_ROWS]:
            parts.append(f"<tr><td><b>{_e(x['label'])}</b><br><span class=\"muted\">{_e(x['entity_id'])}</span></td>"
                         f'<td class="num">{x["reports"]}</td><td>{_forces(x["forces"])}</td>'
                         f"<td>{_e(x['reason'])}</td></tr>")
        parts.append("</tbody></table>" + _more(len(result["excluded"]), "excluded.csv"))
    else:
        parts.append('<p class="muted">Nothing excluded.</p>')
    parts.append("</section>")

    # evidence: every report cited above, once
    seen: dict[str, dict] = {}
    cited: dict[str, list[str]] = {}
    for item in shown:
        for e in item.get("evidence") or []:
            seen.setdefault(e["report_id"], e)
            cited.setdefault(e["report_id"], []).append(item["key"])
    parts.append(f'<section id="evidence"><h2>Evidence <small>{len(seen)} reports cited</small></h2>')
    if seen:
        parts.append("<table><thead><tr><th>report</th><th>kind</th><th>source ref</th><th>organisation</th>"
                     "<th>reported</th><th>force</th><th>grading</th><th>handling</th><th>chain</th>"
                     "<th>cited by</th></tr></thead><tbody>")
        for rid in sorted(seen, key=lambda r: (str(seen[r].get("reported_at") or ""), r), reverse=True):
            e = seen[rid]
            handling = _e(e.get("handling") or "")
            if e.get("handling") == "C":
                handling = f'<span class="badge handling-C">C</span> {_e(e.get("conditions") or "")}'
            root = e.get("chain")
            if root in (None, rid):
                chain = ""
            elif root in seen:
                chain = f'<a href="#{_anchor(root)}">{_e(root)}</a>'
            else:
                chain = _e(root)
            keys = cited[rid]
            by = ", ".join(f'<a href="#{_e(k)}">{_e(k.split(":", 1)[1])}</a>' for k in keys[:6])
            if len(keys) > 6:
                by += f' <span class="muted">+{len(keys) - 6}</span>'
            parts.append(
                f'<tr id="{_anchor(rid)}"><td>{_e(rid)}</td><td>{_e(e.get("kind"))}</td>'
                f"<td>{_e(e.get('source_ref'))}</td><td>{_e(e.get('organisation'))}</td>"
                f"<td>{_e(e.get('reported_at'))}</td><td>{_forces([e['force']] if e.get('force') else [])}</td>"
                f"<td>{_e(e.get('grading'))}</td><td>{handling}</td><td>{chain}</td><td>{by}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</section>")
    parts.append(f'<p class="muted">scan {_e(result["scan_id"])} &middot; store {_e(result.get("store"))} '
                 f"&middot; {result.get('seconds', 0):.1f} s &middot; generated by linkage</p></main></body></html>")
    return "".join(parts)
