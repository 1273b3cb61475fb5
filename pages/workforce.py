"""Entry shim for /workforce on a server's first request; the page itself is pages/discovery/workforce.py."""

from planner.ui.navigation import run_app

run_app()
