"""Concurrent-write latency as ratios: 20 writer processes x 50 writes on one plan vs the same writes by one writer.

Run: python benchmarks/concurrent_writes.py [--writers 20] [--writes 50] [--postgres URL]
The workload is tests/concurrency/workload.py (new context items, versioned edits of shared items,
check-ins and survey votes). SQLite by default (a temporary file, WAL); with --postgres, a temporary
database on that server. Prints one JSON line per figure; ratios only, since absolute times on shared
machines mean little.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.concurrency.workload import migrate, percentiles, prepare, run_writers
from tests.pg import postgres_database


@contextmanager
def database(postgres: str | None, folder: Path) -> Iterator[str]:
    """A new, migrated database URL: a temporary PostgreSQL database, or an SQLite file in `folder`."""
    if postgres:
        with postgres_database(postgres) as url:
            migrate(url)
            yield url
        return
    url = f"sqlite:///{folder / 'bench.db'}"
    migrate(url)
    yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--writes", type=int, default=50)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (postgresql+psycopg://…) instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.postgres, Path(tmp)) as url:
        target = prepare(url)
        single = percentiles(run_writers(target, 1, args.writes, Path(tmp), "single"))
        many = percentiles(run_writers(target, args.writers, args.writes, Path(tmp), "many"))
    backend = "postgresql" if args.postgres else "sqlite"
    for name, ratio in (("p50", many[0] / single[0]), ("p95", many[1] / single[1])):
        figure = {"name": f"concurrent_write_latency_{name}_vs_single", "value": round(ratio, 2), "unit": "ratio"}
        print(json.dumps(figure | {"backend": backend, "writers": args.writers, "writes_each": args.writes}))


if __name__ == "__main__":
    main()
