"""Builds postcode_districts.csv: postcode area and district -> police force code.

An approximation: each postcode area maps to the force that polices most of it, and the
districts known to fall elsewhere are listed individually. Force boundaries follow local
authority boundaries, which postcode districts do not, so a handful of districts straddle two
forces; for exact answers import the ONS Postcode Directory (`linkage geo import ONSPD.csv`),
whose `pfa` column gives each postcode's police force area. British Transport Police has no
area of its own and appears in no row.

Run: python -m ingest.geo.build_districts  (rewrites the CSV beside this file)
"""

from __future__ import annotations

import csv
from pathlib import Path

AREAS = {
    "AB": "police-scotland", "AL": "hertfordshire", "B": "west-midlands", "BA": "avon-and-somerset",
    "BB": "lancashire", "BD": "west-yorkshire", "BH": "dorset", "BL": "greater-manchester",
    "BN": "sussex", "BR": "metropolitan", "BS": "avon-and-somerset", "BT": "psni", "CA": "cumbria",
    "CB": "cambridgeshire", "CF": "south-wales", "CH": "cheshire", "CM": "essex", "CO": "essex",
    "CR": "metropolitan", "CT": "kent", "CV": "warwickshire", "CW": "cheshire", "DA": "kent",
    "DD": "police-scotland", "DE": "derbyshire", "DG": "police-scotland", "DH": "durham",
    "DL": "durham", "DN": "south-yorkshire", "DT": "dorset", "DY": "west-midlands",
    "E": "metropolitan", "EC": "city-of-london", "EH": "police-scotland", "EN": "hertfordshire",
    "EX": "devon-and-cornwall", "FK": "police-scotland", "FY": "lancashire", "G": "police-scotland",
    "GL": "gloucestershire", "GU": "surrey", "HA": "metropolitan", "HD": "west-yorkshire",
    "HG": "north-yorkshire", "HP": "thames-valley", "HR": "west-mercia", "HS": "police-scotland",
    "HU": "humberside", "HX": "west-yorkshire", "IG": "metropolitan", "IP": "suffolk",
    "IV": "police-scotland", "KA": "police-scotland", "KT": "surrey", "KW": "police-scotland",
    "KY": "police-scotland", "L": "merseyside", "LA": "lancashire", "LD": "dyfed-powys",
    "LE": "leicestershire", "LL": "north-wales", "LN": "lincolnshire", "LS": "west-yorkshire",
    "LU": "bedfordshire", "M": "greater-manchester", "ME": "kent", "MK": "thames-valley",
    "ML": "police-scotland", "N": "metropolitan", "NE": "northumbria", "NG": "nottinghamshire",
    "NN": "northamptonshire", "NP": "gwent", "NR": "norfolk", "NW": "metropolitan",
    "OL": "greater-manchester", "OX": "thames-valley", "PA": "police-scotland",
    "PE": "cambridgeshire", "PH": "police-scotland", "PL": "devon-and-cornwall", "PO": "hampshire",
    "PR": "lancashire", "RG": "thames-valley", "RH": "surrey", "RM": "metropolitan",
    "S": "south-yorkshire", "SA": "south-wales", "SE": "metropolitan", "SG": "hertfordshire",
    "SK": "greater-manchester", "SL": "thames-valley", "SM": "metropolitan", "SN": "wiltshire",
    "SO": "hampshire", "SP": "wiltshire", "SR": "northumbria", "SS": "essex", "ST": "staffordshire",
    "SW": "metropolitan", "SY": "west-mercia", "TA": "avon-and-somerset", "TD": "police-scotland",
    "TF": "west-mercia", "TN": "kent", "TQ": "devon-and-cornwall", "TR": "devon-and-cornwall",
    "TS": "cleveland", "TW": "metropolitan", "UB": "metropolitan", "W": "metropolitan",
    "WA": "cheshire", "WC": "metropolitan", "WD": "hertfordshire", "WF": "west-yorkshire",
    "WN": "greater-manchester", "WR": "west-mercia", "WS": "west-midlands", "WV": "west-midlands",
    "YO": "north-yorkshire", "ZE": "police-scotland",
}


def _r(area: str, lo: int, hi: int) -> list[str]:
    return [f"{area}{n}" for n in range(lo, hi + 1)]


# Districts policed by a force other than their area's.
DISTRICTS: dict[str, str] = {}
for _d in (["B46", "B49", "B50", "B78", "B79", "B80", "B95"]):
    DISTRICTS[_d] = "warwickshire"
