"""The whole assembly, as people use it, in Chromium: issue 7's scenario.

One run per language (Thai, English), each on its own assembly in the one
server. Every step is a real user action in a real browser: the secretariat on
a laptop, three delegates on phones (390×844), each in their own browser
context, the facilitator on a laptop, a lead-agency user, the public.

Steps (each a function below, run in order by ``test_the_whole_assembly``):

1. the secretariat signs in with a password and imports the partners from a
   spreadsheet (XLSX) on the import page, checking it first;
2. the secretariat finds each delegate in the delegates table and issues their
   sign-in link;
3. the facilitator signs in and opens the room's console;
4. three delegates, each on a phone, open their link and sign in; their room
   page connects live;
5. one proposes an amendment; every other screen shows it without reloading;
6. the facilitator accepts it and opens the vote; all three vote and each sees
   the tally move without reloading;
7. the vote closes, the amendment is adopted, the draft changes on every screen;
8. a consensus round agrees the room's draft;
9. the plenary adopts the item;
10. a lead-agency user posts progress; the public board shows it;
11. the resolutions PDF downloads and reads back.

Pages are checked with axe-core (the delegate room page, the facilitator
console, the public board), every page is watched for CSP violations, and the
Thai room page and the first PDF page are kept as pictures in test-artifacts/.
"""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import artifact, assert_accessible, screenshot, which

LIVE = 15_000  # ms to wait for a push to arrive on a screen
_runs = itertools.count(1)

CLAUSE_1 = "ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็กที่มีคุณภาพ"
AMENDED_1 = "ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็กที่มีคุณภาพและครูที่เพียงพอ"

# What each language's screens say, for the few places a test finds text.
WORDS = {
    "th": {"check": "ตรวจ", "import": "นำเข้า", "continue": "ดำเนินการต่อ"},
    "en": {"check": "Check the file", "import": "Import now", "continue": "Continue"},
}


@dataclass
class Run:
    lang: str
    tag: str
    seed: dict
    server: object
    open_context: object
    delegates: list[dict] = field(default_factory=list)  # name, organisation, url
    pages: dict = field(default_factory=dict)

    @property
    def password(self) -> str:
        return self.seed["password"]

    def user(self, role: str) -> str:
        return self.seed["users"][role]

    def room_url(self, room: str = "room") -> str:
        return f"/rooms/{self.seed[room]}/"


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("header .who")).not_to_be_empty()


def wait_live(page) -> None:
    """The page's socket is open (samatcha.js marks the body)."""
    expect(page.locator("body")).to_have_attribute("data-live", "open", timeout=LIVE)


