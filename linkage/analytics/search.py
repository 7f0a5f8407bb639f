"""Find entities from what an analyst types: a name, a phone, a postcode or part of an address,
a registration mark, an account or an email, in whatever form they have it.

The text is normalised the way ingest normalises source values (ingest/normalise), so a query
meets the stored canonical values: "+44 7700 900123" and "07700900123" are one phone,
"ab12 cde" a VRM, "Nguyen Van An" matches "Văn An NGUYỄN" (diacritics folded, any name order).
Names are ranked with rapidfuzz (token sort and token set ratios, order-insensitive) over every
name an entity was recorded under. Each hit says why it matched.

Scores (0-100): an identifier equal to the query 100; a phone ending in the query's digits 85;
a location in the query's postcode 95, in its postcode district 80; a location whose address
contains the query 60-90 (the more of the address the query covers, the higher); names the
rapidfuzz score (token set score x 0.9, so an exact full name ranks above a partial one).
"""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import fuzz, process

from linkage.analytics.projection import Projection, projection
from linkage.errors import UserError
from linkage.model import RecordType

TYPES = tuple(t.value for t in RecordType)
NAME_CUTOFF = 70
_DIGITS = re.compile(r"\D")
_OUTWARD = re.compile(r"^[a-z]{1,2}[0-9][a-z0-9]?$")


def _normalise():
    from ingest import normalise as N

    return N


def _fold(text: str) -> str:
    N = _normalise()
    return " ".join(N.fold(text).split())


class SearchIndex:
    """What search compares against, built once per projection."""

    def __init__(self, proj: Projection):
        N = _normalise()
        self.names: list[str] = []
        self.name_owner: list[str] = []
        self.exact: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.phone_digits: list[tuple[str, str]] = []
        self.account_digits: list[tuple[str, str]] = []
        self.postcodes: dict[str, list[str]] = defaultdict(list)
        self.addresses: list[str] = []
        self.address_owner: list[str] = []
        for eid, e in proj.entities.items():
            t = e["entity_type"]
            value = e.get("value") or ""
            attrs = e.get("attrs") or {}
            if t == "person":
                variants = set(attrs.get("names") or [])
                if e.get("label") and not e["label"].startswith("unnamed"):
                    variants.add(_fold(e["label"]))
                for v in sorted(variants):  # sorted: ties name the same variant in every process
                    if v:
                        self.names.append(v)
                        self.name_owner.append(eid)
            elif t == "business":
                for v in sorted({value, _fold(e.get("label") or "")}):
                    if v:
                        self.names.append(v)
                        self.name_owner.append(eid)
            elif t == "location":
                pc = attrs.get("postcode")
                if pc:
                    self.postcodes[_fold(pc).replace(" ", "")].append(eid)
                text = " ".join(x for x in sorted({_fold(e.get("label") or ""), _fold(value)}) if x)
                if text:
                    self.addresses.append(text)
                    self.address_owner.append(eid)
            elif t == "phone":
                self.exact["phone"][value].append(eid)
                self.phone_digits.append((_DIGITS.sub("", value), eid))
            elif t == "account":
                self.exact["account"][value].append(eid)
                self.account_digits.append((_DIGITS.sub("", value), eid))
            elif t in ("vehicle", "email"):
                self.exact[t][value].append(eid)
        del N
        # Every name in the two forms the rapidfuzz token scorers reduce it to, so a search runs
        # the plain (much cheaper) ratio over them instead of re-tokenising every name per query:
        # token_sort_ratio(q, n) is ratio(sorted tokens of q, sorted tokens of n), and
        # token_set_ratio(q, n), when q and n share no token, is ratio(sorted distinct tokens
        # of q, sorted distinct tokens of n). Names that share a token with the query are few;
        # `token_names` finds them, and they are scored with token_set_ratio itself. The two
        # forms differ only for names that repeat a token (`repeating`), so for a query that
        # repeats none, one scan of the sorted forms serves both scorers.
        self.names_sorted: list[str] = [" ".join(sorted(n.split())) for n in self.names]
        self.names_distinct: list[str] = [" ".join(sorted(set(n.split()))) for n in self.names]
        self.repeating: list[int] = [i for i, (a, b) in enumerate(zip(self.names_sorted, self.names_distinct))
                                     if a != b]
        self.repeating_distinct: list[str] = [self.names_distinct[i] for i in self.repeating]
        self.token_names: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(self.names):
            for tok in set(n.split()):
                self.token_names[tok].append(i)


