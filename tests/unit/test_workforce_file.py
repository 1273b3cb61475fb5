"""The pure workforce-file reader: CSV/XLSX, person-level and aggregate files, normalisation and bad files."""

from __future__ import annotations

import csv
import io
import time
from collections import Counter

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from planner import workforce_file
from planner.framework import framework, names
from planner.workforce_file import (
    DIMENSIONS,
    MAX_BYTES,
    WHOLE,
    Recoding,
    WorkforceFileError,
    WorkforceImport,
    _csv_source,
    band_key,
    disability,
    ethnic_group,
    ethnicity,
    gender,
    read_workforce_file,
    staff_group,
)

BAND_TIERS = {item["band"]: item["tier"] for item in framework()["band_mapping"]}
TIER_NAMES = names("tiers")
LEADERS = ("board", "executive", "senior", "middle", "first_line")
SECRET_NAME = "Zelda Quux-Marsh"
SECRET_EMAIL = "zelda.quux@example.org"
SECRET_NUMBER = "99887766"


def read(data: bytes | str, filename: str = "staff.csv", **options: object) -> WorkforceImport:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_workforce_file(raw, filename, BAND_TIERS, TIER_NAMES, **options)  # type: ignore[arg-type]


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    """CSV as Excel writes it (with newline "\r\n" every value holding a \r or \n is quoted)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts_of(result: WorkforceImport, dimension: str, tier: str = WHOLE) -> dict[str, int]:
    frame = result.counts
    rows = frame[(frame["dimension"] == dimension) & (frame["tier_key"] == tier)]
    return dict(zip(rows["category"], rows["count"], strict=True))


def refusal(data: bytes | str, filename: str = "staff.csv") -> str:
    with pytest.raises(WorkforceFileError) as caught:
        read(data, filename)
    return str(caught.value)


# --- bands and headers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Band 8 - Range A", "band 8a"),
        ("Band 8A", "band 8a"),
        ("8a", "band 8a"),
        ("AfC Band 8a", "band 8a"),
        ("band 8a ", "band 8a"),
        ("BAND 8 RANGE A", "band 8a"),
        ("Band 8-A", "band 8a"),
        ("Band 8 - Range D", "band 8d"),
        ("Band 7", "band 7"),
        ("7", "band 7"),
        ("Agenda for Change Band 5", "band 5"),
        ("Band 9", "band 9"),
        ("Non-Executive Director", "non executive director"),
        ("  VSM ", "vsm"),
        ("Specialty Doctor", "specialty doctor"),
        ("", ""),
    ],
)
def test_band_key_gives_one_spelling_per_band(text: str, key: str) -> None:
    assert band_key(text) == key


@pytest.mark.parametrize(
    ("band", "tier"),
    [
        ("Band 8 - Range A", "middle"),
        ("Band 8A", "middle"),
        ("8a", "middle"),
        ("AfC Band 8a", "middle"),
        ("band 8a", "middle"),
        ("Band 8 - Range B", "middle"),
        ("Band 8C", "senior"),
        ("Band 8 - Range D", "senior"),
        ("Band 9", "senior"),
        ("Consultant", "senior"),
        ("Band 7", "first_line"),
        ("7", "first_line"),
        ("Specialty Doctor", "first_line"),
        ("VSM", "executive"),
        ("Executive Director", "executive"),
        ("Chair", "board"),
        ("Band 5", WHOLE),
        ("Band 1", WHOLE),
        ("Students", WHOLE),
        ("", WHOLE),
    ],
)
def test_bands_map_to_tiers_in_any_spelling(band: str, tier: str) -> None:
    result = read(csv_text([["Pay Band", "Gender"], [band, "Female"], ["Band 3", "Male"]]))

    expected = dict.fromkeys(LEADERS, 0) | {WHOLE: 2}
    if tier != WHOLE:
        expected[tier] = 1
    assert result.rows_per_tier == expected
    if tier != WHOLE:
        assert counts_of(result, "gender", tier) == {"Female": 1}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Tier", "tier"),
        ("LEADERSHIP TIER", "tier"),
        ("Band", "band"),
        ("Pay Band", "band"),
        ("pay_band", "band"),
        (" Pay-Band ", "band"),
        ("Grade", "band"),
        ("AfC Band", "band"),
        ("AFC_BAND", "band"),
    ],
)
def test_tier_and_band_header_aliases_are_recognised(header: str, field: str) -> None:
    value = "Board" if field == "tier" else "Band 8 - Range C"
    result = read(csv_text([["Employee Number", header, "Gender"], ["1", value, "F"]]))

    assert result.rows_per_tier["board" if field == "tier" else "senior"] == 1
    assert result.ignored_columns == ["Employee Number"]


@pytest.mark.parametrize(
    ("header", "dimensions", "value"),
    [
        ("Staff Group", ("staff_group",), "Medical and Dental"),
        ("Professional Group", ("staff_group",), "Medical and Dental"),
        ("occupation group", ("staff_group",), "Medical and Dental"),
        ("Gender", ("gender",), "F"),
        ("SEX", ("gender",), "F"),
        ("Ethnicity", ("ethnicity", "ethnic_group"), "A White - British"),
        ("Ethnic Origin", ("ethnicity", "ethnic_group"), "A White - British"),
        ("Ethnic_Group", ("ethnicity", "ethnic_group"), "A White - British"),
        ("Disability", ("disability",), "Yes"),
        ("Disabled", ("disability",), "Yes"),
        ("Disability Status", ("disability",), "Yes"),
        ("Age Band", ("age_band",), "35-44"),
        ("age-group", ("age_band",), "35-44"),
    ],
)
def test_dimension_header_aliases_are_recognised(header: str, dimensions: tuple[str, ...], value: str) -> None:
    result = read(csv_text([["Pay Band", header, "Job Title"], ["Band 7", value, "Ward Sister"]]))

    assert set(result.counts["dimension"]) == set(dimensions)
    assert result.ignored_columns == ["Job Title"]
    for dimension in dimensions:
        assert sum(counts_of(result, dimension, "first_line").values()) == 1


# --- normalisation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "white_bme", "group"),
    [
        ("A White - British", "White", "White"),
        ("B White - Irish", "White", "White"),
        ("C White - Any other White background", "White", "White"),
        ("D Mixed - White & Black Caribbean", "BME", "Mixed"),
        ("E Mixed - White & Black African", "BME", "Mixed"),
        ("F Mixed - White & Asian", "BME", "Mixed"),
        ("G Mixed - Any other mixed background", "BME", "Mixed"),
        ("H Asian or Asian British - Indian", "BME", "Asian"),
        ("J Asian or Asian British - Pakistani", "BME", "Asian"),
        ("K Asian or Asian British - Bangladeshi", "BME", "Asian"),
        ("L Asian or Asian British - Any other Asian background", "BME", "Asian"),
        ("M Black or Black British - Caribbean", "BME", "Black"),
        ("N Black or Black British - African", "BME", "Black"),
        ("P Black or Black British - Any other Black background", "BME", "Black"),
        ("R Chinese", "BME", "Asian"),
        ("S Any other ethnic group", "BME", "Other"),
        ("Z Not Stated", "Not stated", "Not stated"),
        ("White British", "White", "White"),
        ("white", "White", "White"),
        ("Gypsy or Irish Traveller", "White", "White"),
        ("Roma", "White", "White"),
        ("Asian", "BME", "Asian"),
        ("Black African", "BME", "Black"),
        ("Mixed", "BME", "Mixed"),
        ("White and Black Caribbean", "BME", "Mixed"),
        ("Chinese", "BME", "Asian"),
        ("Arab", "BME", "Other"),
        ("Other", "BME", "Other"),
        ("", "Not stated", "Not stated"),
        ("   ", "Not stated", "Not stated"),
        ("Not stated", "Not stated", "Not stated"),
        ("Not known", "Not stated", "Not stated"),
        ("Prefer not to say", "Not stated", "Not stated"),
        ("Unknown", "Not stated", "Not stated"),
        ("I do not wish to disclose my ethnic origin", "Not stated", "Not stated"),
        ("Not Stated (Person asked but declined to provide a response)", "Not stated", "Not stated"),
        ("A", "White", "White"),
        ("H", "BME", "Asian"),
        ("Z", "Not stated", "Not stated"),
    ],
)
def test_ethnicity_normalises_to_white_bme_not_stated_keeping_groups(value: str, white_bme: str, group: str) -> None:
    assert (ethnicity(value), ethnic_group(value)) == (white_bme, group)


def test_an_unplaceable_stated_ethnicity_is_bme_other_and_reported() -> None:
    result = read(csv_text([["Band", "Ethnicity"], ["Band 7", "Martian"], ["Band 7", "Martian"], ["Band 7", "White"]]))

    assert (ethnicity("Martian"), ethnic_group("Martian")) == ("BME", None)
    assert counts_of(result, "ethnic_group", "first_line") == {"Other": 2, "White": 1}
    assert counts_of(result, "ethnicity", "first_line") == {"BME": 2, "White": 1}
    assert Recoding("ethnicity", "Martian", "BME (Other)", 2) in result.recoded


@pytest.mark.parametrize(
    ("value", "group"),
    [
        ("Medical and Dental", "Medical and dental"),
        ("MEDICAL AND DENTAL", "Medical and dental"),
        ("Nursing and Midwifery Registered", "Other clinical"),
        ("Allied Health Professionals", "Other clinical"),
        ("Additional Clinical Services", "Other clinical"),
        ("Add Prof Scientific and Technic", "Other clinical"),
        ("Additional Professional Scientific and Technical", "Other clinical"),
        ("Healthcare Scientists", "Other clinical"),
        ("Students", "Other clinical"),
        ("Administrative and Clerical", "Non-clinical"),
        ("Estates and Ancillary", "Non-clinical"),
        ("Medical and dental", "Medical and dental"),
        ("Other clinical", "Other clinical"),
        ("Non-clinical", "Non-clinical"),
        ("", "Not stated"),
        ("Not known", "Not stated"),
    ],
)
def test_staff_groups_normalise_to_three_groups(value: str, group: str) -> None:
    assert staff_group(value) == group


def test_an_unrecognised_staff_group_becomes_not_stated_and_is_reported() -> None:
    result = read(csv_text([["Band", "Staff Group"], ["Band 7", "Wizardry"], ["Band 2", "Estates and Ancillary"]]))

    assert staff_group("Wizardry") is None
    assert counts_of(result, "staff_group") == {"Not stated": 1, "Non-clinical": 1}
    assert Recoding("staff_group", "Wizardry", "Not stated", 1) in result.recoded


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("F", "Female"),
        ("Female", "Female"),
        ("woman", "Female"),
        ("M", "Male"),
        ("MALE", "Male"),
        ("Man", "Male"),
        ("Non-binary", "Other"),
        ("Prefer to self-describe", "Other"),
        ("Prefer not to say", "Not stated"),
        ("", "Not stated"),
        ("Unknown", "Not stated"),
        ("Banana", None),
    ],
)
def test_gender_normalisation(value: str, expected: str | None) -> None:
    assert gender(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Y", "Yes"),
        ("Yes", "Yes"),
        ("N", "No"),
        ("No", "No"),
        ("No - not disabled", "No"),
        ("Not Declared", "Not declared"),
        ("Prefer Not To Answer", "Not declared"),
        ("Unspecified", "Not declared"),
        ("", "Not declared"),
        ("Sometimes", None),
    ],
)
def test_disability_normalisation(value: str, expected: str | None) -> None:
    assert disability(value) == expected


def test_age_bands_are_kept_as_written_trimmed_and_blank_is_not_stated() -> None:
    result = read(csv_text([["Band", "Age Band"], ["Band 7", " 20-25 "], ["Band 7", "20-25"], ["Band 7", ""]]))

    assert counts_of(result, "age_band", "first_line") == {"20-25": 2, "Not stated": 1}


# --- tiers ---------------------------------------------------------------------------------------


def test_a_tier_column_naming_a_tier_wins_over_the_band() -> None:
    rows = [
        ["Tier", "Pay Band", "Gender"],
        ["Board", "Band 5", "F"],
        ["Non-Executive Director", "", "M"],
        ["Senior leaders", "Band 7", "F"],
        ["first line", "Band 2", "F"],
        ["", "VSM", "M"],
        ["", "Band 4", "M"],
    ]
    result = read(csv_text(rows))

    assert result.rows_per_tier == {
        "board": 2,
        "executive": 1,
        "senior": 1,
        "middle": 0,
        "first_line": 1,
        WHOLE: 6,
    }
    assert Recoding("band", "Band 4", "Whole workforce only", 1) in result.recoded
    assert not [r for r in result.recoded if r.value in ("Band 5", "Band 2")]  # their tier column decided


@pytest.mark.parametrize(
    ("header", "row", "became", "tier"),
    [
        (["Tier", "Band"], ["Galaxy", "Band 7"], "Tier from band", "first_line"),
        (["Tier", "Band"], ["Galaxy", "Band 2"], "Tier from band", WHOLE),
        (["Tier", "Gender"], ["Galaxy", "F"], "Whole workforce only", WHOLE),
    ],
)
def test_an_unrecognised_tier_value_is_reported(header: list[str], row: list[str], became: str, tier: str) -> None:
    result = read(csv_text([header, row]))

    assert Recoding("tier", "Galaxy", became, 1) in result.recoded
    assert [key for key, n in result.rows_per_tier.items() if n and key != WHOLE] == ([] if tier == WHOLE else [tier])


def test_unmapped_bands_are_reported_as_whole_workforce_only() -> None:
    rows = [["Band", "Gender"], ["Band 5", "F"], ["Band 5", "M"], ["", "F"], ["Band 7", "F"]]
    result = read(csv_text(rows))

    assert Recoding("band", "Band 5", "Whole workforce only", 2) in result.recoded
    assert Recoding("band", "(blank)", "Whole workforce only", 1) in result.recoded
    assert counts_of(result, "gender") == {"Female": 3, "Male": 1}
    assert counts_of(result, "gender", "first_line") == {"Female": 1}


def test_counts_frame_has_the_agreed_shape_sorted_without_zeros() -> None:
    rows = [["Band", "Gender", "Ethnicity"], ["Band 9", "F", "White"], ["Chair", "M", "Asian"], ["Band 2", "F", ""]]
    counts = read(csv_text(rows)).counts

    assert list(counts.columns) == ["tier_key", "dimension", "category", "count"]
    assert counts["count"].dtype == "int64"
    assert (counts["count"] > 0).all()
    tier_order = [*LEADERS, WHOLE]
    columns = counts[["tier_key", "dimension", "category"]].itertuples(index=False)
    keys = [(tier_order.index(t), DIMENSIONS.index(d), c) for t, d, c in columns]
    assert keys == sorted(keys)
    assert counts["tier_key"].iloc[0] == "board" and counts["tier_key"].iloc[-1] == WHOLE


# --- properties ----------------------------------------------------------------------------------

BAND_CHOICES = {"Band 7": "first_line", "Band 8 - Range A": "middle", "8c": "senior", "VSM": "executive"}
BAND_CHOICES |= {"Chair": "board", "Band 5": WHOLE, "": WHOLE, "Bogus": WHOLE}
FREE_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


def _cell(known: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(known), FREE_TEXT)


PERSON = st.tuples(
    st.sampled_from(sorted(BAND_CHOICES)),
    _cell(["F", "Male", "Non-binary", "Prefer not to say", ""]),
    _cell(["A White - British", "H Asian or Asian British - Indian", "Z Not Stated", "Mixed", ""]),
    _cell(["Yes", "No", "Not Declared", ""]),
    _cell(["25-34", "35-44", " 45-54", ""]),
    _cell(["Medical and Dental", "Administrative and Clerical", "Students", ""]),
    FREE_TEXT,  # an ignored column
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(PERSON, min_size=1, max_size=40), delimiter=st.sampled_from([",", ";"]))
def test_every_dimension_sums_to_the_rows_of_each_tier(people: list[tuple[str, ...]], delimiter: str) -> None:
    header = ["Pay Band", "Gender", "Ethnic Origin", "Disability", "Age Band", "Staff Group", "Notes"]
    kept = [person for person in people if any(cell.strip() for cell in person[:6])]  # blank rows are dropped
    data = csv_text([header, *[list(person) for person in people]], delimiter, "\r\n")
    if not kept:
        assert "no data rows" in refusal(data)
        return

    result = read(data)

    expected = Counter(BAND_CHOICES[person[0]] for person in kept)
    assert result.rows_read == len(kept) == result.rows_per_tier[WHOLE]
    assert {tier: result.rows_per_tier[tier] for tier in LEADERS} == {tier: expected[tier] for tier in LEADERS}
    for tier in [*LEADERS, WHOLE]:
        for dimension in DIMENSIONS:
            assert sum(counts_of(result, dimension, tier).values()) == result.rows_per_tier[tier], (tier, dimension)


@settings(max_examples=40, deadline=None)
@given(people=st.lists(st.tuples(st.sampled_from(sorted(BAND_CHOICES)), st.sampled_from(["F", "M", "X"])), min_size=1))
def test_whole_workforce_counts_every_row(people: list[tuple[str, str]]) -> None:
    result = read(csv_text([["Band", "Sex", "Tier"], *[[band, sex, ""] for band, sex in people]]))

    assert sum(counts_of(result, "gender").values()) == len(people)
    labels = {"F": "Female", "M": "Male", "X": "Other"}
    assert counts_of(result, "gender") == dict(Counter(labels[sex] for _, sex in people))


# --- values of unknown columns never come out ------------------------------------------------------

SECRET_HEADER = ["Employee Number", "Employee Name", "Email", "Pay Band", "Gender", "Ethnic Origin"]
SECRET_ROW = [SECRET_NUMBER, SECRET_NAME, SECRET_EMAIL]


def _assert_no_secret(text: str) -> None:
    for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_NUMBER, "Quux", "zelda"):
        assert secret.lower() not in text.lower()


def test_values_of_unknown_columns_appear_nowhere_in_the_import() -> None:
    rows = [SECRET_HEADER, [*SECRET_ROW, "Band 7", "Martian", "Klingon"], ["1", "A B", "a@b", "Band 5", "F", "White"]]
    result = read(csv_text(rows))

    assert result.ignored_columns == ["Employee Number", "Employee Name", "Email"]
    _assert_no_secret(repr(result))
    _assert_no_secret(result.counts.to_csv())
    _assert_no_secret(repr(result.recoded))
    assert {r.value for r in result.recoded} == {"Martian", "Klingon", "Band 5"}


@pytest.mark.parametrize(
    "rows",
    [
        [["Employee Name", "Email"], SECRET_ROW[1:]],  # no band column
        [SECRET_HEADER, [*SECRET_ROW, "Band 7", "F"], [*SECRET_ROW, "Band 7", "F", "White", "extra", "cells"]],
    ],
    ids=["no band column", "ragged rows"],
)
def test_values_of_unknown_columns_stay_out_of_errors_and_ragged_rows(rows: list[list[str]]) -> None:
    try:
        result = read(csv_text(rows))
    except WorkforceFileError as error:
        _assert_no_secret(str(error))
    else:
        _assert_no_secret(repr(result))
        assert result.rows_per_tier["first_line"] == 2


def test_an_unclosed_quote_is_refused_without_quoting_the_file() -> None:
    data = csv_text([SECRET_HEADER, [*SECRET_ROW, "Band 7", "F", "White"]]) + f'{SECRET_NUMBER},"{SECRET_NAME},x\n'
    message = refusal(data)

    _assert_no_secret(message)
    assert "quote" in message


# --- bad files -----------------------------------------------------------------------------------


def test_a_file_without_tier_or_band_column_names_the_columns_looked_for() -> None:
    message = refusal("Name,Gender\nA,F\n")

    assert "no tier or band column" in message
    for alias in ("'Tier'", "'Band'", "'Pay band'", "'Grade'", "'AfC band'"):
        assert alias.lower() in message.lower()


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n\n "], ids=["empty", "bom only", "white space"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert "The file is empty" in refusal(data)


@pytest.mark.parametrize(
    "data",
    ["Pay Band,Gender\n", "Pay Band,Gender\n,\n,\n", "tier,dimension,category,count\n"],
    ids=["person header only", "only blank rows", "aggregate header only"],
)
def test_a_header_without_rows_is_refused(data: str) -> None:
    assert "header row but no data rows" in refusal(data)


def test_utf16_text_is_refused_with_a_hint() -> None:
    message = refusal("Pay Band,Gender\nBand 7,F\n".encode("utf-16"))

    assert "UTF-16" in message and "CSV UTF-8" in message


def test_binary_garbage_is_refused() -> None:
    garbage = bytes(range(256)) * 40
    assert "not a text CSV" in refusal(garbage)


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_naming_the_row() -> None:
    message = refusal(b"Pay Band,Gender\nBand 7,F\nBand 7,\x81\x8d\n")

    assert message.startswith("Row 3:") and "0x81" in message


def test_a_file_over_the_limit_is_refused_before_it_is_parsed() -> None:
    data = b"\x00" * (60 * 1024 * 1024)  # would be refused as binary if it were looked at
    start = time.perf_counter()
    message = refusal(data)

    assert time.perf_counter() - start < 1.0
    assert "60.0 MB" in message and "limit is 50 MB" in message
    assert len(data) > MAX_BYTES


def test_a_file_at_the_limit_is_read() -> None:
    line = b"Band 5,F\n"
    data = b"Pay Band,Gender\n" + line * ((MAX_BYTES - 16) // len(line))
    assert len(data) <= MAX_BYTES

    assert read(data).rows_per_tier[WHOLE] == (MAX_BYTES - 16) // len(line)


def test_an_xlsx_with_several_sheets_names_them() -> None:
    data = xlsx(("Staff", [["Pay Band"], ["Band 7"]]), ("Notes", [["x"]]), ("Lookup", []))
    message = refusal(data, "export.xlsx")

    assert "3 sheets" in message and "'Staff', 'Notes', 'Lookup'" in message


@pytest.mark.parametrize(("data", "filename"), [(b"PK\x03\x04broken", "x.xlsx"), (b"not a zip", "x.xlsx")])
def test_a_broken_workbook_is_refused(data: bytes, filename: str) -> None:
    assert "not a readable XLSX" in refusal(data, filename)


def test_an_old_xls_file_is_refused_with_a_hint() -> None:
    assert ".xls" in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "staff.xls")


# --- aggregate files -----------------------------------------------------------------------------

AGGREGATE = "Tier,Dimension,Category,Count\nBoard,gender,Female,4\nBoard,gender,Male,6\nboard,ethnicity,BME,2\n"
AGGREGATE += "Whole workforce,gender,Female,700\nwhole,Gender,Male,300\nFirst-line,age_band,25-34,0\n"


def test_an_aggregate_file_is_taken_as_it_is() -> None:
    result = read(AGGREGATE)

    assert (result.kind, result.rows_read) == ("aggregate", 6)
    assert counts_of(result, "gender", "board") == {"Female": 4, "Male": 6}
    assert counts_of(result, "gender") == {"Female": 700, "Male": 300}
    assert counts_of(result, "age_band", "first_line") == {}  # zero counts are not kept
    assert result.rows_per_tier == {"board": 10, "executive": 0, "senior": 0, "middle": 0, "first_line": 0, WHOLE: 1000}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Board,gender,Female,abc", "Row 3, column 'Count': 'abc' is not a whole number"),
        ("Board,gender,Female,-2", "Row 3, column 'Count': '-2' is not a whole number"),
        ("Board,gender,Female,2.5", "Row 3, column 'Count': '2.5' is not a whole number"),
        ("Board,gender,Female,", "Row 3, column 'Count': '' is not a whole number"),
        ("Galaxy,gender,Female,2", "Row 3, column 'Tier': 'Galaxy' is not a tier"),
        ("Board,colour,Female,2", "Row 3, column 'Dimension': 'colour' is not a dimension"),
        ("Board,gender,,2", "Row 3, column 'Category' is blank"),
        ("Board,Gender, Male ,2", "Rows 2 and 3 both give a count for Board, gender, 'Male'"),
    ],
)
def test_bad_aggregate_rows_are_refused_naming_row_and_column(line: str, expected: str) -> None:
    message = refusal(f"Tier,Dimension,Category,Count\nBoard,gender,Male,3\n{line}\n")

    assert message.startswith(expected)


def test_aggregate_row_numbers_count_blank_lines_as_a_spreadsheet_does() -> None:
    assert refusal("tier,dimension,category,count\nBoard,gender,F,1\n\n\nBoard,gender,M,x\n").startswith("Row 5,")


def test_an_aggregate_workbook_is_read_with_numeric_cells() -> None:
    rows: list[list[object]] = [["tier", "dimension", "category", "count"], ["Board", "gender", "Female", 3]]
    rows += [["Whole workforce", "ethnicity", "White", 12.0]]
    result = read(xlsx(("Counts", rows)), "counts.xlsx")

    assert counts_of(result, "gender", "board") == {"Female": 3}
    assert counts_of(result, "ethnicity") == {"White": 12}


def test_a_fractional_count_in_a_workbook_is_refused() -> None:
    rows: list[list[object]] = [["tier", "dimension", "category", "count"], ["Board", "gender", "Female", 2.5]]
    assert refusal(xlsx(("Counts", rows)), "counts.xlsx").startswith("Row 2, column 'count': '2.5'")


# --- encodings, delimiters and formats ------------------------------------------------------------

PEOPLE = [
    ["Employee Number", "Full Name", "Pay Band", "Gender", "Ethnic Origin", "Disability", "Age Band"],
    ["1", "Ann Café", "Band 8 - Range C", "Female", "A White - British", "No", "45-54"],
    ["2", "Bob Señor", "Band 7", "Prefer not to say", "H Asian or Asian British - Indian", "Yes", "35-44"],
    ["3", "Cy Zoë", "Band 5", "Male", "Z Not Stated", "Not Declared", "25-34"],
]


def _same_as_plain_utf8(result: WorkforceImport) -> None:
    expected = read(csv_text(PEOPLE))
    pd.testing.assert_frame_equal(result.counts, expected.counts)
    assert result.rows_per_tier == expected.rows_per_tier


@pytest.mark.parametrize(
    "data",
    [
        csv_text(PEOPLE).encode("utf-8-sig"),
        csv_text(PEOPLE, ";").encode("utf-8"),
        csv_text(PEOPLE).replace("\n", "\r\n").encode("utf-8"),
        csv_text(PEOPLE, ";").encode("cp1252"),
        csv_text(PEOPLE, "\t").encode("utf-8"),
    ],
    ids=["bom", "semicolon", "crlf", "cp1252 semicolon", "tab"],
)
def test_encodings_and_delimiters_give_the_same_counts(data: bytes) -> None:
    _same_as_plain_utf8(read(data))


def test_windows_1252_values_in_recognised_columns_are_decoded() -> None:
    data = csv_text([["Band", "Age Band", "Name"], ["Band 7", "25–34", "Café"], ["Band 7", "Prefer not to say", ""]])
    result = read(data.encode("cp1252"))

    assert counts_of(result, "age_band", "first_line") == {"25–34": 1, "Not stated": 1}


def test_a_large_windows_1252_file_is_decoded_past_the_first_chunk() -> None:
    rows = [["Band", "Age Band", "Name"], *[["Band 7", "25-34", "Plain"]] * 5000, ["Band 7", "65–74", "Café"]]
    result = read(csv_text(rows).encode("cp1252"))

    assert counts_of(result, "age_band", "first_line") == {"25-34": 5000, "65–74": 1}


def test_a_single_sheet_workbook_reads_like_the_csv() -> None:
    result = read(xlsx(("ESR extract", PEOPLE)), "extract.xlsx")

    _same_as_plain_utf8(result)
    assert result.ignored_columns == ["Employee Number", "Full Name"]
    assert "Café" not in repr(result) and "Bob" not in repr(result)


def test_quoted_newlines_and_ragged_rows_read_like_the_clean_file() -> None:
    people = [row.copy() for row in PEOPLE]
    people[1][1] = "Ann\nCafé, Ward 4"
    text = csv_text(people)
    _same_as_plain_utf8(read(text))
    _same_as_plain_utf8(read(text.replace("45-54\n", "45-54,spare\n")))  # a longer row: pandas reads it


def test_numeric_looking_values_keep_their_spelling() -> None:
    rows = [["Band", "Age Band", "Disability"], ["7", "007", "TRUE"], ["8a", "18", "0"], ["5"]]
    result = read(csv_text(rows))  # the short last row sends the file down the tolerant path

    assert result.rows_per_tier["first_line"] == 1 and result.rows_per_tier["middle"] == 1
    assert counts_of(result, "age_band") == {"007": 1, "18": 1, "Not stated": 1}
    assert counts_of(result, "disability") == {"Yes": 1, "No": 1, "Not declared": 1}


def test_progress_is_reported_in_order_up_to_one() -> None:
    seen: list[float] = []
    read(csv_text(PEOPLE), progress=seen.append)

    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == 1.0


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        (csv_text(PEOPLE), True),
        (csv_text([[*row, "Ward 4\n" * (n % 3)] for n, row in enumerate(PEOPLE * 20_000)], newline="\r\n"), True),
        (csv_text(PEOPLE) + "4,Di,Band 7\n", False),  # a short row: only pandas reads it
    ],
    ids=["clean", "quoted newlines over several blocks", "short row"],
)
def test_the_fast_reader_takes_clean_files_and_gives_the_same_codes(text: str, fast: bool) -> None:
    source = _csv_source(text.encode("utf-8"))
    fields = {"band": 2, "gender": 3, "age_band": 6}

    by_arrow = source.fast(fields) if source.fast else None
    frame = source.read(fields, False)

    assert (by_arrow is not None) == fast
    if by_arrow is not None:
        for name, codes in by_arrow.items():
            assert [codes.uniques[c] for c in codes.codes] == frame[name].tolist()


def test_a_header_with_a_quoted_line_break_is_read_by_pandas() -> None:
    text = '"Employee\nNumber",Pay Band,Gender\n1,Band 7,F\n2,Band 2,M\n'

    assert _csv_source(text.encode()).fast is None
    assert read(text).rows_per_tier["first_line"] == 1
    assert read(text).ignored_columns == ["Employee\nNumber"]


@pytest.mark.parametrize(("text", "reads"), [("Band,Gender\nBand 7,F\n", 1), ("Band,Age\nBand 7,007\n", 2)])
def test_pandas_reads_a_file_twice_only_when_it_took_a_column_for_numbers(
    text: str, reads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict] = []
    real = workforce_file._read_csv
    monkeypatch.setattr(workforce_file, "_read_csv", lambda *args: calls.append(args[2]) or real(*args))

    frame = _csv_source(text.encode()).read({"band": 0, "second": 1}, False)

    assert len(calls) == reads  # a second read, as text, keeps "007" as written
    assert frame.iloc[0].tolist() == ["Band 7", text.split(",")[-1].strip()]
