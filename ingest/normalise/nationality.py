"""Nationality: country names, demonyms and ISO codes to ISO 3166 alpha-3 (pycountry data)."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from ingest.normalise.names import fold

# Demonyms and everyday names pycountry does not carry. Stateless identities (Kurdish, Roma)
# deliberately map to nothing: they are not nationalities.
_EXTRA = {
    "uk": "GBR", "u k": "GBR", "great britain": "GBR", "britain": "GBR", "british": "GBR",
    "england": "GBR", "english": "GBR", "scotland": "GBR", "scottish": "GBR", "wales": "GBR",
    "welsh": "GBR", "northern ireland": "GBR", "northern irish": "GBR", "united kingdom": "GBR",
    "vietnam": "VNM", "viet nam": "VNM", "vietnamese": "VNM", "albanian": "ALB", "romanian": "ROU",
    "polish": "POL", "eritrean": "ERI", "sudanese": "SDN", "south sudanese": "SSD", "nigerian": "NGA",
    "chinese": "CHN", "china": "CHN", "indian": "IND", "pakistani": "PAK", "slovak": "SVK", "slovakian": "SVK",
    "czech": "CZE", "lithuanian": "LTU", "latvian": "LVA", "estonian": "EST", "bulgarian": "BGR",
    "hungarian": "HUN", "iranian": "IRN", "iran": "IRN", "iraqi": "IRQ", "afghan": "AFG",
    "afghani": "AFG", "filipino": "PHL", "filipina": "PHL", "philippine": "PHL", "ghanaian": "GHA",
    "ukrainian": "UKR", "syrian": "SYR", "syria": "SYR", "ethiopian": "ETH", "somali": "SOM",
    "egyptian": "EGY", "moroccan": "MAR", "algerian": "DZA", "libyan": "LBY", "tunisian": "TUN",
    "kenyan": "KEN", "ugandan": "UGA", "tanzanian": "TZA", "zimbabwean": "ZWE", "south african": "ZAF",
    "cameroonian": "CMR", "congolese": "COD", "angolan": "AGO", "senegalese": "SEN", "gambian": "GMB",
    "sierra leonean": "SLE", "liberian": "LBR", "ivorian": "CIV", "malian": "MLI", "guinean": "GIN",
    "bangladeshi": "BGD", "sri lankan": "LKA", "nepali": "NPL", "nepalese": "NPL", "thai": "THA",
    "cambodian": "KHM", "laotian": "LAO", "burmese": "MMR", "malaysian": "MYS", "indonesian": "IDN",
    "korean": "KOR", "south korean": "KOR", "north korean": "PRK", "japanese": "JPN", "mongolian": "MNG",
    "russian": "RUS", "russia": "RUS", "belarusian": "BLR", "moldovan": "MDA", "moldova": "MDA",
    "georgian": "GEO", "armenian": "ARM", "azerbaijani": "AZE", "kazakh": "KAZ", "uzbek": "UZB",
    "turkish": "TUR", "turkey": "TUR", "greek": "GRC", "cypriot": "CYP", "italian": "ITA",
    "spanish": "ESP", "portuguese": "PRT", "french": "FRA", "german": "DEU", "dutch": "NLD",
    "belgian": "BEL", "swiss": "CHE", "austrian": "AUT", "danish": "DNK", "swedish": "SWE",
    "norwegian": "NOR", "finnish": "FIN", "icelandic": "ISL", "irish": "IRL", "ireland": "IRL",
    "croatian": "HRV", "serbian": "SRB", "bosnian": "BIH", "montenegrin": "MNE", "kosovan": "XKX",
    "kosovar": "XKX", "kosovo": "XKX", "macedonian": "MKD", "slovenian": "SVN", "slovene": "SVN",
    "american": "USA", "usa": "USA", "us": "USA", "canadian": "CAN", "mexican": "MEX",
    "brazilian": "BRA", "colombian": "COL", "venezuelan": "VEN", "peruvian": "PER", "argentine": "ARG",
    "argentinian": "ARG", "chilean": "CHL", "ecuadorian": "ECU", "bolivian": "BOL", "cuban": "CUB",
    "jamaican": "JAM", "trinidadian": "TTO", "haitian": "HTI", "dominican": "DOM", "australian": "AUS",
    "new zealander": "NZL", "kuwaiti": "KWT", "saudi": "SAU", "saudi arabian": "SAU", "emirati": "ARE",
    "qatari": "QAT", "omani": "OMN", "yemeni": "YEM", "jordanian": "JOR", "lebanese": "LBN",
    "palestinian": "PSE", "israeli": "ISR", "chadian": "TCD", "nigerien": "NER", "burkinabe": "BFA",
    "beninese": "BEN", "togolese": "TGO", "rwandan": "RWA", "burundian": "BDI", "malawian": "MWI",
    "zambian": "ZMB", "mozambican": "MOZ", "namibian": "NAM", "botswanan": "BWA", "motswana": "BWA",
    "malagasy": "MDG", "mauritian": "MUS", "taiwanese": "TWN", "hong konger": "HKG", "singaporean": "SGP",
    "maltese": "MLT", "luxembourgish": "LUX", "tajik": "TJK", "turkmen": "TKM", "kyrgyz": "KGZ",
    "bhutanese": "BTN", "maldivian": "MDV", "fijian": "FJI", "djiboutian": "DJI", "gabonese": "GAB",
    "kurdish": None, "kurd": None, "roma": None, "stateless": None, "unknown": None,
}


def _build() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                table[fold(v)] = c.alpha_3
        table[c.alpha_2.lower()] = c.alpha_3
        table[c.alpha_3.lower()] = c.alpha_3
    for k, v in _EXTRA.items():
        if v is None:
            table.pop(k, None)
        else:
            table[k] = v
    return table


_TABLE: dict[str, str] | None = None


@lru_cache(maxsize=10_000)
def to_alpha3(text: str | None) -> str | None:
    global _TABLE
    if not text or not isinstance(text, str):
        return None
    if _TABLE is None:
        _TABLE = _build()
    key = fold(text[:100])
    if key in _EXTRA and _EXTRA[key] is None:
        return None
    return _TABLE.get(key)
