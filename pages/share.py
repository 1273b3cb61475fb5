"""Entry shim for /share on a server's first request; the page itself is pages/plan/share.py."""

from planner.ui.navigation import run_app

run_app()
