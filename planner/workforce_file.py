"""Reading a workforce file (CSV or XLSX, person-level or aggregate) into counts, with no database.

A person-level HR extract is reduced to counts per tier, dimension and category as it is read. Only the
recognised columns are converted (pyarrow's `include_columns`, pandas' `usecols`), so the values of any other
column (names, emails, employee numbers) never leave the CSV parser: they are not kept, logged or quoted in
an error (issue 4). The recognised columns arrive dictionary-encoded, each *distinct* value is normalised
once, and the counting works on integer codes, which keeps a 200,000-row import close to the cost of
`pandas.read_csv` itself (benchmarks/workforce_import.py). pyarrow's reader is strict, so a file it refuses
(a short row, say) is read again by pandas, which is tolerant and words the errors.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from planner.validation import InvalidInput
from planner.wording import listed

MAX_BYTES = 50 * 1024 * 1024
WHOLE = "whole"
WHOLE_NAME = "Whole workforce"
DIMENSIONS = ("gender", "ethnicity", "ethnic_group", "disability", "age_band", "staff_group")
NOT_STATED = "Not stated"
NOT_DECLARED = "Not declared"
WHOLE_ONLY = "Whole workforce only"
BLANK = "(blank)"
COUNT_COLUMNS = ["tier_key", "dimension", "category", "count"]
Count = tuple[str, str, str, int]  # tier key, dimension, category, count

PERSON_ALIASES: dict[str, tuple[str, ...]] = {
    "tier": ("tier", "leadership tier"),
    "band": ("band", "pay band", "grade", "afc band", "agenda for change band", "pay grade"),
    "staff_group": ("staff group", "professional group", "occupation group", "occupational group"),
    "gender": ("gender", "sex"),
    "ethnicity": ("ethnicity", "ethnic origin", "ethnic group"),
    "disability": ("disability", "disabled", "disability status", "disability flag"),
    "age_band": ("age band", "age group"),
}
AGGREGATE_ALIASES: dict[str, tuple[str, ...]] = {
    "tier": ("tier", "leadership tier"),
    "dimension": ("dimension",),
    "category": ("category",),
    "count": ("count", "headcount", "number", "n", "value", "total"),
}
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
HEADER_CHUNK = 64 * 1024
BOM = b"\xef\xbb\xbf"


class WorkforceFileError(InvalidInput):
    """A workforce file cannot be read; the message names the row and column where it applies."""


@dataclass(frozen=True)
class Recoding:
    """An unrecognised value and what it became, for the preview (value "(blank)" for an empty cell)."""

    column: str
    value: str
    became: str
    rows: int


@dataclass(frozen=True)
class WorkforceImport:
    """What a workforce file holds, reduced to counts (no person-level values)."""

    kind: str
    rows_read: int
    counts: pd.DataFrame
    rows_per_tier: dict[str, int]
    recoded: list[Recoding]
    ignored_columns: list[str]


@dataclass(frozen=True)
class _Source:
    """A file's header row and a reader for chosen columns (by position), every cell a string."""

    headers: list[str]
    read: Callable[[dict[str, int], bool], pd.DataFrame]  # (fields, aggregate): aggregate keeps blank lines
    fast: Callable[[dict[str, int]], dict[str, _Codes] | None] | None = None

    def columns(self, fields: dict[str, int]) -> dict[str, _Codes]:
        """The chosen columns as codes, by the fast reader when it can read the file."""
        fast = self.fast(fields) if self.fast else None
        if fast is not None:
            return fast
        frame = self.read(fields, False)
        return {name: _Codes.of(frame[name]) for name in frame.columns}


