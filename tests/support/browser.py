"""Helpers for tests in a real Chromium: launching it, checking a page with axe-core, and moving
through a page with the keyboard alone."""
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic", "--lang=en-US", "--disable-features=Translate,AutofillServerCommunication"]
AXE = (Path(__file__).parents[1] / "vendor" / "axe-4.14.1.min.js").read_text()  # tests/vendor
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Every page records Content-Security-Policy violations, so that a test can assert there were none.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def axe_violations(page):
    """axe-core's violations on the page as it is now: [(rule, [targets])]."""
    page.wait_for_load_state("load")  # a page still arriving would be swapped out under axe's run
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE + "\n;true")  # evaluated over DevTools, so the page's CSP does not apply
    # resultTypes: axe's own switch to skip gathering every node of the passes (half the run's time);
    # the violations are reported in full all the same, and only they cross over to Python.
    found = page.evaluate("async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
                          " resultTypes: ['violations']})).violations.map(v => [v.id, v.nodes.map(n => n.target)])",
                          AXE_TAGS)
    return [(rule, targets) for rule, targets in found]


def csp_violations(page):
    """Content-Security-Policy violations recorded on the current page."""
    return page.evaluate("window.__csp || []")


def check_page(page):
    """Assert the page has no accessibility violations and broke no CSP rule."""
    found = axe_violations(page)
    assert found == [], (page.url, found)
    assert csp_violations(page) == [], page.url


def tab_to(page, selector, limit=120):
    """Press Tab until the element matching `selector` has focus; fail if it never does."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def type_into(page, selector, text):
    """Tab to a text field and type into it."""
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_radio(page, name, value):
    """Tab into a radio group and move with the arrow keys to the option with `value`."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    for _ in range(20):
        if page.evaluate("([n, v]) => document.querySelector(`input[name='${n}'][value='${v}']`).checked",
                         [name, value]):
            return
        if page.evaluate("n => !document.querySelector(`input[name='${n}']:checked`)", name):
            page.keyboard.press("Space")
        else:
            page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose {name}={value}")


def choose_option(page, selector, value):
    """Tab to a select and move with the arrow keys to the option with `value`."""
    tab_to(page, selector)
    for _ in range(60):
        if page.eval_on_selector(selector, "el => el.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose {value} in {selector}")


def press_button(page, selector):
    """Tab to a button and press Enter."""
    tab_to(page, selector)
    page.keyboard.press("Enter")


def type_date(page, selector, iso):
    """Tab to a date's three boxes and type day, month and year, as a person reads them in Indonesian."""
    year, month, day = iso.split("-")
    for part, value in (("day", str(int(day))), ("month", str(int(month))), ("year", year)):
        type_into(page, f"{selector}-{part}", value)


def fill_date(page, selector, iso):
    """Fill a date's three boxes (by pointer): day, month, year."""
    year, month, day = iso.split("-")
    for part, value in (("day", str(int(day))), ("month", str(int(month))), ("year", year)):
        page.fill(f"{selector}-{part}", value)


WAIT_SECONDS = 10.0  # how long wait_until waits by default; a throttled benchmark raises it


def wait_until(page, script, arg=None, timeout=None):
    """Poll `script` (a JS function) until it returns true. Playwright's own wait_for_function evaluates
    a string in the page, which the strict CSP rightly forbids."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + (timeout or WAIT_SECONDS)
    while time.monotonic() < deadline:
        try:
            if page.evaluate(script, arg):
                return
        except Error as error:  # the page navigated while we asked: ask the new one
            if "Execution context was destroyed" not in str(error):
                raise
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out on {page.url} waiting for {script}")


def wait_for_step(page, path):
    """Wait until htmx has swapped in the step at `path` and focus is on its heading or summary."""
    wait_until(page, "p => location.pathname === p && document.activeElement &&"
               " (document.activeElement.id === 'step-title' || document.activeElement.matches('[data-focus], h1'))",
               path)


# Every element a person can touch or reach with Tab, visible on screen, smaller than `limit` CSS px either way.
SMALL_TARGETS = """limit => Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
  .filter(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                 return r.width > 1 && r.height > 1 && s.visibility !== 'hidden'
                        && !e.closest('.hp, .visually-hidden, dialog:not([open]), .skip-link'); })
  .map(e => { const r = e.getBoundingClientRect();
              return [e.outerHTML.slice(0, 80), Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10]; })
  .filter(([_, w, h]) => w < limit || h < limit)"""


def small_targets(page, limit):
    """[(element, width, height)] of every visible target under `limit` × `limit` CSS px (WCAG 2.5.5)."""
    return [tuple(found) for found in page.evaluate(SMALL_TARGETS, limit)]


def kiosk_printing(context, fails=0):
    """Emulate Chromium's --kiosk-printing in `context`: window.print() prints at once, without a dialog,
    then fires afterprint, except for the first `fails` calls (a printer out of paper). Returns the list that
    records each call, across page loads."""
    calls = []
    context.expose_binding("__kioskPrint", lambda source: calls.append(source["page"].url) or len(calls) > fails)
    context.add_init_script("window.print = function () { window.__kioskPrint().then(function (printed) {"
                            " if (printed) window.dispatchEvent(new Event('afterprint')); }); };")
    return calls
