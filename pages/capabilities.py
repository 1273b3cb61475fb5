"""Entry shim for /capabilities on a server's first request; the page itself is pages/discovery/capabilities.py."""

from planner.ui.navigation import run_app

run_app()