def spreadsheet(run: Run) -> bytes:
    """The secretariat's partner list: three partners of room 1, one voting
    delegate each, as an XLSX file with Thai headers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "องค์กร",
            "organisation_en",
            "ชื่อย่อ",
            "ภาค",
            "ชื่อผู้แทน",
            "delegate_en",
            "บทบาท",
            "ห้อง",
            "โทรศัพท์",
            "อีเมล",
        ]
    )
    rows = [
        (
            f"มหาวิทยาลัยขอนแก่น {run.tag}",
            f"Khon Kaen University {run.tag}",
            f"มข. {run.tag}",
            "ภาควิชาการ",
            f"สมชาย ใจดี {run.tag}",
            f"Somchai Jaidee {run.tag}",
        ),
        (
            f"มูลนิธิเพื่อเด็กขอนแก่น {run.tag}",
            f"Khon Kaen Children Foundation {run.tag}",
            f"มพด. {run.tag}",
            "ภาคประชาสังคม",
            f"สุดา รักเรียน {run.tag}",
            f"Suda Rakrian {run.tag}",
        ),
        (
            f"หอการค้าจังหวัดขอนแก่น {run.tag}",
            f"Khon Kaen Chamber of Commerce {run.tag}",
            f"หกค. {run.tag}",
            "ภาคเอกชน",
            f"วิชัย ค้าดี {run.tag}",
            f"Wichai Khadee {run.tag}",
        ),
    ]
    for i, (org, org_en, short, sector, name, name_en) in enumerate(rows):
        sheet.append(
            [
                org,
                org_en,
                short,
                sector,
                name,
                name_en,
                "ผู้แทนหลัก",
                "1",
                f"+66 81 000 00{i}{len(run.tag)}",
                f"d{i}.{run.tag}@example.org",
            ]
        )
        run.delegates.append(
            {"name": name, "name_en": name_en, "organisation": org, "short": short}
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- The steps -----------------------------------------------------------------------


def step_1_secretariat_imports_partners(run: Run) -> None:
    page = run.open_context("secretariat", lang=run.lang)
    run.pages["secretariat"] = page
    sign_in(page, run.user("secretariat"), run.password)
    page.goto(f"/a/{run.seed['assembly']}/secretariat/import/")
    page.locator("input[type=file][name=file]").set_input_files(
        {
            "name": f"partners-{run.tag}.xlsx",
            "buffer": spreadsheet(run),
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    )
    page.locator("button[name=action][value=preview]").click()
    result = page.locator("#import-result")
    expect(result.locator("table.import-changes")).to_be_visible(timeout=LIVE)
    for d in run.delegates:
        expect(result).to_contain_text(d["name"])
    page.locator("button[name=action][value=apply]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_be_visible()
    imported = run.server.seed(
        "eval",
        assembly=run.seed["assembly"],
        code=(
            "from assembly.models import Delegate\n"
            "result = sorted(Delegate.objects.filter(partner__assembly_id=params['assembly'])"
            ".values_list('name_th', flat=True))"
        ),
    )
    assert imported == sorted(d["name"] for d in run.delegates)


def step_2_secretariat_issues_links(run: Run) -> None:
    """The delegates page is a table with search and filters: the secretariat
    finds each delegate by name and issues that one row's link."""
    page = run.pages["secretariat"]
    for d in run.delegates:
        name = d["name"] if run.lang == "th" else d["name_en"]
        page.goto(f"/a/{run.seed['assembly']}/secretariat/delegates/")
        page.locator("form.filters input[name=q]").fill(name)
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_load_state()
        rows = page.locator("table.people tbody tr")
        expect(rows).to_have_count(1)
        row = rows.filter(has=page.locator("th[scope=row]", has_text=name))
        row.locator("button[formaction$='/link/']").click()
        page.wait_for_load_state()
        url = page.locator("#signin-url").input_value()
        assert re.search(r"/s/#[A-Za-z0-9_-]{43,}$", url), url
        d["url"] = url


def step_3_facilitator_opens_the_room(run: Run) -> None:
    page = run.open_context("facilitator", lang=run.lang)
    run.pages["facilitator"] = page
    sign_in(page, run.user("facilitator"), run.password)
    page.goto(f"{run.room_url()}console/")
    wait_live(page)
    expect(page.locator("#draft")).to_contain_text(CLAUSE_1)
    assert_accessible(page, f"the facilitator console ({run.lang})")


def step_4_delegates_sign_in_by_link(run: Run) -> None:
    for i, d in enumerate(run.delegates):
        page = run.open_context(f"delegate {i + 1}", lang=run.lang, phone=True)
        run.pages[f"delegate{i}"] = page
        page.goto(d["url"])
        # The code stays in the link's fragment until the person presses the
        # button: the page cannot know whose link it is, it says the link is ready.
        expect(page.locator("#link-ready")).to_be_visible()
        assert "#" not in page.url
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(re.escape(run.room_url()) + "$"))
        wait_live(page)
        expect(page.locator("header .who")).to_contain_text(
            d["name"] if run.lang == "th" else d["name_en"]
        )
        expect(page.locator("#draft")).to_contain_text(CLAUSE_1)
    first = run.pages["delegate0"]
    assert_accessible(first, f"the delegate room page ({run.lang})")
    if run.lang == "th":
        screenshot(first, "room-th.png")