@dataclass(frozen=True)
class _Codes:
    """One column as integer codes into its distinct values."""

    codes: np.ndarray
    uniques: list[str]

    @classmethod
    def of(cls, column: pd.Series) -> _Codes:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        return cls(np.asarray(codes, dtype=np.int64), ["" if pd.isna(u) else str(u) for u in uniques])

    @classmethod
    def of_arrow(cls, column: pa.ChunkedArray) -> _Codes:
        if column.num_chunks == 0:
            return cls(np.zeros(0, dtype=np.int64), [])
        combined = column.combine_chunks()
        return cls(combined.indices.to_numpy(zero_copy_only=False), combined.dictionary.to_pylist())

    def mapped(self, function: Callable[[str], Any]) -> list[Any]:
        return [function(value) for value in self.uniques]

    def blank_values(self) -> np.ndarray:
        return np.array([not value.strip() for value in self.uniques], dtype=bool)

    def take(self, keep: np.ndarray) -> _Codes:
        return _Codes(self.codes[keep], self.uniques)

    def tally(self, mask: np.ndarray | None = None) -> np.ndarray:
        codes = self.codes if mask is None else self.codes[mask]
        return np.bincount(codes, minlength=len(self.uniques))


# --- public --------------------------------------------------------------------------------------


def band_key(text: str) -> str:
    """Canonical band spelling: 'Band 8 - Range A', 'Band 8A', '8a', 'AfC Band 8a' → 'band 8a'; '7' → 'band 7'."""
    words = _words(text)
    stripped = re.sub(r"^(afc|agenda for change|nhs|review body)\s+", "", words)
    match = re.fullmatch(r"(?:band\s+)?(\d{1,2})(?:\s*(?:range\s+)?([a-d]))?", stripped)
    if match:
        return f"band {match[1]}{match[2] or ''}"
    return words


def read_workforce_file(
    data: bytes,
    filename: str,
    band_tiers: dict[str, str],
    tier_names: dict[str, str],
    progress: Callable[[float], None] | None = None,
) -> WorkforceImport:
    """Read a person-level or aggregate workforce file (CSV or XLSX) into counts per tier; raise WorkforceFileError."""
    report = progress or (lambda _fraction: None)
    source = _open(data, filename)
    report(0.1)
    aggregate = _match(source.headers, AGGREGATE_ALIASES)
    tiers = _Tiers(band_tiers, tier_names)
    if len(aggregate) == len(AGGREGATE_ALIASES):
        return _aggregate_import(source, aggregate, tiers, report)
    return _person_import(source, tiers, report)


# --- opening the file -----------------------------------------------------------------------------


def _open(data: bytes, filename: str) -> _Source:
    """Check size and emptiness, then open the bytes as a workbook or a CSV text."""
    if len(data) > MAX_BYTES:
        raise WorkforceFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
            "Remove columns or rows that are not needed, or upload the counts as an aggregate file."
        )
    if _blank(data):
        raise WorkforceFileError("The file is empty: it needs a header row and one row per person (or per count).")
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if data.startswith(XLS_MAGIC) or suffix == "xls":
        raise WorkforceFileError(
            "This is an old Excel .xls file; save it as .xlsx or as CSV UTF-8 and upload it again."
        )
    if data.startswith(XLSX_MAGIC) or suffix in ("xlsx", "xlsm"):
        return _xlsx_source(data)
    return _csv_source(data)


def _blank(data: bytes) -> bool:
    """Nothing but a BOM and white space (looking past the first chunk only when that chunk is blank)."""
    head = data[:HEADER_CHUNK].removeprefix(BOM)
    return (not head or head.isspace()) and (len(data) <= HEADER_CHUNK or data[HEADER_CHUNK:].isspace())


