"""Workforce import in Chromium: upload a person-level CSV, confirm the preview, see the figures change."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server, figure_value
from .test_app import _open, open_tab

pytestmark = pytest.mark.browser

# Two board members, one of them BME (50%), where the demo plan's board is 1 of 16 (6.2%).
PEOPLE = """Employee Number,Full Name,Tier,Pay Band,Staff Group,Gender,Ethnic Origin,Disability,Age Band
E1,Zelda Quux-Marsh,Board,,Administrative and Clerical,Female,N Black or Black British - African,No,55-64
E2,Yusuf Orrin,Board,,Medical and Dental,Male,A White - British,No,45-54
E3,Xavi Pellow,,Band 8 - Range C,Nursing and Midwifery Registered,Female,H Asian or Asian British - Indian,No,45-54
E4,Wren Tolly,,Band 5,Nursing and Midwifery Registered,Female,A White - British,Yes,25-34
"""


def test_upload_preview_confirm_and_the_diversity_figures_change(server: Server, page: Page, tmp_path) -> None:
    source = tmp_path / "esr_extract.csv"
    source.write_text(PEOPLE, encoding="utf-8")
    _open(page, f"{server.url}/workforce?plan={server.demo_id}")
    expect(figure_value(page, "BME on the board")).to_have_text("6.2%")
    expect(page.get_by_test_id("stImage").first).to_be_visible()

    open_tab(page, "Import a file").locator("input[type=file]").set_input_files(str(source))
    expect(page.get_by_text("one row per person, 4 rows read")).to_be_visible()
    expect(page.get_by_text("Full Name")).to_be_visible()  # named among the ignored columns
    page.get_by_role("button", name="Replace the workforce data").click()
    expect(page.get_by_text("Replaced the workforce data")).to_be_visible()

    open_tab(page, "Overview")
    expect(figure_value(page, "BME on the board")).to_have_text("50.0%")
    expect(figure_value(page, "Leaders")).to_have_text("3")
    expect(page.get_by_test_id("stImage").first).to_be_visible()
    expect(page.get_by_text("Zelda")).to_have_count(0)