def step_5_a_delegate_proposes_an_amendment(run: Run) -> None:
    page = run.pages["delegate0"]
    form = page.locator("#amend-form")
    form.locator("select[name=kind]").select_option("replace")
    form.locator("select[name=target_key]").select_option(index=1)
    form.locator("textarea[name=text]").fill(AMENDED_1)
    form.locator("textarea[name=rationale]").fill("ครูไม่พอในหลายตำบล")
    form.locator("button[type=submit]").click()
    expect(page.locator("#amend-form [role=status]")).to_be_visible(timeout=LIVE)
    short = run.delegates[0]["short"]
    # Every other screen shows it, without reloading.
    for who in ("delegate1", "delegate2"):
        expect(run.pages[who].locator("#amendments")).to_contain_text(
            short, timeout=LIVE
        )
        expect(run.pages[who].locator("#amendments .diff")).to_contain_text("เพียงพอ")
    expect(run.pages["facilitator"].locator("#amendment-queue")).to_contain_text(
        short, timeout=LIVE
    )




def require(page, selector: str, step: str, why: str) -> None:
    """Fail with the reason when a part of a page the scenario needs is missing."""
    assert page.locator(selector).count() > 0, f"{step}: {why}"


def delegate_pages(run: Run) -> list:
    return [run.pages[f"delegate{i}"] for i in range(len(run.delegates))]


def prepare_and_open_vote(
    run: Run, page, kind: str, amendment: str | None = None
) -> None:
    """The person running the room prepares a vote on its console and opens it."""
    controls = page.locator("#vote-controls")
    expect(controls.locator("select[name=kind]")).to_be_attached(timeout=LIVE)
    # The socket's snapshot makes the controls fetch themselves again just after
    # a (re)connect; let that settle before filling the form in.
    page.wait_for_load_state("networkidle")
    details = controls.locator("details.vote-new")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    controls.locator("select[name=kind]").select_option(kind)
    if amendment is not None:
        controls.locator("select[name=amendment]").select_option(amendment)
    expect(controls.locator("select[name=kind]")).to_have_value(kind)
    controls.locator("details.vote-new button[type=submit]").click()
    if amendment is not None:
        expect(controls.locator(".vote-drafts")).to_contain_text(
            re.compile(rf"(#|ที่ |nt ){amendment}\b"), timeout=LIVE
        )
    open_button = controls.locator("form[action*='/open/'] button")
    expect(open_button).to_be_visible(timeout=LIVE)
    open_button.click()
    expect(controls.locator("form[action*='/close/']")).to_be_visible(timeout=LIVE)


def everyone_votes(run: Run, pages: list, choice: str) -> None:
    """Each delegate votes in turn; every screen sees the count move, unreloaded."""
    total = len(pages)
    for page in pages:
        expect(page.locator(f"#ballot button.vote-{choice}")).to_be_visible(
            timeout=LIVE
        )
    marks = [p.evaluate("() => (window.__unreloaded = Math.random())") for p in pages]
    for n, page in enumerate(pages, start=1):
        page.locator(f"#ballot button.vote-{choice}").click()
        expect(page.locator(f"#ballot button.vote-{choice}")).to_have_attribute(
            "aria-pressed", "true", timeout=LIVE
        )
        for other in pages:
            expect(other.locator("#vote-result .vote-participation")).to_contain_text(
                re.compile(rf"\b{n}\D+{total}\b"), timeout=LIVE
            )
    for page, mark in zip(pages, marks):
        assert page.evaluate("() => window.__unreloaded") == mark, "a screen reloaded"


def close_vote(page, *, refreshed_under_the_dialog: bool = False) -> None:
    """Close the vote: an act that cannot be undone, so the console asks first.
    ``refreshed_under_the_dialog``: the controls fetch themselves again while the
    question is open (as when a last ballot comes in); the close still happens."""
    controls = page.locator("#vote-controls")
    controls.locator("form[action*='/close/'] button").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    if refreshed_under_the_dialog:
        with page.expect_response(re.compile(r"/votes/$")):
            page.evaluate(
                "() => document.body.dispatchEvent(new Event('samatcha:resync'))")
    dialog.locator("#confirm-ok").click()
    expect(controls.locator("form[action*='/close/']")).to_have_count(0, timeout=LIVE)