DISTRICTS.update({d: "west-mercia" for d in ["B47", "B48", "B60", "B61", "B96", "B97", "B98"]})
DISTRICTS.update({d: "staffordshire" for d in ["B77"]})
DISTRICTS.update({d: "west-midlands" for d in _r("CV", 1, 7)})
DISTRICTS.update({d: "metropolitan" for d in _r("DA", 1, 1) + _r("DA", 5, 8) + _r("DA", 14, 18)})
DISTRICTS.update({d: "leicestershire" for d in ["DE11", "DE12"]})
DISTRICTS.update({d: "staffordshire" for d in ["DE13", "DE14", "DE15"]})
DISTRICTS.update({d: "northumbria" for d in ["DH3", "DH4", "DH5"]})
DISTRICTS.update({d: "north-yorkshire" for d in _r("DL", 6, 11)})
DISTRICTS.update({d: "cleveland" for d in []})
DISTRICTS.update({d: "humberside" for d in ["DN14"] + _r("DN", 15, 20) + _r("DN", 31, 41)})
DISTRICTS.update({d: "lincolnshire" for d in ["DN21"]})
DISTRICTS.update({d: "nottinghamshire" for d in ["DN22"]})
DISTRICTS.update({d: "west-mercia" for d in _r("DY", 7, 7) + _r("DY", 10, 14)})
DISTRICTS.update({d: "staffordshire" for d in ["DY7"]})
DISTRICTS.update({d: "metropolitan" for d in _r("EN", 1, 5) + ["EC1"]})
DISTRICTS.update({d: "hampshire" for d in _r("GU", 11, 14) + _r("GU", 30, 35) + ["GU46", "GU51", "GU52"]})
DISTRICTS.update({d: "hertfordshire" for d in _r("HP", 1, 4) + ["HP23"]})
DISTRICTS.update({d: "norfolk" for d in _r("IP", 20, 22) + ["IP24", "IP25", "IP26"]})
DISTRICTS.update({d: "metropolitan" for d in _r("KT", 1, 6) + ["KT9"]})
DISTRICTS.update({d: "cumbria" for d in _r("LA", 5, 23)})
DISTRICTS.update({d: "merseyside" for d in _r("CH", 41, 49) + _r("CH", 60, 63)})
DISTRICTS.update({d: "north-wales" for d in _r("CH", 5, 8)})
DISTRICTS.update({d: "bedfordshire" for d in _r("MK", 40, 45)})
DISTRICTS.update({d: "lincolnshire" for d in _r("NG", 31, 34)})
DISTRICTS.update({d: "lincolnshire" for d in _r("PE", 9, 12) + _r("PE", 20, 25)})
DISTRICTS.update({d: "norfolk" for d in _r("PE", 30, 38)})
DISTRICTS.update({d: "northamptonshire" for d in ["PE8"]})
DISTRICTS.update({d: "sussex" for d in _r("PO", 18, 22)})
DISTRICTS.update({d: "hampshire" for d in _r("RG", 21, 29)})
DISTRICTS.update({d: "sussex" for d in _r("RH", 10, 20)})
DISTRICTS.update({d: "essex" for d in _r("RM", 14, 20)})
DISTRICTS.update({d: "derbyshire" for d in ["S18", "S32", "S33"] + _r("S", 40, 45)})
DISTRICTS.update({d: "nottinghamshire" for d in ["S80", "S81"]})
DISTRICTS.update({d: "dyfed-powys" for d in _r("SA", 14, 20) + _r("SA", 31, 48) + _r("SA", 61, 73)})
DISTRICTS.update({d: "bedfordshire" for d in _r("SG", 15, 19)})
DISTRICTS.update({d: "cheshire" for d in _r("SK", 9, 12)})
DISTRICTS.update({d: "derbyshire" for d in ["SK13", "SK17", "SK22", "SK23"]})
DISTRICTS.update({d: "cheshire" for d in ["SY14"]})
DISTRICTS.update({d: "dyfed-powys" for d in _r("SY", 15, 25)})
DISTRICTS.update({d: "sussex" for d in _r("TN", 19, 22) + _r("TN", 31, 40)})
DISTRICTS.update({d: "surrey" for d in _r("TW", 15, 20)})
DISTRICTS.update({d: "merseyside" for d in _r("WA", 8, 11)})
DISTRICTS.update({d: "greater-manchester" for d in ["WA3", "WA13", "WA14", "WA15"]})
DISTRICTS.update({d: "staffordshire" for d in _r("WS", 7, 15)})
DISTRICTS.update({d: "staffordshire" for d in ["WV5", "WV7", "WV8", "WV9"]})
DISTRICTS.update({d: "west-mercia" for d in ["WV15", "WV16"]})
DISTRICTS.update({d: "humberside" for d in ["YO15", "YO16", "YO25", "YO42", "YO43"]})


def rows() -> list[tuple[str, str]]:
    out = [(a, f) for a, f in AREAS.items()] + list(DISTRICTS.items())
    return sorted(out)


if __name__ == "__main__":
    path = Path(__file__).with_name("postcode_districts.csv")
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["district", "force"])
        w.writerows(rows())
    print(f"{len(rows())} rows written to {path}")
