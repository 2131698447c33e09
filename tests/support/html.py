"""Pages parsed, for the assertions that matter: a substring can be anywhere (a link home is in every
page's header), an element is where a person sees it. Each function takes a page (text, a
response of Flask's test client or a LiveClient, or a parsed tree or element) and fails with the page's outline when the element
it looks for is not there."""
import datetime as dt
import re

from bs4 import BeautifulSoup, Tag


def parse(page):
    """The page as a BeautifulSoup tree (parsed by lxml); a tree or an element of one is taken as it is."""
    if isinstance(page, Tag):
        return page
    if hasattr(page, "get_data"):
        page = page.get_data(as_text=True)
    return BeautifulSoup(page, "lxml")


def squeeze(text):
    """Text as a person reads it: runs of white space as one space, none at the ends."""
    return re.sub(r"\s+", " ", text).strip()


def _outline(soup):
    """The page's headings, for a failure message."""
    return [squeeze(h.get_text(" ")) for h in soup.select("h1, h2")][:12]


def find(page, selector):
    """The one element matching the CSS `selector`; fails if there is none or more than one."""
    soup = parse(page)
    found = soup.select(selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r} in a page headed {_outline(soup)}"
    return found[0]


def has(page, selector):
    """Whether any element matches `selector`."""
    return parse(page).select_one(selector) is not None


def text(page, selector):
    """The text of the one element matching `selector`, white space squeezed."""
    return squeeze(find(page, selector).get_text(" "))


def texts(page, selector):
    """The texts of every element matching `selector`, in order."""
    return [squeeze(element.get_text(" ")) for element in parse(page).select(selector)]


def h1(page):
    """The page's one main heading."""
    return text(page, "h1")


def _anchors(page, within):
    """The links (<a href>) matching or inside the elements matching `within`, in order."""
    scope = parse(page).select(within)
    assert scope, f"nothing matches {within!r}"
    return [a for element in scope
            for a in ([element] if element.name == "a" and element.has_attr("href") else element.select("a[href]"))]


def links(page, within="body"):
    """The addresses of the links matching, or inside the elements matching, `within` (every link of
    the page by default), in order."""
    return [a["href"] for a in _anchors(page, within)]


def link(page, label, within="body"):
    """The address of the one link (matching or inside `within`) whose text is `label`."""
    found = [a["href"] for a in _anchors(page, within) if squeeze(a.get_text(" ")) == label]
    assert len(found) == 1, f"{len(found)} links {label!r} in {within!r}"
    return found[0]


def errors(page):
    """The error summary's items as (link target, message), in order; [] when the page has none."""
    soup = parse(page)
    summary = soup.select(".error-summary")
    assert len(summary) <= 1, "more than one error summary"
    if not summary:
        return []
    return [(a["href"], squeeze(a.get_text(" "))) for a in summary[0].select("li a[href]")]


def visible_text(element):
    """An element's text as the screen shows it: without what only a screen reader hears (.visually-hidden)."""
    return squeeze("".join(str(s) for s in element.find_all(string=True)
                           if not any("visually-hidden" in (p.get("class") or []) for p in s.parents)))


def field_errors(page):
    """{field id: message} of the messages shown beside the fields."""
    return {p["id"].removesuffix("-error"): visible_text(p) for p in parse(page).select("p.error-message[id]")}


def value(page, name):
    """What the form field `name` holds, as the browser would send it: an input's value, a textarea's
    text, a select's chosen option, the checked radio (None when none is)."""
    soup = parse(page)
    fields = soup.find_all(["input", "textarea", "select"], attrs={"name": name})
    assert fields, f"no field {name!r}"
    first = fields[0]
    if first.name == "textarea":
        return first.get_text()
    if first.name == "select":
        chosen = first.select("option[selected]") or first.select("option")[:1]
        return chosen[0].get("value", chosen[0].get_text()) if chosen else None
    if first.get("type") in ("radio", "checkbox"):
        checked = [f.get("value", "on") for f in fields if f.has_attr("checked")]
        if first.get("type") == "radio":
            return checked[0] if checked else None
        return checked
    return first.get("value", "")


def date_value(page, name):
    """The date a date's three boxes (day, month, year) hold, as ISO; what was typed when it is no date."""
    day, month, year = (value(page, f"{name}-{part}") or "" for part in ("day", "month", "year"))
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return f"{day}/{month}/{year}"


def definitions(page, selector):
    """The one summary list matching `selector` as {question: answer} (the first <dd> of each row)."""
    return {squeeze(row.dt.get_text(" ")): squeeze(row.select("dd")[0].get_text(" "))
            for row in find(page, selector).select(".summary-row")}


def summary(page):
    """Every summary list (<dl class="summary">: the answers on the review page, the facts of a
    receipt or a status) as {the heading before it: {question: answer}}."""
    sections = {}
    for dl in parse(page).select("dl.summary"):
        heading = dl.find_previous(["h2", "h3"])
        sections[squeeze(heading.get_text(" ")) if heading else ""] = {
            squeeze(row.dt.get_text(" ")): squeeze(row.select("dd")[0].get_text(" "))  # a second <dd>: the change link
            for row in dl.select(".summary-row")}
    return sections


def rows(page, selector="table"):
    """The body rows of the one table matching `selector`, each a list of its cells' texts (header
    cells of the row included)."""
    table = find(page, selector)
    body = table.select("tbody tr") or table.select("tr")[1:]
    return [[squeeze(cell.get_text(" ")) for cell in tr.find_all(["th", "td"], recursive=False)] for tr in body]


def tracking_code(page):
    """The tracking code on a receipt, its groups joined."""
    return "".join(text(page, ".tracking-code").split())
