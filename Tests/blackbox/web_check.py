#!/usr/bin/env python3
"""The web pages in a real browser: Debian's Chromium driven by Playwright, against a running `junkai serve`.

    web_check.py BASE DEMO_JSON ADMIN_TOKEN OUT_DIR

One journey per role through the pages only, each signing in with a personal link and out again:
the coordinator (link from the API) looks around, hands out a desk link and a staff link from its own pages,
accepts the desk's request, creates a plan, solves it with live progress, reads the grid, coverage and terms
and publishes; the municipality desk (phone width) requests a day and reads its month; the staff member
(phone width) reads their month, declares a date and gets a calendar-feed URL. Then a forged form post is
refused (403, nothing changed) and markup typed into a note or a name shows as text. axe-core scans every
page; a serious or critical finding fails the check. Screenshots of every page go to OUT_DIR.
"""
import json
import re
import sys
import time
from pathlib import Path

import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright, expect

CHROMIUM = "/usr/bin/chromium"
XSS = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\">"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


class CheckFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailure(message)


class Run:
    def __init__(self, base, demo, admin, out):
        self.base = base.rstrip("/")
        self.demo = demo
        self.admin = admin
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.axe = Axe()
        self.shots = 0
        self.scanned = []
        self.findings = []
        self.request_date = None
        self.staff_days = 0

    # --- API (only to hand out the first links and to read what the pages did) ---

    def api(self, method, path, token, expect_status, body=None):
        r = requests.request(method, f"{self.base}/v1{path}", json=body, timeout=30,
                             headers={"Authorization": f"Bearer {token}"})
        check(r.status_code == expect_status, f"{method} {path}: expected {expect_status}, got {r.status_code}: {r.text[:300]}")
        return r.json() if r.content else None

    def link(self, token, body):
        cid = self.demo["consortium"]
        return self.api("POST", f"/consortia/{cid}/sign-in-links", token, 201, body)["url"]

    # --- page helpers ---

    def visit(self, page, name, phone=False):
        """Screenshot and axe-scan the page now shown; checks phone-width pages do not scroll sideways."""
        page.wait_for_load_state("load")
        self.shots += 1
        page.screenshot(path=str(self.out / f"{self.shots:02d}-{name}.png"), full_page=True, timeout=120_000)
        results = self.axe.run(page)
        serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        self.scanned.append(name)
        for v in serious:
            targets = [n.get("target") for n in v.get("nodes", [])][:3]
            self.findings.append(f"{name}: {v['id']} ({v['impact']}): {v['help']} at {targets}")
        check(page.locator("html").get_attribute("lang") == "ja", f"{name}: <html lang> is not ja")
        if phone:
            width = page.evaluate("document.documentElement.scrollWidth")
            check(width <= PHONE["width"] + 1, f"{name}: {width}px wide at a 375px viewport (scrolls sideways)")
        check(page.evaluate("window.__xss") is None, f"{name}: injected markup ran as script")

    def sign_in(self, page, url, name, phone=False):
        page.goto(url)
        check(page.get_by_role("button", name="サインイン").count() == 1, f"{name}: no サインイン button on the link page")
        self.visit(page, f"{name}-link", phone)
        page.get_by_role("button", name="サインイン").click()
        page.wait_for_load_state("load")
        check(page.get_by_role("button", name="サインアウト").count() == 1, f"{name}: not signed in after the link")
        check(page.locator("nav").count() >= 1, f"{name}: no <nav>")

    def sign_out(self, page, name):
        page.get_by_role("button", name="サインアウト").click()
        page.wait_for_load_state("load")
        check("/sign-in" in page.url, f"{name}: サインアウト did not lead to the sign-in page ({page.url})")
        check(page.get_by_role("button", name="サインアウト").count() == 0, f"{name}: still signed in after サインアウト")

    def nav(self, page, label):
        page.locator("nav").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state("load")

    def flash(self, page):
        f = page.locator(".flash")
        return f.first.inner_text() if f.count() else ""

    # --- journeys ---

    def coordinator_setup(self, browser):
        """The coordinator signs in with a link, looks around, hands out a desk and a staff link from its pages."""
        cid = self.demo["consortium"]
        # A staff member whose name is markup: the pages must show it as text.
        self.api("POST", f"/consortia/{cid}/staff", self.demo["coordinatorToken"], 201,
                 {"name": XSS, "home": {"lat": 34.68, "lon": 135.8}, "skills": {}, "maxDaysPerWeek": 1})
        context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
        page = context.new_page()
        self.sign_in(page, self.link(self.admin, {"role": "coordinator"}), "coordinator")
        self.visit(page, "coordinator-home")
        for label in ["計画", "依頼", "人材", "ポスト", "団体", "実績", "負担金"]:
            check(page.locator("nav").get_by_role("link", name=label, exact=True).count() == 1, f"coordinator nav: no {label}")

        self.nav(page, "団体")
        desk = self.demo["municipalities"][0]
        row = page.get_by_role("row").filter(has_text=desk["name"])
        row.get_by_role("button", name="窓口のサインインリンクを発行").click()
        page.wait_for_load_state("load")
        desk_url = page.locator("#issued-url").input_value()
        check("/sign-in/" in desk_url, "団体: no sign-in link shown")
        self.visit(page, "coordinator-members")

        self.nav(page, "人材")
        check(page.get_by_text(XSS, exact=False).count() >= 1, "人材: the markup name is not shown as text")
        staff = self.demo["staff"][0]
        page.get_by_role("row").filter(has_text=staff["name"]).get_by_role("button", name="サインインリンクを発行").click()
        page.wait_for_load_state("load")
        staff_url = page.locator("#issued-url").input_value()
        check("/sign-in/" in staff_url, "人材: no sign-in link shown")
        self.visit(page, "coordinator-staff")

        self.nav(page, "ポスト")
        self.visit(page, "coordinator-posts")
        for label, name in [("実績", "coordinator-work-records"), ("負担金", "coordinator-cost-share")]:
            self.nav(page, label)
            self.visit(page, name)
        return context, page, desk, desk_url, staff, staff_url

    def municipality_journey(self, browser, desk, url):
        """The desk (on a phone) requests a day with a note holding markup, sees it listed as text, reads its month."""
        context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
        page = context.new_page()
        self.sign_in(page, url, "municipality", phone=True)
        for label in ["依頼", "予定", "実績"]:
            check(page.locator("nav").get_by_role("link", name=label, exact=True).count() == 1, f"desk nav: no {label}")
        self.visit(page, "municipality-requests", phone=True)
        options = page.get_by_label("ポスト").locator("option[value]:not([value=''])")
        check(options.count() >= 1, "desk: no posts to request")
        post_value = options.first.get_attribute("value")
        note = f"庁内DX会議 {XSS}"
        made = False
        # The first dates may fall on a weekday the post does not work: the error shows in place, note kept.
        for day in ["2027-06-07", "2027-06-08", "2027-06-09", "2027-06-10", "2027-06-11"]:
            page.get_by_label("ポスト").select_option(post_value)
            page.get_by_label("日付").fill(day)
            page.get_by_label("種別").select_option(label="必須")
            page.get_by_label("メモ").fill(note)
            page.get_by_role("button", name="依頼する").click()
            page.wait_for_load_state("load")
            if "を送信しました" in self.flash(page):
                made = True
                self.request_date = day
                break
            check(page.get_by_label("メモ").input_value() == note, "desk: the note was lost on an error")
            check(page.locator(".error-summary").count() == 1, "desk: an error without a message")
            self.visit(page, "municipality-request-error", phone=True)
        check(made, "desk: no request could be made")
        check(page.get_by_text("<script>window.__xss = 1</script>", exact=False).count() >= 1,
              "desk: the markup in the note is not shown as text")
        self.visit(page, "municipality-requests-made", phone=True)
        self.nav(page, "予定")
        page.goto(page.url.split("?")[0] + "?month=2027-04")
        check(page.locator("time[datetime^='2027-04']").count() >= 20, "desk: the month has no <time datetime> days")
        self.visit(page, "municipality-schedule", phone=True)
        self.nav(page, "実績")
        row = page.get_by_role("row").filter(has_text="Web確認: 窓口のオンライン申請の相談")
        check(row.count() == 1, "desk: the staff member's record is not in its 実績")
        self.visit(page, "municipality-work-records", phone=True)
        row.get_by_role("button", name="確認").click()
        page.wait_for_load_state("load")
        check("確認しました" in self.flash(page), f"desk: 確認 did not confirm ({self.flash(page)!r})")
        self.sign_out(page, "desk")
        context.close()

    def coordinator_work(self, context, page):
        """The coordinator accepts the request, plans the quarter with live progress, reviews and publishes."""
        self.nav(page, "依頼")
        row = page.get_by_role("row").filter(has_text="庁内DX会議")
        check(row.count() >= 1, "依頼: the desk's request is not in the inbox")
        self.visit(page, "coordinator-requests")
        row.first.get_by_role("button", name="承認").click()
        page.wait_for_load_state("load")
        check("承認しました" in self.flash(page), f"依頼: no confirmation after 承認 ({self.flash(page)!r})")
        # Decline another waiting request, when there is one, with a reason.
        others = page.get_by_role("button", name="却下")
        if others.count():
            others.first.click()
            page.wait_for_load_state("load")
            self.visit(page, "coordinator-decline")
            page.get_by_label("理由").fill("同じ週に研修があるため")
            page.get_by_role("button", name="却下").click()
            page.wait_for_load_state("load")
            check("却下しました" in self.flash(page), "依頼: no confirmation after 却下")

        self.nav(page, "計画")
        self.visit(page, "coordinator-plans")
        page.get_by_label("名前").fill("Web確認 2027年度第1四半期")
        page.get_by_label("開始日").fill("2027-04-01")
        page.get_by_label("終了日").fill("2027-06-30")
        page.get_by_role("button", name="作成する").click()
        page.wait_for_load_state("load")
        check("作成しました" in self.flash(page), "計画: not created")
        page.get_by_label("計算時間（秒）").fill("5")
        page.get_by_role("button", name="最適化").click()
        page.wait_for_load_state("load")
        # The script polls the progress and draws the objective over time while the solve runs.
        expect(page.locator("#progress-line")).to_have_attribute("points", re.compile(r"\d"), timeout=30_000)
        self.visit(page, "coordinator-plan-solving")
        expect(page.locator("#plan-status")).to_have_text("最適化済み", timeout=120_000)
        check(page.get_by_role("button", name="公開").count() == 1, "plan: no 公開 button after solving")
        check(page.get_by_text("公開すると").count() >= 1, "plan: no difference against the current schedule")
        self.visit(page, "coordinator-plan")
        page.get_by_role("link", name="割当表").click()
        page.wait_for_load_state("load")
        check(page.locator("#grid td.a").count() > 100, "grid: too few assignments shown")
        check(page.locator("#grid th.hol").count() >= 1, "grid: no holiday marked")
        page.locator("#grid td.a").first.click()
        check(page.locator("#edit-post").input_value() != "", "grid: pressing a cell did not fill the edit form")
        self.visit(page, "coordinator-grid")
        page.get_by_role("link", name="カバー状況").click()
        page.wait_for_load_state("load")
        self.visit(page, "coordinator-coverage")
        page.get_by_role("link", name="概要").click()
        page.wait_for_load_state("load")
        page.get_by_role("button", name="公開").click()
        page.wait_for_load_state("load")
        check("公開しました" in self.flash(page), f"plan: not published ({self.flash(page)!r})")
        check(page.locator("#plan-status").inner_text() == "公開済み", "plan: status is not 公開済み")
        self.visit(page, "coordinator-published")
        self.nav(page, "実績")
        check(page.get_by_role("link", name="実績報告をCSVでダウンロード").count() == 1, "実績: no CSV download")
        self.visit(page, "coordinator-work-records-after")
        self.sign_out(page, "coordinator")
        self.visit(page, "sign-in")
        context.close()

    def staff_journey(self, browser, staff, url):
        """The staff member (on a phone) reads their month, declares a date, gets a calendar-feed URL."""
        context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
        page = context.new_page()
        self.sign_in(page, url, "staff", phone=True)
        for label in ["予定", "実績", "不在日"]:
            check(page.locator("nav").get_by_role("link", name=label, exact=True).count() == 1, f"staff nav: no {label}")
        month_url = page.url.split("?")[0]
        days = 0
        for month in ["2027-05", "2027-06", "2027-04"]:
            page.goto(f"{month_url}?month={month}")
            days = page.locator("table.month li").count()
            if days:
                break
        # journey.py published April before this runs; the month shows every day as <time datetime> either way.
        check(page.locator("table.month time[datetime]").count() >= 28, "staff: the month has no <time datetime> days")
        self.staff_days = days
        self.visit(page, "staff-schedule", phone=True)
        page.get_by_role("button", name="カレンダー用URLを発行").click()
        page.wait_for_load_state("load")
        url_value = page.get_by_label("カレンダー用URL（iCalendar 形式）").input_value()
        check(url_value.endswith(".ics"), "staff: no feed URL")
        check(page.get_by_role("button", name="コピー").is_visible(), "staff: no copy button")
        check(page.get_by_role("heading", name="Google カレンダーに追加する").count() == 1, "staff: no Google instructions")
        check(page.get_by_role("heading", name="Outlook に追加する").count() == 1, "staff: no Outlook instructions")
        feed = requests.get(url_value, timeout=30)
        check(feed.status_code == 200 and "BEGIN:VEVENT" in feed.text, "staff: the feed URL does not serve events")
        self.visit(page, "staff-feed", phone=True)
        self.nav(page, "不在日")
        page.get_by_label("日付").fill("2027-07-16")
        page.get_by_label("勤務できない日").check()
        page.get_by_label("メモ（任意）").fill("通院")
        page.get_by_role("button", name="登録する").click()
        page.wait_for_load_state("load")
        check("登録しました" in self.flash(page), "staff: date not declared")
        check(page.locator("time[datetime='2027-07-16']").count() == 1, "staff: the declared date is not listed")
        self.visit(page, "staff-unavailability", phone=True)
        self.nav(page, "実績")
        desk_name = self.demo["municipalities"][0]["name"]
        option = page.get_by_label("ポスト").locator("option").filter(has_text=desk_name).first
        page.get_by_label("ポスト").select_option(option.get_attribute("value"))
        page.get_by_label("日付").fill(time.strftime("%Y-%m-%d", time.gmtime(time.time() + 9 * 3600 - 86400)))
        page.get_by_label("形態").select_option(label="来庁")
        page.get_by_label("時間（分）").fill("300")
        page.get_by_label("区分").select_option(label="相談対応")
        page.get_by_label("活動内容").fill("Web確認: 窓口のオンライン申請の相談")
        page.get_by_role("button", name="記録する").click()
        page.wait_for_load_state("load")
        check("記録しました" in self.flash(page), f"staff: the day was not recorded ({self.flash(page)!r})")
        self.visit(page, "staff-work-records", phone=True)
        self.sign_out(page, "staff")
        context.close()

    def forgery(self, browser):
        """A form post without the form token, or from a foreign origin, is refused and changes nothing."""
        cid = self.demo["consortium"]
        staff = self.demo["staff"][1]
        context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
        page = context.new_page()
        self.sign_in(page, self.link(self.demo["coordinatorToken"], {"role": "staff", "staff": staff["id"]}), "forgery")
        self.nav(page, "不在日")
        action = page.locator("form[action$='/unavailability']").get_attribute("action")
        token = page.locator("form[action$='/unavailability'] input[name=_csrf]").get_attribute("value")
        before = self.api("GET", f"/consortia/{cid}/staff/{staff['id']}/unavailability", staff["token"], 200)["items"]
        form = {"date": "2027-07-20", "kind": "unavailable"}
        missing = page.request.post(self.base + action, form=form, max_redirects=0)
        check(missing.status == 403, f"forgery: a post without the form token answered {missing.status}")
        foreign = page.request.post(self.base + action, form={**form, "_csrf": token}, max_redirects=0,
                                    headers={"Origin": "https://attacker.example"})
        check(foreign.status == 403, f"forgery: a post from another origin answered {foreign.status}")
        # A page of another site that submits the form: the browser sends its Origin and the cookie (SameSite=Lax
        # keeps it off cross-site POSTs anyway); either way nothing may change.
        attacker = context.new_page()
        attacker.route("https://attacker.example/", lambda route: route.fulfill(
            status=200, content_type="text/html",
            body=f"<form method=post action='{self.base}{action}'><input name=date value=2027-07-21>"
                 f"<input name=kind value=unavailable><input name=_csrf value='{token}'></form>"))
        attacker.goto("https://attacker.example/")
        with attacker.expect_navigation():
            attacker.evaluate("document.forms[0].submit()")
        after = self.api("GET", f"/consortia/{cid}/staff/{staff['id']}/unavailability", staff["token"], 200)["items"]
        check(len(after) == len(before), f"forgery: the refused posts changed something ({len(before)} → {len(after)})")
        self.visit(page, "forgery-after")
        context.close()


