"""The graph store port: what callers want from a graph store, named by intent.

Two adapters implement it: `EmbeddedStore` (LadybugDB, on disk, in process) and `Neo4jStore`
(Neo4j 5 through the official driver). One contract suite (tests/store/) runs against both.

Rows come back as plain dicts with Python values (dates as `date`, timestamps as naive UTC
`datetime`, `attrs` already decoded from JSON) so no caller sees a dialect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from contextlib import AbstractContextManager
from typing import Any, Protocol

from linkage.model import Entity, EntityLink, Judgement, Membership, ReportBundle, WriteOutcome
from linkage.store.rows import ReportBatch, ReportRows


class GraphStore(Protocol):
    kind: str  # "embedded" | "neo4j"

    # -- lifecycle -------------------------------------------------------------------------
    def describe(self) -> dict[str, Any]:
        """Where the store is and its schema version (no personal data)."""

    def close(self) -> None: ...

    def ping(self) -> bool:
        """True when the store answers a trivial query (readiness)."""

    # -- reports and records ------------------------------------------------------------------
    def write_reports(self, bundles: Sequence[ReportBundle]) -> list[WriteOutcome]:
        """Write a batch in one transaction; all or nothing for the batch.

        Idempotent on (report_key, content_hash): the same report again is `unchanged`; the same
        key with other content is a `new_version` (both versions kept); else `accepted`.
        """

    def write_report_rows(self, reports: Sequence[ReportRows]) -> list[WriteOutcome]:
        """`write_reports` for bundles already turned into rows (`rows.report_rows`): what
        ingest's worker processes send, so the writing process does no per-record work."""

    def write_report_batch(self, batch: ReportBatch) -> list[WriteOutcome]:
        """`write_report_rows` for reports as Arrow tables (`rows.ReportBatch`): what ingest's
        worker processes send; the embedded store COPYs the tables as they are."""

    def bulk_writes(self, expected_reports: int | None = None) -> AbstractContextManager[None]:
        """Many big writes follow (an ingest of about `expected_reports`, when known): the store
        may defer housekeeping to the end, or do some of it on the way."""

    def report(self, report_id: str) -> dict | None: ...

    def reports(self, report_ids: Iterable[str]) -> list[dict]: ...

    def reports_by_source_ref(self, source_ref: str) -> list[dict]: ...

    def reports_between(self, start: date, end: date, kinds: Sequence[str] | None = None) -> list[dict]:
        """Reports with reported_at in [start, end], without the raw payload."""

    def report_summaries(self) -> list[dict]:
        """Every dated report (reported_at set) without its narrative and raw payload: report_id, kind, source_ref,
        organisation, reported_at, force, grading_source, grading_intel, handling, conditions,
        exploitation_types, child_involved."""

    def records(self, record_type: str | None = None, *, unresolved_only: bool = False) -> list[dict]:
        """Every record (of a type), attrs decoded; `unresolved_only` skips resolved records."""

    def records_by_id(self, record_ids: Iterable[str]) -> list[dict]: ...

    def records_by_keys(self, record_type: str, keys: Iterable[str]) -> list[dict]:
        """Records of a type sharing any of the blocking keys."""

    def record_links(self) -> list[dict]:
        """All record-level links: src, dst, link_type, report_id, evidence."""

    def mentions_between(self, start: date, end: date) -> list[dict]:
        """The records of the reports with reported_at in [start, end] (every version), one row
        each: report_id, record_id, record_type, role, use, force, attrs (JSON text, not
        decoded) and entity_id (None when not resolved yet)."""

    def record_links_between(self, start: date, end: date) -> list[dict]:
        """The record-level links of the reports with reported_at in [start, end], as
        `record_links` gives them."""

    def unresolved_count(self) -> int:
        """How many records are not resolved to an entity yet."""

    def graph_version(self) -> str | None:
        """A token that every write to the entity graph (entities, memberships, entity links,
        flags) replaces; None for a store written before tokens existed."""

    def ensure_graph_version(self) -> str:
        """The token, creating one when the store has none yet (writable stores only)."""

    # -- resolution ------------------------------------------------------------------------
    def memberships(self, entity_types: Sequence[str] | None = None) -> dict[str, tuple[str, float, str]]:
        """record_id -> (entity_id, score, rule)."""

    def replace_resolution(self, entity_types: Sequence[str], entities: Sequence[Entity],
                           memberships: Sequence[Membership]) -> None:
        """Replace every entity of these types and their memberships (a full run)."""

    def update_resolution(self, entities: Sequence[Entity], memberships: Sequence[Membership],
                          removed_entity_ids: Sequence[str]) -> None:
        """Upsert entities, (re)point records to entities, delete entities no longer used."""

    def replace_entity_links(self, links: Sequence[EntityLink]) -> None: ...

    def update_entity_flags(self, flags: dict[str, list[str]]) -> None:
        """Set the computed flags of entities (entity_id -> flags); others keep theirs."""

    # -- judgements ------------------------------------------------------------------------
    def add_judgement(self, judgement: Judgement) -> None: ...

    def undo_judgement(self, judgement_id: str, by: str, at: datetime) -> Judgement | None: ...

    def judgements(self, *, include_undone: bool = False) -> list[Judgement]: ...

    # -- analyst reads ---------------------------------------------------------------------
    def entity(self, entity_id: str) -> dict | None:
        """The entity with its records (and why each is in it) and the reports they come from."""

    def entities(self, entity_ids: Iterable[str]) -> list[dict]: ...

    def all_entities(self, entity_type: str | None = None) -> list[dict]: ...

    def neighbourhood(self, entity_ids: Sequence[str], hops: int = 2, *, max_nodes: int = 5000) -> dict:
        """Entities within `hops` of the seeds and the links among them, with their evidence.

        Returns {"nodes": [entity dicts], "links": [link dicts], "truncated": bool}.
        """

    def entity_links(self) -> list[dict]:
        """Every entity-level link (for projections into networkx)."""

    def counts(self) -> dict[str, int]: ...

    # -- small documents for job state -------------------------------------------------------
    def put_docs(self, collection: str, docs: dict[str, dict]) -> None: ...

    def get_doc(self, collection: str, doc_id: str) -> dict | None: ...

    def list_docs(self, collection: str) -> dict[str, dict]: ...

    def delete_docs(self, collection: str, doc_ids: Iterable[str]) -> None: ...
