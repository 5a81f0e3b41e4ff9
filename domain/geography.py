"""Reference geography of Morocco: the 12 regions and 75 prefectures/provinces.

Source
------
The administrative division is the one fixed by decree n° 2-15-40 of
20 February 2015 (Bulletin officiel n° 6340, 5 March 2015): 12 regions made of
75 prefectures and provinces (13 prefectures, 62 provinces).

Codes, kinds and French names come from ISO 3166-2:MA as shipped by the
``pycountry`` package (26.2.16), with two kinds of change:

* French names drop ISO's "(EH)" / "(EH-partial)" suffix.  It is an ISO
  remark about the status of Western Sahara, not part of any place's name,
  and would otherwise show up on receipts and reports.  Spellings are
  otherwise ISO's (e.g. "Mohammadia", "Chtouka-Ait Baha", "Taroudannt").
* Two parent regions are corrected (see ``PYCOUNTRY_PARENT_CORRECTIONS``
  and the comment above it).  Every other parent was checked against the
  decree and per-region counts match it.

Arabic names are the official Arabic names, without the "جهة" / "عمالة" /
"إقليم" prefix; English names use the usual English exonyms (Fez,
Marrakesh, Tangier).

The data is embedded as literals: this module is part of the pure domain and
imports the standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from domain.errors import UnknownPlaceError

__all__ = [
    "LANGUAGES",
    "PROVINCES",
    "PYCOUNTRY_PARENT_CORRECTIONS",
    "REGIONS",
    "Province",
    "Region",
    "check_province",
    "check_region",
    "name",
    "provinces_of",
]

PREFECTURE: Final = "prefecture"
PROVINCE: Final = "province"
LANGUAGES: Final = ("ar", "fr", "en")


@dataclass(frozen=True, slots=True)
class Region:
    """One of the 12 regions (ISO 3166-2:MA ``MA-01`` .. ``MA-12``)."""

    code: str
    name_ar: str
    name_fr: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Province:
    """A prefecture or province (ISO 3166-2:MA three-letter code)."""

    code: str
    kind: str  # PREFECTURE or PROVINCE
    region_code: str
    name_ar: str
    name_fr: str
    name_en: str


# (code, name_ar, name_fr, name_en)
_REGION_ROWS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("MA-01", "طنجة - تطوان - الحسيمة", "Tanger-Tétouan-Al Hoceïma", "Tanger-Tetouan-Al Hoceima"),
    ("MA-02", "الشرق", "L'Oriental", "Oriental"),
    ("MA-03", "فاس - مكناس", "Fès-Meknès", "Fez-Meknes"),
    ("MA-04", "الرباط - سلا - القنيطرة", "Rabat-Salé-Kénitra", "Rabat-Sale-Kenitra"),
    ("MA-05", "بني ملال - خنيفرة", "Béni Mellal-Khénifra", "Beni Mellal-Khenifra"),
    ("MA-06", "الدار البيضاء - سطات", "Casablanca-Settat", "Casablanca-Settat"),
    ("MA-07", "مراكش - آسفي", "Marrakech-Safi", "Marrakesh-Safi"),
    ("MA-08", "درعة - تافيلالت", "Drâa-Tafilalet", "Draa-Tafilalet"),
    ("MA-09", "سوس - ماسة", "Souss-Massa", "Souss-Massa"),
    ("MA-10", "كلميم - واد نون", "Guelmim-Oued Noun", "Guelmim-Oued Noun"),
    ("MA-11", "العيون - الساقية الحمراء", "Laâyoune-Sakia El Hamra", "Laayoune-Sakia El Hamra"),
    ("MA-12", "الداخلة - وادي الذهب", "Dakhla-Oued Ed-Dahab", "Dakhla-Oued Ed-Dahab"),
)

# Parent regions corrected from pycountry's ISO 3166-2:MA data.  pycountry
# gives each of these a region that decree 2-15-40 does not put it in, which
# would file aid delivered there under the wrong region (and the wrong
# regional partners and reports):
#
# * MA-CHT Chtouka-Aït Baha: pycountry says MA-06 Casablanca-Settat.  The
#   decree lists it in Souss-Massa (MA-09), with Agadir-Ida-Ou-Tanane,
#   Inezgane-Aït Melloul, Taroudannt, Tiznit and Tata; it lies just south of
#   Agadir, separated from Casablanca-Settat by the whole of Marrakech-Safi,
#   and was already in the old Souss-Massa-Drâa region.  With it Souss-Massa
#   has the decree's 6 prefectures/provinces instead of 5.
# * MA-NOU Nouaceur: pycountry says MA-04 Rabat-Salé-Kénitra.  The decree
#   lists it in Casablanca-Settat (MA-06); it is the province of Casablanca's
#   airport (Mohammed V), was part of the old Grand Casablanca region, and
#   does not border Rabat-Salé-Kénitra.  Moving it gives Rabat-Salé-Kénitra
#   its 7 members (not 8) and Casablanca-Settat its 9.
#
# Keyed by code: (pycountry's parent, parent per the decree).
PYCOUNTRY_PARENT_CORRECTIONS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "MA-CHT": ("MA-06", "MA-09"),
        "MA-NOU": ("MA-04", "MA-06"),
    }
)

# (code, kind, region_code, name_ar, name_fr, name_en), sorted by code.
_PROVINCE_ROWS: Final[tuple[tuple[str, str, str, str, str, str], ...]] = (
    (
        "MA-AGD",
        PREFECTURE,
        "MA-09",
        "أكادير إداوتنان",
        "Agadir-Ida-Ou-Tanane",
        "Agadir-Ida Ou Tanane",
    ),
    ("MA-AOU", PROVINCE, "MA-12", "أوسرد", "Aousserd", "Aousserd"),
    ("MA-ASZ", PROVINCE, "MA-10", "آسا الزاك", "Assa-Zag", "Assa-Zag"),
    ("MA-AZI", PROVINCE, "MA-05", "أزيلال", "Azilal", "Azilal"),
    ("MA-BEM", PROVINCE, "MA-05", "بني ملال", "Béni Mellal", "Beni Mellal"),
    ("MA-BER", PROVINCE, "MA-02", "بركان", "Berkane", "Berkane"),
    ("MA-BES", PROVINCE, "MA-06", "بنسليمان", "Benslimane", "Benslimane"),
    ("MA-BOD", PROVINCE, "MA-11", "بوجدور", "Boujdour", "Boujdour"),
    ("MA-BOM", PROVINCE, "MA-03", "بولمان", "Boulemane", "Boulemane"),
    ("MA-BRR", PROVINCE, "MA-06", "برشيد", "Berrechid", "Berrechid"),
    ("MA-CAS", PREFECTURE, "MA-06", "الدار البيضاء", "Casablanca", "Casablanca"),
    ("MA-CHE", PROVINCE, "MA-01", "شفشاون", "Chefchaouen", "Chefchaouen"),
    ("MA-CHI", PROVINCE, "MA-07", "شيشاوة", "Chichaoua", "Chichaoua"),
    ("MA-CHT", PROVINCE, "MA-09", "اشتوكة أيت باها", "Chtouka-Ait Baha", "Chtouka-Ait Baha"),
    ("MA-DRI", PROVINCE, "MA-02", "الدريوش", "Driouch", "Driouch"),
    ("MA-ERR", PROVINCE, "MA-08", "الرشيدية", "Errachidia", "Errachidia"),
    ("MA-ESI", PROVINCE, "MA-07", "الصويرة", "Essaouira", "Essaouira"),
    ("MA-ESM", PROVINCE, "MA-11", "السمارة", "Es-Semara", "Smara"),
    ("MA-FAH", PROVINCE, "MA-01", "الفحص أنجرة", "Fahs-Anjra", "Fahs-Anjra"),
    ("MA-FES", PREFECTURE, "MA-03", "فاس", "Fès", "Fez"),
    ("MA-FIG", PROVINCE, "MA-02", "فجيج", "Figuig", "Figuig"),
    ("MA-FQH", PROVINCE, "MA-05", "الفقيه بن صالح", "Fquih Ben Salah", "Fquih Ben Salah"),
    ("MA-GUE", PROVINCE, "MA-10", "كلميم", "Guelmim", "Guelmim"),
    ("MA-GUF", PROVINCE, "MA-02", "جرسيف", "Guercif", "Guercif"),
    ("MA-HAJ", PROVINCE, "MA-03", "الحاجب", "El Hajeb", "El Hajeb"),
    ("MA-HAO", PROVINCE, "MA-07", "الحوز", "Al Haouz", "Al Haouz"),
    ("MA-HOC", PROVINCE, "MA-01", "الحسيمة", "Al Hoceïma", "Al Hoceima"),
    ("MA-IFR", PROVINCE, "MA-03", "إفران", "Ifrane", "Ifrane"),
    (
        "MA-INE",
        PREFECTURE,
        "MA-09",
        "إنزكان أيت ملول",
        "Inezgane-Ait Melloul",
        "Inezgane-Ait Melloul",
    ),
    ("MA-JDI", PROVINCE, "MA-06", "الجديدة", "El Jadida", "El Jadida"),
    ("MA-JRA", PROVINCE, "MA-02", "جرادة", "Jerada", "Jerada"),
    ("MA-KEN", PROVINCE, "MA-04", "القنيطرة", "Kénitra", "Kenitra"),
    ("MA-KES", PROVINCE, "MA-07", "قلعة السراغنة", "El Kelâa des Sraghna", "El Kelaa des Sraghna"),
    ("MA-KHE", PROVINCE, "MA-04", "الخميسات", "Khémisset", "Khemisset"),
    ("MA-KHN", PROVINCE, "MA-05", "خنيفرة", "Khénifra", "Khenifra"),
    ("MA-KHO", PROVINCE, "MA-05", "خريبكة", "Khouribga", "Khouribga"),
    ("MA-LAA", PROVINCE, "MA-11", "العيون", "Laâyoune", "Laayoune"),
    ("MA-LAR", PROVINCE, "MA-01", "العرائش", "Larache", "Larache"),
    ("MA-MAR", PREFECTURE, "MA-07", "مراكش", "Marrakech", "Marrakesh"),
    ("MA-MDF", PREFECTURE, "MA-01", "المضيق الفنيدق", "M\u2019diq-Fnideq", "M'diq-Fnideq"),
    ("MA-MED", PROVINCE, "MA-06", "مديونة", "Médiouna", "Mediouna"),
    ("MA-MEK", PREFECTURE, "MA-03", "مكناس", "Meknès", "Meknes"),
    ("MA-MID", PROVINCE, "MA-08", "ميدلت", "Midelt", "Midelt"),
    ("MA-MOH", PREFECTURE, "MA-06", "المحمدية", "Mohammadia", "Mohammedia"),
    ("MA-MOU", PROVINCE, "MA-03", "مولاي يعقوب", "Moulay Yacoub", "Moulay Yacoub"),
    ("MA-NAD", PROVINCE, "MA-02", "الناظور", "Nador", "Nador"),
    ("MA-NOU", PROVINCE, "MA-06", "النواصر", "Nouaceur", "Nouaceur"),
    ("MA-OUA", PROVINCE, "MA-08", "ورزازات", "Ouarzazate", "Ouarzazate"),
    ("MA-OUD", PROVINCE, "MA-12", "وادي الذهب", "Oued Ed-Dahab", "Oued Ed-Dahab"),
    ("MA-OUJ", PREFECTURE, "MA-02", "وجدة أنكاد", "Oujda-Angad", "Oujda-Angad"),
    ("MA-OUZ", PROVINCE, "MA-01", "وزان", "Ouezzane", "Ouezzane"),
    ("MA-RAB", PREFECTURE, "MA-04", "الرباط", "Rabat", "Rabat"),
    ("MA-REH", PROVINCE, "MA-07", "الرحامنة", "Rehamna", "Rehamna"),
    ("MA-SAF", PROVINCE, "MA-07", "آسفي", "Safi", "Safi"),
    ("MA-SAL", PREFECTURE, "MA-04", "سلا", "Salé", "Sale"),
    ("MA-SEF", PROVINCE, "MA-03", "صفرو", "Sefrou", "Sefrou"),
    ("MA-SET", PROVINCE, "MA-06", "سطات", "Settat", "Settat"),
    ("MA-SIB", PROVINCE, "MA-06", "سيدي بنور", "Sidi Bennour", "Sidi Bennour"),
    ("MA-SIF", PROVINCE, "MA-10", "سيدي إفني", "Sidi Ifni", "Sidi Ifni"),
    ("MA-SIK", PROVINCE, "MA-04", "سيدي قاسم", "Sidi Kacem", "Sidi Kacem"),
    ("MA-SIL", PROVINCE, "MA-04", "سيدي سليمان", "Sidi Slimane", "Sidi Slimane"),
    ("MA-SKH", PREFECTURE, "MA-04", "الصخيرات تمارة", "Skhirate-Témara", "Skhirate-Temara"),
    ("MA-TAF", PROVINCE, "MA-11", "طرفاية", "Tarfaya", "Tarfaya"),
    ("MA-TAI", PROVINCE, "MA-02", "تاوريرت", "Taourirt", "Taourirt"),
    ("MA-TAO", PROVINCE, "MA-03", "تاونات", "Taounate", "Taounate"),
    ("MA-TAR", PROVINCE, "MA-09", "تارودانت", "Taroudannt", "Taroudant"),
    ("MA-TAT", PROVINCE, "MA-09", "طاطا", "Tata", "Tata"),
    ("MA-TAZ", PROVINCE, "MA-03", "تازة", "Taza", "Taza"),
    ("MA-TET", PROVINCE, "MA-01", "تطوان", "Tétouan", "Tetouan"),
    ("MA-TIN", PROVINCE, "MA-08", "تنغير", "Tinghir", "Tinghir"),
    ("MA-TIZ", PROVINCE, "MA-09", "تيزنيت", "Tiznit", "Tiznit"),
    ("MA-TNG", PREFECTURE, "MA-01", "طنجة أصيلة", "Tanger-Assilah", "Tangier-Assilah"),
    ("MA-TNT", PROVINCE, "MA-10", "طانطان", "Tan-Tan", "Tan-Tan"),
    ("MA-YUS", PROVINCE, "MA-07", "اليوسفية", "Youssoufia", "Youssoufia"),
    ("MA-ZAG", PROVINCE, "MA-08", "زاكورة", "Zagora", "Zagora"),
)

REGIONS: Final[Mapping[str, Region]] = MappingProxyType(
    {row[0]: Region(*row) for row in sorted(_REGION_ROWS)}
)
PROVINCES: Final[Mapping[str, Province]] = MappingProxyType(
    {row[0]: Province(*row) for row in sorted(_PROVINCE_ROWS)}
)
_PROVINCES_BY_REGION: Final[Mapping[str, tuple[Province, ...]]] = MappingProxyType(
    {region: tuple(p for p in PROVINCES.values() if p.region_code == region) for region in REGIONS}
)

_MAX_SHOWN = 20  # an echoed bad code is cut to this length in error reasons


def _normalise(code: str) -> str:
    return code.strip().upper()


def _shown(code: str) -> str:
    cut = code if len(code) <= _MAX_SHOWN else code[:_MAX_SHOWN] + "…"
    return repr(cut)


def check_province(code: str, field: str = "province") -> Province:
    """Return the prefecture/province with ISO code ``code`` (case and spaces ignored).

    Raises ``UnknownPlaceError`` (naming ``field`` and every valid code) otherwise.
    """
    found = PROVINCES.get(_normalise(code))
    if found is None:
        raise UnknownPlaceError(
            f"unknown province {_shown(code)}; valid codes: {', '.join(PROVINCES)}",
            field=field,
        )
    return found


def check_region(code: str, field: str = "region") -> Region:
    """Return the region with ISO code ``code`` (case and spaces ignored).

    Raises ``UnknownPlaceError`` (naming ``field`` and every valid code) otherwise.
    """
    found = REGIONS.get(_normalise(code))
    if found is None:
        raise UnknownPlaceError(
            f"unknown region {_shown(code)}; valid codes: {', '.join(REGIONS)}",
            field=field,
        )
    return found


def provinces_of(region_code: str) -> tuple[Province, ...]:
    """The prefectures and provinces of a region, sorted by code.

    Raises ``UnknownPlaceError`` if ``region_code`` is not a region code.
    """
    return _PROVINCES_BY_REGION[check_region(region_code).code]


def name(place: Region | Province, lang: str) -> str:
    """The name of ``place`` in ``lang`` ("ar", "fr" or "en"); ``ValueError`` otherwise."""
    if lang == "ar":
        return place.name_ar
    if lang == "fr":
        return place.name_fr
    if lang == "en":
        return place.name_en
    raise ValueError(f"unsupported language {lang!r}; expected one of: {', '.join(LANGUAGES)}")
