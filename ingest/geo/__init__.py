"""Force of a location: which police force area a UK postcode falls in.

Two tables, consulted in this order:
1. exact (optional): postcode -> force, imported from the ONS Postcode Directory (ONSPD, or the
   NSPL) by `load_onspd`, whose `pfa` column gives every postcode's police force area;
2. shipped: `postcode_districts.csv`, postcode district -> force, an approximation at district
   level (see build_districts.py) for when no exact table has been imported or a postcode is
   newer than it.

Unknown, malformed and non-UK postcodes get None: a force is never guessed. A district missing
from the shipped table falls back to its area only when the whole area is policed by one force
(every M district is Greater Manchester; a new B district could be one of four forces).
Jersey, Guernsey and Isle of Man postcodes have no UK force.

`pfa_codes.csv` maps the ONS PFA codes (E23000001-E23000039, W15000001-W15000004, S23000009
and the pre-2013 Scottish S23000001-S23000008, N23000001) to force codes.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from ingest.normalise.addresses import normalise_postcode, postcode_area, postcode_district

HERE = Path(__file__).resolve().parent
DISTRICTS_CSV = HERE / "postcode_districts.csv"
PFA_CODES_CSV = HERE / "pfa_codes.csv"
_BATCH = 50_000


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def district_table() -> dict[str, str]:
    """The shipped district -> force table."""
    return {r["district"]: r["force"] for r in _read_csv(DISTRICTS_CSV)}


@lru_cache(maxsize=1)
def _single_force_areas() -> dict[str, str]:
    """Areas whose every district is policed by the same force."""
    by_area: dict[str, set[str]] = {}
    for district, force in district_table().items():
        by_area.setdefault(postcode_area(district) or "", set()).add(force)
    return {area: next(iter(fs)) for area, fs in by_area.items() if len(fs) == 1 and area}


@lru_cache(maxsize=1)
def pfa_codes() -> dict[str, str]:
    """ONS police force area code -> force code."""
    return {r["code"]: r["force"] for r in _read_csv(PFA_CODES_CSV)}


def force_for_pfa(code: str | None) -> str | None:
    """Force code for an ONS PFA code (or a force's code or name); None for pseudo codes
    (Channel Islands, Isle of Man) and unknown text."""
    from linkage.model import force_code

    if not isinstance(code, str) or not code.strip():
        return None
    c = code.strip().upper()
    if c in pfa_codes():
        return pfa_codes()[c]
    if c.startswith("S23"):  # Scotland has one force whatever the area code
        return "police-scotland"
    if c.startswith("N23"):
        return "psni"
    return force_code(code)


class ForceLookup:
    """postcode -> force code: the exact table (when given and present) first, else districts."""

    def __init__(self, exact_path: str | Path | None = None):
        self.exact_path = Path(exact_path) if exact_path else None
        self._exact_dict: dict[str, str] | None = None
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        if self.exact_path and self.exact_path.exists():
            if self.exact_path.suffix.lower() == ".csv":
                self._exact_dict = {r["postcode"]: r["force"] for r in _read_csv(self.exact_path)}
            else:
                uri = self.exact_path.resolve().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
                found = self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name = 'postcode_force'").fetchone()
                if not found:
                    from linkage.errors import UserError

                    self.close()
                    raise UserError(f"{self.exact_path} holds no postcode table: import the "
                                    "ONS Postcode Directory again (linkage geo import FILE.csv)")

    # Ingest sends the lookup to its parsing processes: only the path travels (a connection and
    # a lock cannot be pickled), and each process opens the table again.
    def __getstate__(self) -> dict:
        return {"exact_path": self.exact_path}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["exact_path"])

    _shipped: "ForceLookup | None" = None

    @classmethod
    def shipped(cls) -> "ForceLookup":
        """The district table alone (one shared instance)."""
        if cls._shipped is None:
            cls._shipped = cls()
        return cls._shipped

    @property
    def exact(self) -> bool:
        """True when an exact postcode table is loaded."""
        return self._db is not None or self._exact_dict is not None

    def _exact_force(self, pc: str) -> str | None:
        if self._exact_dict is not None:
            return self._exact_dict.get(pc)
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT force FROM postcode_force WHERE postcode = ?",
                                   (pc,)).fetchone()
        return row[0] if row else None

    def force_for_district(self, district: str | None) -> str | None:
        """Force of a postcode district ("B1", "ec1a"); None when unknown."""
        d = postcode_district(district) if isinstance(district, str) else None
        if d is None:
            return None
        table = district_table()
        if d in table:
            return table[d]
        return _single_force_areas().get(postcode_area(d) or "")

    def force_for_postcode(self, postcode: str | None) -> str | None:
        """Force of a full UK postcode; None when malformed, non-UK or unknown."""
        pc = normalise_postcode(postcode) if isinstance(postcode, str) else None
        if pc is None:
            return None
        force = self._exact_force(pc)
        if force:
            return force
        return self.force_for_district(pc.split(" ")[0])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _columns(fieldnames: list[str] | None, path: Path) -> tuple[str, str]:
    from linkage.errors import UserError

    cols = {c.strip().lower(): c for c in fieldnames or []}
    pc_col = cols.get("pcds") or cols.get("pcd") or cols.get("pcd2")
    pfa_col = cols.get("pfa") or next((cols[c] for c in sorted(cols) if c.startswith("pfa")),
                                      None)
    if not pc_col or not pfa_col:
        raise UserError(f"{path}: not an ONS Postcode Directory file: it needs a `pcds` (or "
                        f"`pcd`) column and a `pfa` column; found {', '.join(cols) or 'none'}")
    return pc_col, pfa_col


def load_onspd(path: str | Path, exact_path: str | Path) -> int:
    """Import an ONS Postcode Directory (or NSPL) CSV as the exact postcode -> force table.

    Reads `pcds` (or `pcd`) and `pfa`; keeps terminated postcodes too (old addresses still
    matter); skips rows whose PFA is a pseudo code. Writes `exact_path` (SQLite, or CSV when it
    ends in .csv) through a temporary file, so readers never see half a table. Returns the
    number of postcodes written.
    """
    src, dest = Path(path), Path(exact_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    n = 0
    with src.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        pc_col, pfa_col = _columns(reader.fieldnames, src)
        rows = ((normalise_postcode(r.get(pc_col) or ""), force_for_pfa(r.get(pfa_col)))
                for r in reader)
        rows = ((pc, f) for pc, f in rows if pc and f)
        if dest.suffix.lower() == ".csv":
            seen: dict[str, str] = {}
            for pc, f in rows:
                seen[pc] = f
            with tmp.open("w", encoding="utf-8", newline="") as out:
                w = csv.writer(out)
                w.writerow(["postcode", "force"])
                w.writerows(sorted(seen.items()))
            n = len(seen)
        else:
            db = sqlite3.connect(tmp)
            try:
                db.execute("CREATE TABLE postcode_force (postcode TEXT PRIMARY KEY, "
                           "force TEXT NOT NULL) WITHOUT ROWID")
                batch: list[tuple[str, str]] = []
                for item in rows:
                    batch.append(item)
                    if len(batch) >= _BATCH:
                        db.executemany("INSERT OR REPLACE INTO postcode_force VALUES (?, ?)", batch)
                        batch.clear()
                db.executemany("INSERT OR REPLACE INTO postcode_force VALUES (?, ?)", batch)
                db.commit()
                n = db.execute("SELECT count(*) FROM postcode_force").fetchone()[0]
            finally:
                db.close()
    os.replace(tmp, dest)
    return n


__all__ = ["ForceLookup", "district_table", "force_for_pfa", "load_onspd", "pfa_codes"]
