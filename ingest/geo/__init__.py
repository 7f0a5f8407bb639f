"""Force of a location: which police force area a UK postcode falls in.

Shipped: `postcode_districts.csv` (postcode area and district -> force; an approximation at
district level, see build_districts.py). Exact: `linkage geo import ONSPD.csv` loads the ONS
Postcode Directory's `pfa` column into a SQLite table, consulted first. Unknown and non-UK
postcodes get no force: never a guess presented as fact.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from linkage.model import force_code

HERE = Path(__file__).resolve().parent
_AREA = re.compile(r"^([A-Z]{1,2})[0-9]")


def _read_csv(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _districts() -> dict[str, str]:
    return {r["district"]: r["force"] for r in _read_csv("postcode_districts.csv")}


@lru_cache(maxsize=1)
def pfa_codes() -> dict[str, str]:
    return {r["code"]: r["force"] for r in _read_csv("pfa_codes.csv")}


class ForceLookup:
    def __init__(self, exact_path: str | Path | None = None):
        self.exact_path = Path(exact_path) if exact_path else None
        self._exact: dict[str, str] | None = None
        if self.exact_path and self.exact_path.exists():
            db = sqlite3.connect(self.exact_path)
            try:
                self._exact = dict(db.execute("SELECT postcode, force FROM postcode_force"))
            finally:
                db.close()

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> "ForceLookup":
        return cls()

    def force_for_district(self, district: str | None) -> str | None:
        if not district:
            return None
        d = district.strip().upper()
        table = _districts()
        if d in table:
            return table[d]
        m = _AREA.match(d)
        return table.get(m.group(1)) if m else None

    def force_for_postcode(self, postcode: str | None) -> str | None:
        from ingest.normalise import normalise_postcode

        pc = normalise_postcode(postcode) if postcode else None
        if pc is None:
            return None
        if self._exact is not None and pc in self._exact:
            return self._exact[pc]
        return self.force_for_district(pc.split(" ")[0])


def load_onspd(path: str | Path, exact_path: str | Path) -> int:
    """Read an ONS Postcode Directory (or NSPL) CSV and write the exact postcode -> force table.

    Uses the `pcds` (or `pcd`) column and `pfa` (ONS PFA codes, or force names). Returns rows kept.
    """
    from ingest.normalise import normalise_postcode

    codes = pfa_codes()
    exact_path = Path(exact_path)
    exact_path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    db = sqlite3.connect(exact_path)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS postcode_force (postcode TEXT PRIMARY KEY, force TEXT NOT NULL)")
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            cols = {c.lower(): c for c in reader.fieldnames or []}
            pc_col = cols.get("pcds") or cols.get("pcd") or cols.get("pcd2")
            pfa_col = cols.get("pfa") or next((cols[c] for c in cols if c.startswith("pfa")), None)
            if not pc_col or not pfa_col:
                from linkage.errors import UserError

                raise UserError(f"{path}: expected a pcds (or pcd) column and a pfa column")
            batch = []
            for row in reader:
                pc = normalise_postcode(row.get(pc_col) or "")
                raw = (row.get(pfa_col) or "").strip()
                force = codes.get(raw) or force_code(raw)
                if pc and force:
                    batch.append((pc, force))
                if len(batch) >= 50_000:
                    db.executemany("INSERT OR REPLACE INTO postcode_force VALUES (?, ?)", batch)
                    n += len(batch)
                    batch = []
            db.executemany("INSERT OR REPLACE INTO postcode_force VALUES (?, ?)", batch)
            n += len(batch)
        db.commit()
    finally:
        db.close()
    return n
