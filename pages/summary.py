"""Entry shim for /summary on a server's first request; the page itself is pages/summary/summary.py."""

from planner.ui.navigation import run_app

run_app()
