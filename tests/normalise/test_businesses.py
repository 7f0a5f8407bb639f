"""Business names: legal forms, trading names, fingerprints and keys."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from ingest.normalise import BusinessName, business_keys, normalise_business

FAST = settings(max_examples=200, deadline=None)


def test_car_wash_variants_share_a_fingerprint():
    names = ["Sparkle Hand Car Wash Ltd", "Sparkle Handcarwash", "SPARKLE HAND CAR WASH LIMITED",
             "ABC Holdings Ltd t/a Sparkle Hand Car Wash", "ABC Ltd trading as Sparkle Hand Car Wash",
             "Sparkle Hand-Car-Wash", "sparkle hand car wash plc"]
    assert {normalise_business(n).fingerprint for n in names} == {"sparklehandcarwash"}
    assert "bf:sparklehandcarwash" in business_keys(normalise_business(names[0]))


def test_legal_forms_are_stripped_and_named():
    cases = {
        "Sparkle Hand Car Wash Ltd": ("sparkle hand car wash", "ltd"),
        "Acme Limited": ("acme", "ltd"), "Acme LLP": ("acme", "llp"), "Acme plc": ("acme", "plc"),
        "Acme Co": ("acme", "co"), "Acme Company": ("acme", "co"), "Acme & Co": ("acme", "co"),
        "Acme Inc.": ("acme", "inc"), "Acme Co. Ltd.": ("acme", "co ltd"),
        "Acme Public Limited Company": ("acme", "plc"), "Nails R Us": ("nails r us", None),
    }
    for name, (canonical, form) in cases.items():
        b = normalise_business(name)
        assert (b.canonical, b.legal_form) == (canonical, form), name


def test_trading_name_wins():
    b = normalise_business("ABC Ltd t/a Sparkle Hand Car Wash")
    assert isinstance(b, BusinessName)
    assert b.canonical == "sparkle hand car wash" and b.raw == "ABC Ltd t/a Sparkle Hand Car Wash"
    assert normalise_business("ABC Ltd T/A").canonical == "abc"  # nothing after: the name itself


def test_and_the_ampersand_and_tokens():
    a, b = normalise_business("Smith & Sons Ltd"), normalise_business("The Smith and Sons")
    assert a.fingerprint == b.fingerprint == "smithsons"
    assert a.tokens == ("smith", "sons")
    for nothing in ("", "!!", None, "t/a", "trading as"):
        assert normalise_business(nothing) is None


def test_keys_pair_the_distinctive_words():
    assert business_keys(normalise_business("Sparkle Hand Car Wash Ltd")) == ["bf:sparklehandcarwash", "bt:sparkle"]
    assert business_keys(normalise_business("Golden Lotus Nail Bar")) == ["bf:goldenlotusnailbar", "bt:golden|lotus"]
    assert business_keys(normalise_business("Nail Bar")) == ["bf:nailbar"]  # only trade words
    assert business_keys(None) == []


@FAST
@given(st.lists(st.sampled_from(["Sparkle", "Hand", "Car", "Wash", "&", "and", "The", "Ltd", "Co",
                                 "t/a", "Limited", "Nails", "Lotus", "trading as", "PLC"]),
                min_size=1, max_size=8))
def test_business_like_names_are_idempotent(words):
    b = normalise_business(" ".join(words))
    if b is None:  # nothing but "t/a" and "trading as"
        assert all(w in ("t/a", "trading as") for w in words)
        return
    again = normalise_business(b.canonical)
    assert again.canonical == b.canonical and again.fingerprint == b.fingerprint
    assert business_keys(again) == business_keys(b)


@FAST
@given(st.text(max_size=80))
def test_businesses_never_raise_and_are_idempotent(text):
    b = normalise_business(text)
    if b is not None:
        again = normalise_business(b.canonical)
        assert again is not None and again.canonical == b.canonical
        assert again.fingerprint == b.fingerprint and " " not in b.fingerprint
        assert business_keys(b) == sorted(set(business_keys(b)))