def _csv_source(data: bytes) -> _Source:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise WorkforceFileError("The file is UTF-16 text; save it as CSV UTF-8 (or CSV) and upload it again.")
    if b"\x00" in data:
        raise WorkforceFileError("The file is not a text CSV (it holds binary data); upload a CSV or XLSX file.")
    head, encoding = _head(data)
    first_line = next(iter(head.splitlines()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    headers = next(csv.reader(io.StringIO(head), delimiter=delimiter), [])

    def read(fields: dict[str, int], aggregate: bool) -> pd.DataFrame:
        positions = sorted(fields.values())
        # An aggregate file keeps its blank lines so that row numbers match the spreadsheet's.
        options: dict[str, Any] = {"sep": delimiter, "usecols": positions, "skip_blank_lines": not aggregate}
        if aggregate:
            options["dtype"] = str
        frame = _parse_csv(data, encoding, options)
        by_position = {position: name for name, position in fields.items()}
        frame.columns = [by_position[position] for position in positions]
        return frame

    def fast(fields: dict[str, int]) -> dict[str, _Codes] | None:
        return _arrow_codes(data, encoding, delimiter, len(headers), fields)

    # pyarrow skips the header as one line, so a header with a quoted line break goes to pandas.
    one_line = next(csv.reader([first_line], delimiter=delimiter), []) == headers
    return _Source([header.strip() for header in headers], read, fast if one_line else None)


def _arrow_codes(
    data: bytes, encoding: str, delimiter: str, width: int, fields: dict[str, int]
) -> dict[str, _Codes] | None:
    """The chosen columns dictionary-encoded by pyarrow's multi-threaded reader (the fast path of a large file).

    None when pyarrow's stricter parser refuses the file (a short row, a quoted header, a column that is not
    UTF-8 …): pandas then reads it and gives the error message, if any.
    """
    names = [f"c{n}" for n in range(width)]
    wanted = {field: names[position] for field, position in fields.items()}
    as_text = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),  # read in place, without a Python file object in the way
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, encoding=encoding.replace("-", "")),
            # Without quotes no value can hold a newline, and the reader splits the file faster.
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=b'"' in data),
            convert_options=pa_csv.ConvertOptions(
                include_columns=list(wanted.values()),
                column_types=dict.fromkeys(wanted.values(), as_text),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, UnicodeDecodeError, ValueError):
        return None  # pyarrow's message can quote a whole row, other columns included: it is dropped unread
    table = table.unify_dictionaries()
    return {field: _Codes.of_arrow(table.column(name)) for field, name in wanted.items()}


def _head(data: bytes) -> tuple[str, str]:
    """The first chunk as text, and the encoding to try first: UTF-8 if the chunk is UTF-8, else Windows-1252."""
    chunk = data[:HEADER_CHUNK]
    try:
        return chunk.decode("utf-8").removeprefix("\ufeff"), "utf-8"
    except UnicodeDecodeError as error:
        if len(data) > HEADER_CHUNK and error.start > len(chunk) - 4:  # a character cut by the chunk's end
            return chunk[: error.start].decode("utf-8").removeprefix("\ufeff"), "utf-8"
    try:
        return chunk.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise _undecodable(data) from None


def _undecodable(data: bytes) -> WorkforceFileError:
    """The error for a byte that is neither UTF-8 nor Windows-1252, naming its row."""
    try:
        data.decode("cp1252")
        start = 0
    except UnicodeDecodeError as error:
        start = error.start
    row = data.count(b"\n", 0, start) + 1
    return WorkforceFileError(
        f"Row {row}: byte 0x{data[start]:02X} is neither UTF-8 nor Windows-1252 text; "
        "save the file as CSV UTF-8 and upload it again."
    )


def _parse_csv(data: bytes, encoding: str, options: dict[str, Any]) -> pd.DataFrame:
    """The chosen columns as text; UTF-8 first (only these columns are decoded), then Windows-1252."""
    try:
        frame = _read_csv(data, encoding, options)
    except UnicodeDecodeError:
        if encoding == "cp1252":
            raise _undecodable(data) from None
        return _parse_csv(data, "cp1252", options)
    if "dtype" in options or all(map(_text, frame.dtypes)):
        return frame
    # Letting pandas infer types is much faster than dtype=str, but "007" or "TRUE" must stay as written.
    return _read_csv(data, encoding, {**options, "dtype": str})


def _text(dtype: Any) -> bool:
    """A column read as text: object under planner/__init__.py's setting, "str" under pandas' own default."""
    return pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)


