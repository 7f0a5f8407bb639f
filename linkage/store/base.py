"""What both adapters share: every intent of the port written once over named Cypher.

An adapter supplies the dialect: how to run a named read or write, how to bulk-create rows,
how to hold a transaction and how to create the schema. Everything else is here, so the embedded
store and Neo4j answer the same questions the same way.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from linkage.errors import LimitExceeded
from linkage.model import (
    Entity, EntityLink, Judgement, Membership, Record, RecordLink, Report, ReportBundle,
    WriteOutcome,
)
from linkage.store import rows as R

BATCH = 10_000
# Meta key of a token that every write to the entity graph (entities, memberships, entity links,
# flags) replaces, in the same transaction: what was derived from the graph under one token
# (saved networks) is still true while the token is the same.
GRAPH_VERSION = "graph_version"


@dataclass
class VersionPlan:
    """What a write of reports does: an outcome per report, the reports to write as
    (position, version), and their ReportKey rows (`new_keys` not stored yet)."""

    outcomes: list[WriteOutcome] = field(default_factory=list)
    write: list[tuple[int, int]] = field(default_factory=list)
    new_keys: list[dict] = field(default_factory=list)
    seen_keys: list[dict] = field(default_factory=list)


def chunks(seq: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


class CypherStore:
    kind = "abstract"
    dialect = "shared"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- what an adapter provides -----------------------------------------------------------
    def _read(self, name: str, params: dict | None = None) -> list[dict]:
        raise NotImplementedError

    def _write(self, name: str, params: dict | None = None) -> None:
        raise NotImplementedError

    def _create_rows(self, table: str, rows: list[dict]) -> None:
        """Create new nodes (or rels: rows with src/dst) known not to exist yet."""
        raise NotImplementedError

    @contextmanager
    def _transaction(self):
        raise NotImplementedError
        yield

    def _count(self, label: str, where_type: str | None = None) -> dict[str, int]:
        raise NotImplementedError

    def _create_tuples(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        """Create rows given as tuples in `columns` order (rels: src and dst first)."""
        self._create_rows(table, [dict(zip(columns, r)) for r in rows])

    @contextmanager
    def bulk_writes(self, expected_reports: int | None = None):
        """Many big writes follow (an ingest); nothing to defer unless an adapter says so."""
        yield

    def _upsert_report_keys(self, new: list[dict], seen: list[dict]) -> None:
        """Record versions and hashes: `new` keys are not stored yet, `seen` ones are."""
        self._write("report_keys_upsert", {"rows": new + seen})

    # -- reports ----------------------------------------------------------------------------
    def write_reports(self, bundles: Sequence[ReportBundle]) -> list[WriteOutcome]:
        return self.write_report_rows([R.report_rows(b) for b in bundles])

    def write_report_rows(self, reports: Sequence[R.ReportRows]) -> list[WriteOutcome]:
        """`write_reports` for reports already turned into rows (`rows.report_rows`), as ingest
        worker processes send them."""
        if not reports:
            return []
        plan = self._plan_versions([p.report for p in reports])
        if not plan.write:
            return plan.outcomes
        new: list[R.ReportRows] = []
        for i, version in plan.write:
            p = reports[i]
            new.append(p if version == p.report[R.VERSION] else R.reversioned(p, version))
        reports_t = [p.report for p in new]
        records = [r for p in new for r in p.records]
        mentions = [(p.report[R.REPORT_ID], r[R.RECORD_ID]) for p in new for r in p.records]
        links = [l for p in new for l in p.links]
        with self._transaction():
            self._create_tuples("Report", R.REPORT_COLUMNS, reports_t)
            self._create_tuples("Record", R.RECORD_COLUMNS, records)
            self._create_tuples("MENTIONS", R.MENTION_COLUMNS, mentions)
            self._create_tuples("LINK", R.LINK_COLUMNS, links)
            self._upsert_report_keys(plan.new_keys, plan.seen_keys)
        return plan.outcomes

    def write_report_batch(self, batch: R.ReportBatch) -> list[WriteOutcome]:
        """`write_report_rows` for reports as Arrow tables (what ingest workers send)."""
        return self.write_report_rows(batch.rows())

    def _plan_versions(self, reports: Sequence[Sequence]) -> "VersionPlan":
        """Which reports (Report rows in REPORT_COLUMNS order) are new, and as which version,
        from the report keys stored: the same content again is `unchanged`."""
        keys = sorted({rep[R.REPORT_KEY] for rep in reports})
        stored: dict[str, tuple[int, list[str]]] = {}
        for part in chunks(keys):
            for row in self._read("report_keys", {"keys": list(part)}):
                stored[row["report_key"]] = (int(row["versions"] or 0), list(row["hashes"] or []))
        existing = set(stored)
        plan = VersionPlan()
        key_rows: dict[str, dict] = {}
        for i, rep in enumerate(reports):
            key, kind, source_ref, chash = (rep[R.REPORT_KEY], rep[R.KIND], rep[R.SOURCE_REF],
                                            rep[R.CONTENT_HASH])
            versions, hashes = stored.get(key, (0, []))
            if chash in hashes:
                version = hashes.index(chash) + 1
                plan.outcomes.append(WriteOutcome(source_ref, kind, "unchanged",
                                                  Report.id_for(kind, key, version)))
                continue
            version = versions + 1
            status = "accepted" if version == 1 else "new_version"
            plan.write.append((i, version))
            hashes = hashes + [chash]
            stored[key] = (version, hashes)
            key_rows[key] = {
                "report_key": key, "kind": kind, "source_ref": source_ref,
                "organisation": rep[R.ORGANISATION], "versions": version, "hashes": hashes,
            }
            rid = (rep[R.REPORT_ID] if version == rep[R.VERSION]
                   else Report.id_for(kind, key, version))
            plan.outcomes.append(WriteOutcome(source_ref, kind, status, rid))
        plan.new_keys = [r for k, r in key_rows.items() if k not in existing]
        plan.seen_keys = [r for k, r in key_rows.items() if k in existing]
        return plan

    def report(self, report_id: str) -> dict | None:
        rows = self.reports([report_id])
        return rows[0] if rows else None

    def reports(self, report_ids: Iterable[str]) -> list[dict]:
        out = []
        ids = list(dict.fromkeys(report_ids))
        for part in chunks(ids):
            out += [R.clean_node(r) for r in self._read("report_by_id", {"ids": list(part)})]
        return out

    def reports_by_source_ref(self, source_ref: str) -> list[dict]:
        return [R.clean_node(r) for r in self._read("reports_by_source_ref", {"source_ref": source_ref})]

    def reports_between(self, start: date, end: date, kinds: Sequence[str] | None = None) -> list[dict]:
        rows = [R.clean_node(r) for r in self._read("reports_between", {"from_date": start, "to_date": end})]
        if kinds:
            rows = [r for r in rows if r["kind"] in kinds]
        return rows

    def report_summaries(self) -> list[dict]:
        return [R.clean_node(r) for r in self._read("report_summaries_all")]

    # -- records ----------------------------------------------------------------------------
    def records(self, record_type: str | None = None, *, unresolved_only: bool = False) -> list[dict]:
        if unresolved_only:
            rows = self._read("records_unresolved", {"record_type": record_type})
        elif record_type:
            rows = self._read("records_of_type", {"record_type": record_type})
        else:
            rows = self._read("records_all")
        return [R.clean_node(r) for r in rows]

    def records_by_id(self, record_ids: Iterable[str]) -> list[dict]:
        out = []
        ids = list(dict.fromkeys(record_ids))
        for part in chunks(ids):
            out += [R.clean_node(r) for r in self._read("records_by_id", {"ids": list(part)})]
        return out

    def records_by_keys(self, record_type: str, keys: Iterable[str]) -> list[dict]:
        wanted = set(keys)
        return [r for r in self.records(record_type) if wanted.intersection(r["keys"])]

    def record_links(self) -> list[dict]:
        return self._read("record_links")

    def mentions_between(self, start: date, end: date) -> list[dict]:
        # attrs stay JSON text: a caller decodes only the few it needs (a window holds tens of
        # thousands of records, most of them phones and businesses nobody reads the attrs of)
        return self._read("mentions_between", {"from_date": start, "to_date": end})

    def record_links_between(self, start: date, end: date) -> list[dict]:
        return self._read("record_links_between", {"from_date": start, "to_date": end})

    def unresolved_count(self) -> int:
        rows = self._read("records_unresolved_count")
        return max(0, int(rows[0]["records"]) - int(rows[0]["resolved"])) if rows else 0

    # -- resolution -------------------------------------------------------------------------
    def memberships(self, entity_types: Sequence[str] | None = None) -> dict[str, tuple[str, float, str]]:
        types = set(entity_types or [])
        return {
            r["record_id"]: (r["entity_id"], r["score"], r["rule"])
            for r in self._read("memberships")
            if not types or r["entity_type"] in types
        }

    def replace_resolution(self, entity_types: Sequence[str], entities: Sequence[Entity],
                           memberships: Sequence[Membership]) -> None:
        with self._transaction():
            for t in entity_types:
                self._write("entities_delete_of_type", {"entity_type": t})
            self._create_rows("Entity", [R.entity_row(e) for e in entities])
            self._create_rows("RESOLVED_TO", [
                {"src": m.record_id, "dst": m.entity_id, "score": float(m.score), "rule": m.rule}
                for m in memberships])
            self._new_graph_version()

    def update_resolution(self, entities: Sequence[Entity], memberships: Sequence[Membership],
                          removed_entity_ids: Sequence[str]) -> None:
        with self._transaction():
            ids = [e.entity_id for e in entities] + list(removed_entity_ids)
            for part in chunks(ids):
                self._write("entities_delete", {"ids": list(part)})
            self._create_rows("Entity", [R.entity_row(e) for e in entities])
            moved = [m.record_id for m in memberships]
            for part in chunks(moved):
                self._write("memberships_delete", {"ids": list(part)})
            # Entities rewritten above lost their memberships with DETACH DELETE; callers pass
            # every membership of every entity they upsert, so re-creating them is complete.
            self._create_rows("RESOLVED_TO", [
                {"src": m.record_id, "dst": m.entity_id, "score": float(m.score), "rule": m.rule}
                for m in memberships])
            self._new_graph_version()

    def replace_entity_links(self, links: Sequence[EntityLink]) -> None:
        with self._transaction():
            self._write("entity_links_delete")
            self._create_rows("LINKED", [R.entity_link_row(l) for l in links])
            self._new_graph_version()

    def update_entity_flags(self, flags: dict[str, list[str]]) -> None:
        rows = [{"entity_id": k, "flags": sorted(v)} for k, v in sorted(flags.items())]
        with self._transaction():
            for part in chunks(rows):
                self._write("entity_flags_set", {"rows": list(part)})
            self._new_graph_version()

    # -- the entity graph's version -----------------------------------------------------------
    def graph_version(self) -> str | None:
        return self.get_meta(GRAPH_VERSION)

    def _new_graph_version(self) -> str:
        token = uuid.uuid4().hex
        self.set_meta(GRAPH_VERSION, token)
        return token

    def ensure_graph_version(self) -> str:
        return self.graph_version() or self._new_graph_version()

    # -- judgements -------------------------------------------------------------------------
    def add_judgement(self, judgement: Judgement) -> None:
        self._write("judgement_upsert", {"rows": [R.judgement_row(judgement)]})

    def undo_judgement(self, judgement_id: str, by: str, at: datetime) -> Judgement | None:
        for j in self.judgements(include_undone=True):
            if j.judgement_id == judgement_id:
                if j.undone:
                    return j
                j.undone, j.undone_by, j.undone_at = True, by, at
                self._write("judgement_upsert", {"rows": [R.judgement_row(j)]})
                return j
        return None

    def judgements(self, *, include_undone: bool = False) -> list[Judgement]:
        js = [R.judgement_from(R.clean_node(r)) for r in self._read("judgements_all")]
        return js if include_undone else [j for j in js if not j.undone]

    # -- analyst reads ----------------------------------------------------------------------
    def entities(self, entity_ids: Iterable[str]) -> list[dict]:
        out = []
        ids = list(dict.fromkeys(entity_ids))
        for part in chunks(ids):
            out += [R.clean_node(r) for r in self._read("entity_by_id", {"ids": list(part)})]
        return out

    def all_entities(self, entity_type: str | None = None) -> list[dict]:
        if entity_type:
            rows = self._read("entities_of_type", {"entity_type": entity_type})
        else:
            rows = self._read("entities_all")
        return [R.clean_node(r) for r in rows]

    def entity(self, entity_id: str) -> dict | None:
        found = self.entities([entity_id])
        if not found:
            return None
        ent = found[0]
        records = []
        for row in self._read("entity_records", {"entity_id": entity_id}):
            records.append(R.clean_node(row))
        records.sort(key=lambda r: (r.get("reported_at") or date.min, r["record_id"]))
        reports = self.reports({r["report_id"] for r in records})
        for rep in reports:
            rep.pop("raw", None)
        ent["records"] = records
        ent["reports"] = sorted(reports, key=lambda r: (r.get("reported_at") or date.min, r["report_id"]))
        return ent

    def neighbourhood(self, entity_ids: Sequence[str], hops: int = 2, *, max_nodes: int = 5000) -> dict:
        if hops < 0 or hops > 6:
            raise LimitExceeded("hops must be between 0 and 6", details={"hops": hops})
        seen: dict[str, int] = {e: 0 for e in entity_ids}
        links: dict[tuple, dict] = {}
        frontier = list(seen)
        truncated = False
        for depth in range(1, hops + 1):
            if not frontier:
                break
            nxt: list[str] = []
            for part in chunks(frontier, 2000):
                for name in ("links_out", "links_in"):
                    for row in self._read(name, {"ids": list(part)}):
                        row = R.clean_link(row)
                        for end in (row["src"], row["dst"]):
                            if end not in seen:
                                if len(seen) >= max_nodes:
                                    truncated = True
                                    continue
                                seen[end] = depth
                                nxt.append(end)
                        if row["src"] in seen and row["dst"] in seen:
                            links[(row["src"], row["dst"], row["link_type"])] = row
            frontier = nxt
        # Links among the outermost ring were not walked; fetch them so the picture is whole.
        if frontier:
            ring = set(frontier)
            for part in chunks(frontier, 2000):
                for row in self._read("links_out", {"ids": list(part)}):
                    if row["dst"] in seen:
                        row = R.clean_link(row)
                        links[(row["src"], row["dst"], row["link_type"])] = row
            del ring
        nodes = self.entities(seen)
        for n in nodes:
            n["hops"] = seen[n["entity_id"]]
        nodes.sort(key=lambda n: (n["hops"], n["entity_id"]))
        return {"nodes": nodes, "links": sorted(links.values(), key=lambda l: (l["src"], l["dst"], l["link_type"])),
                "truncated": truncated}

    def entity_links(self) -> list[dict]:
        return [R.clean_link(r) for r in self._read("entity_links_all")]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for label in ("Report", "Record", "Entity", "Judgement"):
            out[label] = self._count(label)[""]
        for k, v in self._count("Record", "record_type").items():
            out[f"Record:{k}"] = v
        for k, v in self._count("Entity", "entity_type").items():
            out[f"Entity:{k}"] = v
        out["LINK"] = self._count("LINK")[""]
        out["LINKED"] = self._count("LINKED")[""]
        return out

    # -- documents --------------------------------------------------------------------------
    def put_docs(self, collection: str, docs: dict[str, dict]) -> None:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        rows = [{"doc_id": f"{collection}/{k}", "collection": collection,
                 "body": json.dumps(v, ensure_ascii=False, default=str, sort_keys=True),
                 "updated_at": now} for k, v in docs.items()]
        with self._transaction():
            for part in chunks(rows):
                self._write("docs_upsert", {"rows": list(part)})

    def get_doc(self, collection: str, doc_id: str) -> dict | None:
        rows = self._read("doc_by_id", {"doc_id": f"{collection}/{doc_id}"})
        return json.loads(rows[0]["body"]) if rows else None

    def list_docs(self, collection: str) -> dict[str, dict]:
        prefix = len(collection) + 1
        return {r["doc_id"][prefix:]: json.loads(r["body"])
                for r in self._read("docs_of_collection", {"collection": collection})}

    def delete_docs(self, collection: str, doc_ids: Iterable[str]) -> None:
        ids = [f"{collection}/{d}" for d in doc_ids]
        for part in chunks(ids):
            self._write("docs_delete", {"ids": list(part)})

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._read("meta_get", {"key": key})
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._write("meta_set", {"key": key, "value": value})
