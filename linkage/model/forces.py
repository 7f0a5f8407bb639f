"""Police forces (codes from FORMATS.md), their names, and the ROCU region each belongs to."""

from __future__ import annotations

import re
import unicodedata

# code -> (official name, ROCU region)
FORCES: dict[str, tuple[str, str]] = {
    "avon-and-somerset": ("Avon and Somerset Constabulary", "South West (Zephyr)"),
    "bedfordshire": ("Bedfordshire Police", "Eastern (ERSOU)"),
    "cambridgeshire": ("Cambridgeshire Constabulary", "Eastern (ERSOU)"),
    "cheshire": ("Cheshire Constabulary", "North West (TITAN)"),
    "cleveland": ("Cleveland Police", "North East (NERSOU)"),
    "city-of-london": ("City of London Police", "London"),
    "cumbria": ("Cumbria Constabulary", "North West (TITAN)"),
    "derbyshire": ("Derbyshire Constabulary", "East Midlands (EMSOU)"),
    "devon-and-cornwall": ("Devon and Cornwall Police", "South West (Zephyr)"),
    "dorset": ("Dorset Police", "South West (Zephyr)"),
    "durham": ("Durham Constabulary", "North East (NERSOU)"),
    "dyfed-powys": ("Dyfed-Powys Police", "Southern Wales (TARIAN)"),
    "essex": ("Essex Police", "Eastern (ERSOU)"),
    "gloucestershire": ("Gloucestershire Constabulary", "South West (Zephyr)"),
    "greater-manchester": ("Greater Manchester Police", "North West (TITAN)"),
    "gwent": ("Gwent Police", "Southern Wales (TARIAN)"),
    "hampshire": ("Hampshire and Isle of Wight Constabulary", "South East (SEROCU)"),
    "hertfordshire": ("Hertfordshire Constabulary", "Eastern (ERSOU)"),
    "humberside": ("Humberside Police", "Yorkshire and the Humber"),
    "kent": ("Kent Police", "South East (SEROCU)"),
    "lancashire": ("Lancashire Constabulary", "North West (TITAN)"),
    "leicestershire": ("Leicestershire Police", "East Midlands (EMSOU)"),
    "lincolnshire": ("Lincolnshire Police", "East Midlands (EMSOU)"),
    "merseyside": ("Merseyside Police", "North West (TITAN)"),
    "metropolitan": ("Metropolitan Police Service", "London"),
    "norfolk": ("Norfolk Constabulary", "Eastern (ERSOU)"),
    "north-wales": ("North Wales Police", "North West (TITAN)"),
    "north-yorkshire": ("North Yorkshire Police", "Yorkshire and the Humber"),
    "northamptonshire": ("Northamptonshire Police", "East Midlands (EMSOU)"),
    "northumbria": ("Northumbria Police", "North East (NERSOU)"),
    "nottinghamshire": ("Nottinghamshire Police", "East Midlands (EMSOU)"),
    "south-wales": ("South Wales Police", "Southern Wales (TARIAN)"),
    "south-yorkshire": ("South Yorkshire Police", "Yorkshire and the Humber"),
    "staffordshire": ("Staffordshire Police", "West Midlands ROCU"),
    "suffolk": ("Suffolk Constabulary", "Eastern (ERSOU)"),
    "surrey": ("Surrey Police", "South East (SEROCU)"),
    "sussex": ("Sussex Police", "South East (SEROCU)"),
    "thames-valley": ("Thames Valley Police", "South East (SEROCU)"),
    "warwickshire": ("Warwickshire Police", "West Midlands ROCU"),
    "west-mercia": ("West Mercia Police", "West Midlands ROCU"),
    "west-midlands": ("West Midlands Police", "West Midlands ROCU"),
    "west-yorkshire": ("West Yorkshire Police", "Yorkshire and the Humber"),
    "wiltshire": ("Wiltshire Police", "South West (Zephyr)"),
    "police-scotland": ("Police Scotland", "Scotland"),
    "psni": ("Police Service of Northern Ireland", "Northern Ireland"),
    "btp": ("British Transport Police", "British Transport Police"),
}

FORCE_CODES = tuple(FORCES)

_EXTRA_NAMES = {
    "met": "metropolitan", "the met": "metropolitan", "metropolitan police": "metropolitan",
    "gmp": "greater-manchester", "wmp": "west-midlands", "hampshire constabulary": "hampshire",
    "police service of scotland": "police-scotland", "scotland": "police-scotland",
    "northern ireland": "psni", "british transport police": "btp",
}

_SUFFIXES = re.compile(r"\b(police( service)?|constabulary|force)\b")


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = _SUFFIXES.sub(" ", text)
    return re.sub(r"[^a-z]+", " ", text).strip()


_BY_KEY: dict[str, str] = {}
for _code, (_name, _region) in FORCES.items():
    _BY_KEY[_key(_code.replace("-", " "))] = _code
    _BY_KEY[_key(_name)] = _code
for _alias, _code in _EXTRA_NAMES.items():
    _BY_KEY[_key(_alias)] = _code


def force_code(text: str | None) -> str | None:
    """Map a force code or a force's name ("West Midlands Police") to its code; None if unknown."""
    if not text:
        return None
    raw = text.strip().lower()
    if raw in FORCES:
        return raw
    return _BY_KEY.get(_key(text))


def force_name(code: str) -> str:
    return FORCES[code][0]


def rocu_region(code: str) -> str:
    return FORCES[code][1]
