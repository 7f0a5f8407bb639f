"""Nationality and country: a country name, demonym or code to ISO 3166 alpha-3.

Country names, official names, common names and codes come from pycountry (its data ships with
the package, no network). On top: the demonyms written in reports ("Vietnamese", "Albanian",
"Eritrean" ... about 200 states and territories), everyday names pycountry lacks ("Vietnam",
"Russia", "Ivory Coast", "Burma", "Turkey", "UK", "England"), older and passport (MRZ) codes
("ROM", "ZAR", "GBD", "D"). Case, diacritics and punctuation do not matter. Kosovo, which has
no ISO code, is "XKX" (the user-assigned code the EU and most registries use).

Peoples without a state of their own ("Kurdish", "Arab", "Roma", "Tamil", "Baloch") and
"stateless" give None: a nationality is never guessed. "Congolese" alone is read as the DR
Congo (far the commoner in UK referrals); "Congo-Brazzaville" and "Republic of Congo" give COG.
"Dominican" alone is the Dominican Republic. Dual nationality ("British/Nigerian") gives the
first one recognised.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from ingest.normalise.caching import memoise
from ingest.normalise.names import fold

MAX_LEN = 100

DEMONYMS: dict[str, tuple[str, ...]] = {
    "AFG": ("afghan", "afghani", "afghanistani"),
    "ALB": ("albanian",),
    "DZA": ("algerian",),
    "AND": ("andorran",),
    "AGO": ("angolan",),
    "AIA": ("anguillan",),
    "ATG": ("antiguan", "barbudan", "antiguan and barbudan"),
    "ARG": ("argentine", "argentinian", "argentinean"),
    "ARM": ("armenian",),
    "ABW": ("aruban",),
    "AUS": ("australian", "aussie"),
    "AUT": ("austrian",),
    "AZE": ("azerbaijani", "azeri", "azerbaijanian"),
    "BHS": ("bahamian",),
    "BHR": ("bahraini",),
    "BGD": ("bangladeshi", "bangladesi"),
    "BRB": ("barbadian", "bajan"),
    "BLR": ("belarusian", "belarussian", "byelorussian", "belorussian"),
    "BEL": ("belgian",),
    "BLZ": ("belizean",),
    "BEN": ("beninese", "beninois"),
    "BMU": ("bermudian", "bermudan"),
    "BTN": ("bhutanese",),
    "BOL": ("bolivian",),
    "BIH": ("bosnian", "herzegovinian", "bosnian and herzegovinian", "bosniak"),
    "BWA": ("botswanan", "motswana", "batswana"),
    "BRA": ("brazilian",),
    "VGB": ("british virgin islander",),
    "BRN": ("bruneian", "bruneian malay"),
    "BGR": ("bulgarian",),
    "BFA": ("burkinabe", "burkinese"),
    "BDI": ("burundian", "burundi"),
    "KHM": ("cambodian", "khmer"),
    "CMR": ("cameroonian", "cameroonese"),
    "CAN": ("canadian",),
    "CPV": ("cape verdean", "cabo verdean", "capeverdean"),
    "CYM": ("caymanian",),
    "CAF": ("central african",),
    "TCD": ("chadian",),
    "CHL": ("chilean",),
    "CHN": ("chinese", "prc", "han chinese"),
    "COL": ("colombian", "columbian"),
    "COM": ("comoran", "comorian"),
    "COD": ("congolese", "congolese drc", "drc congolese", "congolese dr", "drc", "dr congo",
            "congo kinshasa", "congo drc", "democratic republic of congo",
            "democratic republic of the congo", "zairean", "zairian"),
    "COG": ("congo brazzaville", "republic of congo", "republic of the congo",
            "congolese brazzaville", "congolese republic"),
    "COK": ("cook islander",),
    "CRI": ("costa rican",),
    "CIV": ("ivorian", "ivoirian", "ivory coast", "ivory coaster", "cote d ivoire",
            "cote divoire"),
    "HRV": ("croatian", "croat"),
    "CUB": ("cuban",),
    "CUW": ("curacaoan",),
    "CYP": ("cypriot", "greek cypriot", "turkish cypriot"),
    "CZE": ("czech", "czech republic", "czechian"),
    "DNK": ("danish", "dane"),
    "DJI": ("djiboutian", "djiboutien"),
    "DMA": ("dominica",),
    "DOM": ("dominican", "dominican republic"),
    "ECU": ("ecuadorian", "ecuadorean"),
    "EGY": ("egyptian",),
    "SLV": ("salvadoran", "salvadorean", "salvadorian", "el salvadoran"),
    "GNQ": ("equatorial guinean", "equatoguinean"),
    "ERI": ("eritrean",),
    "EST": ("estonian",),
    "SWZ": ("swazi", "swazilander", "swaziland", "liswati", "emaswati"),
    "ETH": ("ethiopian", "abyssinian"),
    "FLK": ("falkland islander",),
    "FRO": ("faroese",),
    "FJI": ("fijian",),
    "FIN": ("finnish", "finn"),
    "FRA": ("french",),
    "GAB": ("gabonese", "gabonaise"),
    "GMB": ("gambian", "the gambia"),
    "GEO": ("georgian",),
    "DEU": ("german", "germany", "west german", "east german"),
    "GHA": ("ghanaian", "ghanian", "ghanain"),
    "GIB": ("gibraltarian",),
    "GRC": ("greek", "hellenic", "grecian"),
    "GRL": ("greenlandic", "greenlander"),
    "GRD": ("grenadian",),
    "GTM": ("guatemalan",),
    "GGY": ("guernsey", "guernseyman", "guernsey islander"),
    "GIN": ("guinean", "guinea conakry"),
    "GNB": ("bissau guinean", "guinea bissauan", "guinea bissau"),
    "GUY": ("guyanese", "guyanan"),
    "HTI": ("haitian",),
    "HND": ("honduran",),
    "HKG": ("hong konger", "hongkonger", "hong kongese", "hong kong chinese", "hong kong"),
    "HUN": ("hungarian", "magyar"),
    "ISL": ("icelandic", "icelander"),
    "IND": ("indian",),
    "IDN": ("indonesian",),
    "IRN": ("iranian", "persian", "iran"),
    "IRQ": ("iraqi",),
    "IRL": ("irish", "republic of ireland", "eire", "southern irish"),
    "IMN": ("manx",),
    "ISR": ("israeli",),
    "ITA": ("italian",),
    "JAM": ("jamaican",),
    "JPN": ("japanese",),
    "JEY": ("jersey", "jerseyman", "jersey islander"),
    "JOR": ("jordanian",),
    "KAZ": ("kazakh", "kazakhstani", "kazak"),
    "KEN": ("kenyan",),
    "KIR": ("i kiribati", "kiribatian", "gilbertese"),
    "PRK": ("north korean", "dprk", "korean dprk"),
    "KOR": ("south korean", "korean", "korea", "republic of korea", "rok"),
    "XKX": ("kosovan", "kosovar", "kosovo", "kosova", "republic of kosovo", "rks"),
    "KWT": ("kuwaiti",),
    "KGZ": ("kyrgyz", "kirghiz", "kirgiz", "kyrgyzstani"),
    "LAO": ("lao", "laotian", "laos"),
    "LVA": ("latvian", "lett", "lettish"),
    "LBN": ("lebanese",),
    "LSO": ("basotho", "mosotho", "lesothan", "lesotho"),
    "LBR": ("liberian",),
    "LBY": ("libyan",),
    "LIE": ("liechtensteiner", "liechtensteinian"),
    "LTU": ("lithuanian",),
    "LUX": ("luxembourgish", "luxembourger", "luxembourgian"),
    "MAC": ("macanese", "macau", "macao"),
    "MDG": ("malagasy", "madagascan", "madagascar"),
    "MWI": ("malawian",),
    "MYS": ("malaysian",),
    "MDV": ("maldivian",),
    "MLI": ("malian",),
    "MLT": ("maltese",),
    "MHL": ("marshallese",),
    "MRT": ("mauritanian",),
    "MUS": ("mauritian",),
    "MEX": ("mexican",),
    "FSM": ("micronesian", "micronesia"),
    "MDA": ("moldovan", "moldavian", "moldova"),
    "MCO": ("monegasque", "monacan"),
    "MNG": ("mongolian", "mongol"),
    "MNE": ("montenegrin",),
    "MSR": ("montserratian",),
    "MAR": ("moroccan",),
    "MOZ": ("mozambican",),
    "MMR": ("burmese", "myanmar", "myanmarese", "myanma", "burma"),
    "NAM": ("namibian",),
    "NRU": ("nauruan",),
    "NPL": ("nepalese", "nepali"),
    "NLD": ("dutch", "netherlander", "netherlandic", "holland", "the netherlands"),
    "NZL": ("new zealander", "new zealand", "kiwi"),
    "NIC": ("nicaraguan",),
    "NER": ("nigerien",),
    "NGA": ("nigerian",),
    "MKD": ("macedonian", "north macedonian", "macedonia", "fyrom"),
    "NOR": ("norwegian",),
    "OMN": ("omani",),
    "PAK": ("pakistani", "pakistan"),
    "PLW": ("palauan",),
    "PSE": ("palestinian", "palestine", "gazan"),
    "PAN": ("panamanian",),
    "PNG": ("papua new guinean", "papuan"),
    "PRY": ("paraguayan",),
    "PER": ("peruvian",),
    "PHL": ("filipino", "filipina", "philippine", "phillipino", "philipino", "pinoy"),
    "POL": ("polish", "pole"),
    "PRT": ("portuguese",),
    "PRI": ("puerto rican",),
    "QAT": ("qatari",),
    "ROU": ("romanian", "rumanian", "roumanian", "rom"),
    "RUS": ("russian", "russia", "russian federation"),
    "RWA": ("rwandan", "rwandese"),
    "SHN": ("saint helenian", "st helenian"),
    "KNA": ("kittitian", "nevisian", "kittitian and nevisian", "st kitts", "saint kitts",
            "st kitts and nevis"),
    "LCA": ("saint lucian", "st lucian", "st lucia"),
    "VCT": ("vincentian", "st vincent", "saint vincentian", "st vincent and the grenadines"),
    "WSM": ("samoan",),
    "SMR": ("sammarinese", "san marinese"),
    "STP": ("sao tomean", "santomean", "sao tome", "sao tome and principe"),
    "SAU": ("saudi", "saudi arabian", "ksa"),
    "SEN": ("senegalese",),
    "SRB": ("serbian", "serb"),
    "SYC": ("seychellois", "seychellese"),
    "SLE": ("sierra leonean", "sierra leonian"),
    "SGP": ("singaporean", "singaporian"),
    "SVK": ("slovak", "slovakian"),
    "SVN": ("slovenian", "slovene"),
    "SLB": ("solomon islander",),
    "SOM": ("somali", "somalian", "somalilander", "somaliland"),
    "ZAF": ("south african",),
    "SSD": ("south sudanese",),
    "ESP": ("spanish", "spaniard"),
    "LKA": ("sri lankan", "ceylonese", "ceylon"),
    "SDN": ("sudanese",),
    "SUR": ("surinamese", "surinamer", "surinam"),
    "SWE": ("swedish", "swede"),
    "CHE": ("swiss",),
    "SYR": ("syrian", "syria"),
    "TWN": ("taiwanese", "taiwan", "formosan"),
    "TJK": ("tajik", "tajikistani", "tadzhik", "tadjik"),
    "TZA": ("tanzanian", "tanzania", "zanzibari"),
    "THA": ("thai", "siamese"),
    "TLS": ("timorese", "east timorese", "east timor"),
    "TGO": ("togolese",),
    "TON": ("tongan",),
    "TTO": ("trinidadian", "tobagonian", "trinidadian and tobagonian", "trinidad",
            "trini"),
    "TUN": ("tunisian",),
    "TUR": ("turkish", "turk", "turkey", "turkiye"),
    "TKM": ("turkmen", "turkmenistani", "turkoman"),
    "TCA": ("turks and caicos islander",),
    "TUV": ("tuvaluan",),
    "UGA": ("ugandan",),
    "UKR": ("ukrainian", "ukraine", "the ukraine"),
    "ARE": ("emirati", "emirian", "uae", "united arab emirates", "emirates"),
    "GBR": ("british", "briton", "brit", "english", "scottish", "scots", "scot", "welsh",
            "northern irish", "uk", "u k", "great britain", "britain", "england", "scotland",
            "wales", "northern ireland", "united kingdom", "gb", "gbr", "uk national",
            "british national", "british citizen", "gbd", "gbn", "gbo", "gbp", "gbs",
            "british overseas citizen", "british overseas territories citizen", "cornish",
            "ulster", "ulsterman"),
    "USA": ("american", "us", "usa", "u s", "u s a", "america", "united states",
            "united states of america", "us citizen"),
    "URY": ("uruguayan",),
    "UZB": ("uzbek", "uzbekistani"),
    "VUT": ("ni vanuatu", "vanuatuan"),
    "VAT": ("vatican", "vatican city", "holy see"),
    "VEN": ("venezuelan", "venezuela"),
    "VNM": ("vietnamese", "vietnam", "viet nam", "viet", "vietnamise", "vietnamesse"),
    "YEM": ("yemeni", "yemenite", "yemen"),
    "ZMB": ("zambian",),
    "ZWE": ("zimbabwean", "zimbabwian", "rhodesian"),
}

# Everyday country names pycountry lacks (names only: used to spot a country ending an address).
COUNTRY_NAMES: dict[str, str] = {
    "vietnam": "VNM", "russia": "RUS", "iran": "IRN", "syria": "SYR", "laos": "LAO",
    "moldova": "MDA", "tanzania": "TZA", "bolivia": "BOL", "venezuela": "VEN",
    "czech republic": "CZE", "ivory coast": "CIV", "cote d ivoire": "CIV", "burma": "MMR",
    "macedonia": "MKD", "turkey": "TUR", "turkiye": "TUR", "cape verde": "CPV",
    "swaziland": "SWZ", "kosovo": "XKX", "palestine": "PSE", "taiwan": "TWN",
    "south korea": "KOR", "north korea": "PRK", "korea": "KOR", "brunei": "BRN",
    "east timor": "TLS", "vatican": "VAT", "vatican city": "VAT", "holland": "NLD",
    "the netherlands": "NLD", "gambia": "GMB", "the gambia": "GMB", "dr congo": "COD",
    "democratic republic of congo": "COD", "democratic republic of the congo": "COD",
    "republic of congo": "COG", "republic of the congo": "COG", "congo brazzaville": "COG",
    "st lucia": "LCA", "saint lucia": "LCA", "st kitts and nevis": "KNA", "st kitts": "KNA",
    "saint kitts": "KNA", "st vincent": "VCT", "saint vincent": "VCT", "sao tome": "STP",
    "st vincent and the grenadines": "VCT", "sao tome and principe": "STP",
    "united states": "USA", "united states of america": "USA", "usa": "USA", "america": "USA",
    "republic of ireland": "IRL", "eire": "IRL", "uae": "ARE", "united arab emirates": "ARE",
    "hong kong": "HKG", "macau": "MAC", "micronesia": "FSM", "united kingdom": "GBR",
    "great britain": "GBR", "britain": "GBR", "england": "GBR", "scotland": "GBR",
    "wales": "GBR", "northern ireland": "GBR", "uk": "GBR", "u k": "GBR", "gb": "GBR",
    "gbr": "GBR",
}

# Older and passport codes that are not current ISO alpha-2/alpha-3.
LEGACY_CODES = {"rom": "ROU", "zar": "COD", "tmp": "TLS", "bur": "MMR", "d": "DEU", "uk": "GBR",
                "el": "GRC", "xk": "XKX", "xkx": "XKX", "rks": "XKX", "unk": None}

# Peoples, regions and non-answers: never a state.
NOT_A_STATE = frozenset({
    "kurdish", "kurd", "kurdistan", "kurdistani", "arab", "arabic", "roma", "romani", "romany",
    "gypsy", "traveller", "tamil", "baloch", "baluch", "berber", "pashtun", "pathan", "hazara",
    "yazidi", "bidoon", "bedoon", "stateless", "unknown", "not known", "nk", "n k", "none",
    "african", "european", "asian", "latin", "hispanic", "black", "white", "eu", "eea",
    "xxa", "xxb", "xxc", "xxx", "other", "refused", "middle eastern", "oromo", "amhara",
    "tigrayan", "rohingya", "uyghur", "uighur", "tibetan", "chechen", "sikh", "muslim",
})

_APOSTROPHE = re.compile(r"['\u2019\u2018`]")
_FILLER = re.compile(r"\b(?:national|nationality|citizen|citizenship|passport|holder|"
                     r"born|of|from|the|origin|descent|nat)\b")
_SPLIT = re.compile(r"\s*(?:/|\\|;|,|&|\+|\band\b|\bdual\b)\s*")


def _key(text: str) -> str:
    return fold(text)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(names and demonyms, ISO codes, country names only) -> alpha-3."""
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for c in pycountry.countries:
        codes[c.alpha_2.lower()] = c.alpha_3
        codes[c.alpha_3.lower()] = c.alpha_3
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if not value:
                continue
            forms = [value]
            if "," in value:  # "Korea, Republic of" -> also "Republic of Korea"
                head, _, tail = value.partition(",")
                forms.append(f"{tail} {head}")
            for form in forms:
                names.setdefault(_key(form), c.alpha_3)
                # "Côte d'Ivoire" also as addresses fold it, apostrophe dropped: "cote divoire"
                names.setdefault(_key(_APOSTROPHE.sub("", form)), c.alpha_3)
    countries = dict(names)
    countries.update(COUNTRY_NAMES)
    for alpha3, words in DEMONYMS.items():
        for w in words:
            names[_key(w)] = alpha3
    names.update(COUNTRY_NAMES)
    return names, codes, countries