def _index(proj: Projection) -> SearchIndex:
    return proj.derive("search_index", SearchIndex)


# A hair below the cutoff: token_set_ratio and ratio round differently in the last bits, so a
# scan by ratio keeps whatever token_set_ratio could put at the cutoff, and rescores it.
_SLACK = 0.001


def _ranked(scored, wanted: int) -> list[tuple[float, int]]:
    """The `wanted` best (score, name index) pairs, ties in index order, as `process.extract`
    returns them."""
    return sorted(scored, key=lambda r: (-r[0], r[1]))[:wanted]


def name_matches(ix: SearchIndex, name_q: str, wanted: int) -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    """The `wanted` best names at or above NAME_CUTOFF by token_sort_ratio, and by
    token_set_ratio, as (score, name index) best first: exactly what `process.extract` gives
    with each scorer over `ix.names`, computed from the forms the index prepared."""
    tokens = name_q.split()
    q_sorted = " ".join(sorted(tokens))
    q_distinct = " ".join(sorted(set(tokens)))
    found = {i for t in set(tokens) for i in ix.token_names.get(t, ())}
    if q_sorted == q_distinct:
        near = process.extract(q_sorted, ix.names_sorted, scorer=fuzz.ratio, limit=None,
                               score_cutoff=NAME_CUTOFF - _SLACK)
        by_sort = _ranked([(score, i) for _c, score, i in near if score >= NAME_CUTOFF], wanted)
        repeating = set(ix.repeating)
        found.update(i for _c, _s, i in near if i not in repeating)
        found.update(ix.repeating[j] for _c, _s, j in process.extract(
            q_distinct, ix.repeating_distinct, scorer=fuzz.ratio, limit=None, score_cutoff=NAME_CUTOFF - _SLACK))
    else:
        by_sort = [(score, i) for _c, score, i in process.extract(
            q_sorted, ix.names_sorted, scorer=fuzz.ratio, limit=wanted, score_cutoff=NAME_CUTOFF)]
        found.update(i for _c, _s, i in process.extract(q_distinct, ix.names_distinct, scorer=fuzz.ratio,
                                                       limit=None, score_cutoff=NAME_CUTOFF - _SLACK))
    by_set = []
    for i in found:
        score = fuzz.token_set_ratio(name_q, ix.names[i], score_cutoff=NAME_CUTOFF)
        if score:
            by_set.append((score, i))
    return by_sort, _ranked(by_set, wanted)