def main():
    base, demo_path, admin, out = sys.argv[1:5]
    demo = json.loads(Path(demo_path).read_text())
    run = Run(base, demo, admin, out)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context, page, desk, desk_url, staff, staff_url = run.coordinator_setup(browser)
            print("  coordinator: signed in with a link, handed out a desk and a staff link")
            run.staff_journey(browser, staff, staff_url)
            print(f"  staff: month ({run.staff_days} working days shown), calendar-feed URL, a declared date, a recorded day, signed out")
            run.municipality_journey(browser, desk, desk_url)
            print(f"  municipality: requested {run.request_date} (note with markup shown as text), read its month, "
                  "confirmed the staff member's record, signed out")
            run.coordinator_work(context, page)
            print("  coordinator: accepted, planned with live progress, reviewed grid and coverage, published, signed out")
            run.forgery(browser)
            print("  forgery: refused without the form token and from another origin, nothing changed")
        except CheckFailure as e:
            print(f"  FAILED: {e}")
            return 1
        finally:
            browser.close()
    print(f"  axe-core: {len(run.scanned)} pages scanned, {len(run.findings)} serious or critical findings; "
          f"{run.shots} screenshots in {out}")
    for f in run.findings:
        print(f"    {f}")
    return 1 if run.findings else 0


if __name__ == "__main__":
    sys.exit(main())
