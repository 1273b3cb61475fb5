"""Entry shim for /culture on a server's first request; the page itself is pages/discovery/culture.py."""

from planner.ui.navigation import run_app

run_app()