def search(store, text: str, types: list[str] | None = None, limit: int = 20) -> list[dict]:
    """Entities matching `text`, best first: {entity_id, entity_type, label, score, reason,
    forces, flags}."""
    q = (text or "").strip()
    if not q:
        raise UserError("search needs some text: a name, phone, postcode, address, VRM or account")
    for t in types or []:
        if t not in TYPES:
            raise UserError(f"unknown entity type {t!r} (one of {', '.join(TYPES)})")
    if limit < 1:
        raise UserError("limit must be at least 1")
    N = _normalise()
    proj = projection(store)
    ix = _index(proj)
    hits: dict[str, tuple[float, str]] = {}

    def hit(eid: str, score: float, reason: str):
        if eid not in hits or hits[eid][0] < score:
            hits[eid] = (score, reason)

    if q in proj.entities:
        hit(q, 100, "entity id")
    digits = _DIGITS.sub("", q)
    folded = _fold(q)
    compact = folded.replace(" ", "")

    # phones in any format
    if len(digits) >= 6 and len(digits) >= len(compact.replace("+", "")) - 2:
        ph = N.normalise_phone(q)
        if ph is not None:
            for value in {getattr(ph, "e164", None), getattr(ph, "canonical", None)} - {None, ""}:
                for eid in ix.exact["phone"].get(value, []):
                    hit(eid, 100, f"phone {value}")
        tail = digits.lstrip("0")
        if len(tail) >= 6:
            for d, eid in ix.phone_digits:
                if d.endswith(tail):
                    hit(eid, 85, f"phone ending {tail}")
    # registration marks
    if 2 <= len(compact) <= 8 and any(c.isdigit() for c in compact) and any(c.isalpha() for c in compact):
        v = N.normalise_vrm(q)
        if v is not None and getattr(v, "canonical", None):
            for eid in ix.exact["vehicle"].get(v.canonical, []):
                hit(eid, 100, f"vehicle {v.canonical}")
    # accounts: sort code + number or IBAN, any spacing
    if len(digits) >= 8:
        for d, eid in ix.account_digits:
            if d == digits or (len(digits) >= 8 and d.endswith(digits)):
                hit(eid, 100 if d == digits else 90, "account number")
        if hasattr(N, "normalise_account") and compact[:2].isalpha():
            acct = N.normalise_account(iban=q)
            if acct is not None and getattr(acct, "canonical", None):
                for eid in ix.exact["account"].get(acct.canonical, []):
                    hit(eid, 100, f"account {acct.canonical}")
    # emails
    if "@" in q:
        em = N.normalise_email(q)
        for eid in ix.exact["email"].get(em or q.lower(), []):
            hit(eid, 100, f"email {em}")
    # postcodes and addresses
    pc = N.normalise_postcode(q)
    pc_value = getattr(pc, "postcode", pc) if pc else None
    if isinstance(pc_value, str) and pc_value:
        key = _fold(pc_value).replace(" ", "")
        for eid in ix.postcodes.get(key, []):
            hit(eid, 95, f"postcode {pc_value}")
    elif _OUTWARD.match(compact):
        for key, eids in ix.postcodes.items():
            if key.startswith(compact) and key[len(compact):].strip()[:1].isdigit() and len(key) - len(compact) == 3:
                for eid in eids:
                    hit(eid, 80, f"postcode district {compact.upper()}")
    if len(folded) >= 4 and not (types and "location" not in types):
        for text_, eid in zip(ix.addresses, ix.address_owner):
            if folded in text_:
                hit(eid, 60 + 30 * min(len(folded) / max(len(text_), 1), 1.0), f"address contains '{folded}'")
    # names
    name_q = folded
    if hasattr(N, "normalise_name"):
        pn = N.normalise_name(full_name=q)
        if pn is not None and getattr(pn, "folded", None):
            name_q = pn.folded
    if any(c.isalpha() for c in name_q) and ix.names:
        wanted = max(limit * 5, 50)
        scored: dict[int, float] = {}
        by_sort, by_set = name_matches(ix, name_q, wanted)
        for ranked, factor in ((by_sort, 1.0), (by_set, 0.9)):
            for score, i in ranked:
                s = score * factor
                if s >= NAME_CUTOFF and s > scored.get(i, 0):
                    scored[i] = s
        for i, s in scored.items():
            hit(ix.name_owner[i], round(s, 1), f"name '{ix.names[i]}' ~ {s:.0f}")

    out = []
    for eid, (score, reason) in hits.items():
        e = proj.entities[eid]
        if types and e["entity_type"] not in types:
            continue
        out.append({"entity_id": eid, "entity_type": e["entity_type"], "label": e.get("label"),
                    "score": round(float(score), 1), "reason": reason,
                    "forces": list(e.get("forces") or []), "flags": list(e.get("flags") or [])})
    out.sort(key=lambda r: (-r["score"], r["label"] or "", r["entity_id"]))
    return out[:limit]