def step_6_the_room_votes_on_the_amendment(run: Run) -> None:
    console = run.pages["facilitator"]
    require(
        run.pages["delegate0"],
        "#ballot",
        "step 6",
        "the delegates' room page has no ballot (templates/agenda/room.html does "
        "not include voting/ballot_area.html nor a #vote-result section)",
    )
    require(console, "#vote-controls", "step 6", "the console has no vote controls")
    queue = console.locator("#amendment-queue")
    queue.locator("form[action$='/accept/'] button").first.click()
    expect(queue.locator("form[action$='/accept/']")).to_have_count(0, timeout=LIVE)
    amendment = run.server.seed(
        "eval",
        room=run.seed["room"],
        code=(
            "from agenda.models import Amendment\n"
            "result = str(Amendment.objects.get(item__room_id=params['room']).pk)"
        ),
    )
    # The accepted amendment reaches the console's vote controls without a reload.
    option = console.locator("#vote-controls select[name=kind] option[value=amendment]")
    expect(option).to_be_attached(timeout=LIVE)
    prepare_and_open_vote(run, console, "amendment", amendment)
    everyone_votes(run, delegate_pages(run), "yes")


def step_7_the_amendment_is_adopted_and_the_draft_changes_everywhere(run: Run) -> None:
    console = run.pages["facilitator"]
    close_vote(console)
    for page in delegate_pages(run) + [console]:
        expect(page.locator("#draft")).to_contain_text(AMENDED_1, timeout=LIVE)
    for page in delegate_pages(run):
        expect(page.locator("#vote-result .vote-outcome .ok")).to_be_visible(
            timeout=LIVE
        )


def step_8_a_consensus_round_agrees_the_draft(run: Run) -> None:
    console = run.pages["facilitator"]
    prepare_and_open_vote(run, console, "consensus")
    everyone_votes(run, delegate_pages(run), "full")
    close_vote(console)
    for page in delegate_pages(run):
        expect(page.locator("#vote-result .vote-outcome .ok")).to_be_visible(
            timeout=LIVE
        )
        expect(page.locator("#item-state .badge.ok")).to_be_visible(timeout=LIVE)


def step_9_the_plenary_adopts_the_item(run: Run) -> None:
    secretariat = run.pages["secretariat"]
    secretariat.goto(f"{run.room_url('plenary')}console/")
    wait_live(secretariat)
    require(secretariat, "#vote-controls", "step 9", "the plenary console has no votes")
    pages = delegate_pages(run)
    for page in pages:
        page.goto(run.room_url("plenary"))
        wait_live(page)
    prepare_and_open_vote(run, secretariat, "consensus")
    everyone_votes(run, pages, "full")
    close_vote(secretariat, refreshed_under_the_dialog=True)
    for page in pages:
        expect(page.locator("#vote-result .vote-outcome .ok")).to_be_visible(
            timeout=LIVE
        )


def step_10_the_lead_agency_posts_progress_and_the_board_shows_it(run: Run) -> None:
    staff = run.open_context("lead agency", lang=run.lang)
    run.pages["staff"] = staff
    sign_in(staff, run.user("staff"), run.password)
    staff.goto("/resolutions/mine/")
    staff.locator("li.resolution a").first.click()
    staff.locator("a[href$='/update/']").click()
    form = staff.locator("#entry-form")
    form.locator("select[name=status]").select_option("on_track")
    form.locator("input[name=percent]").fill("40")
    form.locator("textarea[name=narrative]").fill(
        f"เปิดศูนย์พัฒนาเด็กเล็กแล้ว 12 ตำบล {run.tag}"
    )
    form.locator("input[name=refers_to]").fill("2024-03-01")
    form.locator("button[type=submit]").click()
    staff.wait_for_load_state()
    public = run.open_context("public", lang=run.lang)
    run.pages["public"] = public
    public.goto(f"/board/{run.seed['assembly']}/")
    row = public.locator("li.resolution").first
    expect(row.locator("progress")).to_have_attribute("value", "40")
    expect(row).to_contain_text("40%")
    assert_accessible(public, f"the public board ({run.lang})")
    row.locator("a").first.click()
    expect(public.locator("main")).to_contain_text(
        f"เปิดศูนย์พัฒนาเด็กเล็กแล้ว 12 ตำบล {run.tag}"
    )


