"""Streamlit's own cost of a page's content: the page's elements, recorded from one run of the app, replayed by a
script with no planner code.

`record` runs a page in AppTest on a plan and keeps the delta messages of that run: every element and container
the run drew (the page, the sidebar's plan switcher, the live-refresh fragment), with their data. `REPLAY` serves
each recording as a hidden page of a bare app whose navigation mirrors the app's, so that opening
`/<key>-large` sends the browser the elements that `/<key>?plan=<large>` sends, with no database read and no
planner code run but the page list. In Chromium, a replay's large ÷ empty is what the content of the two pages
costs in Streamlit alone, and the app ÷ its replay is what the planner adds to it (benchmarks/browser_pages.py).

The pictures travel inside the messages (data URLs, planner/chart_images.py), so a replay draws every chart; an
element that points at a file on the recording's server (a media URL) would not, and `record` refuses one.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Iterable, Mapping
from functools import cache, partial
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.testing.v1 import AppTest, local_script_runner

from planner.settings import PROJECT_ROOT
from planner.ui.navigation import SPECS, page_file

RECORDINGS = "recordings.json"
REPLAY = """from pathlib import Path

import streamlit as st

from benchmarks import page_replay

st.set_page_config(page_title="Leadership Strategy Planner", page_icon=":material/diversity_3:", layout="wide")
st.navigation(page_replay.navigation(Path(__file__).parent / "recordings.json")).run()
"""
REPLAY_SERVER = """import json
from pathlib import Path

import streamlit as st

from planner.ui import deep_links

HERE = Path(__file__).parent
names = list(json.loads((HERE / "recordings.json").read_text()))
app = st.App(str(HERE / "replay.py"), routes=deep_links.routes(names))
"""


class MediaInRecording(ValueError):
    """A recorded element that points at a file on the recording's server, which a replay cannot serve."""


def record(key: str, plan_id: int, database_url: str) -> list[bytes]:
    """The delta messages of one run of the page `key` with the plan open, as the app's server sends them."""
    runs: list[list[ForwardMsg]] = []
    parse = local_script_runner.parse_tree_from_messages

    def kept(messages: list[ForwardMsg]) -> object:
        runs.append([message for message in messages if message.WhichOneof("type") == "delta"])
        return parse(messages)

    environment = {"PLANNER_DATABASE_URL": database_url, "PLANNER_MODE": "local"}  # as the benchmark serves it
    with patch.dict(os.environ, environment), patch.object(local_script_runner, "parse_tree_from_messages", kept):
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
        at.query_params["plan"] = str(plan_id)
        at.run()
        if key != "home":
            at.switch_page(page_file(key))
            at.run()
    if at.exception:
        raise RuntimeError(f"/{key} with plan {plan_id}: {at.exception[0].value}")
    return [_replayable(key, message.SerializeToString()) for message in runs[-1]]


def _replayable(key: str, message: bytes) -> bytes:
    if b"/media/" in message:
        raise MediaInRecording(f"/{key}: an element points at a media file, which its replay cannot serve")
    return message


def recordings(keys: Iterable[str], plans: Mapping[str, int], database_url: str) -> dict[str, list[bytes]]:
    """Each page's recording on each plan, named `<key>-<plan name>` (the replay's page paths)."""
    return {f"{key}-{name}": record(key, plan_id, database_url) for key in keys for name, plan_id in plans.items()}


def write_replay(folder: Path, recorded: Mapping[str, list[bytes]]) -> Path:
    """The replaying app and its recordings written to `folder`; returns the script to `streamlit run`."""
    encoded = {name: [base64.b64encode(message).decode() for message in messages]
               for name, messages in recorded.items()}  # fmt: skip
    (folder / RECORDINGS).write_text(json.dumps(encoded))
    (folder / "replay.py").write_text(REPLAY)
    (folder / "replay_server.py").write_text(REPLAY_SERVER)
    return folder / "replay_server.py"


def navigation(stored: Path) -> dict[str, list[st.Page]]:
    """The app's navigation (sections, titles, icons; the plan list the default page) with pages that draw
    nothing, plus one hidden page per recording stored in `stored`, at its name, that sends what was recorded."""
    sections: dict[str, list[st.Page]] = {}
    for spec in SPECS:
        page = st.Page(_nothing, title=spec.title, icon=f":material/{spec.icon}:", url_path=spec.url_path or None,
                       default=spec.key == "home")  # fmt: skip
        sections.setdefault(spec.section, []).append(page)
    sections[SPECS[0].section] += [st.Page(partial(send, messages), title=name, url_path=name, visibility="hidden")
                                   for name, messages in _stored(stored).items()]  # fmt: skip
    return sections


@cache  # read once per server process, as the app's scripts are compiled once: not part of any page load
def _stored(path: Path) -> dict[str, list[str]]:
    return json.loads(path.read_text())


def send(messages: list[str]) -> None:
    """Send recorded messages (base64, as `write_replay` stores them) to this session, as they were recorded."""
    context = get_script_run_ctx()
    for message in messages:
        context.enqueue(ForwardMsg.FromString(base64.b64decode(message)))


def _nothing() -> None:
    pass
