"""`linkage resolve-file`: resolve a standalone CSV of person records, no store involved.

Columns: `record_id` plus any of full_name, given_name, family_name, aliases (`;`-separated),
dob (formats of FORMATS.md, also YYYYMMDD), gender, nationality, phone, email, address, postcode,
id_number. Other columns are ignored. A non-UK postcode is kept as a raw token. Output:
`record_id,cluster_id`, where cluster_id is the smallest record_id of the cluster.
"""

from __future__ import annotations

import csv
from pathlib import Path

from linkage.errors import UserError
from linkage.resolve.config import ResolutionConfig
from linkage.gcpause import gc_paused
from linkage.resolve.pipeline import resolve_type
from linkage.resolve.types import SPECS


def _gender(v: str) -> str | None:
    v = (v or "").strip().lower()
    if v in ("m", "male", "man", "boy"):
        return "male"
    if v in ("f", "female", "woman", "girl"):
        return "female"
    return "other" if v else None


def row_to_record(row: dict) -> tuple[dict, dict]:
    """A CSV row as a person record (as ingest would store it) and its relational context."""
    from ingest.normalise import (name_keys, normalise_address, normalise_email, normalise_name,
                                  normalise_phone, normalise_postcode, parse_dob, to_alpha3)

    rid = (row.get("record_id") or "").strip()
    names = []
    primary = normalise_name(full_name=row.get("full_name") or None,
                             given_names=row.get("given_name") or None,
                             family_name=row.get("family_name") or None)
    if primary is None and (row.get("given_name") or row.get("family_name")):
        primary = normalise_name(full_name=f"{row.get('given_name', '')} {row.get('family_name', '')}")
    pool = [primary] if primary else []
    for alias in (row.get("aliases") or "").split(";"):
        n = normalise_name(full_name=alias) if alias.strip() else None
        if n:
            pool.append(n)
    keys: list[str] = []
    for n in pool:
        names.append({"raw": n.raw, "folded": n.folded, "tokens": list(n.tokens),
                      "family": n.family, "given": list(n.given)})
        keys += name_keys(n)
    dob_text = (row.get("dob") or "").strip()
    if len(dob_text) == 8 and dob_text.isdigit():
        dob_text = f"{dob_text[:4]}-{dob_text[4:6]}-{dob_text[6:]}"
    dob = parse_dob(dob_text) if dob_text else None
    docs = []
    if (row.get("id_number") or "").strip():
        num = "".join(ch for ch in row["id_number"].upper() if ch.isalnum())
        docs.append({"type": "other", "number": num, "country": None})
        keys.append(f"doc:{num}")
    ctx: dict[str, set] = {"phones": set(), "emails": set(), "addresses": set()}
    if (row.get("phone") or "").strip():
        p = normalise_phone(row["phone"])
        if p:
            ctx["phones"].add(p.canonical)
    if (row.get("email") or "").strip():
        e = normalise_email(row["email"])
        if e:
            ctx["emails"].add(e)
    pc_raw = (row.get("postcode") or "").strip()
    if (row.get("address") or "").strip() or pc_raw:
        ad = normalise_address(address=row.get("address") or None, postcode=pc_raw or None)
        if ad and ad.uk and ad.house_number:
            ctx["addresses"].add(ad.canonical)
        elif pc_raw and not normalise_postcode(pc_raw):
            ctx["addresses"].add("raw:" + "".join(pc_raw.lower().split()))
    attrs = {
        "names": names, "tokens": names[0]["tokens"] if names else [],
        "dob": None if dob is None else {"raw": dob.raw, "candidates": [c.iso() for c in dob.candidates],
                                         "year_min": dob.year_min, "year_max": dob.year_max,
                                         "estimated": dob.estimated},
        "gender": _gender(row.get("gender") or ""),
        "nationality": to_alpha3(row.get("nationality") or "") if row.get("nationality") else None,
        "documents": docs, "anonymous": not names,
    }
    rec = {"record_id": rid, "report_id": "file", "record_type": "person", "role": "unknown",
           "ref": rid, "value": names[0]["folded"] if names else "", "display": rid,
           "attrs": attrs, "keys": keys}
    return rec, ctx


def resolve_csv(infile: Path, out: Path, cfg: ResolutionConfig) -> tuple[int, int]:
    try:
        text = infile.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = infile.read_text(encoding="cp1252")
    except OSError as exc:
        raise UserError(f"cannot read {infile}: {exc.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "record_id" not in reader.fieldnames:
        raise UserError(f"{infile}: the CSV needs a record_id column")
    records, ctx, seen = [], {}, set()
    for line, row in enumerate(reader, start=2):
        rid = (row.get("record_id") or "").strip()
        if not rid:
            raise UserError(f"{infile}: line {line}: record_id is empty")
        if rid in seen:
            raise UserError(f"{infile}: line {line}: record_id {rid!r} appears twice")
        seen.add(rid)
        rec, c = row_to_record(row)
        records.append(rec)
        ctx[rid] = c
    records.sort(key=lambda r: r["record_id"])
    with gc_paused():
        clusters, _review, _why, _model, _res = resolve_type(
            SPECS["person"], records, ctx, cfg, {}, [], None, True, set())
    rows = []
    for members in clusters:
        cid = min(members)
        rows += [(m, cid) for m in members]
    rows.sort()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["record_id", "cluster_id"])
        w.writerows(rows)
    return len(rows), len(clusters)
