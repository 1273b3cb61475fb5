"""`python -m planner`: migrate, demo, plans, export, import-workforce, share, check (DESIGN §4).

Errors print one line to stderr and exit with status 2; nothing is half-written,
because each command's writes happen in one transaction.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from planner import plan_import, plans, sharing, workforce
from planner.access import PermissionDenied, owner
from planner.db import Conflict, DatabaseUnavailable, make_engine, ping, read_session, write_session
from planner.document import DocumentError
from planner.migration import SchemaError, check_schema, head_revision, integrity_problems, open_database, upgrade
from planner.seed import load_demo, seed
from planner.settings import Settings, SettingsError, load_settings
from planner.validation import InvalidInput
from planner.workforce_file import MAX_BYTES, WHOLE, WorkforceFileError, read_workforce_file

EXPECTED = (
    SettingsError,
    DatabaseUnavailable,
    SchemaError,
    InvalidInput,
    PermissionDenied,
    Conflict,
    DocumentError,
    WorkforceFileError,
    LookupError,
    OSError,
    SQLAlchemyError,
)


class CliError(Exception):
    """A failure reported as one line on stderr."""


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> None:
    """Create or upgrade the schema and add missing library interventions."""
    engine = make_engine(settings.database_url)
    ping(engine)
    revision = upgrade(engine)
    with write_session(engine) as session:
        added = seed(session)
    print(f"Database at schema {revision}; {added} library interventions added.")


def cmd_demo(settings: Settings, _args: argparse.Namespace) -> None:
    """Load the demo plan (idempotent) and print its id."""
    engine = open_database(settings)
    with write_session(engine) as session:
        print(load_demo(session, owner("command line")))


def cmd_plans(settings: Settings, _args: argparse.Namespace) -> None:
    """Print one line per plan: id, name, organisation, revision."""
    engine = open_database(settings)
    with read_session(engine) as session:
        views = plans.list_plans(session, owner("command line"))
    if not views:
        print("No plans yet: run `python -m planner demo` or create one in the app.")
    for view in views:
        flag = "  (archived)" if view.archived else ""
        print(f"{view.id}\t{view.name}\t{view.organisation}\trevision {view.revision}{flag}")


def cmd_check(settings: Settings, _args: argparse.Namespace) -> None:
    """Check that the database exists, its schema is at head and its integrity holds."""
    path = make_url(settings.database_url).database if settings.is_sqlite else None
    if path and path != ":memory:" and not Path(path).exists():
        raise CliError(f"no database at {path}: run `python -m planner migrate` to create it")
    engine = make_engine(settings.database_url)
    ping(engine)
    state = check_schema(engine)
    if state != "ok":
        raise CliError(f"schema is {state} (head {head_revision()}): run `python -m planner migrate`")
    problems = integrity_problems(engine)
    if problems:
        raise CliError(f"integrity check failed: {problems[0]} ({len(problems)} problem(s))")
    with read_session(engine) as session:
        count = len(plans.list_plans(session, owner("command line")))
    print(f"ok: schema {head_revision()} at head, integrity ok, {count} plan(s)")


EXPORT_FORMATS = ("json", "xlsx", "pdf", "pptx", "md")  # planner.export.FORMATS, without importing it


def _export_module() -> Any:
    # Imported on use: the board pack's libraries (fpdf2, python-pptx, vl-convert) slow every other command.
    from planner import export

    return export


def cmd_export(settings: Settings, args: argparse.Namespace) -> None:
    """Write the plan to a file: json (the plan file), xlsx, pdf (board pack), pptx or md."""
    engine = open_database(settings)
    with read_session(engine) as session:
        data = _export_module().export_bytes(session, owner("command line"), args.plan, args.format)
    _write_atomically(Path(args.output), data)
    print(f"Plan {args.plan} written to {args.output} ({args.format}).")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a failure never leaves half a file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def cmd_import_workforce(settings: Settings, args: argparse.Namespace) -> None:
    """Replace a plan's workforce counts with those of a CSV or XLSX file (person-level rows are only counted)."""
    path = Path(args.path)
    if path.stat().st_size > MAX_BYTES:
        raise CliError(f"{path.name} is {path.stat().st_size / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB")
    engine = open_database(settings)
    access = owner("command line")
    with read_session(engine) as session:
        tiers = workforce.tiers(session, access, args.plan)
        bands = workforce.band_tiers(session, access, args.plan)
    names = dict(zip(tiers["key"], tiers["name"], strict=True))
    found = read_workforce_file(path.read_bytes(), path.name, bands, names)  # parsed before the write lock is taken
    with write_session(engine) as session:
        workforce.replace_workforce(session, access, args.plan, found.counts, source=path.name)
    leaders = {names.get(key, key): count for key, count in found.rows_per_tier.items() if key != WHOLE}
    per_tier = ", ".join(f"{name} {count:,}" for name, count in leaders.items())
    kind = "person-level" if found.kind == "person" else "aggregate"
    print(f"Plan {args.plan}: workforce replaced from {path.name} ({kind}, {found.rows_read:,} rows read).")
    print(f"Leaders: {per_tier or 'none'}; whole workforce {found.rows_per_tier.get(WHOLE, 0):,}.")


