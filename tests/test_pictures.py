"""Pictures and the self-contained HTML report, checked in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

import cio_framework
from cio_framework.cli import main
from cio_framework.plot import figure_svg, plot_landscape, plot_org_chart, plot_priorities
from cio_framework.report.html import render_html


@pytest.fixture(scope="module")
def pudong():
    return cio_framework.builtin("pudong-2016")


def test_landscape_boxes_islands_in_red(pudong):
    """Each island is drawn in a red box, the group that reaches a platform in a
    grey one; platforms are squares."""
    from matplotlib.colors import to_hex
    from matplotlib.markers import MarkerStyle

    ax = plot_landscape(pudong)
    edges = {
        p.get_label(): to_hex(p.get_edgecolor())
        for p in ax.patches
        if p.get_label() in ("_island", "_group")
    }
    assert edges == {"_island": "#e15759", "_group": "#9aa5b1"}
    assert [p.get_label() for p in ax.patches].count("_island") == 3
    assert "3 islands" in ax.get_title()
    platforms = next(c for c in ax.collections if c.get_label() == "_platform")
    assert len(platforms.get_offsets()) == len(pudong.platforms)
    square = MarkerStyle("s")
    expected = square.get_path().transformed(square.get_transform()).vertices
    assert platforms.get_paths()[0].vertices.tolist() == expected.tolist()


def test_org_chart_has_a_row_per_level(pudong):
    """The organisation chart labels each governance level and draws dotted lines dashed."""
    ax = plot_org_chart(pudong)
    labels = {t.get_text() for t in ax.texts}
    assert {level.name for level in pudong.levels} <= labels
    styles = {line.get_linestyle() for line in ax.lines}
    assert styles == {"-", "--"}


def test_priorities_bars_split_by_factor(pudong):
    """Priority bars stack one segment per factor."""
    ax = plot_priorities(pudong, top=4)
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == cio_framework.priorities(
        pudong
    ).priorities[0].id
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "islands merged" in legend
    assert "cost (subtracted)" in legend


def test_figure_svg_is_self_contained(pudong):
    """SVG output draws text as paths and references no external resource."""
    svg = figure_svg(plot_landscape(pudong))
    assert svg.startswith("<svg")
    assert not re.search(r"""(?:href|src)=["']https?:""", svg)


def test_html_report_is_self_contained(pudong):
    """The HTML report inlines its pictures and loads nothing from the network."""
    page = render_html(pudong)
    assert page.count("<svg") == 3
    assert not re.search(r"""(?:href|src)=["'](?:https?:)?//""", page)
    assert "<script" not in page


def test_report_html_cli(tmp_path, capsys):
    """report --format html -o FILE writes the page."""
    target = tmp_path / "pudong.html"
    assert main(["report", "--format", "html", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_html_report_renders_in_chromium(tmp_path, pudong):
    """Headless Chromium renders the report without console errors."""
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium package (see .ci/run)")
        pytest.skip("chromium is not installed on this machine")
    page = tmp_path / "report.html"
    page.write_text(render_html(pudong), encoding="utf-8")
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,3000",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert result.returncode == 0, result.stderr[-2000:]
    assert console == []
    assert shot.stat().st_size > 10_000


def test_chromium_sees_console_errors(tmp_path):
    """The browser check above would notice a page that logs an error."""
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium package (see .ci/run)")
        pytest.skip("chromium is not installed on this machine")
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>console.error('boom')</script></body></html>")
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'p'}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert any("CONSOLE" in line and "boom" in line for line in result.stderr.splitlines())


def test_plots_without_matplotlib(monkeypatch, pudong):
    """Without matplotlib, plotting says which extra to install; the HTML report still works."""
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(cio_framework.CioFrameworkError, match=r"cio_framework\[plot\]"):
        plot_landscape(pudong)
    page = render_html(pudong)
    assert "<svg" not in page
    assert "Pictures need matplotlib" in page
