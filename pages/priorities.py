"""Entry shim for /priorities on a server's first request; the page itself is pages/design/priorities.py."""

from planner.ui.navigation import run_app

run_app()