def cmd_import(settings: Settings, args: argparse.Namespace) -> None:
    """Import a plan file (JSON, as `export` writes) as a new plan and print its id."""
    document = plan_import.read_plan_file(Path(args.path).read_bytes())  # checked before the write lock is taken
    engine = open_database(settings)
    with write_session(engine) as session:
        plan_id = plan_import.import_document(session, owner("command line"), document)
    print(plan_id)


def share_create(settings: Settings, args: argparse.Namespace) -> None:
    """Create a share link and print it: the only time its token is shown."""
    if args.role == "participant" and args.round_id is None:
        raise CliError("a participant link needs --round ID, the survey round it is for")
    engine = open_database(settings)
    with write_session(engine) as session:
        link = sharing.create_link(
            session,
            owner("command line"),
            args.plan,
            args.role,
            label=args.label,
            expires_in=args.expires,
            round_id=args.round_id,
            base_url=settings.public_url,
        )
    print(link.url)


def _when(value: Any) -> str:
    return "never" if pd.isna(value) else f"{value:%Y-%m-%d %H:%M} UTC"


def share_list(settings: Settings, args: argparse.Namespace) -> None:
    """Print one tab-separated line per link: id, role, label, status, expires, last used."""
    engine = open_database(settings)
    with read_session(engine) as session:
        links = sharing.list_links(session, owner("command line"), args.plan)
    if links.empty:
        print(f"No share links for plan {args.plan}: create one with `python -m planner share create {args.plan}`.")
    for link in links.to_dict("records"):
        fields = [link["Id"], link["Role"], link["Label"], link["Status"], _when(link["Expires"])]
        print("\t".join(map(str, [*fields, _when(link["Last used"])])))


def share_revoke(settings: Settings, args: argparse.Namespace) -> None:
    """Revoke a link, whichever plan it belongs to."""
    engine = open_database(settings)
    access = owner("command line")
    with write_session(engine) as session:
        sharing.revoke_link(session, access, sharing.link_plan(session, access, args.link_id), args.link_id)
    print(f"Link {args.link_id} revoked: it stops working from its next use.")


SHARE_ACTIONS: dict[str, Callable[[Settings, argparse.Namespace], None]] = {
    "create": share_create,
    "list": share_list,
    "revoke": share_revoke,
}


def cmd_share(settings: Settings, args: argparse.Namespace) -> None:
    """Create, list or revoke share links."""
    SHARE_ACTIONS[args.action](settings, args)


COMMANDS: dict[str, tuple[Callable[[Settings, argparse.Namespace], None], str]] = {
    "migrate": (cmd_migrate, "create or upgrade the database schema"),
    "demo": (cmd_demo, "load the demo plan (idempotent) and print its id"),
    "plans": (cmd_plans, "list plans"),
    "export": (cmd_export, "write a plan to a file (json, xlsx, pdf, pptx or md)"),
    "import": (cmd_import, "import a plan file (JSON) as a new plan and print its id"),
    "import-workforce": (cmd_import_workforce, "replace a plan's workforce counts from a CSV or XLSX file"),
    "share": (cmd_share, "create, list or revoke share links"),
    "check": (cmd_check, "check database integrity and that the schema is at head"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see `python -m planner --help`)\n")


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    top = _Parser(prog="python -m planner", description="Leadership Strategy Planner")
    sub = top.add_subparsers(dest="command", required=True)
    for name, (_func, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        if name == "share":
            _share_arguments(command)
        elif name == "export":
            command.add_argument("plan", type=int, help="plan id")
            command.add_argument("--format", default="json", choices=EXPORT_FORMATS)
            command.add_argument("-o", "--output", required=True, metavar="PATH", help="file to write")
        elif name == "import":
            command.add_argument("path", metavar="PATH", help="plan file (JSON) written by `export --format json`")
        elif name == "import-workforce":
            command.add_argument("plan", type=int, help="plan id")
            command.add_argument("path", metavar="PATH", help="CSV or XLSX file, person-level or aggregate")
    return top


def _expires(text: str) -> timedelta:
    try:
        return sharing.parse_expiry(text)
    except InvalidInput as error:  # argparse reports ArgumentTypeError's message as it is
        raise argparse.ArgumentTypeError(str(error)) from error


def _share_arguments(command: argparse.ArgumentParser) -> None:
    actions = command.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
    create = actions.add_parser("create", help="create a link and print it")
    create.add_argument("plan", type=int, help="plan id")
    create.add_argument("--role", required=True, choices=[str(role) for role in sharing.SHAREABLE])
    create.add_argument("--expires", type=_expires, help="how long it works: <n>h, <n>d or <n>w (default: no expiry)")
    create.add_argument("--label", default="", help="who or what the link is for, e.g. 'Finance director'")
    create.add_argument("--round", dest="round_id", type=int, help="survey round id (participant links only)")
    actions.add_parser("list", help="list a plan's links").add_argument("plan", type=int, help="plan id")
    actions.add_parser("revoke", help="revoke a link").add_argument("link_id", metavar="ID", type=int, help="link id")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error already printed as one line
        return int(stop.code or 0)
    try:
        COMMANDS[args.command][0](load_settings(), args)
    except (CliError, *EXPECTED) as error:
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return 2
    return 0


def _one_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
