"""Page weight of the report flow: for each page, the bytes of its HTML and of what it loads, raw and
compressed (gzip -6, what the server sends), and whether the first page fits one TCP initial window.

    make bench            # or: .venv/bin/python bench/pageweight.py

The budget: the first page of the report with its CSS at most 14,600 bytes compressed (10 segments
of 1,460 bytes, the initial congestion window), htmx (deferred and cached) not counted.
"""
import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests.support

from tests.support.citizen import REPORTER, TERLAPOR, Citizen, event_answers  # noqa: E402

from kiosk import create_app  # noqa: E402
from tests.support import database, keys  # noqa: E402

BUDGET = 14_600
ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


def compressed(data):
    """Bytes after gzip at level 6."""
    return len(gzip.compress(data, compresslevel=6))


def main():
    app = create_app({"DATA_DIR": database.scratch_folder("pageweight-"), "MIN_FORM_SECONDS": 0, "HUB_KEY": keys.HUB_KEY})
    person = Citizen(app.test_client())
    pages = []

    def measure(label, response):
        html = response.get_data()
        assets = {url: app.test_client().get(url).get_data() for url in ASSET.findall(html.decode())}
        pages.append((label, response.request.path, html, assets))

    measure("landing", person.get("/"))
    measure("start (first page of the report)", person.get("/lapor/"))
    person.get("/lapor/kejadian?jenis=formal")
    measure("step 1: the event", person.get("/lapor/kejadian"))
    measure("step 1 with every error shown", person.post("/lapor/kejadian", {"action": "next"}))
    measure("step 2: reported party", person.post("/lapor/kejadian", event_answers()))
    measure("step 3: witnesses", person.post("/lapor/terlapor", TERLAPOR))
    measure("step 4: evidence", person.post("/lapor/saksi", {"action": "next"}))
    measure("step 5: about you", person.post("/lapor/bukti", {"action": "next"}))
    measure("step 6: check your answers", person.post("/lapor/pelapor", REPORTER))
    fragment = person.client.get("/lapor/pelapor", headers={"HX-Request": "true"}).get_data()
    full = person.client.get("/lapor/pelapor").get_data()
    page = person.get("/lapor/periksa").get_data(as_text=True)
    key = re.search(r'name="submit_key" value="([^"]+)"', page).group(1)
    measure("receipt", person.post("/lapor/kirim", {"submit_key": key, "declared_true": "y"}))
    measure("status", person.get("/status"))

    print(f"{'page':38} {'path':22} {'html':>7} {'html gz':>8} {'css gz':>7} {'js gz':>7} {'first load gz':>14}")
    first_page_total = None
    for label, path, html, assets in pages:
        css = sum(compressed(body) for url, body in assets.items() if url.split("?")[0].endswith(".css"))
        js = sum(compressed(body) for url, body in assets.items() if url.split("?")[0].endswith(".js"))
        total = compressed(html) + css + js
        print(f"{label:38} {path:22} {len(html):7,} {compressed(html):8,} {css:7,} {js:7,} {total:14,}")
        if path == "/lapor/" and first_page_total is None:
            first_page_total = compressed(html) + css
    htmx_js = next(body for _, _, _, assets in pages for url, body in assets.items() if "htmx" in url)
    print(f"\nhtmx (deferred, cached after the first visit): {len(htmx_js):,} bytes, {compressed(htmx_js):,} gz")
    print(f"with htmx a step arrives as a fragment: 'about you' {compressed(fragment):,} gz "
          f"instead of {compressed(full):,} gz for the whole page")
    verdict = "fits" if first_page_total <= BUDGET else "DOES NOT FIT"
    print(f"first page of the report + CSS: {first_page_total:,} bytes compressed; budget {BUDGET:,}: {verdict}")
    return 0 if first_page_total <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
