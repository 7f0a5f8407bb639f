"""Pure normalisers, one module per value type. None of them raises on any input."""

from ingest.normalise.accounts import BankAccount, normalise_account  # noqa: F401
from ingest.normalise.addresses import (  # noqa: F401
    Address, normalise_address, normalise_postcode, postcode_area, postcode_district,
    postcode_sector,
)
from ingest.normalise.businesses import BusinessName, business_keys, normalise_business  # noqa: F401
from ingest.normalise.dates import (  # noqa: F401
    BirthDate, PartialDate, birth_years_from_age, parse_date, parse_datetime, parse_dob,
)
from ingest.normalise.emails import normalise_email  # noqa: F401
from ingest.normalise.names import PersonName, fold, name_keys, normalise_name, phonetic  # noqa: F401
from ingest.normalise.nationality import to_alpha3  # noqa: F401
from ingest.normalise.phones import Phone, normalise_phone  # noqa: F401
from ingest.normalise.text_extract import Mention, extract_mentions  # noqa: F401
from ingest.normalise.vehicles import Vrm, display_vrm, normalise_vrm  # noqa: F401
