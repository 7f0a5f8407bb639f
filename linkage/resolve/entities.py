"""Entity summaries and entity-level links, derived from records and record links.

Pure: given records, the resolution (record -> entity) and report metadata, build what the
store keeps about each entity and the links between entities with their evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from linkage.model import Entity, EntityLink, grading_rank

_MAX_KEYS = 60


def summarise(entity_id: str, record_type: str, records: list[dict], report_forces: dict[str, str | None]) -> Entity:
    labels = Counter()
    keys: list[str] = []
    forces: set[str] = set()
    roles: set[str] = set()
    dates = [r["reported_at"] for r in records if r.get("reported_at")]
    attrs: dict = {}
    for r in records:
        if r.get("display") and not (r.get("attrs") or {}).get("anonymous"):
            labels[r["display"]] += 1
        for k in r.get("keys") or []:
            if k not in keys and len(keys) < _MAX_KEYS:
                keys.append(k)
        if r.get("force"):
            forces.add(r["force"])
        if r.get("role"):
            roles.add(r["role"])
    if record_type == "person":
        names, dobs, nats, genders = set(), set(), set(), set()
        child = False
        for r in records:
            a = r.get("attrs") or {}
            for n in a.get("names") or []:
                if n.get("folded"):
                    names.add(n["folded"])
            if a.get("dob"):
                dobs.update(a["dob"].get("candidates") or [])
            if a.get("nationality"):
                nats.add(a["nationality"])
            if a.get("gender"):
                genders.add(a["gender"])
            child = child or bool(a.get("is_child"))
        attrs = {"names": sorted(names), "dobs": sorted(dobs), "nationalities": sorted(nats),
                 "genders": sorted(genders), "is_child": child}
    elif record_type == "location":
        uses, venues = Counter(), Counter()
        lat = lon = None
        postcode = None
        for r in records:
            if r.get("use"):
                uses[r["use"]] += 1
            if r.get("venue_type"):
                venues[r["venue_type"]] += 1
            if r.get("lat") is not None and lat is None:
                lat, lon = r["lat"], r["lon"]
            postcode = postcode or ((r.get("attrs") or {}).get("address") or {}).get("postcode")
        attrs = {"uses": dict(uses), "venue_types": dict(venues), "lat": lat, "lon": lon,
                 "postcode": postcode}
    elif record_type == "business":
        venues = Counter(r["venue_type"] for r in records if r.get("venue_type"))
        attrs = {"venue_types": dict(venues),
                 "company_numbers": sorted({(r.get("attrs") or {}).get("company_number")
                                            for r in records if (r.get("attrs") or {}).get("company_number")})}
    if not labels:
        label = records[0].get("display") or records[0].get("value") or entity_id
    else:
        label = sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    value = Counter(r.get("value") or "" for r in records).most_common(1)[0][0]
    return Entity(
        entity_id=entity_id, entity_type=record_type, label=label, value=value, attrs=attrs,
        keys=keys, forces=sorted(forces), roles=sorted(roles), flags=[],
        record_count=len(records), report_count=len({r["report_id"] for r in records}),
        first_seen=min(dates) if dates else None, last_seen=max(dates) if dates else None,
    )


def build_entity_links(links: list[dict], entity_of: dict[str, str], reports: dict[str, dict]) -> list[EntityLink]:
    """Aggregate record links into entity links: one per (from, to, type), with its evidence.

    Counts are of distinct reports; a report's superseded versions are not counted again.
    """
    agg: dict[tuple[str, str, str], dict] = defaultdict(lambda: {"reports": {}, "dates": []})
    for l in links:
        a, b = entity_of.get(l["src"]), entity_of.get(l["dst"])
        if a is None or b is None or a == b:
            continue
        rep = reports.get(l["report_id"])
        if rep is None or rep.get("superseded"):
            continue
        slot = agg[(a, b, l["link_type"])]
        slot["reports"][rep["report_key"]] = rep
    out = []
    for (a, b, t), slot in sorted(agg.items()):
        reps = list(slot["reports"].values())
        dates = [r["reported_at"] for r in reps if r.get("reported_at")]
        graded = [r for r in reps if r.get("grading_source") or r.get("grading_intel")]
        best = None
        if graded:
            g = min(graded, key=lambda r: grading_rank(r.get("grading_source"), r.get("grading_intel")))
            best = f"{g.get('grading_source') or ''}{g.get('grading_intel') or ''}"
        conds = sorted({r["conditions"] for r in reps if r.get("handling") == "C" and r.get("conditions")})
        out.append(EntityLink(
            src=a, dst=b, link_type=t, count=len(reps),
            first_seen=min(dates) if dates else None, last_seen=max(dates) if dates else None,
            report_ids=sorted(r["report_id"] for r in reps), best_grading=best,
            handling="C" if any(r.get("handling") == "C" for r in reps) else ("P" if graded else None),
            conditions=conds,
        ))
    return out


def mark_superseded(reports: list[dict]) -> dict[str, dict]:
    """report_id -> report, with `superseded` set on every version but the latest of its key."""
    latest: dict[str, int] = {}
    for r in reports:
        latest[r["report_key"]] = max(latest.get(r["report_key"], 0), r["version"])
    out = {}
    for r in reports:
        r["superseded"] = r["version"] < latest[r["report_key"]]
        out[r["report_id"]] = r
    return out


ALL_TIME = (date(1900, 1, 1), date(2999, 12, 31))
