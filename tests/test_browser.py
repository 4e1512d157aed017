"""The clinician's flow in headless Chromium against `streamlit run app.py`."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import codes_in_text

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT = 20_000
DEVICES: dict[str, dict] = {}  # playwright's device descriptors, filled by the page fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(data_dir: Path | None = None):
    """`streamlit run app.py` on a free local port, on the bundled data or data_dir."""
    port = _free_port()
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    env = {k: v for k, v in os.environ.items() if k != "KB_DATA_DIR"}
    if data_dir is not None:
        env["KB_DATA_DIR"] = str(data_dir)
    proc = subprocess.Popen(
        [streamlit, "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--client.toolbarMode", "viewer",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("streamlit did not become healthy in 30 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server():
    with serve() as base:
        yield base


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        DEVICES.update(p.devices)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            yield context.new_page()
        finally:
            browser.close()


def _count(**filters) -> str:
    """The explorer's heading for a filter, from the library (the data change, the flow not)."""
    from kb import catalog
    from kb.cube import ConditionFilter, query_conditions
    from kb.load import load

    n = len(query_conditions(catalog.cube(load()), ConditionFilter(**filters)))
    return f"Graded evidence: {n} condition" + ("" if n == 1 else "s")


def test_clinician_flow(server, page):
    every, moderate = _count(), _count(min_certainty="moderate")
    assert every != moderate
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server)
    page.get_by_text("Evidence information, not medical advice.").first.wait_for(timeout=WAIT)
    page.get_by_role("heading", name=every).wait_for(timeout=WAIT)

    # 1. minimum certainty moderate shrinks the table
    page.get_by_role("combobox", name="Minimum certainty").click()
    page.get_by_role("option", name="moderate", exact=True).click()
    page.get_by_role("heading", name=moderate).wait_for(timeout=WAIT)
    page.wait_for_function("() => location.search.includes('certainty=moderate')",
                           timeout=WAIT)
    explorer_url = page.url

    # 2. open the low back pain card at its row link's address (tests/test_app.py checks the
    # link; the grid draws it on a canvas, out of reach of a locator)
    page.get_by_text("Each row's link opens its condition card.").wait_for(timeout=WAIT)
    page.goto(f"{server}/condition?condition=low-back-pain")
    bottom_line = page.get_by_text(
        "Low back pain: moderate-certainty (authors' wording, not GRADE)")
    bottom_line.wait_for(timeout=WAIT)
    page.wait_for_function("() => location.search.includes('condition=low-back-pain')",
                           timeout=WAIT)
    card_url = page.url

    # 3. permalinks bring the same state back
    page.goto(explorer_url)
    page.get_by_role("heading", name=moderate).wait_for(timeout=WAIT)
    page.goto(card_url)
    bottom_line.wait_for(timeout=WAIT)
    page.get_by_text("Liu 2018", exact=False).first.wait_for(timeout=WAIT)

    # 4. screenshot for the README
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(explorer_url)
    page.get_by_role("heading", name=moderate).wait_for(timeout=WAIT)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=WAIT)
    page.screenshot(path=str(ARTIFACTS / "explorer.png"), full_page=False)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "screenshot.png").write_bytes((ARTIFACTS / "explorer.png").read_bytes())
    assert not dialogs


PAGES = {"evidence-map": "Download PNG",
         "condition?condition=neck-pain": "certainty of that evidence is not known",
         "claims?claim=fa-012": "Evidence trail", "graph": "Click a node to focus",
         "claims-check?status=overstated": "Support status",
         "disagreements": "non-overlapping values",
         "reference-impact?ref=liu2018": "Load-bearing references"}


def test_every_page_renders_without_exception(server, page):
    for path, text in PAGES.items():
        page.goto(f"{server}/{path}")
        page.get_by_text(text).first.wait_for(timeout=WAIT)
        assert page.get_by_text("Evidence information, not medical advice.").count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0, path


HOSTILE_PAGES = ["", "evidence-map", "condition?condition=back-pain", "claims?claim=al-001",
                 "graph", "claims-check", "disagreements", "reference-impact?ref=review2020",
                 "condition?condition=whiplash&detail=true", "claims?claim=be-001",
                 "reference-impact?ref=opinion"]


