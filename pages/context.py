"""Entry shim for /context on a server's first request; the page itself is pages/discovery/context.py."""

from planner.ui.navigation import run_app

run_app()
