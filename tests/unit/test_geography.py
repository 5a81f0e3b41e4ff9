"""Tests for domain.geography: Morocco's 12 regions and 75 prefectures/provinces."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from domain.errors import UnknownPlaceError
from domain.geography import (
    PROVINCES,
    PYCOUNTRY_PARENT_CORRECTIONS,
    REGIONS,
    Province,
    Region,
    check_province,
    check_region,
    name,
    provinces_of,
)

# Decree 2-15-40 (2015): number of prefectures/provinces per region.
OFFICIAL_COUNTS = {
    "MA-01": 8,  # Tanger-Tétouan-Al Hoceïma
    "MA-02": 8,  # L'Oriental
    "MA-03": 9,  # Fès-Meknès
    "MA-04": 7,  # Rabat-Salé-Kénitra
    "MA-05": 5,  # Béni Mellal-Khénifra
    "MA-06": 9,  # Casablanca-Settat
    "MA-07": 8,  # Marrakech-Safi
    "MA-08": 5,  # Drâa-Tafilalet
    "MA-09": 6,  # Souss-Massa
    "MA-10": 4,  # Guelmim-Oued Noun
    "MA-11": 4,  # Laâyoune-Sakia El Hamra
    "MA-12": 2,  # Dakhla-Oued Ed-Dahab
}

# The 13 prefectures of the decree; the other 62 are provinces.
PREFECTURES = {
    "MA-AGD", "MA-CAS", "MA-FES", "MA-INE", "MA-MAR", "MA-MDF", "MA-MEK",
    "MA-MOH", "MA-OUJ", "MA-RAB", "MA-SAL", "MA-SKH", "MA-TNG",
}  # fmt: skip

ALL_PLACES: list[Region | Province] = [*REGIONS.values(), *PROVINCES.values()]


def test_twelve_regions_in_code_order() -> None:
    assert len(REGIONS) == 12
    assert list(REGIONS) == [f"MA-{n:02d}" for n in range(1, 13)]
    assert all(code == region.code for code, region in REGIONS.items())


def test_seventy_five_provinces_sorted_by_code() -> None:
    assert len(PROVINCES) == 75
    assert list(PROVINCES) == sorted(PROVINCES)
    assert all(code == province.code for code, province in PROVINCES.items())
    assert all(re.fullmatch(r"MA-[A-Z]{3}", code) for code in PROVINCES)


def test_counts_per_region_match_the_decree() -> None:
    counts = Counter(p.region_code for p in PROVINCES.values())
    assert dict(counts) == OFFICIAL_COUNTS
    assert sum(OFFICIAL_COUNTS.values()) == 75
    for region, expected in OFFICIAL_COUNTS.items():
        assert len(provinces_of(region)) == expected


def test_every_province_belongs_to_a_known_region() -> None:
    assert all(p.region_code in REGIONS for p in PROVINCES.values())


def test_prefectures_and_provinces() -> None:
    assert {p.kind for p in PROVINCES.values()} == {"prefecture", "province"}
    assert {c for c, p in PROVINCES.items() if p.kind == "prefecture"} == PREFECTURES


def test_corrected_parents() -> None:
    assert PROVINCES["MA-CHT"].region_code == "MA-09"  # Souss-Massa
    assert PROVINCES["MA-NOU"].region_code == "MA-06"  # Casablanca-Settat


def test_some_well_known_parents() -> None:
    assert PROVINCES["MA-CAS"].region_code == "MA-06"
    assert PROVINCES["MA-RAB"].region_code == "MA-04"
    assert PROVINCES["MA-AGD"].region_code == "MA-09"
    assert PROVINCES["MA-TNG"].region_code == "MA-01"


@pytest.mark.parametrize("place", ALL_PLACES, ids=lambda p: p.code)
def test_names_are_filled_and_clean(place: Region | Province) -> None:
    for text in (place.name_ar, place.name_fr, place.name_en):
        assert text.strip() == text != ""
        assert "EH" not in text.split()[-1]  # no ISO "(EH)" remark left


def _is_arabic_letter(char: str) -> bool:
    return unicodedata.name(char, "").startswith("ARABIC")


@pytest.mark.parametrize("place", ALL_PLACES, ids=lambda p: p.code)
def test_arabic_names_are_in_arabic_script(place: Region | Province) -> None:
    assert any(_is_arabic_letter(c) for c in place.name_ar)
    assert all(_is_arabic_letter(c) or c in " -" for c in place.name_ar), place.name_ar


@pytest.mark.parametrize("place", ALL_PLACES, ids=lambda p: p.code)
def test_french_and_english_names_are_latin(place: Region | Province) -> None:
    for text in (place.name_fr, place.name_en):
        assert not any(_is_arabic_letter(c) for c in text)


def test_names_are_unique_per_language() -> None:
    for lang in ("ar", "fr", "en"):
        names = [name(p, lang) for p in PROVINCES.values()]
        assert len(set(names)) == len(names), lang
        region_names = [name(r, lang) for r in REGIONS.values()]
        assert len(set(region_names)) == len(region_names), lang


def test_check_province_returns_the_province() -> None:
    assert check_province("MA-CAS") is PROVINCES["MA-CAS"]
    assert check_province("MA-CAS").name_fr == "Casablanca"


def test_check_province_accepts_lower_case_and_spaces() -> None:
    assert check_province("ma-cas") is PROVINCES["MA-CAS"]
    assert check_province("  Ma-Nou \n") is PROVINCES["MA-NOU"]


def test_unknown_province_is_rejected_with_every_valid_code() -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        check_province("XYZ")
    error = caught.value
    assert error.field == "province"
    assert error.reason.startswith("unknown province 'XYZ'; valid codes: MA-AGD, MA-AOU, ")
    assert error.reason.endswith(", ".join(PROVINCES))
    assert all(code in error.reason for code in PROVINCES)


def test_unknown_province_names_the_given_field() -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        check_province("MA-01", field="items.3.province")  # a region, not a province
    assert caught.value.field == "items.3.province"
    assert caught.value.status == 422


def test_unknown_province_does_not_echo_long_input() -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        check_province("x" * 500)
    assert "x" * 21 not in caught.value.reason


def test_check_region() -> None:
    assert check_region("MA-06") is REGIONS["MA-06"]
    assert check_region(" ma-09 ") is REGIONS["MA-09"]
    with pytest.raises(UnknownPlaceError) as caught:
        check_region("MA-13")
    assert caught.value.field == "region"
    assert caught.value.reason == "unknown region 'MA-13'; valid codes: " + ", ".join(REGIONS)
    with pytest.raises(UnknownPlaceError) as caught:
        check_region("MA-CAS", field="home.region")
    assert caught.value.field == "home.region"


def test_provinces_of() -> None:
    souss = provinces_of("ma-09")
    assert [p.code for p in souss] == ["MA-AGD", "MA-CHT", "MA-INE", "MA-TAR", "MA-TAT", "MA-TIZ"]
    assert [p.code for p in provinces_of("MA-12")] == ["MA-AOU", "MA-OUD"]
    assert "MA-NOU" in {p.code for p in provinces_of("MA-06")}
    assert "MA-NOU" not in {p.code for p in provinces_of("MA-04")}
    with pytest.raises(UnknownPlaceError):
        provinces_of("MA-99")


def test_name() -> None:
    casa = PROVINCES["MA-CAS"]
    assert name(casa, "ar") == "الدار البيضاء"
    assert name(casa, "fr") == "Casablanca"
    assert name(casa, "en") == "Casablanca"
    assert name(REGIONS["MA-03"], "en") == "Fez-Meknes"
    with pytest.raises(ValueError):
        name(casa, "de")
    with pytest.raises(ValueError):
        name(casa, "FR")


def test_data_is_read_only() -> None:
    with pytest.raises(TypeError):
        PROVINCES["MA-XXX"] = PROVINCES["MA-CAS"]  # type: ignore[index]
    with pytest.raises(TypeError):
        REGIONS["MA-13"] = REGIONS["MA-01"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        PROVINCES["MA-CAS"].region_code = "MA-04"  # type: ignore[misc]


def test_module_does_not_import_pycountry() -> None:
    import domain.geography as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+pycountry", source, re.MULTILINE)


def _without_iso_remark(iso_name: str) -> str:
    return re.sub(r" \(EH(-partial)?\)$", "", iso_name)


def test_matches_pycountry_except_documented_corrections() -> None:
    pycountry = pytest.importorskip("pycountry")
    iso = {s.code: s for s in pycountry.subdivisions if s.country_code == "MA"}
    iso_regions = {c for c, s in iso.items() if s.type == "Region"}
    iso_provinces = {c for c, s in iso.items() if s.type != "Region"}

    assert len(iso) == 87
    assert iso_regions == set(REGIONS)
    assert iso_provinces == set(PROVINCES)

    for code, region in REGIONS.items():
        assert region.name_fr == _without_iso_remark(iso[code].name)
    for code, province in PROVINCES.items():
        assert province.name_fr == _without_iso_remark(iso[code].name)
        assert province.kind == iso[code].type.lower()

    differences = {
        code: (iso[code].parent_code, p.region_code)
        for code, p in PROVINCES.items()
        if iso[code].parent_code != p.region_code
    }
    # Every difference is a documented correction (if pycountry fixes one
    # upstream it simply stops being a difference).
    assert set(differences) <= set(PYCOUNTRY_PARENT_CORRECTIONS)
    for code, difference in differences.items():
        assert difference == PYCOUNTRY_PARENT_CORRECTIONS[code]
    for code, (_, ours) in PYCOUNTRY_PARENT_CORRECTIONS.items():
        assert PROVINCES[code].region_code == ours
