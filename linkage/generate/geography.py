"""Where the synthetic world happens: postcode districts, the force that polices each, towns,
approximate centroids, streets, and the benign hubs that exist in real life (ports, removal
centres).

The district table is the one place in this package that says which force a postcode belongs to.
Only districts that lie wholly inside one force area are listed (a district that straddles a
boundary, such as NG16 or WV5, is left out), so a generated postcode's force is never in doubt.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# force -> (weight, rows of "DISTRICT lat lon Town").  The weight is how much of the synthetic
# activity lands in the force (roughly proportional to NRM referral volumes).
_TABLE: dict[str, tuple[int, str]] = {
    "metropolitan": (20, """
        E1 51.517 -0.060 London|E2 51.530 -0.060 London|E3 51.528 -0.025 London
        E6 51.525 0.055 London|E7 51.548 0.025 London|E8 51.545 -0.060 London
        E10 51.568 -0.010 London|E11 51.570 0.010 London|E12 51.552 0.050 London
        E13 51.527 0.025 London|E15 51.540 0.000 London|E17 51.585 -0.020 London
        N1 51.538 -0.095 London|N4 51.570 -0.105 London|N7 51.553 -0.115 London
        N9 51.628 -0.060 London|N15 51.582 -0.080 London|N17 51.598 -0.065 London
        N18 51.615 -0.065 London|NW1 51.535 -0.145 London|NW2 51.560 -0.220 London
        NW6 51.545 -0.195 London|NW9 51.590 -0.255 London|NW10 51.540 -0.245 London
        SE1 51.500 -0.095 London|SE5 51.473 -0.090 London|SE6 51.440 -0.020 London
        SE8 51.478 -0.025 London|SE13 51.460 -0.010 London|SE14 51.475 -0.040 London
        SE15 51.470 -0.065 London|SE18 51.485 0.075 London|SE28 51.505 0.115 London
        SW2 51.450 -0.120 London|SW8 51.475 -0.130 London|SW9 51.468 -0.115 London
        SW11 51.465 -0.165 London|SW16 51.420 -0.125 London|SW17 51.430 -0.160 London
        W1D 51.513 -0.132 London|W1T 51.520 -0.135 London|W2 51.515 -0.180 London
        W3 51.510 -0.270 London|W6 51.493 -0.225 London|W12 51.510 -0.235 London
        CR0 51.375 -0.095 Croydon|CR7 51.395 -0.105 Thornton Heath|BR1 51.408 0.015 Bromley
        DA7 51.460 0.145 Bexleyheath|DA8 51.480 0.175 Erith|EN1 51.655 -0.075 Enfield
        EN3 51.665 -0.035 Enfield|HA0 51.550 -0.300 Wembley|HA1 51.580 -0.335 Harrow
        HA9 51.560 -0.285 Wembley|IG1 51.560 0.075 Ilford|IG11 51.535 0.085 Barking
        RM1 51.580 0.180 Romford|RM8 51.555 0.130 Dagenham|RM10 51.545 0.160 Dagenham
        SM1 51.365 -0.190 Sutton|TW3 51.470 -0.365 Hounslow|TW6 51.470 -0.455 Hounslow
        UB1 51.510 -0.375 Southall|UB3 51.505 -0.420 Hayes|UB7 51.490 -0.475 West Drayton
        UB8 51.540 -0.480 Uxbridge|KT1 51.410 -0.300 Kingston upon Thames"""),
    "west-midlands": (14, """
        B1 52.480 -1.908 Birmingham|B2 52.479 -1.897 Birmingham|B3 52.483 -1.902 Birmingham
        B4 52.483 -1.890 Birmingham|B5 52.470 -1.893 Birmingham|B6 52.500 -1.880 Birmingham
        B7 52.491 -1.873 Birmingham|B8 52.488 -1.845 Birmingham|B9 52.475 -1.845 Birmingham
        B10 52.468 -1.853 Birmingham|B11 52.457 -1.860 Birmingham|B12 52.459 -1.886 Birmingham
        B13 52.433 -1.880 Birmingham|B14 52.415 -1.888 Birmingham|B15 52.467 -1.920 Birmingham
        B16 52.477 -1.928 Birmingham|B18 52.493 -1.920 Birmingham|B19 52.500 -1.900 Birmingham
        B20 52.513 -1.918 Birmingham|B21 52.505 -1.935 Birmingham|B23 52.530 -1.853 Birmingham
        B24 52.518 -1.830 Birmingham|B25 52.469 -1.822 Birmingham|B26 52.462 -1.790 Birmingham
        B27 52.448 -1.820 Birmingham|B28 52.430 -1.840 Birmingham|B29 52.435 -1.940 Birmingham
        B30 52.418 -1.925 Birmingham|B33 52.483 -1.790 Birmingham|B34 52.492 -1.770 Birmingham
        B36 52.500 -1.760 Birmingham|B42 52.540 -1.910 Birmingham|B44 52.545 -1.880 Birmingham
        B66 52.493 -1.962 Smethwick|B67 52.486 -1.970 Smethwick|B68 52.480 -2.005 Oldbury
        B69 52.500 -2.010 Oldbury|B70 52.520 -1.995 West Bromwich|B71 52.530 -1.985 West Bromwich
        B72 52.550 -1.825 Sutton Coldfield|B73 52.560 -1.840 Sutton Coldfield
        B90 52.410 -1.790 Solihull|B91 52.413 -1.775 Solihull|B92 52.430 -1.760 Solihull
        WV1 52.586 -2.120 Wolverhampton|WV2 52.575 -2.125 Wolverhampton
        WV3 52.582 -2.150 Wolverhampton|WV12 52.615 -2.040 Willenhall|WV13 52.585 -2.060 Willenhall
        WV14 52.565 -2.080 Bilston|WS1 52.585 -1.980 Walsall|WS2 52.590 -2.000 Walsall
        WS3 52.615 -1.990 Walsall|WS5 52.575 -1.960 Walsall
        DY1 52.512 -2.085 Dudley|DY2 52.495 -2.080 Dudley|DY4 52.530 -2.060 Tipton
        DY5 52.478 -2.120 Brierley Hill|DY8 52.457 -2.145 Stourbridge
        CV1 52.408 -1.510 Coventry|CV2 52.420 -1.470 Coventry|CV3 52.390 -1.500 Coventry
        CV4 52.395 -1.560 Coventry|CV5 52.415 -1.545 Coventry|CV6 52.430 -1.500 Coventry"""),
    "greater-manchester": (12, """
        M1 53.478 -2.235 Manchester|M3 53.485 -2.250 Manchester|M4 53.485 -2.230 Manchester
        M8 53.508 -2.238 Manchester|M9 53.520 -2.210 Manchester|M11 53.478 -2.185 Manchester
        M12 53.463 -2.205 Manchester|M13 53.460 -2.225 Manchester|M14 53.448 -2.225 Manchester
        M16 53.455 -2.260 Manchester|M18 53.460 -2.175 Manchester|M19 53.440 -2.190 Manchester
        M20 53.425 -2.235 Manchester|M22 53.390 -2.260 Manchester|M40 53.505 -2.205 Manchester
        M90 53.360 -2.275 Manchester|M5 53.480 -2.280 Salford|M6 53.495 -2.290 Salford
        M7 53.505 -2.265 Salford|M30 53.485 -2.350 Eccles|M32 53.450 -2.310 Stretford
        M33 53.425 -2.320 Sale|M41 53.450 -2.355 Urmston|OL1 53.545 -2.110 Oldham
        OL4 53.545 -2.075 Oldham|OL8 53.530 -2.115 Oldham|OL9 53.540 -2.135 Oldham
        OL11 53.605 -2.170 Rochdale|OL16 53.615 -2.140 Rochdale|OL6 53.490 -2.090 Ashton-under-Lyne
        BL1 53.585 -2.445 Bolton|BL2 53.585 -2.400 Bolton|BL3 53.565 -2.440 Bolton
        BL4 53.550 -2.400 Farnworth|BL8 53.595 -2.320 Bury|BL9 53.595 -2.290 Bury
        SK1 53.408 -2.150 Stockport|SK2 53.395 -2.140 Stockport|SK3 53.400 -2.170 Stockport
        SK4 53.420 -2.180 Stockport|SK5 53.425 -2.150 Stockport|WN1 53.550 -2.630 Wigan
        WN2 53.540 -2.600 Wigan|WN3 53.530 -2.650 Wigan|WN7 53.497 -2.520 Leigh"""),
    "west-yorkshire": (10, """
        LS1 53.797 -1.548 Leeds|LS2 53.803 -1.545 Leeds|LS4 53.812 -1.580 Leeds
        LS6 53.822 -1.570 Leeds|LS7 53.820 -1.530 Leeds|LS8 53.825 -1.510 Leeds
        LS9 53.800 -1.510 Leeds|LS10 53.775 -1.530 Leeds|LS11 53.780 -1.555 Leeds
        LS12 53.795 -1.590 Leeds|LS13 53.805 -1.635 Leeds|LS14 53.825 -1.450 Leeds
        LS15 53.805 -1.445 Leeds|LS17 53.860 -1.530 Leeds|LS27 53.745 -1.600 Morley
        LS28 53.800 -1.665 Pudsey|BD1 53.795 -1.752 Bradford|BD3 53.795 -1.730 Bradford
        BD4 53.775 -1.730 Bradford|BD5 53.778 -1.760 Bradford|BD7 53.785 -1.785 Bradford
        BD8 53.800 -1.785 Bradford|BD9 53.810 -1.785 Bradford|BD18 53.835 -1.780 Shipley
        WF1 53.683 -1.497 Wakefield|WF2 53.675 -1.520 Wakefield|WF10 53.725 -1.355 Castleford
        WF13 53.695 -1.640 Dewsbury|WF17 53.715 -1.630 Batley|HX1 53.722 -1.865 Halifax
        HX3 53.725 -1.830 Halifax|HD1 53.646 -1.785 Huddersfield|HD2 53.665 -1.775 Huddersfield
        HD3 53.655 -1.820 Huddersfield|HD5 53.650 -1.750 Huddersfield"""),
    "merseyside": (6, """
        L1 53.403 -2.980 Liverpool|L3 53.410 -2.990 Liverpool|L4 53.440 -2.960 Liverpool
        L5 53.425 -2.970 Liverpool|L6 53.420 -2.955 Liverpool|L7 53.410 -2.950 Liverpool
        L8 53.390 -2.965 Liverpool|L9 53.460 -2.960 Liverpool|L11 53.440 -2.920 Liverpool
        L13 53.420 -2.920 Liverpool|L15 53.400 -2.920 Liverpool|L20 53.450 -2.990 Bootle
        L21 53.470 -2.990 Liverpool|L34 53.425 -2.810 Prescot|L36 53.410 -2.840 Liverpool"""),
    "south-yorkshire": (6, """
        S1 53.380 -1.470 Sheffield|S2 53.370 -1.460 Sheffield|S3 53.390 -1.475 Sheffield
        S4 53.400 -1.450 Sheffield|S5 53.420 -1.460 Sheffield|S6 53.395 -1.510 Sheffield
        S8 53.350 -1.480 Sheffield|S9 53.395 -1.420 Sheffield|S13 53.370 -1.380 Sheffield
        S60 53.425 -1.355 Rotherham|S65 53.440 -1.330 Rotherham|S70 53.550 -1.480 Barnsley
        S71 53.565 -1.460 Barnsley|DN1 53.520 -1.130 Doncaster|DN2 53.530 -1.100 Doncaster
        DN4 53.505 -1.110 Doncaster"""),
    "kent": (6, """
        ME1 51.380 0.500 Rochester|ME4 51.380 0.530 Chatham|ME7 51.385 0.560 Gillingham
        ME14 51.280 0.530 Maidstone|ME15 51.255 0.530 Maidstone|ME16 51.270 0.500 Maidstone
        CT1 51.280 1.080 Canterbury|CT9 51.385 1.385 Margate|CT11 51.335 1.415 Ramsgate
        CT16 51.135 1.310 Dover|CT17 51.120 1.300 Dover|CT19 51.090 1.170 Folkestone
        CT20 51.080 1.175 Folkestone|TN1 51.132 0.265 Tunbridge Wells|TN9 51.195 0.275 Tonbridge
        TN23 51.140 0.860 Ashford|TN24 51.155 0.885 Ashford"""),
    "thames-valley": (6, """
        OX1 51.752 -1.258 Oxford|OX2 51.765 -1.275 Oxford|OX3 51.760 -1.215 Oxford
        OX4 51.735 -1.220 Oxford|OX14 51.670 -1.285 Abingdon|OX16 52.062 -1.340 Banbury
        OX26 51.900 -1.150 Bicester|RG1 51.455 -0.970 Reading|RG2 51.435 -0.960 Reading
        RG30 51.455 -1.010 Reading|RG14 51.400 -1.320 Newbury|RG12 51.410 -0.750 Bracknell
        RG40 51.410 -0.835 Wokingham|SL1 51.515 -0.600 Slough|MK1 52.020 -0.740 Milton Keynes
        MK2 51.995 -0.730 Milton Keynes|MK6 52.030 -0.750 Milton Keynes
        MK9 52.040 -0.760 Milton Keynes|MK13 52.060 -0.790 Milton Keynes"""),
    "nottinghamshire": (5, """
        NG1 52.953 -1.150 Nottingham|NG2 52.940 -1.140 Nottingham|NG3 52.965 -1.135 Nottingham
        NG5 52.990 -1.160 Nottingham|NG6 53.000 -1.190 Nottingham|NG7 52.950 -1.180 Nottingham
        NG8 52.960 -1.215 Nottingham|NG9 52.925 -1.220 Beeston|NG11 52.900 -1.170 Nottingham
        NG17 53.120 -1.260 Sutton-in-Ashfield|NG18 53.140 -1.190 Mansfield
        NG24 53.075 -0.810 Newark"""),
    "avon-and-somerset": (5, """
        BS1 51.455 -2.590 Bristol|BS2 51.460 -2.575 Bristol|BS3 51.440 -2.600 Bristol
        BS4 51.435 -2.560 Bristol|BS5 51.465 -2.555 Bristol|BS6 51.475 -2.595 Bristol
        BS7 51.485 -2.585 Bristol|BS13 51.415 -2.610 Bristol|BS16 51.480 -2.515 Bristol
        BS23 51.345 -2.970 Weston-super-Mare|BA1 51.385 -2.365 Bath|BA2 51.375 -2.355 Bath
        BA20 50.940 -2.635 Yeovil|BA21 50.948 -2.625 Yeovil|TA1 51.015 -3.100 Taunton
        TA6 51.128 -3.000 Bridgwater"""),
    "northumbria": (5, """
        NE1 54.972 -1.613 Newcastle upon Tyne|NE2 54.985 -1.600 Newcastle upon Tyne
        NE4 54.970 -1.650 Newcastle upon Tyne|NE6 54.975 -1.570 Newcastle upon Tyne
        NE15 54.985 -1.700 Newcastle upon Tyne|NE8 54.955 -1.600 Gateshead
        NE10 54.945 -1.560 Gateshead|NE29 55.010 -1.450 North Shields
        NE33 54.995 -1.430 South Shields|NE34 54.985 -1.420 South Shields
        NE31 54.970 -1.520 Hebburn|NE37 54.905 -1.515 Washington|NE63 55.185 -1.570 Ashington
        NE24 55.125 -1.510 Blyth|SR1 54.905 -1.380 Sunderland|SR2 54.890 -1.370 Sunderland
        SR4 54.900 -1.410 Sunderland|SR5 54.920 -1.400 Sunderland"""),
    "police-scotland": (5, """
        G1 55.860 -4.250 Glasgow|G2 55.862 -4.260 Glasgow|G3 55.866 -4.280 Glasgow
        G4 55.868 -4.240 Glasgow|G5 55.845 -4.255 Glasgow|G20 55.885 -4.280 Glasgow
        G21 55.880 -4.220 Glasgow|G31 55.855 -4.210 Glasgow|G40 55.850 -4.220 Glasgow
        G42 55.835 -4.260 Glasgow|G51 55.860 -4.310 Glasgow|EH1 55.950 -3.190 Edinburgh
        EH3 55.952 -3.205 Edinburgh|EH6 55.970 -3.175 Edinburgh|EH7 55.960 -3.165 Edinburgh
        EH11 55.935 -3.240 Edinburgh|EH16 55.920 -3.150 Edinburgh|ML10 55.655 -4.080 Strathaven"""),
}


@dataclass(frozen=True, slots=True)
class District:
    code: str      # outward code, e.g. "B6"
    force: str     # force code from linkage.model.forces
    town: str
    lat: float
    lon: float


def _parse() -> tuple[dict[str, District], dict[str, tuple[District, ...]], dict[str, int]]:
    districts: dict[str, District] = {}
    by_force: dict[str, tuple[District, ...]] = {}
    weights: dict[str, int] = {}
    for force, (weight, text) in _TABLE.items():
        rows = []
        for chunk in text.replace("\n", "|").split("|"):
            chunk = chunk.strip()
            if not chunk:
                continue
            code, lat, lon, town = chunk.split(" ", 3)
            d = District(code, force, town, float(lat), float(lon))
            if code in districts:
                raise ValueError(f"postcode district {code} listed twice")
            districts[code] = d
            rows.append(d)
        by_force[force] = tuple(rows)
        weights[force] = weight
    return districts, by_force, weights


DISTRICTS, DISTRICTS_BY_FORCE, FORCE_WEIGHTS = _parse()
FORCES_USED: tuple[str, ...] = tuple(DISTRICTS_BY_FORCE)


def force_for_district(code: str) -> str:
    """The force that polices a generated postcode district (KeyError for districts not used)."""
    return DISTRICTS[code].force


def district_of(postcode: str) -> str:
    """'B6 4QS' -> 'B6'."""
    return postcode.split(" ", 1)[0]


# Unit letters of an inward code never use C, I, K, M, O or V.
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def random_postcode(rng: random.Random, district: str) -> str:
    r = rng.random
    return (f"{district} {1 + int(r() * 9)}"
            f"{UNIT_LETTERS[int(r() * 20)]}{UNIT_LETTERS[int(r() * 20)]}")


STREET_STEMS = (
    "High", "Station", "Church", "Victoria", "Park", "Green", "Mill", "Albert", "Queen", "King",
    "Stratford", "Soho", "Ladypool", "Coventry", "Alum Rock", "Dudley", "Cheetham Hill",
    "Oldham", "Bury New", "Wilmslow", "Harehills", "Roundhay", "Leeds", "Manningham", "Lumb",
    "Walton", "Smithdown", "Lodge", "Abbeydale", "London", "Holloway", "Commercial", "Mile End",
    "Kingsland", "Green Lanes", "Seven Sisters", "Lewisham", "Old Kent", "Brixton", "Uxbridge",
    "Cowley", "Oxford", "Bath", "Gloucester", "Stapleton", "Shields", "Westgate", "Chillingham",
    "Hylton", "Dumbarton", "Pollokshaws", "Leith", "Easter", "Mansfield", "Alfreton", "Carlton",
    "Canterbury", "Maidstone", "Dover", "Marsh", "Moor", "Cemetery", "Union", "Grange", "Hall",
    "Bridge", "Water", "Canal", "Factory", "Foundry", "Forge", "Brook", "Meadow", "Orchard",
    "Elm", "Oak", "Ash", "Beech", "Cedar", "Willow", "Hawthorn", "Linden", "Chapel", "Market",
    "Castle", "Manor", "Priory", "Abbey", "Newport", "Cross", "North", "South", "East", "West",
)
STREET_KINDS = (
    ("Street", "St"), ("Road", "Rd"), ("Lane", "Ln"), ("Avenue", "Ave"), ("Close", "Cl"),
    ("Drive", "Dr"), ("Way", "Way"), ("Grove", "Gr"), ("Terrace", "Terr"), ("Crescent", "Cres"),
    ("Place", "Pl"),
)
ESTATES = ("Riverside", "Canal Side", "Victoria", "Northgate", "Parkway", "Meadowbank",
           "Westfield", "Phoenix", "Kingsway", "Enterprise", "Heartlands", "Junction")

# Benign hubs that exist once nationally: (name, use, district, street, number)
NATIONAL_HUBS = (
    ("Harmondsworth Immigration Removal Centre", "immigration_centre", "UB7", "Colnbrook Bypass", 1),
    ("Colnbrook Immigration Removal Centre", "immigration_centre", "UB7", "Colnbrook Bypass", 3),
    ("Dungavel House Immigration Removal Centre", "immigration_centre", "ML10", "Dungavel Road", 1),
    ("Port of Dover Eastern Docks", "port", "CT16", "Eastern Docks", 1),
    ("Heathrow Airport Terminal 4", "port", "TW6", "Southern Perimeter Road", 4),
    ("Manchester Airport Terminal 2", "port", "M90", "Outwood Lane", 2),
    ("Birmingham Airport", "port", "B26", "Airport Way", 1),
    ("Port of Liverpool Seaforth Dock", "port", "L21", "Crosby Road South", 1),
)
