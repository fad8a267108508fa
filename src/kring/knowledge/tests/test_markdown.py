"""Hostile Markdown: whatever people type, nothing runs in the reader's browser.

Each payload is checked structurally: the rendered HTML is parsed, and every element,
attribute and URL must be on the allowlist. The same check runs over whole pages that
show an item written to attack them.
"""

import html
import re
from html.parser import HTMLParser

import pytest

from kring.core.markdown import ALLOWED_TAGS, render_markdown
from kring.knowledge import services
from kring.knowledge.models import Kind

# The browser ignores tab, newline and carriage return anywhere in a URL, and leading C0
# controls and spaces: strip them the way it does before reading the scheme.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_SAFE_SCHEME = re.compile(r"^(https?|mailto):", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}


class Inspector(HTMLParser):
    """Collects every element and attribute as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.raw_text_in: list[str] = []
        self._open_raw: str | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag in ("script", "style"):
            self._open_raw = tag

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == self._open_raw:
            self._open_raw = None

    def handle_data(self, data):
        if self._open_raw:
            self.raw_text_in.append(data)


def inspect(markup: str) -> Inspector:
    parser = Inspector()
    parser.feed(markup)
    parser.close()
    return parser


def url_is_dangerous(value: str) -> bool:
    url = _URL_IGNORED.sub("", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c")
    return bool(_ANY_SCHEME.match(url)) and not _SAFE_SCHEME.match(url)


def problems_in(markup: str, *, allowed_tags=ALLOWED_TAGS) -> list[str]:
    """Everything in the markup that could run script or load something it should not."""
    found = []
    for tag, attrs in inspect(markup).elements:
        if tag not in allowed_tags:
            found.append(f"element <{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"event handler {name} on <{tag}>")
            if name == "style":
                found.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and url_is_dangerous(value):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


HOSTILE = {
    "script": "<script>alert('XSS')</script>",
    "script in a paragraph": "Hallo <script src=https://evil.example/x.js></script> daar",
    "img onerror": '<img src=x onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "iframe": "<iframe src=https://evil.example></iframe>",
    "object": '<object data="https://evil.example/x.swf"></object>',
    "style element": "<style>body { display: none }</style>",
    "style attribute": '<p style="position:fixed;top:0">cover</p>',
    "event handler on allowed tag": '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "event handler on paragraph": "<p onmouseover=alert(1)>hover me</p>",
    "nested script": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "broken nesting": "<<script>script>alert(1)<</script>/script>",
    "form": '<form action="https://evil.example"><input name=pw></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "base": '<base href="https://evil.example/">',
    "javascript link": "[klik](javascript:alert(1))",
    "javascript mixed case": "[klik](JaVaScRiPt:alert(1))",
    "javascript tab entity": "[klik](jav&#x09;ascript:alert(1))",
    "javascript decimal tab": "[klik](jav&#9;ascript:alert(1))",
    "javascript encoded letter": "[klik](&#106;avascript:alert(1))",
    "javascript colon entity": "[klik](javascript&colon;alert(1))",
    "javascript leading space": "[klik](   javascript:alert(1))",
    "javascript in angle brackets": "[klik](<javascript:alert(1)>)",
    "javascript newline": "[klik](java\nscript:alert(1))",
    "javascript percent newline": "[klik](java%0ascript:alert(1))",
    "javascript autolink": "<javascript:alert(1)>",
    "javascript reference": "[klik][ref]\n\n[ref]: javascript:alert(1)",
    "javascript image": "![x](javascript:alert(1))",
    "vbscript link": "[klik](vbscript:msgbox(1))",
    "raw javascript anchor": '<a href="javascript:alert(1)">x</a>',
    "raw entity anchor": '<a href="&#x6A;avascript:alert(1)">x</a>',
    "data link": "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "data image reference": "![x][img]\n\n[img]: data:image/png;base64,iVBORw0KGgo=",
    "data mixed case": "[klik](DaTa:text/html,<script>alert(1)</script>)",
    "title breaking out with double quotes": '[a](https://ok.example "t" onmouseover="alert(1)")',
    "title breaking out with single quotes": "[a](https://ok.example 'x\" onmouseover=alert(1) ')",
    "image title breaking out": '![x](https://ok.example/x.png "a\\" onerror=\\"alert(1)")',
    "html comment": "<!-- <script>alert(1)</script> -->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "code span is fine": "`<script>alert(1)</script>`",
    "code block is fine": "```html\n<script>alert(1)</script>\n```",
    "table cell": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_renders_harmless(source):
    """No element, attribute or URL outside the allowlist survives rendering."""
    rendered = render_markdown(source)

    assert problems_in(rendered) == []
    assert inspect(rendered).raw_text_in == []


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_survives_as_readable_text_or_not_at_all(source):
    """A payload's words are shown as text (escaped) or dropped, never as markup."""
    rendered = render_markdown(source)

    for live in ("<script", "<iframe", "<style", "<object", "<svg", "<form", "<meta", "<base"):
        assert live not in rendered.lower()


def test_a_title_with_quotes_stays_inside_its_attribute():
    """Quotes in a link title are escaped; they cannot open a new attribute."""
    rendered = render_markdown("[a](https://ok.example 'x\" onmouseover=alert(1) ')")

    [(tag, attrs)] = inspect(rendered).elements[1:]
    assert tag == "a"
    assert set(attrs) == {"href", "title", "rel"}
    assert attrs["title"] == 'x" onmouseover=alert(1) '
    assert "&quot;" in rendered