def squeeze(text: str) -> str:
    """Text as read back from a PDF, without the spaces, line breaks and the
    invisible word-break characters put between Thai words."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        c
        for c in text
        if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc", "Zs")
    )


def step_11_the_resolutions_pdf_downloads_and_reads_back(run: Run) -> None:
    from pypdf import PdfReader

    public = run.pages["public"]
    public.goto(f"/board/{run.seed['assembly']}/")
    with public.expect_download() as info:
        public.locator("a[href$='/resolutions.pdf']").click()
    path = artifact(f"resolutions-{run.lang}.pdf")
    info.value.save_as(path)
    text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    squeezed = squeeze(text)
    names = {
        "th": (f"สมัชชาการศึกษาทดสอบ {run.tag}", "สำนักงานศึกษาธิการจังหวัดขอนแก่น"),
        "en": (
            f"Browser test assembly {run.tag}",
            "Khon Kaen Provincial Education Office",
        ),
    }[run.lang]
    for expected in (*names, "ครูที่เพียงพอ"):
        assert squeeze(expected) in squeezed, (expected, text[:500])
    if run.lang == "th":
        pdftoppm = which("pdftoppm")
        if pdftoppm is None:
            pytest.fail("pdftoppm is missing: apt-get install poppler-utils")
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(path),
                str(artifact("resolutions-th-page1")),
            ],
            check=True,
            timeout=60,
        )
        assert artifact("resolutions-th-page1.png").stat().st_size > 1000


STEPS = [
    step_1_secretariat_imports_partners,
    step_2_secretariat_issues_links,
    step_3_facilitator_opens_the_room,
    step_4_delegates_sign_in_by_link,
    step_5_a_delegate_proposes_an_amendment,
    step_6_the_room_votes_on_the_amendment,
    step_7_the_amendment_is_adopted_and_the_draft_changes_everywhere,
    step_8_a_consensus_round_agrees_the_draft,
    step_9_the_plenary_adopts_the_item,
    step_10_the_lead_agency_posts_progress_and_the_board_shows_it,
    step_11_the_resolutions_pdf_downloads_and_reads_back,
]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_whole_assembly(app_server, open_context, page_problems, lang):
    tag = f"{lang}{next(_runs)}"
    run = Run(
        lang=lang,
        tag=tag,
        seed=app_server.seed("setup", tag=tag),
        server=app_server,
        open_context=open_context,
    )
    for step in STEPS:
        page_problems.step = step.__name__
        try:
            step(run)
        except Exception:
            for who, page in run.pages.items():
                try:
                    page.screenshot(
                        path=artifact(f"failed-{lang}-{step.__name__}-{who}.png")
                    )
                except Exception:  # noqa: BLE001 - best effort
                    pass
            raise


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_follow_up_of_an_adopted_resolution(
    app_server, open_context, page_problems, lang
):
    """Steps 10 and 11 on their own, on a resolution adopted without a vote: the
    lead agency posts progress, the board shows it, the PDF reads back."""
    tag = f"fu{lang}{next(_runs)}"
    seed = app_server.seed("setup", tag=tag)
    app_server.seed("resolution", assembly=seed["assembly"], text=AMENDED_1)
    run = Run(
        lang=lang, tag=tag, seed=seed, server=app_server, open_context=open_context
    )
    for step in (
        step_10_the_lead_agency_posts_progress_and_the_board_shows_it,
        step_11_the_resolutions_pdf_downloads_and_reads_back,
    ):
        page_problems.step = step.__name__
        step(run)