def _read_csv(data: bytes, encoding: str, options: dict[str, Any]) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            return pd.read_csv(io.BytesIO(data), encoding=encoding, na_filter=False, engine="c", **options)
    except UnicodeDecodeError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        # pandas' own wording may quote cells of any column, so only its line and field numbers are kept.
        raise WorkforceFileError(_parser_message(str(error))) from None


def _parser_message(text: str) -> str:
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        return f"Row {match[2]} has {match[3]} cells but the header row has {match[1]} columns."
    if "EOF inside string" in text:
        return 'The file ends inside a quoted cell: a quote mark (") is not closed.'
    return "The file could not be read as CSV: check that it is a comma- or semicolon-separated text file."


def _xlsx_source(data: bytes) -> _Source:
    rows = _xlsx_rows(data)
    headers = [_cell(value) for value in next(rows, ())]

    def read(fields: dict[str, int], _aggregate: bool) -> pd.DataFrame:
        picked = [[_cell(row[p]) if p < len(row) else "" for p in fields.values()] for row in rows]
        return pd.DataFrame(picked, columns=list(fields), dtype=str)

    return _Source(headers, read)


def _xlsx_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook  # imported here: only XLSX uploads pay for it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise WorkforceFileError("The file is not a readable XLSX workbook; save it again as .xlsx or CSV.") from None
    if len(book.sheetnames) > 1:
        sheets = ", ".join(f"'{name}'" for name in book.sheetnames)
        raise WorkforceFileError(
            f"The workbook has {len(book.sheetnames)} sheets ({sheets}); keep only the sheet with the workforce "
            "data (or save that sheet as CSV) and upload it again."
        )
    return book.worksheets[0].iter_rows(values_only=True)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


# --- headers -------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Lower-case letters and digits only: how headers and tier names are compared."""
    return "".join(re.findall(r"[^\W_]+", text.lower()))


def _words(text: str) -> str:
    """Lower-case words separated by single spaces (punctuation dropped)."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _match(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Canonical field → position of the first header matching one of its aliases."""
    lookup = {_squash(alias): name for name, names in aliases.items() for alias in names}
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        name = lookup.get(_squash(header))
        if name and name not in found:
            found[name] = position
    return found


def _ignored(headers: list[str], fields: dict[str, int]) -> list[str]:
    used = set(fields.values())
    return [header for position, header in enumerate(headers) if position not in used and header]


def _expected(names: tuple[str, ...]) -> str:
    return listed([f"'{name}'" for name in names], "or")


# --- tiers ---------------------------------------------------------------------------------------


class _Tiers:
    """Tier keys in display order (WHOLE last) and how a tier or band value resolves to one."""

    def __init__(self, band_tiers: dict[str, str], tier_names: dict[str, str]) -> None:
        leaders = [key for key in dict.fromkeys([*tier_names, *band_tiers.values()]) if key != WHOLE]
        self.order = [*leaders, WHOLE]
        self.names = {**{key: tier_names.get(key, key) for key in leaders}, WHOLE: WHOLE_NAME}
        self.bands = {band_key(band): tier for band, tier in band_tiers.items()}
        self.exact = {_squash(text): key for key, name in self.names.items() for text in (key, name)}
        self.prefixes = sorted(self.exact.items(), key=lambda item: -len(item[0]))

    def of_band(self, value: str) -> str | None:
        """The leadership tier a band maps to, or None (Whole workforce only)."""
        return self.bands.get(band_key(value))

    def of_tier(self, value: str) -> str | None:
        """The tier a tier-column value names: key, name, a mapped band or a prefix such as 'Senior leaders'."""
        squashed = _squash(value)
        if not squashed:
            return None
        if squashed in self.exact:
            return self.exact[squashed]
        if tier := self.of_band(value):
            return tier
        return next((key for text, key in self.prefixes if squashed.startswith(text)), None)

    def index(self, key: str | None) -> int:
        return self.order.index(key) if key in self.order else -1

    def expected(self) -> str:
        return _expected(tuple(self.names.values()))


# --- value normalisation -------------------------------------------------------------------------

