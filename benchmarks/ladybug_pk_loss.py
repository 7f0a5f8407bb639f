"""Two LadybugDB 0.22.0 faults in STRING primary-key indexes, reduced to ladybug + pyarrow.

Not a benchmark (`make bench` runs only bench_*): the record of why linkage/store/embedded.py
cuts big report writes into parts with a CHECKPOINT between them (PK_GROWTH) and opens the
database again after a rolled-back COPY (`_reopen`). Run: `python -m benchmarks.ladybug_pk_loss`
(about a minute, 1-2 GB of memory). Every check prints how many keys a scan returns and how many
of them `MATCH (r:R {id: $id})` finds; on a sound database the two are equal.

1. Growth. COPY 41,000 record-like ids, commit, then COPY the other 325,667 into the same table:
   one key is no longer found by its primary key, though a scan returns it (generated data gave the same: 1 of 371,346 ids lost
   after 37,025 then 334,321). The likely cause, from reading HashIndex::splitSlots (not
   proven): the index grows by splitting hash slots at checkpoint; when one merge more than
   doubles it, slots made by that merge are split again while their overflow slots live in a
   std::vector that the same loop appends to, so a pointer into it can dangle. Which key is lost depends on the data: with other cut points often none
   is. The same ids written so that no checkpoint more than doubles the table lose nothing.
2. Rollback. With 100,000 keys committed, COPY 20,000 more inside a transaction and roll it
   back; COPY the same 20,000 again: thousands of look-ups fail with "Index contains an invalid
   node offset". An ingest that retried a batch after such a rollback grew to 22 GB and was
   killed. Closing and opening the database between the rollback and the next COPY avoids it.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

import ladybug
import pyarrow as pa


def record_ids(reports: int) -> list[str]:
    out = []
    for i in range(reports):
        rid = (f"{('nrm', 'dtn', 'intel', 'referral')[i % 4]}-"
               f"{hashlib.sha256(str(i).encode()).hexdigest()[:12]}-v1")
        out += [f"{rid}/person/p1", f"{rid}/person/p2", f"{rid}/location/l1",
                f"{rid}/business/b1", f"{rid}/phone/+4479{i * 7919 % 10**8:08d}",
                f"{rid}/phone/+4475{i * 104729 % 10**8:08d}", f"{rid}/location/l2"]
        if i % 3 == 0:
            out.append(f"{rid}/email/e{i}@example.org")
    return out


class Db:
    def __init__(self, path: Path):
        self.path = path
        self.open()
        self.conn.execute("CREATE NODE TABLE R(id STRING, PRIMARY KEY(id))")

    def open(self) -> None:
        self.db = ladybug.Database(str(self.path))
        self.conn = ladybug.Connection(self.db)

    def close(self) -> None:
        self.conn.close()
        self.db.close()

    def copy(self, ids: list[str]) -> None:
        self.conn.execute("COPY R FROM $t", {"t": pa.table({"id": pa.array(ids, pa.string())})})

    def check(self, ids: list[str]) -> str:
        scanned = self.conn.execute("MATCH (r:R) RETURN count(*)").get_next()[0]
        found = failed = 0
        for i in range(0, len(ids), 10_000):
            part = ids[i:i + 10_000]
            try:
                res = self.conn.execute("UNWIND $ids AS x MATCH (r:R {id: x}) RETURN r.id AS id",
                                        {"ids": part})
                found += len({r["id"] for r in res.get_as_arrow().to_pylist()})
            except RuntimeError as exc:  # a look-up that hits a broken entry fails the query
                for x in part:
                    try:
                        found += self.conn.execute("MATCH (r:R {id: $id}) RETURN count(*)",
                                                   {"id": x}).get_next()[0]
                    except RuntimeError as exc:
                        failed += 1
                        error = str(exc).splitlines()[0][:80]
        text = f"scan {scanned:,}, found by primary key {found:,}"
        if scanned != found:
            text += f"  <- {scanned - found:,} LOST"
        if failed:
            text += f" ({failed:,} look-ups failed: {error})"
        return text


def growth(tmp: Path) -> None:
    ids = record_ids(50_000)
    cut = 41_000
    db = Db(tmp / "growth-one")
    db.copy(ids[:cut])
    db.copy(ids[cut:])
    print(f"1. {len(ids[:cut]):,} keys, then {len(ids) - cut:,} in one COPY: {db.check(ids)}")
    db.close()
    db = Db(tmp / "growth-parts")
    db.copy(ids[:cut])
    done = cut
    while done < len(ids):  # no checkpoint merges more than 0.8x the keys already merged
        step = min(len(ids) - done, int(done * 0.8))
        db.copy(ids[done:done + step])
        db.conn.execute("CHECKPOINT")
        done += step
    print(f"   the same keys, each checkpoint at most 1.8x the table: {db.check(ids)}")
    db.close()


def rollback(tmp: Path) -> None:
    ids = [f"dtn-{i:012x}-v1/location/l{i % 7}" for i in range(120_000)]
    for reopen in (False, True):
        db = Db(tmp / f"rollback-{reopen}")
        db.copy(ids[:100_000])
        db.conn.execute("BEGIN TRANSACTION")
        db.copy(ids[100_000:])
        db.conn.execute("ROLLBACK")
        if reopen:
            db.close()
            db.open()
        db.copy(ids[100_000:])
        how = "database opened again, then" if reopen else "then"
        print(f"2. 100,000 keys; 20,000 COPYed and rolled back; {how} COPYed again: "
              f"{db.check(ids)}")
        db.close()


def main() -> int:
    print(f"ladybug {ladybug.__version__}, pyarrow {pa.__version__}")
    tmp = Path(tempfile.mkdtemp(prefix="ladybug-pk-"))
    try:
        growth(tmp)
        rollback(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
