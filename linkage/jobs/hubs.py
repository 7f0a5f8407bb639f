"""Known hubs: places (or phones, accounts ...) that recur for benign reasons and that the daily
scan must not flag, beyond the benign uses the reports themselves state (`BENIGN_USES`).

A hub is named either by an entity id (`L-3f9a...`: exactly that entity, of any type) or by a
UK postcode (every location in that postcode: the usual way to name a reception centre or a
charity office whose address is written many ways). Each hub carries the reason it was added,
who added it and when. Hubs live in the store's document collection "hubs", so the API process,
the CLI and the scheduled scanner all read one list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from linkage.errors import NotFound, UserError

COLLECTION = "hubs"

# The UK postcode shape (outward code, then inward code: digit + two letters), spaces optional.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def normalise_postcode(text: str | None) -> str | None:
    """"b11aa" / "B1  1AA" -> "B1 1AA"; None when the text is not a full UK postcode."""
    if not text:
        return None
    t = re.sub(r"\s+", "", str(text)).upper()
    m = _POSTCODE.match(t)
    if not m:
        return None
    return f"{m.group(1)} {m.group(2)}"


@dataclass(frozen=True)
class HubList:
    """The hubs as the scan uses them: entity ids and postcodes, each with its hub document."""

    by_entity: dict[str, dict]
    by_postcode: dict[str, dict]

    def match(self, entity_id: str, postcodes: Iterable[str | None] = ()) -> dict | None:
        """The hub that covers this entity (by id, or by any of its postcodes), else None."""
        hub = self.by_entity.get(entity_id)
        if hub is not None:
            return hub
        for pc in postcodes:
            norm = normalise_postcode(pc)
            if norm and norm in self.by_postcode:
                return self.by_postcode[norm]
        return None

    def __len__(self) -> int:
        return len(self.by_entity) + len(self.by_postcode)


def _doc_id(kind: str, value: str) -> str:
    return f"{kind}:{value.replace(' ', '')}" if kind == "postcode" else f"{kind}:{value}"


def list_hubs(store) -> list[dict]:
    """Every known hub, postcodes first then entities, each with its reason and who added it."""
    docs = store.list_docs(COLLECTION)
    out = [{"hub_id": k, **v} for k, v in docs.items()]
    out.sort(key=lambda h: (h.get("kind") != "postcode", h.get("value") or ""))
    return out


def hub_list(store) -> HubList:
    by_entity, by_postcode = {}, {}
    for h in list_hubs(store):
        if h.get("kind") == "entity":
            by_entity[h["value"]] = h
        elif h.get("kind") == "postcode":
            by_postcode[h["value"]] = h
    return HubList(by_entity, by_postcode)


def add_hub(store, target: str, *, reason: str, by: str, at: datetime | None = None) -> dict:
    """Add (or update the reason of) a known hub. `target` is an entity id held in the store, or
    a full UK postcode. Returns the hub document."""
    target = (target or "").strip()
    reason = (reason or "").strip()
    if not target:
        raise UserError("say which hub to add: an entity id (e.g. L-3f9a0c2b1d) or a postcode")
    if not reason:
        raise UserError("a hub needs --reason (why it recurs for benign reasons), so the next "
                        "supervisor knows why it is not flagged")
    at = at or datetime.now(timezone.utc)
    found = store.entities([target])
    if found:
        ent = found[0]
        doc = {"kind": "entity", "value": ent["entity_id"], "entity_type": ent.get("entity_type"),
               "label": ent.get("label"), "postcode": (ent.get("attrs") or {}).get("postcode")}
    else:
        pc = normalise_postcode(target)
        if pc is None:
            hint = (" (that is only the outward part of a postcode; give the full postcode)"
                    if _OUTWARD.match(re.sub(r"\s+", "", target).upper()) else "")
            raise UserError(f"{target!r} is neither an entity id in the store nor a full UK "
                            f"postcode{hint}. Find the entity id with `linkage entity` or the "
                            "scan report, then run `linkage hubs add ENTITY_ID --reason ...`")
        doc = {"kind": "postcode", "value": pc, "entity_type": "location", "label": None,
               "postcode": pc}
    doc.update({"reason": reason, "added_by": by,
                "added_at": at.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")})
    hub_id = _doc_id(doc["kind"], doc["value"])
    store.put_docs(COLLECTION, {hub_id: doc})
    return {"hub_id": hub_id, **doc}


def remove_hubs(store, targets: Iterable[str]) -> list[str]:
    """Remove hubs named by entity id, postcode or hub id. Returns the hub ids removed; a target
    that names no hub is a NotFound error (nothing is removed then)."""
    docs = store.list_docs(COLLECTION)
    ids: list[str] = []
    missing: list[str] = []
    for t in targets:
        t = (t or "").strip()
        candidates = [t, _doc_id("entity", t)]
        pc = normalise_postcode(t)
        if pc:
            candidates.append(_doc_id("postcode", pc))
        hit = next((c for c in candidates if c in docs), None)
        if hit is None:
            missing.append(t)
        elif hit not in ids:
            ids.append(hit)
    if missing:
        raise NotFound(f"no known hub {', '.join(repr(m) for m in missing)}; "
                       "`linkage hubs list` shows them")
    store.delete_docs(COLLECTION, ids)
    return ids