_UNSTATED = re.compile(
    r"\b(not (stated|known|given|declared|disclosed|specified|recorded|provided|answered|available)"
    r"|unknown|prefers? not|rather not|declined?|refused|withheld|undisclosed|undeclared|unspecified"
    r"|unstated|(do|does|did) not wish|no data)\b"
)
_UNSTATED_WHOLE = {"", "na", "n a", "none", "null", "nil", "blank", "tbc", "z", "u", "unk"}
_ETHNIC = {
    "Mixed": re.compile(r"\b(mixed|multiple|dual heritage|biracial)\b"),
    "White": re.compile(r"\b(white|gypsy|travell?ers?|roma|irish|english|scottish|welsh|cornish)\b"),
    # Chinese sits under Asian as in the 2021 census; the older NHS codes filed it under Other.
    "Asian": re.compile(r"\b(asian|indian|pakistani|bangladeshi|chinese|sri lankan|nepal[a-z]*|filipino|japanese)\b"),
    "Black": re.compile(r"\b(black|african|caribbean|somali)\b"),
    "Other": re.compile(r"\b(arab|other)\b"),
}
# NHS ESR ethnic origin codes on their own (A White - British … S Any other ethnic group).
_ESR_ETHNIC_CODES = {
    **dict.fromkeys("abc", "White"),
    **dict.fromkeys("defg", "Mixed"),
    **dict.fromkeys("hjklr", "Asian"),
    **dict.fromkeys("mnp", "Black"),
    "s": "Other",
}
_STAFF_GROUPS = (
    ("Non-clinical", re.compile(r"\b(non ?clinical|admin[a-z]*|clerical|estates?|ancillary|facilities|corporate)\b")),
    ("Medical and dental", re.compile(r"\b(medical|dental|doctors?|dentists?|medics?|consultants?)\b")),
    (
        "Other clinical",
        re.compile(
            r"\b(nurs[a-z]*|midwi[a-z]*|allied|ahps?|clinical|scien[a-z]*|technic[a-z]*|add prof|students?"
            r"|therap[a-z]*|pharmac[a-z]*|paramedics?|psycholog[a-z]*|healthcare assistants?)\b"
        ),
    ),
)
_FEMALE = {"f", "female", "woman", "women", "girl", "w"}
_MALE = {"m", "male", "man", "men", "boy"}
_OTHER_GENDER = re.compile(
    r"\b(non ?binary|other|intersex|genderqueer|gender ?fluid|agender|indeterminate|x|self describe|another way)\b"
)
_DISABLED_YES = {"y", "yes", "disabled", "true", "1", "has a disability", "disability"}
_DISABLED_NO = {"n", "no", "not disabled", "no disability", "none", "false", "0", "non disabled"}


def _unstated(words: str) -> bool:
    return words in _UNSTATED_WHOLE or bool(_UNSTATED.search(words))


def ethnic_group(value: str) -> str | None:
    """White, Asian, Black, Mixed, Other or Not stated; None for a stated value that cannot be placed."""
    words = _words(value)
    if _unstated(words):
        return NOT_STATED
    if words in _ESR_ETHNIC_CODES:
        return _ESR_ETHNIC_CODES[words]
    found = [group for group in ("White", "Asian", "Black") if _ETHNIC[group].search(words)]
    if _ETHNIC["Mixed"].search(words) or len(found) > 1:
        return "Mixed"
    if found:
        return found[0]
    return "Other" if _ETHNIC["Other"].search(words) else None


def ethnicity(value: str) -> str:
    """White, BME (every stated non-White group) or Not stated."""
    group = ethnic_group(value)
    return group if group in ("White", NOT_STATED) else "BME"


def staff_group(value: str) -> str | None:
    """Medical and dental, Other clinical, Non-clinical or Not stated; None when unrecognised."""
    words = _words(value)
    if _unstated(words):
        return NOT_STATED
    return next((group for group, pattern in _STAFF_GROUPS if pattern.search(words)), None)


