"""Board summary: the plan on one page, live — headline figures, charts, coverage, completeness and assurance."""

from planner.ui import export_views, summary_views, widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("summary", ctx)
widgets.require_plan(ctx)
summary_views.live_summary()
export_views.export_panel(ctx.plan.id)  # type: ignore[union-attr]