def test_hostile_kb_runs_no_script(page):
    """A KB seeded with script tags, event handlers and javascript: links: no dialog fires,
    no injected element reaches the page."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve(ROOT / "tests" / "fixtures" / "hostile") as base:
        for path in HOSTILE_PAGES:
            page.goto(f"{base}/{path}")
            page.get_by_text("Evidence information, not medical advice.").first.wait_for(
                timeout=WAIT)
            page.wait_for_timeout(500)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            injected = page.locator("script:has-text('xss'), img[onerror], svg[onload], "
                                    "iframe[src^='javascript'], b[onmouseover], "
                                    "a[href^='javascript'], img[src*='evil.example'], "
                                    "a[href*='evil.example'], img[src='x'], a[href='x']")
            assert injected.count() == 0, path
    assert dialogs == []


def test_check_a_text_flags_an_overstated_sentence(server, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/check-a-text")
    page.get_by_role("heading", name="Check a text").wait_for(timeout=WAIT)
    box = page.get_by_label("Text to check")
    box.fill("Dry needling is proven to cure tennis elbow.\n\n"
             "Serious adverse events occur in fewer than 1 per 10,000 treatments.\n\n"
             "<img src=x onerror=alert(1)> The sky is blue.")
    box.press("Control+Enter")
    page.get_by_role("heading", name="3 sentences checked").wait_for(timeout=WAIT)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "check-a-text.png"), full_page=True)
    flagged = page.locator("[data-testid='stMarkdownContainer']", has_text="Overstated")
    flagged.filter(has_text="proven to cure tennis elbow").first.wait_for(timeout=WAIT)
    page.locator("[data-testid='stMarkdownContainer']", has_text="Contradicted").filter(
        has_text="fewer than 1 per 10,000").first.wait_for(timeout=WAIT)
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0


VIEWPORTS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
CARDS = {"low-back-pain": "Low back pain", "neck-pain": "Neck pain", "headache": "Headache"}
def _main_text(page) -> str:
    """The main area's visible text, without the icon ligatures ("keyboard_arrow_right")."""
    return page.locator('[data-testid="stMain"]').evaluate(
        "e => { const c = e.cloneNode(true);"
        " c.querySelectorAll('[data-testid=stIconMaterial], [data-testid=stExpanderIcon]')"
        ".forEach(i => i.remove());"
        " document.body.appendChild(c); const t = c.innerText; c.remove(); return t; }")


def _visible_codes(page) -> list[str]:
    """Vocabulary codes and snake_case words in the main area's visible text."""
    import re

    text = _main_text(page)
    return sorted(codes_in_text(text) + re.findall(r"\b[a-z]+_[a-z_]+\b", text))