def gender(value: str) -> str | None:
    """Female, Male, Other or Not stated; None when unrecognised."""
    words = _words(value)
    if _unstated(words):
        return NOT_STATED
    tokens = set(words.split())
    if _OTHER_GENDER.search(words):
        return "Other"
    if tokens & _FEMALE and not tokens & _MALE:
        return "Female"
    if tokens & _MALE and not tokens & _FEMALE:
        return "Male"
    return None


def disability(value: str) -> str | None:
    """Yes, No or Not declared; None when unrecognised."""
    words = _words(value)
    if words in _DISABLED_NO:
        return "No"
    if words in _DISABLED_YES:
        return "Yes"
    if _unstated(words):
        return NOT_DECLARED
    if words.startswith("yes "):
        return "Yes"
    return "No" if words.startswith(("no ", "not disabled", "not a disabled")) else None


def age_band(value: str) -> str:
    """The age band as written (trimmed); blank or unstated → Not stated."""
    return NOT_STATED if _unstated(_words(value)) else value.strip()


def _or_recoded(normalise: Callable[[str], str | None], fallback: str) -> Callable[[str], tuple[str, str | None]]:
    """A normaliser returning (category, what an unrecognised value became, or None)."""

    def apply(value: str) -> tuple[str, str | None]:
        category = normalise(value)
        return (fallback, fallback) if category is None else (category, None)

    return apply


def _ethnic_group_recoded(value: str) -> tuple[str, str | None]:
    group = ethnic_group(value)
    return ("Other", "BME (Other)") if group is None else (group, None)


def _plain(normalise: Callable[[str], str]) -> Callable[[str], tuple[str, str | None]]:
    return lambda value: (normalise(value), None)


# Source column → the dimensions derived from it, each with its normaliser.
_DERIVED: dict[str, tuple[tuple[str, Callable[[str], tuple[str, str | None]]], ...]] = {
    "gender": (("gender", _or_recoded(gender, NOT_STATED)),),
    "ethnicity": (("ethnicity", _plain(ethnicity)), ("ethnic_group", _ethnic_group_recoded)),
    "disability": (("disability", _or_recoded(disability, NOT_DECLARED)),),
    "age_band": (("age_band", _plain(age_band)),),
    "staff_group": (("staff_group", _or_recoded(staff_group, NOT_STATED)),),
}


# --- person-level files --------------------------------------------------------------------------


def _person_import(source: _Source, tiers: _Tiers, report: Callable[[float], None]) -> WorkforceImport:
    fields = _match(source.headers, PERSON_ALIASES)
    if "tier" not in fields and "band" not in fields:
        looked_for = _expected(PERSON_ALIASES["tier"] + PERSON_ALIASES["band"])
        raise WorkforceFileError(
            f"The file has no tier or band column: looked for a column named {looked_for} "
            "(any case, spacing or punctuation). For a file of counts use the columns tier, dimension, category, count."
        )
    columns = _person_columns(source.columns(fields))
    report(0.5)
    tier_codes, recoded = _row_tiers(columns, tiers)
    counts: list[Count] = []
    for done, (name, column) in enumerate(columns.items(), start=1):
        derived = _DERIVED.get(name, ())
        matrix = _tier_matrix(tier_codes, column, len(tiers.order)) if derived else None
        for dimension, normalise in derived:
            mapped = column.mapped(normalise)
            counts += _dimension_counts(matrix, dimension, [m[0] for m in mapped], tiers)
            recoded += _recodings(name, column.uniques, [m[1] for m in mapped], matrix.sum(axis=0))
        report(0.5 + 0.5 * done / len(columns))
    return WorkforceImport(
        "person",
        len(tier_codes),
        _counts_frame(counts, tiers),
        _person_rows(tier_codes, tiers),
        _merged(recoded),
        _ignored(source.headers, fields),
    )


def _person_rows(tier_codes: np.ndarray, tiers: _Tiers) -> dict[str, int]:
    """People per leadership tier, and every row in WHOLE."""
    per_tier = np.bincount(tier_codes, minlength=len(tiers.order))
    return {**{key: int(n) for key, n in zip(tiers.order[:-1], per_tier, strict=False)}, WHOLE: len(tier_codes)}


