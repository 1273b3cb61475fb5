"""Importing a 200,000-row person-level workforce CSV vs `pandas.read_csv` of the same file, as a ratio (issue 4).

The file looks like an NHS ESR extract, with columns the import must ignore (employee number, name, email,
job title). The import is timed on the file's bytes, as the page receives an upload (and, as a second figure,
starting from the file on disk as the command line does); `pandas.read_csv` reads the file on disk. Each is
the best of --repeat runs, interleaved.
Run: python benchmarks/workforce_import.py [--rows 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.errors import Pandas4Warning

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.framework import framework, names
from planner.workforce_file import read_workforce_file

BANDS = ["Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8 - Range A", "Band 8 - Range B"]
BANDS += ["Band 8 - Range C", "Band 8 - Range D", "Band 9", "VSM", "Consultant", "Specialty Doctor", "Students"]
STAFF_GROUPS = [
    "Nursing and Midwifery Registered",
    "Additional Clinical Services",
    "Administrative and Clerical",
    "Allied Health Professionals",
    "Medical and Dental",
    "Estates and Ancillary",
    "Add Prof Scientific and Technic",
    "Healthcare Scientists",
    "Students",
]
ETHNIC_ORIGINS = [
    "A White - British",
    "B White - Irish",
    "C White - Any other White background",
    "D Mixed - White & Black Caribbean",
    "F Mixed - White & Asian",
    "H Asian or Asian British - Indian",
    "J Asian or Asian British - Pakistani",
    "L Asian or Asian British - Any other Asian background",
    "M Black or Black British - Caribbean",
    "N Black or Black British - African",
    "R Chinese",
    "S Any Other Ethnic Group",
    "Z Not Stated",
    "Not Stated (Person asked but declined to provide a response)",
]
GENDERS = ["Female", "Male", "Female", "Female", "Non-binary", "Prefer not to say"]
DISABILITIES = ["No", "Yes", "Not Declared", "Prefer Not To Answer", "Unspecified", ""]
AGE_BANDS = ["<=20 Years", "21-25", "26-30", "31-35", "36-40", "41-45", "46-50", "51-55", "56-60", "61-65", ">=71"]
JOB_TITLES = ["Staff Nurse", "Ward Manager", "Healthcare Assistant", "Consultant", "Porter", "Admin Officer"]


def write_extract(path: Path, rows: int, seed: int = 4) -> None:
    """An ESR-like person-level CSV with identifying columns the import must ignore."""
    rng = np.random.default_rng(seed)
    number = np.arange(100_000, 100_000 + rows)

    def pick(values: list[str]) -> np.ndarray:
        return np.array(values, dtype=object)[rng.integers(0, len(values), rows)]

    frame = pd.DataFrame(
        {
            "Employee Number": number,
            "Full Name": [f"Person {n} Surname{n % 997}" for n in number],
            "Email": [f"person.{n}@example.nhs.uk" for n in number],
            "Job Title": pick(JOB_TITLES),
            "Pay Band": pick(BANDS),
            "Staff Group": pick(STAFF_GROUPS),
            "Gender": pick(GENDERS),
            "Ethnic Origin": pick(ETHNIC_ORIGINS),
            "Disability": pick(DISABILITIES),
            "Age Band": pick(AGE_BANDS),
            "FTE": rng.choice([1.0, 0.8, 0.6, 0.5], rows),
        }
    )
    frame.to_csv(path, index=False)


def best_of(repeat: int, *runs: Callable[[], object]) -> list[float]:
    """The fastest time of each run, interleaved so that a busy moment of the machine hits both alike."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for run, spent in zip(runs, times, strict=True):
            start = time.perf_counter()
            run()
            spent.append(time.perf_counter() - start)
    return [min(spent) for spent in times]


def _read_csv_as_pandas_does(path: Path) -> pd.DataFrame:
    """`pandas.read_csv` with pandas' own default, text in Arrow "str" columns (planner/__init__.py turns it off)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Pandas4Warning)
        with pd.option_context("future.infer_string", True):
            return pd.read_csv(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    band_tiers = {item["band"]: item["tier"] for item in framework()["band_mapping"]}
    tier_names = names("tiers")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "esr_extract.csv"
        write_extract(path, args.rows)
        data = path.read_bytes()
        result = read_workforce_file(data, path.name, band_tiers, tier_names)
        assert result.rows_read == args.rows, result.rows_read
        imported, from_disk, baseline = best_of(
            args.repeat,
            lambda: read_workforce_file(data, path.name, band_tiers, tier_names),
            lambda: read_workforce_file(path.read_bytes(), path.name, band_tiers, tier_names),
            lambda: _read_csv_as_pandas_does(path),
        )
        megabytes = path.stat().st_size / 1024 / 1024
    figure = {
        "name": "workforce_import_vs_read_csv",
        "value": round(imported / baseline, 2),
        "unit": "ratio",
        "rows": args.rows,
        "megabytes": round(megabytes, 1),
        "ratio_reading_the_file_too": round(from_disk / baseline, 2),
    }
    print(json.dumps(figure))


if __name__ == "__main__":
    main()
