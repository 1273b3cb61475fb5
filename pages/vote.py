"""Entry shim for /vote on a server's first request; the page itself is pages/discovery/vote.py."""

from planner.ui.navigation import run_app

run_app()