def _person_columns(columns: dict[str, _Codes]) -> dict[str, _Codes]:
    """The recognised columns without rows blank in all of them (e.g. Excel's trailing ',,,,')."""
    blank = [column.blank_values() for column in columns.values()]
    if all(values.any() for values in blank):  # otherwise no row can be blank throughout
        keep = ~np.logical_and.reduce([b[c.codes] for b, c in zip(blank, columns.values(), strict=True)])
        columns = {name: column.take(keep) for name, column in columns.items()}
    if not len(next(iter(columns.values())).codes):
        raise WorkforceFileError("The file has a header row but no data rows.")
    return columns


def _row_tiers(columns: dict[str, _Codes], tiers: _Tiers) -> tuple[np.ndarray, list[Recoding]]:
    """Each row's tier index (WHOLE when no leadership tier): the tier column wins, else the band."""
    whole = len(tiers.order) - 1
    rows = len(next(iter(columns.values())).codes)
    by_band = np.full(rows, whole, dtype=np.int32)
    from_tier = np.full(rows, -1, dtype=np.int32)
    recoded: list[Recoding] = []
    if "tier" in columns:
        tier = columns["tier"]
        from_tier = np.array([tiers.index(tiers.of_tier(v)) for v in tier.uniques], dtype=np.int32)[tier.codes]
        became = "Tier from band" if "band" in columns else WHOLE_ONLY
        unknown = [None if tiers.of_tier(v) or not v.strip() else became for v in tier.uniques]
        recoded += _recodings("tier", tier.uniques, unknown, tier.tally())
    if "band" in columns:
        band = columns["band"]
        mapped = [tiers.index(tiers.of_band(v)) for v in band.uniques]
        by_band = np.array([whole if i < 0 else i for i in mapped], dtype=np.int32)[band.codes]
        unmapped = [WHOLE_ONLY if i < 0 else None for i in mapped]
        recoded += _recodings("band", band.uniques, unmapped, band.tally(from_tier < 0))
    return np.where(from_tier >= 0, from_tier, by_band), recoded


def _tier_matrix(tier_codes: np.ndarray, column: _Codes, height: int) -> np.ndarray:
    """Rows per (tier, distinct value) of one column: the only pass over the rows a dimension needs."""
    width = len(column.uniques)
    return np.bincount(tier_codes * width + column.codes, minlength=width * height).reshape(height, width)


def _dimension_counts(matrix: np.ndarray, dimension: str, categories: list[str], tiers: _Tiers) -> list[Count]:
    """Counts per (tier, category) from a column's tier matrix; WHOLE counts every row."""
    labels = list(dict.fromkeys(categories))
    position = {label: n for n, label in enumerate(labels)}
    per_value = np.array([position[category] for category in categories], dtype=np.int64)
    summed = np.zeros((matrix.shape[0], len(labels)), dtype=np.int64)
    np.add.at(summed.T, per_value, matrix.T)
    summed[-1] = summed.sum(axis=0)
    return [(tiers.order[t], dimension, labels[c], int(summed[t, c])) for t, c in zip(*np.nonzero(summed), strict=True)]


def _recodings(name: str, uniques: list[str], became: list[str | None], rows: np.ndarray) -> list[Recoding]:
    """Recodings of one column's distinct values, with the rows holding each."""
    return [
        Recoding(name, value.strip() or BLANK, result, int(rows[i]))
        for i, (value, result) in enumerate(zip(uniques, became, strict=True))
        if result is not None and rows[i] > 0
    ]


def _merged(recoded: list[Recoding]) -> list[Recoding]:
    """One entry per (column, value, became), most rows first (values differing only in spacing merge)."""
    totals: dict[tuple[str, str, str], int] = {}
    for item in recoded:
        key = (item.column, item.value, item.became)
        totals[key] = totals.get(key, 0) + item.rows
    merged = [Recoding(column, value, became, rows) for (column, value, became), rows in totals.items()]
    return sorted(merged, key=lambda r: (r.column, -r.rows, r.value))


