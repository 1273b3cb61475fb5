"""Entry shim for /history on a server's first request; the page itself is pages/plan/history.py."""

from planner.ui.navigation import run_app

run_app()
