"""Entry shim for /initiatives on a server's first request; the page itself is pages/development/initiatives.py."""

from planner.ui.navigation import run_app

run_app()