def _shoot(page, name: str) -> None:
    """A full-page screenshot of the main area (it scrolls inside its own container)."""
    ARTIFACTS.mkdir(exist_ok=True)
    main = page.locator('[data-testid="stMain"]')
    height = main.evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(height, 12000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_cards_and_safety_read_in_words(server, page, viewport):
    """The low back pain, neck pain and headache cards and the Safety page, on a desktop and a
    phone: studies, participants and the certainty basis visible, no raw code, screenshots."""
    context = page.context.browser.new_context(viewport=VIEWPORTS[viewport])
    try:
        tab = context.new_page()
        for condition, label in CARDS.items():
            for detail in ("", "&detail=1"):
                tab.set_viewport_size(VIEWPORTS[viewport])
                tab.goto(f"{server}/condition?condition={condition}{detail}")
                tab.get_by_role("heading", name=label).first.wait_for(timeout=WAIT)
                tab.get_by_text("Summary of findings").first.wait_for(timeout=WAIT)
                tab.wait_for_timeout(800)
                text = _main_text(tab)
                if detail:
                    assert "Studies" in text and "Participants" in text, condition
                assert "GRADE" in text or "authors' wording" in text, condition
                assert _visible_codes(tab) == [], (condition, detail)
                _shoot(tab, f"card-{condition}{'-detail' if detail else ''}-{viewport}")
        tab.set_viewport_size(VIEWPORTS[viewport])
        tab.goto(f"{server}/safety")
        tab.get_by_text("Contraindications").first.wait_for(timeout=WAIT)
        tab.wait_for_timeout(800)
        assert _visible_codes(tab) == []
        _shoot(tab, f"safety-{viewport}")
    finally:
        context.close()


def test_a_search_for_neck_reaches_the_neck_pain_card(server, page):
    """"neck" names no graded condition: the not-graded group lists neck pain with its card
    link (the table is a canvas: its accessible grid cells carry the text; where the link
    points is asserted by the AppTest)."""
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(server)
    box = page.get_by_label("Search conditions")
    box.wait_for(timeout=WAIT)
    box.fill("neck")
    box.press("Enter")
    page.get_by_role("heading", name="Evidence exists, but its certainty is not stated: "
                                     "2 conditions").wait_for(timeout=WAIT)
    page.locator("[role=gridcell]", has_text="Neck pain").first.wait_for(state="attached",
                                                                      timeout=WAIT)
    page.wait_for_function("() => location.search.includes('q=neck')", timeout=WAIT)


def _context(page, viewport: str):
    """A new context of the shared browser: a desktop, or a phone that says so in its
    User-Agent (as an iPhone 13 does) at 390x844."""
    options: dict = {"viewport": VIEWPORTS[viewport]}
    if viewport == "phone":
        options["user_agent"] = DEVICES["iPhone 13"]["user_agent"]
    return page.context.browser.new_context(**options)


def _filters_open(tab) -> bool:
    return tab.locator('[data-testid="stExpander"] details').first.get_attribute(
        "open") is not None


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_explorer_and_map_fit_desktop_and_phone(server, page, viewport):
    """The explorer's three groups and the evidence map at 1400x1000 and on a phone: the
    filters' panel open on the desktop and closed on the phone, naming the active filters; the
    map a plot on the desktop and a list of conditions with window chips on the phone; no
    raw code visible; full-page screenshots."""
    phone = viewport == "phone"
    context = _context(page, viewport)
    try:
        tab = context.new_page()
        tab.goto(f"{server}/?q=neck")
        tab.get_by_role("heading", name="Evidence exists, but its certainty is not stated"
                        ).wait_for(timeout=WAIT)
        tab.locator("[role=gridcell]", has_text="Neck pain").first.wait_for(
            state="attached", timeout=WAIT)
        tab.get_by_text("Filters: search “neck”").wait_for(timeout=WAIT)
        assert _filters_open(tab) is not phone
        assert tab.get_by_label("Search conditions").is_visible() is not phone
        assert _visible_codes(tab) == []
        _shoot(tab, f"explorer-neck-{viewport}")

        tab.set_viewport_size(VIEWPORTS[viewport])
        tab.goto(f"{server}/?window=short-term")
        tab.get_by_role("heading", name="Graded evidence").wait_for(timeout=WAIT)
        tab.get_by_role("heading", name="Listed as a possible use only").wait_for(
            state="detached", timeout=WAIT)  # a window filter needs graded evidence
        for header in (("Short term",) if phone else ("Immediate", "Short term", "Long term")):
            tab.locator("[role=columnheader]", has_text=header).first.wait_for(
                state="attached", timeout=WAIT)
        assert _visible_codes(tab) == []
        _shoot(tab, f"explorer-{viewport}")

        tab.set_viewport_size(VIEWPORTS[viewport])
        tab.goto(f"{server}/evidence-map")
        tab.get_by_text("Download PNG").wait_for(timeout=WAIT)
        plot = tab.locator('.st-key-wide_map [data-testid="stPlotlyChart"]')
        chips = tab.locator('.st-key-phone_map [data-testid="stPageLink"]')
        plot.wait_for(state="attached", timeout=WAIT)
        chips.first.wait_for(state="attached", timeout=WAIT)
        tab.wait_for_timeout(800)
        assert plot.is_visible() is not phone
        assert chips.first.is_visible() is phone
        if phone:
            listed = tab.locator(".st-key-phone_map").inner_text()
            assert "Low back pain" in listed and "Short term: moderate · 10 findings" in listed
        assert _filters_open(tab) is not phone
        assert _visible_codes(tab) == []
        _shoot(tab, f"evidence-map-{viewport}")
        if phone:  # the panel opens on a tap and stays open while its label follows
            tab.get_by_text("Filters: none set").click()
        tab.get_by_role("combobox", name="Minimum certainty").click()
        tab.get_by_role("option", name="moderate", exact=True).click()
        tab.get_by_text("Filters: at least moderate").wait_for(timeout=WAIT)
        tab.wait_for_function("() => location.search.includes('certainty=moderate')",
                              timeout=WAIT)
        assert _filters_open(tab)
        if phone:  # a condition's name in the list opens its card
            # the list redraws for the filter: wait until it has (osteoarthritis, very low
            # certainty only, has left it) so the click lands on the redrawn link
            tab.locator(".st-key-phone_map", has_text="Hip or knee osteoarthritis").wait_for(
                state="detached", timeout=WAIT)
            tab.wait_for_timeout(500)
            chips.filter(has_text="Low back pain").first.click()
            tab.wait_for_url("**/condition?condition=low-back-pain", timeout=WAIT)
            tab.get_by_role("heading", name="Low back pain").first.wait_for(timeout=WAIT)
    finally:
        context.close()


def _settle(tab) -> None:
    """Wait for the disclaimer and for the script run to finish, then for drawing."""
    tab.get_by_text("Evidence information, not medical advice.").first.wait_for(timeout=WAIT)
    tab.wait_for_function("() => document.querySelector('[data-testid=stApp]')"
                          "?.dataset.testScriptState === 'notRunning'", timeout=WAIT * 3)
    frames = tab.locator('[data-testid="stDataFrame"]:visible')
    if frames.count():  # the grid's accessible cells come after the script run
        frames.first.locator("[role=columnheader]").first.wait_for(state="attached",
                                                                   timeout=WAIT)
    tab.wait_for_timeout(1000)


def _hidden_codes(tab) -> tuple[list[str], int]:
    """Raw codes in the tables' accessible cells and headers (the grid draws on a canvas; its
    [role=gridcell] and [role=columnheader] hold the text) and in expander titles, and the
    number of cells read."""
    import re

    from conftest import label_codes, raw_codes

    codes = raw_codes()
    cells = tab.evaluate("() => Array.from(document.querySelectorAll("
                         "'[data-testid=stMain] [role=gridcell], "
                         "[data-testid=stMain] [role=columnheader]'))"
                         ".map(e => e.textContent.trim())")
    titles = tab.locator("[data-testid=stExpander] summary").all_inner_texts()
    found = [c for c in cells if c in codes or re.fullmatch(r"[a-z]+(_[a-z]+)+", c)]
    found += [code for c in cells for code in codes_in_text(c)]
    found += [code for t in titles for code in label_codes(t.strip().splitlines()[-1])]
    return sorted(set(found)), len(cells)


EVERY_PAGE = [("" if spec.default else spec.url_path, spec.title)
              for spec in __import__("kb.ui.links", fromlist=["PAGES"]).PAGES]
EVERY_PAGE.append(("claims?claim=fa-087", "Claims browser"))  # an evidence trail's cards


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_reads_in_words(server, page, viewport):
    """Every page of the app (kb.ui.links.PAGES) and a claim's evidence trail, on a desktop
    and a phone: no exception, no raw vocabulary code or snake_case word in the visible text,
    the tables' cells and headers or the expander titles; a full-page screenshot of each."""
    context = page.context.browser.new_context(viewport=VIEWPORTS[viewport])
    found, read = {}, {}
    try:
        tab = context.new_page()
        for path, title in EVERY_PAGE:
            tab.set_viewport_size(VIEWPORTS[viewport])
            tab.goto(f"{server}/{path}")
            tab.get_by_role("heading", name=title).first.wait_for(timeout=WAIT)
            _settle(tab)
            assert tab.locator('[data-testid="stException"]').count() == 0, path
            hidden, read[path] = _hidden_codes(tab)
            codes = sorted(set(_visible_codes(tab) + hidden))
            if codes:
                found[path or "explorer"] = codes
            name = (path or "explorer").replace("?", "-").replace("=", "-")
            _shoot(tab, f"page-{name}-{viewport}")
    finally:
        context.close()
    assert found == {}
    assert read["claims"] > 25 and read["claims-check"] > 25  # the tables' cells were read
