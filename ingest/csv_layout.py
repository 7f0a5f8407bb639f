"""The CSV layouts for intelligence submissions and partner referrals: one row per report.

Documented in ingest/README.md. Column names are matched case-insensitively (spaces and dashes
read as underscores). A cell holding several values separates them with `;` (write `\\;` for a
semicolon inside a value). Subject columns are parallel: the n-th value of `subject_dobs` belongs
to the n-th name in `subject_names`; leave a position empty (`Anna Bell;;Tom Lee`) when one subject
has no value. Inside one subject's position, `subject_aliases` and `subject_phones` separate
several values with `|`. `addresses` and `postcodes` are parallel too (the n-th postcode is the
n-th address's); postcodes beyond the addresses are locations of their own.

Columns the layout does not know are kept in the payload under their own name, so they stay in
the report's raw text.
"""

from __future__ import annotations

import re
from typing import Any

SEP = ";"
SUB_SEP = "|"

COMMON = ("kind", "source_ref", "reported_at", "received_at", "narrative")
SUBJECT_COLUMNS = {
    "subject_refs": "ref", "subject_names": "full_name", "subject_aliases": "aliases",
    "subject_dobs": "dob", "subject_ages": "age", "subject_genders": "gender",
    "subject_nationalities": "nationality", "subject_roles": "role", "subject_phones": "phones",
}
OBJECT_COLUMNS = ("phones", "emails", "vehicles", "addresses", "postcodes", "venue_types",
                  "location_uses", "businesses", "accounts")
INTEL_COLUMNS = ("force", "unit", "grading_source", "grading_intelligence", "handling",
                 "conditions")
REFERRAL_COLUMNS = ("partner_organisation", "partner_type", "partner_force", "urgency",
                    "child_involved", "concern_types")
KNOWN = frozenset((*COMMON, *SUBJECT_COLUMNS, *OBJECT_COLUMNS, *INTEL_COLUMNS, *REFERRAL_COLUMNS))

# payload path prefix -> the column it came from (to name the column when a value is rejected)
_FIXED_COLUMNS = {
    "kind": "kind", "source_ref": "source_ref", "reported_at": "reported_at",
    "received_at": "received_at", "narrative": "narrative",
    "submitted_by.force": "force", "submitted_by.unit": "unit", "submitted_by": "force",
    "grading.source": "grading_source", "grading.intelligence": "grading_intelligence",
    "grading.handling": "handling", "grading.conditions": "conditions", "grading": "grading_source",
    "partner.organisation": "partner_organisation", "partner.type": "partner_type",
    "partner.force": "partner_force", "partner": "partner_organisation", "urgency": "urgency",
    "child_involved": "child_involved", "concern_types": "concern_types",
}

_ESCAPED = "\x00"
_SORT_ACCOUNT = re.compile(r"^\s*(\d{2})[- ]?(\d{2})[- ]?(\d{2})[\s/,:-]+(\d{6,10})\s*$")
_IBAN = re.compile(r"^[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{8,}$")


def header_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower()).lstrip("\ufeff")


def split_cell(text: Any, sep: str = SEP) -> list[str]:
    """Every position of a multi-value cell, stripped (empty positions kept). Never raises."""
    if text is None:
        return []
    text = str(text)
    if not text.strip():
        return []
    if "\\" + sep in text:
        text = text.replace("\\" + sep, _ESCAPED)
        return [p.replace(_ESCAPED, sep).strip() for p in text.split(sep)]
    return [p.strip() for p in text.split(sep)]


def cell_values(text: Any, sep: str = SEP) -> list[str]:
    """The non-empty values of a multi-value cell."""
    return [p for p in split_cell(text, sep) if p]


def detect_kind(header: list[str]) -> str | None:
    keys = {header_key(h) for h in header}
    if keys & {"partner_organisation", "partner_type", "concern_types", "urgency"}:
        return "referral"
    if keys & {"grading_source", "grading_intelligence", "handling", "unit"}:
        return "intel"
    return None


def account_of(text: str) -> dict[str, str]:
    """"112233 12345678" / "11-22-33 12345678" -> sort code and number; else an IBAN."""
    m = _SORT_ACCOUNT.match(text)
    if m:
        return {"sort_code": "".join(m.groups()[:3]), "account_number": m.group(4)}
    if _IBAN.match(text.strip()):
        return {"iban": text.strip()}
    return {"account_number": text.strip()}


