"""Walking generated reports the way an ingester would: every object, with its type and path.

Test-side only: the checks here are written from FORMATS.md, not from the generator's code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

PHONE_RE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
POSTCODE_RE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][ABD-HJLNP-UW-Z]{2})\b", re.I)


def phone_e164(text: str) -> str:
    """Enough normalisation for generated phones: UK national, +44 and foreign + forms."""
    digits = re.sub(r"[^0-9+]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("0"):
        digits = "+44" + digits[1:]
    return digits


def people(report: dict) -> Iterator[tuple[str, dict]]:
    if report["kind"] in ("nrm", "dtn"):
        yield "victim", report["victim"]
        for i, p in enumerate(report.get("exploiters", [])):
            yield f"exploiters[{i}]", p
    else:
        for i, p in enumerate(report.get("subjects", [])):
            yield f"subjects[{i}]", p


def objects(report: dict) -> Iterator[tuple[str, str, dict]]:
    """(path, record type, object) for every person, location, business, vehicle, account."""
    for path, p in people(report):
        yield path, "person", p
        for i, a in enumerate(p.get("addresses", [])):
            yield f"{path}.addresses[{i}]", "location", a
        for i, v in enumerate(p.get("vehicles", [])):
            yield f"{path}.vehicles[{i}]", "vehicle", v
        for i, a in enumerate(p.get("accounts", [])):
            yield f"{path}.accounts[{i}]", "account", a
    if report["kind"] in ("nrm", "dtn"):
        for i, loc in enumerate((report.get("exploitation") or {}).get("locations", [])):
            yield f"exploitation.locations[{i}]", "location", loc
        return
    for i, loc in enumerate(report.get("locations", [])):
        yield f"locations[{i}]", "location", loc
    for i, b in enumerate(report.get("businesses", [])):
        yield f"businesses[{i}]", "business", b
        if b.get("address"):
            yield f"businesses[{i}].address", "location", b["address"]
    for i, v in enumerate(report.get("vehicles", [])):
        yield f"vehicles[{i}]", "vehicle", v
    for i, a in enumerate(report.get("accounts", [])):
        yield f"accounts[{i}]", "account", a


def phone_texts(report: dict) -> list[str]:
    """Every phone as written: people's, businesses', top-level, and link ends."""
    out: list[str] = []
    for _, kind, obj in objects(report):
        if kind in ("person", "business"):
            out.extend(obj.get("phones", []))
    out.extend(report.get("phones", []))
    refs = {obj["ref"] for _, _, obj in objects(report) if "ref" in obj}
    for link in report.get("links", []):
        for end in (link["from"], link["to"]):
            if end not in refs and not EMAIL_RE.match(end):
                out.append(end)
    return out


def email_texts(report: dict) -> list[str]:
    out: list[str] = []
    for _, kind, obj in objects(report):
        if kind == "person":
            out.extend(obj.get("emails", []))
    refs = {obj["ref"] for _, _, obj in objects(report) if "ref" in obj}
    for link in report.get("links", []):
        for end in (link["from"], link["to"]):
            if end not in refs and EMAIL_RE.match(end):
                out.append(end)
    return out


def postcode_of(location: dict) -> str | None:
    """The postcode a location gives, in its own field or inside its address."""
    if location.get("postcode"):
        m = POSTCODE_RE.search(location["postcode"])
    else:
        text = " ".join([location.get("address") or ""] + list(location.get("lines") or []))
        m = POSTCODE_RE.search(text)
    if not m:
        return None
    return f"{m.group(1).upper()} {m.group(2).upper()}"


def expected_records(report: dict) -> list[tuple[str, str]]:
    """(record_ref, record_type) for every record the report holds, as the truth keys them."""
    out = [(obj["ref"], kind) for _, kind, obj in objects(report)]
    out += [(e164, "phone") for e164 in dict.fromkeys(phone_e164(t) for t in phone_texts(report))]
    out += [(e, "email") for e in dict.fromkeys(t.lower() for t in email_texts(report))]
    return out


def fold(text: str) -> str:
    """Lower case, no diacritics, letters and spaces only: 'NGUYỄN, Văn' -> 'nguyen van'."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z ]", " ", text).split())