def _counts_frame(counts: list[Count], tiers: _Tiers) -> pd.DataFrame:
    """The counts as a DataFrame, no zeros, ordered by tier (WHOLE last), dimension and category."""
    tier_rank = {key: n for n, key in enumerate(tiers.order)}
    dimension_rank = {key: n for n, key in enumerate(DIMENSIONS)}
    ordered = sorted((c for c in counts if c[3] > 0), key=lambda c: (tier_rank[c[0]], dimension_rank[c[1]], c[2]))
    frame = pd.DataFrame(ordered, columns=COUNT_COLUMNS)
    return frame.astype({"tier_key": str, "dimension": str, "category": str, "count": "int64"})


# --- aggregate files -----------------------------------------------------------------------------


def _aggregate_import(
    source: _Source, fields: dict[str, int], tiers: _Tiers, report: Callable[[float], None]
) -> WorkforceImport:
    frame = source.read(fields, True)
    frame.insert(0, "row", np.arange(2, len(frame) + 2))
    frame = frame[(frame[list(fields)].apply(lambda s: s.str.strip()) != "").any(axis=1)]
    if frame.empty:
        raise WorkforceFileError("The file has a header row but no data rows.")
    report(0.5)
    header = {name: source.headers[position] for name, position in fields.items()}
    rows = [_aggregate_row(record, header, tiers) for record in frame.itertuples(index=False)]
    _refuse_duplicates(rows, tiers)
    counts: list[Count] = [(tier, dimension, category, n) for _row, tier, dimension, category, n in rows]
    report(1.0)
    return WorkforceImport(
        "aggregate",
        len(rows),
        _counts_frame(counts, tiers),
        _aggregate_rows_per_tier(counts, tiers),
        [],
        _ignored(source.headers, fields),
    )


def _aggregate_row(record: Any, header: dict[str, str], tiers: _Tiers) -> tuple[int, str, str, str, int]:
    """One validated (row, tier key, dimension, category, count)."""
    row = record.row
    tier = tiers.of_tier(record.tier)
    if tier is None:
        _bad(row, header["tier"], record.tier, f"is not a tier (use {tiers.expected()})")
    dimension = _words(record.dimension).replace(" ", "_")
    if dimension not in DIMENSIONS:
        _bad(row, header["dimension"], record.dimension, f"is not a dimension (use {_expected(DIMENSIONS)})")
    category = record.category.strip()
    if not category:
        raise WorkforceFileError(f"Row {row}, column '{header['category']}' is blank: name the category.")
    count = record.count.strip().replace(",", "")
    if not count.isdigit() or not count.isascii():
        _bad(row, header["count"], record.count, "is not a whole number (0 or more)")
    return row, str(tier), dimension, category, int(count)


def _bad(row: int, column: str, value: str, problem: str) -> None:
    shown = value.strip() if len(value.strip()) <= 60 else value.strip()[:57] + "..."
    raise WorkforceFileError(f"Row {row}, column '{column}': '{shown}' {problem}.")


def _refuse_duplicates(rows: list[tuple[int, str, str, str, int]], tiers: _Tiers) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for row, tier, dimension, category, _count in rows:
        first = seen.setdefault((tier, dimension, category), row)
        if first != row:
            raise WorkforceFileError(
                f"Rows {first} and {row} both give a count for {tiers.names[tier]}, {dimension}, '{category}'; "
                "keep one row (or add the counts up)."
            )


def _aggregate_rows_per_tier(counts: list[Count], tiers: _Tiers) -> dict[str, int]:
    """People per tier: the largest total over the tier's dimensions."""
    totals: dict[tuple[str, str], int] = {}
    for tier, dimension, _category, count in counts:
        totals[tier, dimension] = totals.get((tier, dimension), 0) + count
    return {key: max((n for (t, _d), n in totals.items() if t == key), default=0) for key in tiers.order}
