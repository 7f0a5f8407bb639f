"""Builds postcode_districts.csv: every UK postcode district (outward code) -> police force code.

README - read before relying on it:
This is an APPROXIMATION AT DISTRICT LEVEL. Police force areas follow local authority
boundaries; postcode districts do not, so a few dozen districts straddle two forces. Each such
district is given to the force that polices most of its addresses, as best known, with a comment
naming the other force. For exact answers import the ONS Postcode Directory
(`linkage geo import ONSPD.csv`): its `pfa` column gives every postcode's police force area, and
ForceLookup consults that table before this one.

Coverage: all 121 postcode areas of the UK (England, Wales, Scotland, Northern Ireland), every
district of each (including London's sub-districts such as EC1A, W1B, SW1A, and the non-
geographic districts used for PO boxes and large users). The 45 forces with an area appear: the
43 territorial forces of England and Wales, `police-scotland` for every Scottish district and
`psni` for every BT district. `btp` (British Transport Police) polices the railways, not an area,
so it is the one force code that appears in no row. Jersey (JE), Guernsey (GY) and the Isle of
Man (IM) have their own police and are left out: their postcodes get no force.

The tables are data: AREA_DISTRICTS lists each area's district numbers and default force;
OVERRIDES lists the districts policed by another force. Edit them and run

    python -m ingest.geo.build_districts          (rewrites postcode_districts.csv)
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "postcode_districts.csv"

# area -> (district numbers, default force). "1-20" is a range; extra sub-districts are listed
# in SUB_DISTRICTS. A number listed that has no live district is harmless: no postcode has it.
AREA_DISTRICTS: dict[str, tuple[str, str]] = {
    "AB": ("10-16 21-25 30-39 41-45 51-56 99", "police-scotland"),
    "AL": ("1-10", "hertfordshire"),
    "B": ("1-21 23-38 40 42-50 60-80 90-99", "west-midlands"),
    "BA": ("1-16 20-22", "avon-and-somerset"),
    "BB": ("0-12 18 94", "lancashire"),
    "BD": ("1-24 97-99", "west-yorkshire"),
    "BH": ("1-25 31", "dorset"),
    "BL": ("0-9 11 78", "greater-manchester"),
    "BN": ("1-27 41-45 50-52 88 91 95 99", "sussex"),
    "BR": ("1-8", "metropolitan"),
    "BS": ("0-16 20-41 48 49 80 98 99", "avon-and-somerset"),
    "BT": ("1-49 51-58 60-71 74-82 92-94 99", "psni"),
    "CA": ("1-28 95 99", "cumbria"),
    "CB": ("1-11 21-25", "cambridgeshire"),
    "CF": ("3 5 10-24 30-48 61-64 71 72 81-83 91 95 99", "south-wales"),
    "CH": ("1-8 25-34 41-49 60-66 70 88 99", "cheshire"),
    "CM": ("0-24 77 92 98 99", "essex"),
    "CO": ("1-16", "essex"),
    "CR": ("0 2-9 44 90", "metropolitan"),
    "CT": ("1-21 50", "kent"),
    "CV": ("1-13 21-23 31-37 47", "warwickshire"),
    "CW": ("1-12 98", "cheshire"),
    "DA": ("1-18", "kent"),
    "DD": ("1-11", "police-scotland"),
    "DE": ("1 3-7 11-15 21-24 45 55 56 65 72-75 99", "derbyshire"),
    "DG": ("1-16", "police-scotland"),
    "DH": ("1-9 97-99", "durham"),
    "DL": ("1-17 98", "durham"),
    "DN": ("1-12 14-22 31-41 55", "south-yorkshire"),
    "DT": ("1-11", "dorset"),
    "DY": ("1-14", "west-midlands"),
    "E": ("1-18 20 77 98", "metropolitan"),
    "EC": ("1-4 50", "city-of-london"),
    "EH": ("1-55 91 95 99", "police-scotland"),
    "EN": ("1-11 77", "hertfordshire"),
    "EX": ("1-39", "devon-and-cornwall"),
    "FK": ("1-21", "police-scotland"),
    "FY": ("0-8", "lancashire"),
    "G": ("1-5 9 11-15 20-23 31-34 40-46 51-53 58 60-84 90", "police-scotland"),
    "GL": ("1-20 50-56", "gloucestershire"),
    "GU": ("1-35 46 47 51 52 95", "surrey"),
    "HA": ("0-9", "metropolitan"),
    "HD": ("1-9", "west-yorkshire"),
    "HG": ("1-5", "north-yorkshire"),
    "HP": ("1-23 27", "thames-valley"),
    "HR": ("1-9", "west-mercia"),
    "HS": ("1-9", "police-scotland"),
    "HU": ("1-20", "humberside"),
    "HX": ("1-7", "west-yorkshire"),
    "IG": ("1-11", "metropolitan"),
    "IP": ("1-33 98", "suffolk"),
    "IV": ("1-56 63 99", "police-scotland"),
    "KA": ("1-30", "police-scotland"),
    "KT": ("1-24", "surrey"),
    "KW": ("1-17", "police-scotland"),
    "KY": ("1-16 99", "police-scotland"),
    "L": ("1-40 67-75 80", "merseyside"),
    "LA": ("1-23", "cumbria"),
    "LD": ("1-8", "dyfed-powys"),
    "LE": ("1-19 21 41 55 65 67 87 94 95", "leicestershire"),
    "LL": ("11-78", "north-wales"),
    "LN": ("1-13", "lincolnshire"),
    "LS": ("1-29 88 98 99", "west-yorkshire"),
    "LU": ("1-7", "bedfordshire"),
    "M": ("1-50 60 61 90 99", "greater-manchester"),
    "ME": ("1-20 99", "kent"),
    "MK": ("1-19 40-46 77", "thames-valley"),
    "ML": ("1-12", "police-scotland"),
    "N": ("1-22 81", "metropolitan"),
    "NE": ("1-71 82-99", "northumbria"),
    "NG": ("1-25 31-34 70 80 90", "nottinghamshire"),
    "NN": ("1-18 29 99", "northamptonshire"),
    "NP": ("4 7 8 10-13 15 16 18-20 22-26 44", "gwent"),
    "NR": ("1-35 99", "norfolk"),
    "NW": ("1-11 26", "metropolitan"),
    "OL": ("1-16 95", "greater-manchester"),
    "OX": ("1-20 25-29 33 39 44 49", "thames-valley"),
    "PA": ("1-49 60-78 80", "police-scotland"),
    "PE": ("1-16 19-38 99", "cambridgeshire"),
    "PH": ("1-50", "police-scotland"),
    "PL": ("1-35 95", "devon-and-cornwall"),
    "PO": ("1-22 30-41", "hampshire"),
    "PR": ("0-11 25 26", "lancashire"),
    "RG": ("1-14 17-31 40-42 45", "thames-valley"),
    "RH": ("1-20 77", "sussex"),
    "RM": ("1-20 50", "metropolitan"),
    "S": ("1-14 17-18 20-21 25-26 32-33 35-36 40-45 49 60-66 70-75 80-81 95-99",
          "south-yorkshire"),
    "SA": ("1-20 31-48 61-73 80 99", "dyfed-powys"),
    "SE": ("1-28", "metropolitan"),
    "SG": ("1-19", "hertfordshire"),
    "SK": ("1-17 22 23", "greater-manchester"),
    "SL": ("0-9 60 95", "thames-valley"),
    "SM": ("1-7", "metropolitan"),
    "SN": ("1-16 25 26 38 99", "wiltshire"),
    "SO": ("14-25 30-32 40-43 45 50-53 97", "hampshire"),
    "SP": ("1-11", "wiltshire"),
    "SR": ("1-9", "northumbria"),
    "SS": ("0-17 22 99", "essex"),
    "ST": ("1-21 55", "staffordshire"),
    "SW": ("1-20 95 99", "metropolitan"),
    "SY": ("1-25 99", "west-mercia"),
    "TA": ("1-24", "avon-and-somerset"),
    "TD": ("1-15", "police-scotland"),
    "TF": ("1-13", "west-mercia"),
    "TN": ("1-40", "kent"),
    "TQ": ("1-14", "devon-and-cornwall"),
    "TR": ("1-27 93", "devon-and-cornwall"),
    "TS": ("1-29", "cleveland"),
    "TW": ("1-20", "metropolitan"),
    "UB": ("1-11 18", "metropolitan"),
    "W": ("1-14", "metropolitan"),
    "WA": ("1-16 55 88", "cheshire"),
    "WC": ("1-2", "metropolitan"),
    "WD": ("3-7 17-19 23-25 99", "hertfordshire"),
    "WF": ("1-17 90", "west-yorkshire"),
    "WN": ("1-8", "greater-manchester"),
    "WR": ("1-15 78 99", "west-mercia"),
    "WS": ("1-15", "west-midlands"),
    "WV": ("1-16 98 99", "west-midlands"),
    "YO": ("1 7 8 10-19 21-26 30-32 41-43 51 60-62 90 91", "north-yorkshire"),
    "ZE": ("1-3", "police-scotland"),
}

# Central London's lettered sub-districts: they take the force of their parent (EC1A -> EC1 ...)
# unless an override says otherwise.
SUB_DISTRICTS = (
    "EC1A EC1M EC1N EC1P EC1R EC1V EC1Y EC2A EC2M EC2N EC2P EC2R EC2V EC2Y EC3A EC3M EC3N EC3P "
    "EC3R EC3V EC4A EC4M EC4N EC4P EC4R EC4V EC4Y WC1A WC1B WC1E WC1H WC1N WC1R WC1V WC1X WC2A "
    "WC2B WC2E WC2H WC2N WC2R W1A W1B W1C W1D W1F W1G W1H W1J W1K W1S W1T W1U W1W SW1A SW1E "
    "SW1H SW1P SW1V SW1W SW1X SW1Y N1C N1P NW1W E1W SE1P"
).split()

# district -> force, where it differs from its area's default. "B47-48" expands to B47, B48.
OVERRIDES: dict[str, str] = {
    # B: Birmingham, Black Country and Solihull are West Midlands
    "B46": "warwickshire",       # Coleshill (North Warwickshire)
    "B47-48": "west-mercia",     # Wythall, Alvechurch (Bromsgrove)
    "B49-50": "warwickshire",    # Alcester, Bidford-on-Avon
    "B60-61": "west-mercia",     # Bromsgrove
    "B77": "staffordshire",      # Tamworth
    "B78": "warwickshire",       # Polesworth, Dordon, Kingsbury (Fazeley part is Staffordshire)
    "B79": "staffordshire",      # Tamworth
    "B80": "warwickshire",       # Studley
    "B95": "warwickshire",       # Henley-in-Arden
    "B96-98": "west-mercia",     # Redditch
    # BA
    "BA12-15": "wiltshire",      # Warminster, Westbury, Trowbridge, Bradford-on-Avon
    # BD
    "BD23-24": "north-yorkshire",  # Skipton, Settle (BD20 is split; Silsden/Steeton are West Yorks)
    # BH
    "BH24-25": "hampshire",      # Ringwood, New Milton
    # BR
    "BR8": "kent",               # Swanley
    # CB
    "CB8-9": "suffolk",          # Newmarket, Haverhill
    "CB10-11": "essex",          # Saffron Walden
    # CF
    "CF81-83": "gwent",          # Bargoed, Hengoed, Caerphilly (Caerphilly county borough)
    # CH: Chester and Ellesmere Port are Cheshire; CH4 straddles Chester and Flintshire
    "CH5-8": "north-wales",      # Deeside, Flint, Mold, Holywell
    "CH25-34": "merseyside",     # Wirral non-geographic districts
    "CH41-49": "merseyside",     # Birkenhead and the Wirral
    "CH60-63": "merseyside",     # Wirral (CH64 Neston onwards is Cheshire)
    # CO
    "CO10": "suffolk",           # Sudbury
    # CR
    "CR3": "surrey",             # Caterham, Whyteleafe
    "CR6": "surrey",             # Warlingham
    # CV: Coventry districts CV1-CV7 are West Midlands (CV7 takes in Meriden and Balsall Common)
    "CV1-7": "west-midlands",
    "CV13": "leicestershire",    # Market Bosworth
    # DA: Bexley borough districts are Metropolitan (DA1 takes in Crayford but is mostly Dartford)
    "DA5-8": "metropolitan",
    "DA14-18": "metropolitan",
    # DE
    "DE12": "leicestershire",    # Measham, Moira (Overseal and Netherseal are Derbyshire)
    "DE13-15": "staffordshire",  # Burton upon Trent
    "DE74": "leicestershire",    # Castle Donington, Kegworth
    # DH: Houghton-le-Spring and Hetton-le-Hole are Sunderland; DH3 is mostly Chester-le-Street
    "DH4-5": "northumbria",
    # DL
    "DL6-11": "north-yorkshire",  # Northallerton, Bedale, Leyburn, Catterick, Richmond
    # DN: Doncaster is South Yorkshire
    "DN9": "humberside",         # Isle of Axholme (Finningley and Auckley are Doncaster)
    "DN10": "nottinghamshire",   # Misterton, Gringley, Beckingham (Bawtry is Doncaster)
    "DN14-20": "humberside",     # Goole, Scunthorpe, Brigg, Barton-upon-Humber
    "DN21": "lincolnshire",      # Gainsborough
    "DN22": "nottinghamshire",   # Retford
    "DN31-41": "humberside",     # Grimsby, Cleethorpes, Immingham
    # DY
    "DY7": "staffordshire",      # Kinver, Enville
    "DY10-14": "west-mercia",    # Kidderminster, Bewdley, Stourport, Tenbury Wells
    # EC: the City of London, except the districts that lie mainly in Islington, Camden and
    # Hackney (Clerkenwell, Farringdon, Hatton Garden, Finsbury, Shoreditch): Metropolitan.
    # Parts of EC1A, EC3N (Tower of London) and EC4 also fall outside the City.
    "EC1M": "metropolitan", "EC1N": "metropolitan", "EC1R": "metropolitan",
    "EC1V": "metropolitan", "EC1Y": "metropolitan", "EC2A": "metropolitan",
    # EN: Enfield and Barnet are Metropolitan
    "EN1-5": "metropolitan",
    "EN9": "essex",              # Waltham Abbey
    # GU: Surrey by default
    "GU11": "hampshire",         # Aldershot (GU12 is mostly Ash and Tongham, Surrey)
    "GU13-14": "hampshire",      # Fleet (old), Farnborough
    "GU17": "hampshire",         # Blackwater, Hawley
    "GU28-29": "sussex",         # Petworth, Midhurst
    "GU30-35": "hampshire",      # Liphook, Petersfield, Liss, Alton, Bordon
    "GU46": "hampshire",         # Yateley
    "GU47": "thames-valley",     # Sandhurst, College Town (Bracknell Forest)
    "GU51-52": "hampshire",      # Fleet
    # HP: Buckinghamshire is Thames Valley
    "HP1-4": "hertfordshire",    # Hemel Hempstead, Berkhamsted
    "HP23": "hertfordshire",     # Tring
    # IG: Redbridge and Barking are Metropolitan
    "IG7": "essex",              # Chigwell
    "IG9-10": "essex",           # Buckhurst Hill, Loughton
    # IP
    "IP20": "norfolk",           # Harleston
    "IP22": "norfolk",           # Diss
    "IP24-26": "norfolk",        # Thetford, Watton, Methwold
    # KT: Surrey by default; Kingston, Sutton and Merton parts are Metropolitan
    "KT1-6": "metropolitan",     # Kingston, New Malden, Worcester Park, Surbiton
    "KT9": "metropolitan",       # Chessington
    # L
    "L39-40": "lancashire",      # Ormskirk, Burscough
    # LA: Lancaster, Morecambe and Carnforth are Lancashire; LA6 (Kirkby Lonsdale) Cumbria
    "LA1-5": "lancashire",
    # LS
    "LS24": "north-yorkshire",   # Tadcaster
    # LU
    # (all Bedfordshire: Luton, Dunstable, Leighton Buzzard)
    # MK: Milton Keynes is Thames Valley
    "MK40-45": "bedfordshire",   # Bedford, Ampthill, Flitwick
    # NG
    "NG10": "derbyshire",        # Long Eaton
    "NG31-34": "lincolnshire",   # Grantham, Sleaford
    # NP
    "NP8": "dyfed-powys",        # Crickhowell
    # NR
    "NR32-35": "suffolk",        # Lowestoft, Beccles, Bungay
    # OL
    "OL13": "lancashire",        # Bacup
    "OL14": "west-yorkshire",    # Todmorden
    # PE: Peterborough and Huntingdonshire are Cambridgeshire
    "PE8": "northamptonshire",   # Oundle (Wansford part is Cambridgeshire)
    "PE9-12": "lincolnshire",    # Stamford, Bourne, Spalding, Holbeach
    "PE14": "norfolk",           # Outwell, Upwell, Walpole (Elm is Cambridgeshire)
    "PE20-25": "lincolnshire",   # Boston, Spilsby, Skegness
    "PE30-38": "norfolk",        # King's Lynn, Hunstanton, Swaffham, Downham Market
    # PO
    "PO18-22": "sussex",         # Chichester, Bognor Regis
    # PR
    "PR8-9": "merseyside",       # Southport
    # RG
    "RG21-29": "hampshire",      # Basingstoke, Tadley, Hook, Whitchurch
    # RH: Sussex by default
    "RH1-9": "surrey",           # Redhill, Reigate, Dorking, Horley, Lingfield, Oxted, Godstone
    # RM: Havering, Barking and Dagenham are Metropolitan
    "RM4": "essex",              # Abridge, Stapleford Abbotts, Navestock
    "RM15-20": "essex",          # South Ockendon, Grays, Tilbury, Purfleet (Thurrock)
    # S: Sheffield, Rotherham and Barnsley are South Yorkshire
    "S18": "derbyshire",         # Dronfield
    "S21": "derbyshire",         # Eckington, Killamarsh
    "S32-33": "derbyshire",      # Hope Valley
    "S40-45": "derbyshire",      # Chesterfield, Bolsover, Clay Cross
    "S49": "derbyshire",         # Chesterfield non-geographic
    "S80-81": "nottinghamshire",  # Worksop
    # SA: Carmarthenshire, Pembrokeshire and Ceredigion are Dyfed-Powys
    "SA1-8": "south-wales",      # Swansea, Gower, Pontarddulais, Clydach
    "SA10-13": "south-wales",    # Neath, Port Talbot (SA9 Ystradgynlais is Powys)
    "SA80": "south-wales",
    "SA99": "south-wales",
    # SG
    "SG15-19": "bedfordshire",   # Arlesey, Henlow, Shefford, Biggleswade, Sandy
    # SK: Stockport and Tameside are Greater Manchester
    "SK9-12": "cheshire",        # Wilmslow, Macclesfield, Poynton
    "SK13": "derbyshire",        # Glossop
    "SK17": "derbyshire",        # Buxton
    "SK22-23": "derbyshire",     # New Mills, Chapel-en-le-Frith, Whaley Bridge
    # SM
    "SM7": "surrey",             # Banstead
    # SP
    "SP6": "hampshire",          # Fordingbridge
    "SP7-8": "dorset",           # Shaftesbury, Gillingham
    "SP10-11": "hampshire",      # Andover
    # SR
    "SR7-8": "durham",           # Seaham, Peterlee
    # SY: Shropshire is West Mercia
    "SY14": "cheshire",          # Malpas
    "SY15-25": "dyfed-powys",    # Powys and Ceredigion (Welshpool to Aberystwyth)
    # TD
    "TD15": "northumbria",       # Berwick-upon-Tweed
    # TN: Kent by default
    "TN5-7": "sussex",           # Wadhurst, Crowborough, Hartfield
    "TN16": "metropolitan",      # Biggin Hill (Westerham and Brasted are Kent)
    "TN19-22": "sussex",         # Etchingham, Mayfield, Heathfield, Uckfield
    "TN31-40": "sussex",         # Rye to Bexhill, Hastings
    # TS: Teesside is Cleveland
    "TS9": "north-yorkshire",    # Stokesley, Great Ayton
    "TS21": "durham",            # Sedgefield
    "TS27-29": "durham",         # Blackhall, Wingate, Trimdon
    # TW: Hounslow, Richmond and Feltham are Metropolitan
    "TW15-20": "surrey",         # Ashford, Sunbury, Shepperton, Staines, Egham
    # WA: Warrington, Halton (Widnes, Runcorn) and Knutsford are Cheshire
    "WA9-12": "merseyside",      # St Helens, Haydock, Newton-le-Willows
    "WA14-15": "greater-manchester",  # Altrincham, Hale, Timperley
    # WN
    "WN8": "lancashire",         # Skelmersdale, Up Holland
    # WS: Walsall is West Midlands
    "WS6-7": "staffordshire",    # Cheslyn Hay, Great Wyrley, Burntwood
    "WS11-15": "staffordshire",  # Cannock, Hednesford, Lichfield, Rugeley
    # WV: Wolverhampton is West Midlands
    "WV5": "staffordshire",      # Wombourne
    "WV7": "west-mercia",        # Albrighton
    "WV8": "staffordshire",      # Codsall, Bilbrook
    "WV15-16": "west-mercia",    # Bridgnorth
    # YO: York and North Yorkshire; the East Riding is Humberside
    "YO15-16": "humberside",     # Bridlington
    "YO25": "humberside",        # Driffield
    "YO41-43": "humberside",     # Stamford Bridge, Pocklington, Market Weighton
}


def _numbers(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split():
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def _expand(key: str) -> list[str]:
    """"B47-48" -> ["B47", "B48"]; "EC1M" -> ["EC1M"]."""
    head = key.rstrip("0123456789-")
    rest = key[len(head):]
    if not rest or not rest[0].isdigit() or not key[-1].isdigit():
        return [key]
    return [f"{head}{n}" for n in _numbers(rest)]


def rows() -> list[tuple[str, str]]:
    table: dict[str, str] = {}
    for area, (spec, force) in AREA_DISTRICTS.items():
        for n in _numbers(spec):
            table[f"{area}{n}"] = force
    for sub in SUB_DISTRICTS:
        parent = sub.rstrip("ABCDEFGHJKLMNPRSTUVWXY")
        table[sub] = table[parent]
    for key, force in OVERRIDES.items():
        for district in _expand(key):
            if district in table:
                table[district] = force
            elif district in SUB_DISTRICTS:
                table[district] = force
            else:
                raise ValueError(f"override {key}: {district} is not a listed district")
    # sub-districts follow their parent when the parent was overridden and they were not
    for sub in SUB_DISTRICTS:
        parent = sub.rstrip("ABCDEFGHJKLMNPRSTUVWXY")
        if sub not in OVERRIDES:
            table[sub] = table[parent]

    def order(item: tuple[str, str]):
        d = item[0]
        area = "".join(ch for ch in d[:2] if ch.isalpha())
        digits = "".join(ch for ch in d[len(area):] if ch.isdigit())
        return area, int(digits or 0), d

    return sorted(table.items(), key=order)


def write(path: Path = CSV_PATH) -> int:
    data = rows()
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["district", "force"])
        w.writerows(data)
    return len(data)


if __name__ == "__main__":
    print(f"{write()} districts written to {CSV_PATH}")
