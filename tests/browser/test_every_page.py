"""Every page type of Kring, as an anonymous visitor, a member, a facilitator and a platform
admin, at 390 px and 1366 px wide, on the seeded demo. A page fails on:

- sideways scrolling (`document.documentElement.scrollWidth` wider than the viewport);
- an axe-core violation of impact serious or critical (axe-core from axe-playwright-python);
- a console error (a CSP violation is one), or a 5xx answer to the page or any sub-request;
- at 390 px, for the pages that have one (PAGES below), the page's primary action (the element
  with `data-primary-action`) missing or starting below the first 800 px of the page.

Pages a role may not see must be refused (403 or 404; an anonymous visitor may instead be sent
to the login page), never a 5xx; those are only requested, not rendered or screenshotted.
The demo is seeded once; one test visits everything and lists every problem in one failure.

Rerun a part:
    KRING_ROLES=member,admin pytest -p no:xdist tests/browser/test_every_page.py
    KRING_PAGES="library-*,thread-detail" KRING_WIDTHS=390 \
        pytest -p no:xdist tests/browser/test_every_page.py
(comma-separated names, * and ? as wildcards; the names are in PAGES and ROLES below).
KRING_SCREENSHOTS=1 saves screenshots/<role>-<page>-<width>.png; KRING_MATRIX_JSON=<file> writes
the problems found as JSON, with every axe target and overflowing element.
"""

import fnmatch
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

ANONYMOUS, MEMBER, FACILITATOR, ADMIN = "anonymous", "member", "facilitator", "admin"
ROLES = [ANONYMOUS, MEMBER, FACILITATOR, ADMIN]
LOGINS = {
    MEMBER: "wim.degroot@kring.example",
    FACILITATOR: "marieke.jansen@kring.example",
    ADMIN: "beheer@kring.example",
}
A, M, F, P = ANONYMOUS, MEMBER, FACILITATOR, ADMIN
ALL = {A, M, F, P}
INSIDE = {M, F, P}
MEMBERS = {M, F}
MANAGERS = {F, P}

PHONE, DESKTOP = 390, 1366
HEIGHTS = {PHONE: 844, DESKTOP: 768}
# The primary action starts within the first 800 px: on an 844 px high phone screen at least
# 44 px of it (a whole touch target) shows before any scrolling.
PRIMARY_WITHIN_PX = 800
AXE_IMPACTS = {"serious", "critical"}
AXE_OPTIONS = {"resultTypes": ["violations"]}
TABS = 2
LOAD_FAILED = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")


@dataclass(frozen=True)
class PageType:
    name: str
    path: Callable[[SimpleNamespace], str]
    sees: frozenset  # roles that get the page (rendered and checked)
    refused: frozenset = frozenset()  # roles that must get 403/404 (or, anonymous, the login)
    primary: frozenset = frozenset()  # roles for whom the page has a primary action
    status: int = 200
    ready: str = ""  # what shows once a page that draws itself from an API call has its answer
    # Parts axe leaves out (CSS selectors), e.g. a vendored widget's own markup; say why.
    axe_exclude: tuple = ()


def entry(name, path, sees, refused=(), primary=(), status=200, ready="", axe_exclude=()):
    return PageType(
        name,
        path,
        frozenset(sees),
        frozenset(refused),
        frozenset(primary),
        status,
        ready,
        tuple(axe_exclude),
    )


def c(rest: str = "") -> Callable[[SimpleNamespace], str]:
    """A path inside the demo's public community."""
    return lambda d: f"/communities/{d.slug}/{rest.format(d=d)}"