def _token(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def row_to_payload(row: dict[str, Any], kind: str) -> tuple[dict, dict[str, str]]:
    """One CSV row (header -> cell) -> (report payload, payload path -> column name)."""
    cells = {}
    extra = {}
    for name, value in row.items():
        if name is None:  # more cells than headers
            extra["_extra_cells"] = value
            continue
        key = header_key(name)
        if key in KNOWN:
            cells[key] = value.strip() if isinstance(value, str) else value
        elif value not in (None, ""):
            extra[name] = value
    cols: dict[str, str] = {}
    p: dict[str, Any] = {"kind": (cells.get("kind") or kind or "").strip().lower()}
    for k in ("source_ref", "reported_at", "received_at", "narrative"):
        if cells.get(k):
            p[k] = cells[k]

    if p["kind"] == "intel":
        p["submitted_by"] = _clean({"force": cells.get("force"), "unit": cells.get("unit")})
        p["grading"] = _clean({
            "source": cells.get("grading_source"),
            "intelligence": (cells.get("grading_intelligence") or "").upper() or None,
            "handling": (cells.get("handling") or "").upper() or None,
            "conditions": cells.get("conditions")})
    elif p["kind"] == "referral":
        p["partner"] = _clean({
            "organisation": cells.get("partner_organisation"),
            "type": _token(cells["partner_type"]) if cells.get("partner_type") else None,
            "force": cells.get("partner_force")})
        if cells.get("urgency"):
            p["urgency"] = cells["urgency"].lower()
        if cells.get("child_involved"):
            p["child_involved"] = cells["child_involved"].lower()
        if cells.get("concern_types"):
            p["concern_types"] = [_token(v) for v in cell_values(cells["concern_types"])]

    subjects = _subjects(cells, cols)
    if subjects:
        p["subjects"] = subjects
    _objects(cells, p, cols)
    p.update(extra)
    return p, cols


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, "")}


def _subjects(cells: dict, cols: dict[str, str]) -> list[dict]:
    columns = {c: split_cell(cells.get(c)) for c in SUBJECT_COLUMNS if cells.get(c)}
    n = max((len(v) for v in columns.values()), default=0)
    out = []
    for i in range(n):
        s: dict[str, Any] = {}
        for col, parts in columns.items():
            v = parts[i] if i < len(parts) else ""
            if not v:
                continue
            field = SUBJECT_COLUMNS[col]
            if field in ("aliases", "phones"):
                s[field] = cell_values(v, SUB_SEP)
            elif field == "role":
                s[field] = _token(v)
            elif field == "age":
                s[field] = int(v) if v.isdigit() else v
            else:
                s[field] = v
        if not s:
            continue
        j = len(out)
        for col, field in SUBJECT_COLUMNS.items():
            cols[f"subjects[{j}].{field}"] = col
        cols[f"subjects[{j}]"] = "subject_names"
        out.append(s)
    return out


def _objects(cells: dict, p: dict, cols: dict[str, str]) -> None:
    if cells.get("phones"):
        p["phones"] = cell_values(cells["phones"])
        cols.update({f"phones[{i}]": "phones" for i in range(len(p["phones"]))})
    if cells.get("emails"):
        p["emails"] = cell_values(cells["emails"])
        cols.update({f"emails[{i}]": "emails" for i in range(len(p["emails"]))})
    if cells.get("vehicles"):
        p["vehicles"] = [{"vrm": v} for v in cell_values(cells["vehicles"])]
        cols.update({f"vehicles[{i}]": "vehicles" for i in range(len(p["vehicles"]))})
    addresses = split_cell(cells.get("addresses"))
    postcodes = split_cell(cells.get("postcodes"))
    venues = split_cell(cells.get("venue_types"))
    uses = split_cell(cells.get("location_uses"))
    locations = []
    for i in range(max(len(addresses), len(postcodes))):
        loc: dict[str, Any] = {}
        if i < len(addresses) and addresses[i]:
            loc["address"] = addresses[i]
        if i < len(postcodes) and postcodes[i]:
            loc["postcode"] = postcodes[i]
        if not loc:
            continue
        if i < len(venues) and venues[i]:
            loc["venue_type"] = _token(venues[i])
        if i < len(uses) and uses[i]:
            loc["use"] = _token(uses[i])
        j = len(locations)
        cols[f"locations[{j}]"] = "addresses" if "address" in loc else "postcodes"
        cols[f"locations[{j}].postcode"] = "postcodes"
        cols[f"locations[{j}].venue_type"] = "venue_types"
        cols[f"locations[{j}].use"] = "location_uses"
        locations.append(loc)
    if locations:
        p["locations"] = locations
    if cells.get("businesses"):
        p["businesses"] = [{"name": v} for v in cell_values(cells["businesses"])]
        cols.update({f"businesses[{i}]": "businesses" for i in range(len(p["businesses"]))})
    if cells.get("accounts"):
        p["accounts"] = [account_of(v) for v in cell_values(cells["accounts"])]
        cols.update({f"accounts[{i}]": "accounts" for i in range(len(p["accounts"]))})


def column_for(field: str, cols: dict[str, str]) -> str | None:
    """The CSV column a payload path (`subjects[1].dob`) came from, by its longest known prefix."""
    path = field
    while path:
        if path in cols:
            return cols[path]
        if path in _FIXED_COLUMNS:
            return _FIXED_COLUMNS[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            break
        path = path[:cut]
    return _FIXED_COLUMNS.get(path)
