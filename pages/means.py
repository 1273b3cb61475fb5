"""Entry shim for /means on a server's first request; the page itself is pages/design/means.py."""

from planner.ui.navigation import run_app

run_app()
