"""Identifiers that resolve by value: phones, vehicles, bank accounts, emails, company numbers,
identity documents. Each `Issuer` hands out values that are unique in one world.
"""

from __future__ import annotations

import random
import string
import unicodedata
from functools import lru_cache

from linkage.generate.sampling import between, pick

# Ofcom's drama range: 07700 900000-900999 is never allocated to a real subscriber.
DRAMA_FIRST = 900000
DRAMA_SIZE = 1000
# Other UK mobile prefixes (07xxx), avoiding 07624 (Isle of Man) and the 07700 900 drama block.
UK_MOBILE_PREFIXES = ("7123", "7340", "7400", "7412", "7440", "7480", "7501", "7534", "7555",
                      "7712", "7723", "7751", "7788", "7802", "7830", "7849", "7900", "7912",
                      "7944", "7958", "7971", "7983")
# Foreign mobile ranges: country code -> national mobile prefixes (digits after the prefix
# complete a 9-digit national number).
FOREIGN_MOBILE = {
    "40": ("721", "722", "723", "740", "744", "745", "755", "766", "787"),   # Romania
    "355": ("672", "674", "682", "685", "69"),                              # Albania
    "84": ("91", "98", "97", "38", "90", "93"),                            # Vietnam
}

VRM_AREA_FIRST = "ABCDEFGHKLMNOPRSVWXY"
VRM_AREA_SECOND = "ABCDEFGHJKLMNOPRSTUVWXY"
VRM_RANDOM = "ABCDEFGHJKLMNOPRSTUVWXYZ"
VEHICLES = (
    ("Toyota", "Prius"), ("Toyota", "Avensis"), ("BMW", "3 Series"), ("BMW", "X5"),
    ("Mercedes-Benz", "Sprinter"), ("Mercedes-Benz", "C-Class"), ("Ford", "Transit"),
    ("Ford", "Focus"), ("Volkswagen", "Golf"), ("Volkswagen", "Passat"), ("Audi", "A4"),
    ("Audi", "Q7"), ("Vauxhall", "Astra"), ("Vauxhall", "Vivaro"), ("Nissan", "Qashqai"),
    ("Land Rover", "Range Rover Sport"), ("Peugeot", "Boxer"), ("Skoda", "Octavia"),
    ("Renault", "Trafic"), ("Seat", "Leon"),
)
COLOURS = ("black", "silver", "white", "grey", "blue", "red", "dark blue", "green")

# bank name, IBAN bank code, sort-code prefix
BANKS = (
    ("Barclays", "BARC", "20"), ("Lloyds Bank", "LOYD", "30"), ("HSBC", "HBUK", "40"),
    ("NatWest", "NWBK", "60"), ("Santander", "ABBY", "09"), ("Monzo", "MONZ", "04"),
    ("Starling Bank", "SRLG", "60"), ("Revolut", "REVO", "04"), ("Halifax", "HLFX", "11"),
    ("TSB", "TSBS", "77"),
)
EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.co.uk", "outlook.com", "icloud.com",
                 "mail.ru", "yahoo.co.uk", "protonmail.com")


@lru_cache(maxsize=65536)
def ascii_fold(text: str) -> str:
    """'Nguyễn Văn Đạt' -> 'Nguyen Van Dat' (strips diacritics; đ/ł/ø and friends too)."""
    text = text.translate(_SPECIAL)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_SPECIAL = str.maketrans({"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
                          "ß": "ss", "æ": "ae", "Æ": "AE"})


def iban_for(bank_code: str, sort_code: str, account_number: str) -> str:
    """A GB IBAN with valid mod-97 check digits for a sort code and account number."""
    bban = f"{bank_code}{sort_code}{account_number}"
    digits = "".join(str(int(c, 36)) for c in bban + "GB00")
    check = 98 - int(digits) % 97
    return f"GB{check:02d}{bban}"


