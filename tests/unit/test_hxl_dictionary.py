"""Every tag of every HXL export is a dictionary hashtag with core attributes, or says why not.

The dictionary is the HXL 1.1 core schema, vendored in tests/data/hxl_dictionary/ with its
source. An attribute is accepted when the dictionary releases it (or has it in beta), when
it follows the standard's own prefix conventions (``+i_ar``: a language; ``+v_``: a
vocabulary), or when ``projections.hxl.NOT_CORE`` names it with a reason, as the README does.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from projections import distribution_hxl, donations_hxl, marhaba_hxl
from projections.hxl import NOT_CORE

DICTIONARY = Path(__file__).resolve().parents[1] / "data" / "hxl_dictionary"
README = Path(__file__).resolve().parents[2] / "README.md"
USABLE = {"Released", "Beta"}
CONVENTION = re.compile(r"^(i_[a-z]{2,3}|v_[a-z0-9_]+)$")


def sheet(name: str, key: str) -> dict[str, dict[str, str]]:
    with (DICTIONARY / f"{name}.hxl.csv").open(encoding="utf-8") as found:
        rows = list(csv.reader(found))
    tags, records = rows[0], rows[1:]
    return {row[0].lstrip("#+"): dict(zip(tags, row, strict=False)) for row in records if row}


HASHTAGS = sheet("hashtag", "#valid_tag")
ATTRIBUTES = sheet("attribute", "#valid_attribute")
EXPORTS = {
    **{f"campaign/{level}": distribution_hxl.columns(level) for level in distribution_hxl.LEVELS},
    **{f"marhaba/{level}": marhaba_hxl.columns(level) for level in marhaba_hxl.LEVELS},
    **{f"donations/{level}": donations_hxl.columns(level) for level in donations_hxl.LEVELS},
}


def test_the_vendored_dictionary_is_the_hxl_1_1_core_schema() -> None:
    assert len(HASHTAGS) == 45 and len(ATTRIBUTES) == 71
    assert ATTRIBUTES["funder"]["#status"] == "Released"
    assert "funding" not in ATTRIBUTES and "arrivals" not in ATTRIBUTES


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_every_tag_uses_the_dictionary(export: str) -> None:
    for column in EXPORTS[export]:
        hashtag, *attributes = column.tag.lstrip("#").split("+")
        assert HASHTAGS[hashtag]["#status"] in USABLE, column.tag
        for attribute in attributes:
            core = ATTRIBUTES.get(attribute, {}).get("#status") in USABLE
            assert core or CONVENTION.match(attribute) or attribute in NOT_CORE, column.tag


def test_not_core_lists_only_attributes_in_use_and_not_in_the_dictionary() -> None:
    used = {a for columns in EXPORTS.values() for c in columns for a in c.tag.split("+")[1:]}
    assert set(NOT_CORE) == used - set(ATTRIBUTES) - {a for a in used if CONVENTION.match(a)}


def test_the_readme_table_names_each_attribute_that_is_not_core() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- hxl-not-core:start -->")[1].split("<!-- hxl-not-core:end -->")[0]
    rows = [line.split("|")[1:3] for line in table.strip().splitlines()[2:]]
    assert {name.strip().strip("`+"): reason.strip() for name, reason in rows} == NOT_CORE
