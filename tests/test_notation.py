"""Human notation: what users read on every page and in every label."""

from __future__ import annotations

import pytest

from trialdata.notation import WORD_JOINER, format_cells, format_dose_range, format_schedule, markdown_literal


@pytest.mark.parametrize("value, text", [
    (1e6, "1.0×10⁶"), (2.5e6, "2.5×10⁶"), (1.5e8 / 70, "2.14×10⁶"), (4e7, "4.0×10⁷"), (9.999e6, "1.0×10⁷"),
    (1e5, "1.0×10⁵"), (None, ""), (0.0, ""),
])
def test_cells_read_in_times_ten_notation(value: float | None, text: str) -> None:
    assert format_cells(value) == text


def test_ranges_share_their_power_of_ten() -> None:
    assert format_dose_range(1e6, 2e6, "cells/kg") == "1.0–2.0×10⁶ cells/kg"
    assert format_dose_range(1e5, 1e6) == "1.0×10⁵–1.0×10⁶"


@pytest.mark.parametrize("count, interval, days, text", [
    (1, None, (0,), "single"), (4, 7.0, (), "weekly ×4"), (4, 90.0, (), "every 3 months ×4"),
    (3, 3.0, (), "every 3 days ×3"), (2, 14.0, (), "every 2 weeks ×2"), (3, None, (0, 3, 10), "×3 (days 0, 3, 10)"),
    (None, None, (), "schedule not stated"), (None, 7.0, (), "weekly"),
])
def test_schedules_read_as_people_say_them(count, interval, days, text) -> None:
    assert format_schedule(count, interval, days) == text


def test_record_text_cannot_become_markdown_links_or_html() -> None:
    text = 'Arm [click](http://x) <img src=x onerror=alert(1)> :red[x] **b**'
    escaped = markdown_literal(text)
    assert "\\[click\\]\\(" in escaped and "\\<img" in escaped and "\\:red\\[" in escaped
    assert escaped.replace("\\", "").replace(WORD_JOINER, "") == text


@pytest.mark.parametrize(("text", "inert"), [
    ("see https://example.org", "see https\\:\u2060//example\\.org"),
    ("HTTP://X.Y", "HTTP\\:\u2060//X\\.Y"),
    ("www.example.org", "www\u2060\\.example\\.org"),
    ("contact a.b@c.org", "contact a\\.b\u2060@c\\.org"),
])
def test_bare_addresses_in_record_text_cannot_become_links(text: str, inert: str) -> None:
    """GitHub-flavoured Markdown links bare addresses whatever is escaped; a word joiner inside each stops it."""
    assert markdown_literal(text) == inert