# page type, path builder, who sees it, who is refused, who has a primary action there.
PAGES = [
    entry("home", lambda d: "/", INSIDE, {A}, primary=INSIDE),
    entry("community-list", lambda d: "/communities/", ALL),
    entry("network-list", lambda d: "/networks/", ALL),
    entry("network", lambda d: "/networks/leren-in-rivierenland/", ALL, primary={F, P}),
    entry(
        "network-links", lambda d: "/networks/leren-in-rivierenland/communities/", {F, P}, {A, M}
    ),
    entry(
        "network-insights", lambda d: "/networks/leren-in-rivierenland/insights/", {F, P}, {A, M}
    ),
    entry(
        "network-report",
        lambda d: "/networks/leren-in-rivierenland/report/",
        {F, P},
        {A, M},
        primary={F, P},
    ),
    entry("network-create", lambda d: "/networks/create/", {P}, {A, M, F}, primary={P}),
    entry("network-shared", lambda d: "/networks/leren-in-rivierenland/shared/", INSIDE, {A}),
    entry(
        "network-shared-item",
        lambda d: f"/networks/leren-in-rivierenland/shared/items/{d.shared_item}/",
        INSIDE,
        {A},
        primary={M, P},
    ),
    entry("community-public", c(), {A}, primary={A}),
    entry("community-private", lambda d: f"/communities/{d.private_slug}/", (), {A, M, F}),
    entry("community-home", c(), INSIDE),
    entry("library-list", c("library/"), INSIDE, {A}, primary=MEMBERS),
    entry("item-detail", c("library/{d.item}/"), INSIDE, {A}),
    entry("item-form", c("library/create/"), INSIDE, {A}, primary=INSIDE),
    entry("search", c("search/?q=mantelzorg"), INSIDE, {A}),
    entry("who-knows", c("who-knows/"), INSIDE, {A}),
    entry("thread-list", c("conversations/"), INSIDE, {A}, primary=MEMBERS),
    entry("thread-detail", c("conversations/{d.question}/"), INSIDE, {A}, primary=MEMBERS),
    entry("thread-form", c("conversations/create/"), INSIDE, {A}, primary=INSIDE),
    entry("messages", lambda d: "/messages/", INSIDE, {A}),
    entry(
        "conversation", lambda d: f"/messages/{d.conversation}/", MEMBERS, {A, P}, primary=MEMBERS
    ),
    entry("notifications", lambda d: "/notifications/", INSIDE, {A}),
    entry(
        "notification-settings", lambda d: "/notifications/settings/", INSIDE, {A}, primary=INSIDE
    ),
    entry("session-list", c("sessions/"), INSIDE, {A}, primary=MANAGERS),
    entry("session-future", c("sessions/{d.future_session}/"), INSIDE, {A}, primary=MEMBERS),
    entry("session-past", c("sessions/{d.past_session}/"), INSIDE, {A}, primary=MEMBERS),
    entry("session-form", c("sessions/create/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("series-form", c("sessions/series/create/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("attendance", c("sessions/{d.past_session}/attendance/"), MANAGERS, {A, M}),
    entry(
        "reflection-form", c("sessions/{d.past_session}/reflection/"), MEMBERS, {A}, primary=MEMBERS
    ),
    entry("action-points", c("action-points/"), INSIDE, {A}, primary=MEMBERS),
    entry("my-action-points", lambda d: "/me/action-points/", INSIDE, {A}, primary=MEMBERS),
    entry("calendar-settings", lambda d: "/me/calendar/", INSIDE, {A}),
    entry("members", c("members/"), INSIDE, {A}),
    entry("stories", c("stories/"), INSIDE, {A}, primary=MEMBERS),
    entry(
        "story-form",
        c("stories/create/?session={d.past_session}"),
        MEMBERS,
        {A, P},
        primary=MEMBERS,
    ),
    entry("story-detail", c("stories/{d.story}/"), INSIDE, {A}),
    entry("story-edit", c("stories/{d.story}/update/"), {M}, {A, F, P}, primary={M}),
    entry("story-delete", c("stories/{d.story}/delete/"), {M, F, P}, {A}),
    entry("value-overview", c("stories/overview/"), INSIDE, {A}),
    entry("person", lambda d: f"/people/{d.person}/", INSIDE, {A}, primary=MEMBERS),
    entry("profile-form", lambda d: "/me/profile/", INSIDE, {A}, primary=INSIDE),
    entry("tokens", lambda d: "/me/tokens/", INSIDE, {A}, primary=INSIDE),
    entry("two-factor", lambda d: "/me/security/", INSIDE, {A}, primary=INSIDE),
    entry("my-data", lambda d: "/me/data/", INSIDE, {A}, primary=INSIDE),
    entry("invitations", c("invitations/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("invitation-accept", lambda d: f"/invitations/{d.invitation}/", {A}, primary={A}),
    entry("community-edit", c("update/"), MANAGERS, {A, M}, primary=MANAGERS),
    # The demo's public community has its spotlight published: everyone may see it.
    entry("spotlight", c("spotlight/"), ALL, primary={A}),
    entry("teams", c("teams/"), INSIDE, {A}),
    entry("team-detail", c("teams/{d.team}/"), INSIDE, {A}),
    entry("team-delete", c("teams/{d.team}/delete/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("team-form", c("teams/create/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("polls", c("polls/"), INSIDE, {A}),
    entry("date-poll", c("polls/{d.date_poll}/"), INSIDE, {A}),
    entry("poll-form", c("polls/create/"), MEMBERS, {A}, primary=MEMBERS),
    entry("date-poll-form", c("polls/create-date/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("ground-rules", c("ground-rules/"), INSIDE, {A}, primary=MANAGERS),
    entry("ground-rules-propose", c("ground-rules/propose/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("moderation", c("moderation/"), MANAGERS, {A, M}),
    entry("insights", c("insights/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("insights-settings", c("insights/settings/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("insights-signals", c("insights/signals/drifting/"), MANAGERS, {A, M}),
    entry("insights-network", c("insights/network/"), MANAGERS, {A, M}),
    # Members read the development path without names; facilitators get its next step.
    entry("development", c("development/"), INSIDE, {A}, primary=MANAGERS),
    entry("pulse-list", c("pulses/"), INSIDE, {A}, primary=MEMBERS),
    entry("pulse-start", c("pulses/create/"), MANAGERS, {A, M}, primary=MANAGERS),
    entry("pulse-answer", c("pulses/{d.pulse}/answer/"), MEMBERS, {A, P}, primary=MEMBERS),
    entry("pulse-results", c("pulses/{d.pulse}/"), INSIDE, {A}),
    entry("insights-me", c("insights/me/"), MEMBERS, {A, P}),
    entry("insights-me-all", lambda d: "/me/insights/", INSIDE, {A}),
    entry("report", c("report/"), MANAGERS, {A, M}, primary=MANAGERS),
    # A member sees the back-home version of their own organisation (Wim's, by default).
    entry("report-organisation", c("report/organisations/"), INSIDE, {A}),
    entry("privacy", lambda d: "/privacy/", ALL),
    entry("api-docs", lambda d: "/api/v1/docs", ALL, ready=".swagger-ui .opblock"),
    entry("login", lambda d: "/login/", {A}, primary={A}),
    entry("password-reset", lambda d: "/password-reset/", {A}, primary={A}),
    entry("not-found", lambda d: "/no-such-page/", ALL, primary=ALL, status=404),
    # The platform overview (issue 10): may still answer 404 where it is not built yet.
    entry("platform", lambda d: "/platform/", {P}, {A, M, F}, primary={P}),
]

# Why the page is wider than the viewport: the outermost boxes that stick out on the right, or
# else the innermost elements whose content (a long word, a wide label) spills out of them.
# Form controls scroll inside themselves; whatever sits in a scroll box that fits is harmless.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return null;
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].slice(0, 2).map(c => "." + c).join("");
  const path = el => {
    const parts = [];
    for (let n = el; n && n !== document.body && parts.length < 4; n = n.parentElement) {
      parts.unshift(name(n));
    }
    return parts.join(" > ");
  };
  const boxOut = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 0.5;
  };
  // An ancestor that scrolls or clips keeps its content in, if it fits itself; an absolutely
  // positioned element escapes the clipping of the ancestors below its containing block.
  const contained = el => {
    const position = getComputedStyle(el).position;
    if (position === "fixed") return false;
    const block = position === "absolute" ? el.offsetParent : null;
    for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
      if (block && !n.contains(block)) continue;
      if (getComputedStyle(n).overflowX !== "visible" && !boxOut(n)) return true;
    }
    return false;
  };
  const controls = new Set(["INPUT", "TEXTAREA", "SELECT", "IMG", "svg", "VIDEO", "IFRAME"]);
  const spills = el => !controls.has(el.tagName)
    && getComputedStyle(el).overflowX === "visible" && el.scrollWidth > el.clientWidth + 1
    && el.getBoundingClientRect().left + el.scrollWidth > width + 0.5;
  const all = [...document.body.querySelectorAll("*")].filter(el => !contained(el));
  const out = all.filter(boxOut);
  const outSet = new Set(out);
  const boxes = out.filter(el => !outSet.has(el.parentElement)).map(el => {
    const r = el.getBoundingClientRect();
    return path(el) + " (" + Math.round(r.width) + " px wide, to " + Math.round(r.right) + " px)";
  });
  const spilling = all.filter(spills);
  const innermost = spilling.filter(el => !spilling.some(o => o !== el && el.contains(o)))
    .map(el => path(el) + " (content " + el.scrollWidth + " px in a " + el.clientWidth
      + " px box)");
  return {scrollWidth, width, elements: (boxes.length ? boxes : innermost).slice(0, 3)};
}"""

# axe runs in the background while the other tab works; the result is awaited afterwards.
AXE_START_JS = """([exclude, options]) => {
  const context = exclude.length ? {exclude: exclude.map(selector => [selector])} : document;
  window.kringAxe = axe.run(context, options).catch(error => ({error: String(error)}));
}"""
AXE_RESULT_JS = "() => window.kringAxe"

# The shown elements carrying data-primary-action, top first, in page coordinates.
PRIMARY_JS = """() => {
  const all = [...document.querySelectorAll("[data-primary-action]")];
  const shown = all.map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.width > 0 && r.height > 0
      && getComputedStyle(el).visibility !== "hidden")
    .map(([el, r]) => ({
      top: Math.round(r.top + window.scrollY), bottom: Math.round(r.bottom + window.scrollY),
      label: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40),
    }))
    .sort((a, b) => a.top - b.top);
  return {count: all.length, shown};
}"""


def _selected(names: list[str], variable: str) -> list[str]:
    wanted = [w.strip() for w in os.environ.get(variable, "").split(",") if w.strip()]
    if not wanted:
        return names
    return [n for n in names if any(fnmatch.fnmatchcase(n, w) for w in wanted)]


@pytest.fixture
def places(demo):
    """The seeded demo plus what it lacks for a full tour: a conversation between the member
    and the facilitator, an action point of the member's, an open pulse, an invitation link."""
    from django.utils import timezone

    from kring.accounts.models import User
    from kring.communities import services_invitations as community_invitations
    from kring.communities.models import Community
    from kring.conversations.models import Thread, ThreadKind
    from kring.conversations.services import direct_messages as message_services
    from kring.decisions.models import Poll
    from kring.growth.models import Team
    from kring.illuminate.models import ValueStory
    from kring.insights import services as pulse
    from kring.knowledge.models import KnowledgeItem
    from kring.meetings import services_learning as meeting_learning
    from kring.meetings.models import Session
    from kring.networks.models import NetworkShare

    people = {role: User.objects.get(email=email) for role, email in LOGINS.items()}
    member, facilitator = people[MEMBER], people[FACILITATOR]
    community = Community.objects.get(slug="langer-thuis-rivierenland")
    message_services.message_send(
        sender=facilitator, recipient=member, body="Hoi Wim, kom je dinsdag ook?"
    )
    message = message_services.message_send(
        sender=member, recipient=facilitator, body="Ja, ik ben er. Ik neem de folder mee."
    )
    meeting_learning.action_point_create(
        community=community,
        by=member,
        owner=member,
        what="De folder over respijtzorg rondsturen",
        due_date=timezone.localdate() + timedelta(days=10),
    )
    open_pulse = pulse.pulse_start(community=community, by=facilitator)
    _invitation, secret = community_invitations.invitation_create(
        community=community, by=facilitator, send=False
    )
    now = timezone.now()
    sessions = Session.objects.filter(community=community)
    return SimpleNamespace(
        people=people,
        slug=community.slug,
        private_slug=Community.objects.exclude(visibility="public")
        .exclude(memberships__user__in=[member, facilitator])
        .order_by("slug")[0]
        .slug,
        item=KnowledgeItem.objects.filter(community=community).order_by("pk")[0].pk,
        question=Thread.objects.filter(community=community, kind=ThreadKind.QUESTION)
        .order_by("pk")[0]
        .pk,
        conversation=message.conversation_id,
        future_session=sessions.filter(starts_at__gt=now).order_by("starts_at")[0].pk,
        past_session=sessions.filter(starts_at__lt=now).order_by("-starts_at")[0].pk,
        person=User.objects.get(email="gerrit.kuipers@kring.example").pk,
        pulse=open_pulse.pk,
        invitation=secret,
        story=ValueStory.objects.filter(community=community, author=member).order_by("pk")[0].pk,
        team=Team.objects.filter(community=community).order_by("pk")[0].pk,
        date_poll=Poll.objects.filter(community=community, kind="date").order_by("pk")[0].pk,
        shared_item=NetworkShare.objects.filter(item__isnull=False).order_by("pk")[0].item_id,
    )


class Tour:
    """One role's visits, every problem collected as (page, role, width, kind, detail).

    A page is loaded once, at the first width, and checked; then the tab is resized to the next
    width and checked again (CSS and htmx respond to the resize as to a phone turned sideways).
    TABS pages are in flight at once, so the browser runs axe in one tab while the server
    renders the next page or axe runs in the other: the machine's two cores both work."""

    def __init__(self, *, browser, base_url: str, role: str, problems: list, screenshot):
        self.role = role
        self.base_url = base_url
        self.problems = problems
        self.screenshot = screenshot
        self.context = browser.new_context(base_url=base_url, locale="nl-NL")
        self.context.set_default_timeout(30_000)
        if role in LOGINS:
            self.context.add_cookies([{**_session_cookie(LOGINS[role]), "url": base_url}])
        # axe-core in every page from the start: init scripts are not subject to the page's CSP.
        self.context.add_init_script(Axe().axe_script)
        self.tabs = [self._open_tab() for _ in range(TABS)]

    def _open_tab(self):
        tab = self.context.new_page()
        tab.kring_events = events = []
        tab.on(
            "console",
            lambda m: (
                m.type == "error"
                and events.append(("console", f"{m.text} @ {m.location.get('url', '')}"))
            ),
        )
        tab.on("pageerror", lambda error: events.append(("console", f"JavaScript: {error}")))
        tab.on(
            "response",
            lambda r: r.status >= 500 and events.append(("5xx", f"{r.status} for {r.url}")),
        )
        return tab

    def problem(self, page_type: PageType, width, kind: str, detail: str, **extra) -> None:
        self.problems.append(
            {"page": page_type.name, "role": self.role, "width": width, "kind": kind}
            | {"detail": detail, **extra}
        )

    def check_refused(self, page_type: PageType, path: str) -> None:
        """The page answers 403/404, or sends an anonymous visitor to log in; never a 5xx."""
        response = self.context.request.get(path, max_redirects=0)
        location = response.headers.get("location", "")
        refused = response.status in (403, 404) or (
            self.role == ANONYMOUS and response.status == 302 and location.startswith("/login/")
        )
        if not refused:
            got = f"{response.status} {location}".strip()
            self.problem(page_type, "-", "access", f"should be refused, got {got} for {path}")

    def visit(self, pages: list[tuple[PageType, str]], widths: list[int]) -> None:
        """Checks up to TABS pages side by side: each step starts in every tab (a load, or a
        resize, then axe in the background) before the results are collected."""
        slots = list(zip(self.tabs, pages, strict=False))
        shown = set()
        for step, width in enumerate(widths):
            for tab, (page_type, path) in slots:
                tab.kring_events.clear()
                tab.set_viewport_size({"width": width, "height": HEIGHTS[width]})
                if step == 0 and self._load(tab, page_type, path, width):
                    shown.add(page_type.name)
                if page_type.name in shown:
                    tab.evaluate(AXE_START_JS, [list(page_type.axe_exclude), AXE_OPTIONS])
            for tab, (page_type, path) in slots:
                if page_type.name in shown:
                    self._overflow(tab, page_type, width)
                    self._axe(tab, page_type, width)
                    if width == PHONE and self.role in page_type.primary:
                        self._primary(tab, page_type, width)
                    self.screenshot(tab, f"{self.role}-{page_type.name}-{width}")
                self._events(tab, page_type, path, width)

    def _load(self, tab, page_type: PageType, path: str, width: int) -> bool:
        response = tab.goto(path)
        status = response.status if response else 0
        sent_to_login = page_type.name != "login" and "/login/" in tab.url
        if status != page_type.status or sent_to_login:
            got = "the login page" if sent_to_login else status
            self.problem(page_type, width, "access", f"expected {page_type.status}, got {got}")
            return False
        if page_type.ready:
            tab.locator(page_type.ready).first.wait_for()
        return True

    def _events(self, tab, page_type: PageType, path: str, width: int) -> None:
        for kind, detail in tab.kring_events:
            # The browser logs a page's own 4xx as a console error; the status is checked.
            if (
                kind == "console"
                and LOAD_FAILED.match(detail)
                and detail.endswith(f" @ {self.base_url}{path}")
            ):
                continue
            self.problem(page_type, width, kind, detail)

    def _overflow(self, tab, page_type: PageType, width: int) -> None:
        found = tab.evaluate(OVERFLOW_JS)
        if found:
            self.problem(
                page_type,
                width,
                "overflow",
                f"{found['scrollWidth']} px wide in a {found['width']} px viewport: "
                + ("; ".join(found["elements"]) or "no element found"),
                elements=found["elements"],
            )

    def _axe(self, tab, page_type: PageType, width: int) -> None:
        results = tab.evaluate(AXE_RESULT_JS)
        if "error" in results:
            self.problem(page_type, width, "axe", f"axe-core did not run: {results['error']}")
            return
        for violation in results["violations"]:
            if violation["impact"] not in AXE_IMPACTS:
                continue
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            more = f" (+{len(targets) - 4})" if len(targets) > 4 else ""
            self.problem(
                page_type,
                width,
                "axe",
                f"{violation['id']} ({violation['impact']}): {violation['help']}: "
                + "; ".join(targets[:4])
                + more,
                rule=violation["id"],
                impact=violation["impact"],
                targets=targets,
                summary=violation["nodes"][0].get("failureSummary", ""),
            )

    def _primary(self, tab, page_type: PageType, width: int) -> None:
        found = tab.evaluate(PRIMARY_JS)
        if not found["shown"]:
            detail = "no [data-primary-action]" if not found["count"] else "it is hidden"
            self.problem(page_type, width, "primary", detail)
        elif found["shown"][0]["top"] > PRIMARY_WITHIN_PX:
            first = found["shown"][0]
            self.problem(
                page_type,
                width,
                "primary",
                f"{first['label']!r} starts at {first['top']} px (limit {PRIMARY_WITHIN_PX})",
            )

    def close(self) -> None:
        self.context.close()


def _session_cookie(email: str) -> dict:
    """A logged-in session for the demo person, as a browser cookie (no trip via the form)."""
    from django.conf import settings
    from django.test import Client

    from kring.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value}


def _message(problems: list[dict]) -> str:
    lines = [f"{len(problems)} problems (page / role / width: kind: what):"]
    lines += [
        f"- {p['page']} / {p['role']} / {p['width']}: {p['kind']}: {p['detail']}" for p in problems
    ]
    return "\n".join(lines)


def test_every_page_type_for_every_role_and_width(browser, live_server, places, screenshot):
    """Every page type a role may see renders without sideways scrolling, serious axe
    findings, console errors or 5xx, with its primary action in the phone's first 800 px;
    the pages the role may not see are refused."""
    pages = {p.name: p for p in PAGES}
    names = _selected(list(pages), "KRING_PAGES")
    roles = _selected(ROLES, "KRING_ROLES")
    widths = [int(w) for w in _selected([str(PHONE), str(DESKTOP)], "KRING_WIDTHS")]
    assert names and roles and widths, "KRING_PAGES, KRING_ROLES or KRING_WIDTHS match nothing"
    problems: list[dict] = []
    for role in roles:
        tour = Tour(
            browser=browser,
            base_url=live_server.url,
            role=role,
            problems=problems,
            screenshot=screenshot,
        )
        try:
            shown = []
            for name in names:
                page_type = pages[name]
                path = page_type.path(places)
                if role in page_type.refused:
                    tour.check_refused(page_type, path)
                elif role in page_type.sees:
                    shown.append((page_type, path))
            for start in range(0, len(shown), TABS):
                tour.visit(shown[start : start + TABS], widths)
        finally:
            tour.close()
    if target := os.environ.get("KRING_MATRIX_JSON"):
        Path(target).write_text(json.dumps(problems, indent=1, ensure_ascii=False))
    assert not problems, _message(problems)
