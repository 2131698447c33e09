"""A walk through the formal report in a real browser, by pointer, with or without JavaScript,
calling `visit(page, name)` on every page it reaches (to run axe, measure widths, ...)."""
from .browser import fill_date, wait_until
from .citizen import REPORTER, TERLAPOR, days_ago


def _settle(page, js, path):
    """Wait until the step at `path` is shown: a page load without JavaScript, an htmx swap with it."""
    if js:
        wait_until(page, "p => location.pathname === p && !document.querySelector('.htmx-request')", path)
    else:
        page.wait_for_url(f"**{path}")


def _next(page, js, path):
    page.click("#step button[value=next]")
    _settle(page, js, path)


def _choose_regency(page, js, value):
    if page.input_value("#regency") == value:
        return  # already chosen: the office's own regency comes chosen
    page.select_option("#regency", value)
    if js:
        wait_until(page, "() => document.querySelectorAll('#district option').length > 1 &&"
                   " !document.querySelector('.htmx-request')")
    else:
        page.click("button[value=refresh]")
        page.wait_for_load_state()


def walk_formal(page, visit, js=True, kiosk=False, errors=True, witness=True, files=()):
    """File a formal report (one witness unless `witness` is False, `files` as Playwright's file payloads),
    first trying each form empty when `errors`; returns the receipt's tracking code."""
    page.goto("/" if kiosk else "/lapor/")  # on a kiosk, "/" is its start screen
    visit(page, "start")
    page.click("a[data-kind=formal]")
    page.wait_for_url("**/lapor/kejadian*")
    visit(page, "event")
    if errors:
        page.click("#step button[value=next]")
        page.wait_for_selector(".error-summary")
        visit(page, "event with errors")

    page.check("#category-0")
    fill_date(page, "#occurred_on", days_ago(3))
    fill_date(page, "#learned_on", days_ago(2))
    _choose_regency(page, js, "36.73")
    page.select_option("#district", "36.73.02")
    page.select_option("#village", "36.73.02.1001")
    page.fill("#place_detail", "Lapangan dekat TPS 12")
    page.fill("#description", "Tim sukses membagikan amplop berisi uang kepada warga yang antre.")
    _next(page, js, "/lapor/terlapor")
    visit(page, "reported party")

    page.fill("#terlapor_name", TERLAPOR["terlapor_name"])
    page.check(f"input[name=terlapor_role][value={TERLAPOR['terlapor_role']}]")
    _next(page, js, "/lapor/saksi")
    visit(page, "witnesses")

    if witness:
        page.fill("#witness_name", "Budi Santoso")
        page.click("#step button[value=add]")
        page.wait_for_selector(".items")
        visit(page, "witness added")
    _next(page, js, "/lapor/bukti")
    visit(page, "evidence")
    if files:
        if js:
            page.uncheck("#save-data")
        page.set_input_files("#files", files=list(files))
        page.click("#step button[value=upload]")
        page.wait_for_selector(".items")
        visit(page, "files added")

    _next(page, js, "/lapor/pelapor")
    visit(page, "about you")
    if errors:
        page.click("#step button[value=next]")
        page.wait_for_selector(".error-summary")
        visit(page, "about you with errors")
    page.check(f"input[name=reporter_type][value={REPORTER['reporter_type']}]")
    page.check(f"input[name=reporter_sex][value={REPORTER['reporter_sex']}]")
    fill_date(page, "#reporter_birth_date", REPORTER["reporter_birth_date"])
    for name in ("reporter_name", "reporter_nik", "reporter_birth_place", "reporter_occupation", "reporter_address", "reporter_phone", "reporter_email"):
        page.fill(f"#{name}", REPORTER[name])
    _next(page, js, "/lapor/periksa")
    visit(page, "check your answers")

    page.check("#declared_true")
    page.click("button[value=send]")
    _settle(page, js, "/lapor/tanda-terima")
    page.wait_for_selector(".tracking-code")
    visit(page, "receipt")
    return page.inner_text(".tracking-code").replace(" ", "").replace("\n", "")


def walk_late_to_tip(page, visit, js=True):
    """Begin a formal report about something learned of weeks ago, meet the deadline notice, send it as a tip
    instead (its contact step, its review), to the tip's receipt: the steps a formal walk never sees."""
    page.goto("/lapor/kejadian?jenis=formal")
    page.check("#category-0")
    fill_date(page, "#occurred_on", days_ago(45))
    fill_date(page, "#learned_on", days_ago(40))
    _choose_regency(page, js, "36.73")
    page.select_option("#district", "36.73.02")
    page.fill("#place_detail", "Balai desa")
    page.fill("#description", "Kepala desa mengajak warga memilih calon tertentu di balai desa.")
    _next(page, js, "/lapor/terlapor")
    page.fill("#terlapor_name", TERLAPOR["terlapor_name"])
    page.check(f"input[name=terlapor_role][value={TERLAPOR['terlapor_role']}]")
    _next(page, js, "/lapor/saksi")
    _next(page, js, "/lapor/bukti")
    _next(page, js, "/lapor/batas-waktu")
    visit(page, "deadline passed")
    page.click("button[name=choice][value=tip]")
    _settle(page, js, "/lapor/kontak")
    visit(page, "contact")
    _next(page, js, "/lapor/periksa")
    visit(page, "check your answers (tip)")
    page.check("#declared_true")
    page.click("button[value=send]")
    _settle(page, js, "/lapor/tanda-terima")
    page.wait_for_selector(".tracking-code")
    visit(page, "receipt (tip)")
