"""Person names: folding, tokens, family name, phonetic keys."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from ingest.normalise import PersonName, fold, name_keys, normalise_name, phonetic

FAST = settings(max_examples=200, deadline=None)

# (written with diacritics, the same letter without): a name typed on a UK keyboard
LETTER_PAIRS = [
    ("ễ", "e"), ("ă", "a"), ("â", "a"), ("î", "i"), ("ș", "s"), ("ş", "s"), ("ț", "t"),
    ("ţ", "t"), ("ë", "e"), ("ç", "c"), ("đ", "d"), ("ł", "l"), ("ą", "a"), ("ć", "c"),
    ("ę", "e"), ("ń", "n"), ("ó", "o"), ("ś", "s"), ("ź", "z"), ("ż", "z"), ("ğ", "g"),
    ("ı", "i"), ("ö", "o"), ("ü", "u"), ("č", "c"), ("ř", "r"), ("š", "s"), ("ž", "z"),
    ("ů", "u"), ("ý", "y"), ("ñ", "n"), ("ư", "u"), ("ơ", "o"), ("ạ", "a"), ("ồ", "o"),
    ("Đ", "D"), ("Ł", "L"), ("Ș", "S"), ("Ç", "C"), ("Ö", "O"),
] + [(c, c) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"]

words = st.lists(st.sampled_from(LETTER_PAIRS), min_size=2, max_size=8)


def test_folding_covers_the_alphabets_in_the_reports():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"  # Vietnamese
    assert fold("Gëzim Çela") == "gezim cela"  # Albanian
    assert fold("Ștefan Țurcanu Ştefan Ţurcanu ăâî") == "stefan turcanu stefan turcanu aai"
    assert fold("Łukasz Wójcik-Zieliński ąćęńóśźż") == "lukasz wojcik zielinski acenoszz"
    assert fold("Işık Gökçe İnce") == "isik gokce ince"  # Turkish dotless/dotted i
    assert fold("Dvořák Růžička") == "dvorak ruzicka"  # Czech
    assert fold("Straße Æsir Øre Œuvre þór Ħal ŀl") == "strasse aesir ore oeuvre thor hal ll"
    assert fold("Олександр Шевченко") == "oleksandr shevchenko"  # Cyrillic, transliterated


def test_folding_turns_punctuation_into_single_spaces():
    assert fold("  O'Brien  ") == "o brien"
    assert fold("Mary-Jane\tSMITH,, Jr.") == "mary jane smith jr"
    assert fold("") == "" and fold("!!!") == ""


def test_family_first_and_given_first_give_the_same_tokens():
    a = normalise_name("Nguyễn Văn An")
    b = normalise_name("Van An NGUYEN")
    c = normalise_name(given_names="Văn An", family_name="Nguyễn")
    d = normalise_name("NGUYEN, Van An")
    assert a.tokens == b.tokens == c.tokens == d.tokens == ("an", "nguyen", "van")
    assert a.family == b.family == c.family == d.family == "nguyen"
    assert c.given == ("van", "an") and c.initials == "anv"
    assert name_keys(a) == name_keys(b) == name_keys(c) == name_keys(d)


def test_honorifics_go_and_initials_stay():
    n = normalise_name("Mr Nguyen V. A.")
    assert n.tokens == ("a", "nguyen", "v")
    assert n.family == "nguyen" and n.folded == "nguyen v a"
    for title in ("Mrs", "Ms", "Miss", "Dr", "Mx", "Sir", "Madam", "Mister", "Prof"):
        assert normalise_name(f"{title}. Jane Doe").tokens == ("doe", "jane")
    assert normalise_name("Mr") is None and normalise_name("  ") is None and normalise_name() is None


def test_family_name_rules():
    assert normalise_name("Van An NGUYEN").family == "nguyen"  # the one upper-case word
    assert normalise_name("Maria DE LA CRUZ").family == "de la cruz"  # one upper-case run
    assert normalise_name("JOHN SMITH").family == "smith"  # all upper case: the last word
    assert normalise_name("John Smith").family == "smith"
    assert normalise_name("Smith, John").family == "smith"
    assert normalise_name("Gezim Hoxha", family_name="Krasniqi").family == "krasniqi"
    assert normalise_name("Gezim Hoxha", family_name="Krasniqi").tokens == ("gezim", "hoxha", "krasniqi")


def test_result_is_a_frozen_record():
    n = normalise_name("Anna Popescu")
    assert isinstance(n, PersonName)
    assert n.raw == "Anna Popescu" and n.folded == "anna popescu" and n.given == ("anna",)
    try:
        n.family = "x"  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("PersonName must be frozen")


def test_keys_are_pairs_phonetic_pairs_and_single_phonetic_codes():
    keys = name_keys(normalise_name("Ion Popescu"))
    assert keys == sorted(set(keys))
    assert "nn:ion|popescu" in keys
    assert f"np:{min(phonetic('ion'), phonetic('popescu'))}|{max(phonetic('ion'), phonetic('popescu'))}" in keys
    assert "n1:" + phonetic("popescu") in keys and "n1:" + phonetic("ion") in keys
    short = sorted(["nn:ed|li", "np:" + "|".join(sorted((phonetic("ed"), phonetic("li"))))])
    assert name_keys(normalise_name("Ed Li")) == short  # no single-token key under 3 letters
    assert name_keys(None) == []


def test_spelling_variants_share_a_phonetic_key():
    assert phonetic("Mohammed") == phonetic("Muhammad") == phonetic("Mohamed")
    assert phonetic("Smith") == phonetic("Smyth")
    shared = set(name_keys(normalise_name("Mohammed Ali"))) & set(name_keys(normalise_name("Muhammad Aly")))
    assert any(k.startswith("np:") for k in shared)


@FAST
@given(st.lists(st.sampled_from(["Nguyễn", "Văn", "An", "Gëzim", "Hoxha", "Ștefan", "Łukasz",
                                 "Mary-Jane", "O'Brien", "V.", "Mr", "POPESCU"]),
                min_size=1, max_size=6), st.randoms())
def test_shuffling_the_words_changes_neither_tokens_nor_keys(ws, rnd):
    shuffled = list(ws)
    rnd.shuffle(shuffled)
    a, b = normalise_name(" ".join(ws)), normalise_name(" ".join(shuffled))
    assert (a is None) == (b is None)
    if a is not None:
        assert a.tokens == b.tokens and a.initials == b.initials
        assert name_keys(a) == name_keys(b)


@FAST
@given(st.lists(words, min_size=1, max_size=4))
def test_diacritics_do_not_change_tokens_or_keys(name_words):
    accented = " ".join("".join(a for a, _ in w) for w in name_words)
    plain = " ".join("".join(p for _, p in w) for w in name_words)
    a, b = normalise_name(accented), normalise_name(plain)
    assert (a is None) == (b is None)
    if a is not None:
        assert a.tokens == b.tokens and name_keys(a) == name_keys(b)


@FAST
@given(st.text(max_size=80), st.text(max_size=30), st.text(max_size=30))
def test_names_never_raise_and_are_idempotent(full, given_, family):
    for n in (normalise_name(full), normalise_name(given_names=given_, family_name=family),
              normalise_name(full, given_, family)):
        if n is None:
            continue
        assert n.tokens and n.tokens == tuple(sorted(set(n.tokens)))
        again = normalise_name(n.folded)
        assert again is not None and again.tokens == n.tokens and again.folded == n.folded
        assert name_keys(again) == name_keys(n)
        assert fold(n.folded) == n.folded


@FAST
@given(st.text(max_size=200))
def test_fold_is_ascii_and_idempotent(text):
    f = fold(text)
    assert f.isascii() and f == f.strip() and "  " not in f
    assert fold(f) == f