def test_safe_markdown_still_works():
    """Ordinary Markdown keeps its formatting, links and images (the filter is not a wall)."""
    source = (
        "## Kop\n\n**vet** en *schuin*, ~~weg~~\n\n- een\n- twee\n\n"
        '[site](https://example.org/pad?a=1&b=2 "titel") [mail](mailto:a@example.org)\n\n'
        "![foto](https://example.org/f.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> citaat"
    )

    rendered = render_markdown(source)

    tags = {tag for tag, _attrs in inspect(rendered).elements}
    assert {"h2", "strong", "em", "ul", "li", "a", "img", "table", "td", "blockquote"} <= tags
    assert 'href="https://example.org/pad?a=1&amp;b=2"' in rendered
    assert 'href="mailto:a@example.org"' in rendered
    assert 'src="https://example.org/f.png"' in rendered
    assert 'rel="noopener noreferrer nofollow ugc"' in rendered
    assert problems_in(rendered) == []


def test_the_checker_itself_catches_live_markup():
    """The structural check flags what it must (so passing tests mean something)."""
    assert problems_in("<script>x</script>") == ["element <script>"]
    assert problems_in('<a href=" jAvA&#x09;script:x">x</a>') == ["href=' jAvA\\tscript:x' on <a>"]
    assert problems_in('<img src="data:image/png;base64,AA">') == [
        "src='data:image/png;base64,AA' on <img>"
    ]
    assert problems_in('<p onclick="x">x</p>') == ["event handler onclick on <p>"]
    assert problems_in('<a href="jav%09ascript:x">x</a>') == []


# --- The pages that show people's text ------------------------------------------------------

PAYLOAD = "\n\n".join(HOSTILE.values())


@pytest.fixture
def hostile(make_user, make_community, make_member):
    """A community with an item, a lesson learned and a comment written to attack readers."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Veilig", slug="veilig")
    reader = make_member(community, full_name="Rita Reader").user
    item = services.item_create(
        community=community,
        by=facilitator,
        kind=Kind.PRACTICE_EXAMPLE,
        title='Kwaadaardig <img src=x onerror="alert(1)"> XSSMARK',
        body="Gewone tekst XSSMARK.\n\n" + PAYLOAD,
        tags=["<b>thema</b>", 'x" onmouseover="alert(1)'],
    )
    lesson = services.item_create(
        community=community,
        by=facilitator,
        kind=Kind.LESSON_LEARNED,
        title="Les XSSMARK",
        sections={"tried": PAYLOAD, "learned": "XSSMARK " + HOSTILE["javascript link"]},
    )
    services.comment_create(item=item, by=reader, body="Reactie XSSMARK " + PAYLOAD)
    services.item_update(item=item, by=facilitator, body="Nieuwe tekst XSSMARK\n\n" + PAYLOAD)
    return {"community": community, "reader": reader, "item": item, "lesson": lesson}


def _page(client, reader, url, params=None) -> str:
    client.force_login(reader)
    client.cookies["kring_language"] = "en"
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def _attack_surface(page: str) -> list[str]:
    """What of the page's elements could have come from the payload: anything carrying
    script, an event handler, or a dangerous URL, or a script element mentioning alert."""
    found = []
    inspector = inspect(page)
    for tag, attrs in inspector.elements:
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"event handler {name} on <{tag}>")
            if name in URL_ATTRIBUTES and url_is_dangerous(value):
                found.append(f"{name}={value!r} on <{tag}>")
        if tag in ("iframe", "object", "embed", "svg", "form", "meta", "base") and any(
            "evil" in value for value in attrs.values()
        ):
            found.append(f"element <{tag}> {attrs}")
    found += [f"script text {text!r}" for text in inspector.raw_text_in if "alert" in text]
    return found


@pytest.mark.parametrize(
    "page",
    ["detail", "lesson", "list", "search", "revisions", "first revision"],
)
def test_pages_showing_hostile_text_run_none_of_it(client, hostile, page):
    """Item, lesson, library, search and history pages show the text but nothing live."""
    item, lesson = hostile["item"], hostile["lesson"]
    base = f"/communities/{hostile['community'].slug}"
    url, params = {
        "detail": (item.get_absolute_url(), None),
        "lesson": (lesson.get_absolute_url(), None),
        "list": (f"{base}/library/", None),
        "search": (f"{base}/search/", {"q": "xssmark"}),
        "revisions": (f"{base}/library/{item.pk}/revisions/", None),
        "first revision": (f"{base}/library/{item.pk}/revisions/", {"rev": "1"}),
    }[page]

    content = _page(client, hostile["reader"], url, params)

    assert "XSSMARK" in content
    assert _attack_surface(content) == []


def test_the_detail_page_shows_the_payload_as_text(client, hostile):
    """The attack is visible as harmless text on the item page, escaped."""
    content = _page(client, hostile["reader"], hostile["item"].get_absolute_url())

    assert "Hallo &lt;script src=https://evil.example/x.js&gt;&lt;/script&gt; daar" in content
    assert "<p>&lt;img src=x onerror=" in content
    assert html.escape('Kwaadaardig <img src=x onerror="alert(1)">') in content