def _lookup(key: str) -> str | None | bool:
    """alpha-3, None for a known non-state, False when the key is unknown."""
    if not key:
        return False
    if key in NOT_A_STATE:
        return None
    names, codes, _ = _tables()
    if key in names:
        return names[key]
    compact = key.replace(" ", "")
    if compact in LEGACY_CODES:
        return LEGACY_CODES[compact]
    if len(compact) in (2, 3) and compact in codes:
        return codes[compact]
    if key.startswith("the "):
        return _lookup(key[4:])
    return False


@memoise(20_000)
def to_alpha3(text: str | None) -> str | None:
    """ISO 3166 alpha-3 for a country name, demonym or code; None when unknown or no state."""
    if not isinstance(text, str):
        return None
    raw = text[:MAX_LEN]
    found = _lookup(_key(raw))
    if found is not False:
        return found
    stripped = " ".join(_FILLER.sub(" ", _key(raw)).split())
    found = _lookup(stripped)
    if found is not False:
        return found
    parts = [p for p in _SPLIT.split(raw.lower()) if p.strip()]
    if len(parts) > 1:
        for part in parts:
            key = " ".join(_FILLER.sub(" ", _key(part)).split())
            found = _lookup(key)
            if found:
                return found
    return None


def country_from_name(text: str | None) -> str | None:
    """alpha-3 of a country *name* only ("Romania", "Viet Nam", "England"; not demonyms or
    codes): used to spot a country written at the end of an address."""
    if not isinstance(text, str):
        return None
    return _tables()[2].get(_key(text[:MAX_LEN]))


@lru_cache(maxsize=1)
def _names_by_code() -> dict[str, str]:
    out: dict[str, str] = {}  # the shortest name: "vatican", not "holy see vatican city state"
    by_length = sorted(_tables()[2].items(), key=lambda kv: (len(kv[0].split()), len(kv[0]), kv[0]))
    for key, a3 in by_length:
        out.setdefault(a3, key)
    return out


def country_name(alpha3: str | None) -> str | None:
    """A folded name of the country that `country_from_name` reads back to the same code."""
    if not isinstance(alpha3, str):
        return None
    name = _names_by_code().get(alpha3.upper())
    return name if name and country_from_name(name) == alpha3.upper() else None


@lru_cache(maxsize=1)
def country_words() -> dict[tuple[str, ...], str]:
    """Country names as tuples of folded words -> alpha-3, for matching tokenised text."""
    return {tuple(k.split()): a3 for k, a3 in _tables()[2].items() if k}


@lru_cache(maxsize=1)
def country_words_max() -> int:
    """The most words in a country name ("saint vincent and the grenadines": 5)."""
    return max(len(k) for k in country_words())