def iban_is_valid(iban: str) -> bool:
    text = iban.replace(" ", "").upper()
    moved = text[4:] + text[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


class Issuer:
    """Unique identifiers for one world, drawn from one seeded random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._taken: set[str] = set()
        self._drama = list(range(DRAMA_FIRST, DRAMA_FIRST + DRAMA_SIZE))
        rng.shuffle(self._drama)

    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self._taken:
                self._taken.add(value)
                return value

    # -- phones (E.164) -----------------------------------------------------------------------
    def drama_phone(self) -> str | None:
        """A number from Ofcom's drama range, while any are left."""
        while self._drama:
            value = f"+447700{self._drama.pop()}"
            if value not in self._taken:
                self._taken.add(value)
                return value
        return None

    def uk_mobile(self) -> str:
        rng = self.rng
        return self._unique(lambda: f"+44{pick(rng, UK_MOBILE_PREFIXES)}{rng.randrange(1000000):06d}")

    def foreign_mobile(self, country: str) -> str:
        rng = self.rng
        prefixes = FOREIGN_MOBILE[country]

        def make() -> str:
            prefix = pick(rng, prefixes)
            rest = 9 - len(prefix)
            return f"+{country}{prefix}{rng.randrange(10 ** rest):0{rest}d}"
        return self._unique(make)

    # -- vehicles ---------------------------------------------------------------------------------
    def vrm(self) -> str:
        """Current-format registration mark, canonical with no space: 'AB12CDE'."""
        rng = self.rng

        def make() -> str:
            year = between(rng, 2, 24)
            age = year if rng.random() < 0.5 else year + 50
            return (f"{pick(rng, VRM_AREA_FIRST)}{pick(rng, VRM_AREA_SECOND)}{age:02d}"
                    f"{''.join(pick(rng, VRM_RANDOM) for _ in range(3))}")
        return self._unique(make)

    def vehicle_model(self) -> tuple[str, str, str]:
        make, model = pick(self.rng, VEHICLES)
        return make, model, pick(self.rng, COLOURS)

    # -- accounts ---------------------------------------------------------------------------------
    def account(self) -> tuple[str, str, str, str]:
        """(bank, sort code 'dd-dd-dd', 8-digit account number, IBAN)."""
        rng = self.rng
        bank, code, prefix = pick(rng, BANKS)
        while True:
            sort = f"{prefix}{rng.randrange(10000):04d}"
            number = f"{rng.randrange(10 ** 8):08d}"
            key = f"acct:{sort}{number}"
            if key not in self._taken:
                self._taken.add(key)
                break
        return bank, f"{sort[:2]}-{sort[2:4]}-{sort[4:]}", number, iban_for(code, sort, number)

    # -- businesses, emails, documents ------------------------------------------------------------
    def company_number(self, scottish: bool) -> str:
        rng = self.rng
        if scottish:
            return self._unique(lambda: f"SC{rng.randrange(100000, 999999)}")
        return self._unique(lambda: f"{rng.randrange(1000000, 15999999):08d}")

    def email(self, given: str, family: str) -> str:
        rng = self.rng
        g = "".join(c for c in ascii_fold(given).lower() if c.isalpha()) or "user"
        f = "".join(c for c in ascii_fold(family).lower() if c.isalpha()) or "mail"

        def make() -> str:
            style = rng.randrange(4)
            local = (f"{g}.{f}", f"{g}{f}{between(rng, 1, 99)}", f"{f}.{g[:1]}{between(rng, 70, 99)}",
                     f"{g}{between(rng, 100, 9999)}")[style]
            return f"{local}@{pick(rng, EMAIL_DOMAINS)}"
        return self._unique(make)

    def document_number(self, prefix: str, national_id: bool) -> str:
        rng = self.rng
        if national_id:
            return self._unique(lambda: f"{pick(rng, string.ascii_uppercase)}{rng.randrange(10 ** 8):08d}"
                                f"{pick(rng, string.ascii_uppercase)}")
        width = max(6, 9 - len(prefix))
        return self._unique(lambda: f"{prefix}{rng.randrange(10 ** width):0{width}d}")
