"""`kring search`, `kring import-knowledge` and `kring reindex`."""

import importlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kring.accounts.services import api_token_create, profile_update
from kring.communities.models import Role
from kring.core.models import ActivityEvent, SearchDocument
from kring.core.search import backend
from kring.knowledge import services
from kring.knowledge.models import Kind, KnowledgeItem, Revision
from kring.knowledge.verbs import KnowledgeVerb


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def place(make_user, make_community, make_member):
    """A private community "wijk" with two facilitators (Fenna first), a member, a guest and
    a few items; another community "elders" with an item on the same topic."""
    fenna = make_user(full_name="Fenna Facilitator", email="fenna@example.org", can_create=True)
    community = make_community(by=fenna, name="Wijk", slug="wijk")
    make_member(community, role=Role.FACILITATOR, full_name="Aad Later", email="aad@example.org")
    member = make_member(community, full_name="Mo Member", email="mo@example.org").user
    guest = make_member(community, role=Role.GUEST, full_name="Guus", email="guus@example.org")
    helper = make_member(community, full_name="Bea Begeleider", email="bea@example.org").user
    profile_update(user=helper, by=helper, help_tags=["begeleiding"])
    for title, body in [
        ("Begeleiding van vrijwilligers", "Inwerken en ondersteunen."),
        ("Verslag", "Kort over begeleiding van jongeren."),
        ("Leerkring mantelzorg", "Mantelzorgers leren van elkaar."),
    ]:
        services.item_create(
            community=community, by=member, kind=Kind.PRACTICE_STORY, title=title, body=body
        )
    other = make_community(name="Elders", slug="elders")
    services.item_create(
        community=other,
        by=other.memberships.get().user,
        kind=Kind.TOOLKIT,
        title="Begeleiding elders",
    )
    return {
        "community": community,
        "fenna": fenna,
        "member": member,
        "guest": guest.user,
        "outsider": make_user(email="olga@example.org"),
    }


# --- kring search ---------------------------------------------------------------------------


def test_search_json_equals_the_api_document(client, place):
    """`kring search --json --as` prints exactly what the API answers that person."""
    _token, secret = api_token_create(user=place["member"])
    params = {"q": "begeleiders", "kind": "implicit", "limit": 5, "people": "true"}
    api = client.get(
        "/api/v1/communities/wijk/search", params, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert api.status_code == 200, api.content
    out, _err = run(
        "search",
        "wijk",
        "begeleiders",
        "--as",
        "MO@example.org",
        "--kind",
        "implicit",
        "--limit",
        "5",
        "--people",
        "--json",
        "--language",
        "en",  # the test client asks for English
    )
    assert json.loads(out) == api.json()
    assert [r["title"] for r in api.json()["results"]] == [
        "Begeleiding van vrijwilligers",
        "Verslag",
    ]
    assert [p["email"] for p in api.json()["people"]][:1] == ["bea@example.org"]


def test_search_without_as_sees_every_community(place):
    """Without --as the search runs as a platform admin: private communities too."""
    document = json.loads(run("search", "wijk", "leerkringen", "--json")[0])
    assert [r["title"] for r in document["results"]] == ["Leerkring mantelzorg"]
    assert json.loads(run("search", "elders", "begeleiding", "--json")[0])["total"] == 1


def test_search_prints_a_readable_list(place):
    """Without --json the results are listed with snippet and address, then (--people) who
    knows."""
    out, _err = run("search", "wijk", "begeleiding", "--kind", "practice_story", "--people")
    lines = out.splitlines()
    assert lines[0] == "2 results for 'begeleiding'"
    assert lines[1].startswith("  1. Begeleiding van vrijwilligers  [item ")
    assert "Inwerken en ondersteunen." in out
    assert "/communities/wijk/library/" in out
    assert "Who knows about this:" in out and "Bea Begeleider <bea@example.org>" in out
    plain, _err = run("search", "wijk", "begeleiding", "--kind", "practice_story")
    assert plain.splitlines()[:2] == lines[:2]
    assert "Who knows about this:" not in plain


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["wijk", "begeleiding", "--as", "olga@example.org"], "No community 'wijk'"),
        (["nergens", "begeleiding"], "No community 'nergens'"),
        (["wijk", "begeleiding", "--as", "nobody@example.org"], "No active person"),
        (["wijk", "  "], "Type what you are looking for."),
        (["wijk", "zorg", "--limit", "500"], "Ask for 1 to 50 results."),
    ],
)
def test_search_errors(place, args, message):
    """Outsiders, unknown names and bad input end in a clear message."""
    with pytest.raises(CommandError, match=message):
        run("search", *args, "--language", "en")


# --- kring import-knowledge -----------------------------------------------------------------


def pdf_bytes(lines: list[str], title: str | None = None) -> bytes:
    """A one-page PDF with real text (Helvetica), written by hand; pypdf can read it back."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        ops += [f"({escape(line)}) Tj", "T*"]
    stream = "\n".join([*ops, "ET"]).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if title:
        objects.append(b"<< /Title (" + escape(title).encode("cp1252") + b") >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    info = b" /Info %d 0 R" % len(objects) if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info,
        xref,
    )
    return bytes(out)


def test_pdf_helper_makes_real_text():
    """The hand-written test PDF really carries text that pypdf extracts."""
    from pypdf import PdfReader

    reader = PdfReader(__import__("io").BytesIO(pdf_bytes(["Eerste regel", "Café (twee)"], "T")))
    assert reader.pages[0].extract_text().split("\n")[:2] == ["Eerste regel", "Café (twee)"]
    assert reader.metadata.title == "T"


@pytest.fixture
def files(tmp_path):
    """A folder of documents: Markdown, text, PDF, and things that cannot be imported."""
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "buurtcafe.md").write_text(
        "Intro voor de heading.\n\n## Een buurtcafé starten\n\nBegin met **koffie**.\n",
        encoding="utf-8",
    )
    (folder / "notities.txt").write_text(
        "\n\n  Notities van de leerkring  \nWe spraken over eenzaamheid.\nEn over buren.\n",
        encoding="utf-8",
    )
    (folder / "sub" / "oud.txt").write_bytes(
        "Oude notitie\nGeschreven in Word, met een é en een €.".encode("cp1252")
    )
    (folder / "sub" / "verslag.pdf").write_bytes(
        pdf_bytes(["Verslag wijkavond", "Bewoners vertelden over de speeltuin."])
    )
    (folder / "sub" / "rapport.pdf").write_bytes(
        pdf_bytes(["Eerste pagina tekst", "Meer over participatie."], title="Rapport participatie")
    )
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf at all")
    (folder / "leeg.md").write_text("  \n\n", encoding="utf-8")
    (folder / "plaatje.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / ".verborgen.md").write_text("# Verborgen\n", encoding="utf-8")
    return folder


def test_import_folder(place, files):
    """Every readable file becomes an item; broken and empty ones are reported and skipped."""
    out, _err = run("import-knowledge", "wijk", str(files), "--no-progress")
    items = {i.title: i for i in KnowledgeItem.objects.filter(community=place["community"])}
    assert items["Een buurtcafé starten"].body == "Intro voor de heading.\n\nBegin met **koffie**."
    assert items["Notities van de leerkring"].body == "We spraken over eenzaamheid.\nEn over buren."
    assert items["Oude notitie"].body == "Geschreven in Word, met een é en een €."
    assert items["Verslag wijkavond"].body == "Bewoners vertelden over de speeltuin."
    assert items["Rapport participatie"].body.startswith("Eerste pagina tekst\nMeer over")
    assert "Verborgen" not in items
    imported = [items[t] for t in ("Een buurtcafé starten", "Oude notitie", "Verslag wijkavond")]
    for item in imported:
        assert item.kind == Kind.PRACTICE_EXAMPLE
        assert item.author_list == [place["fenna"]]  # the first facilitator
        assert Revision.objects.filter(item=item, number=1).exists()
        assert ActivityEvent.objects.filter(
            verb=KnowledgeVerb.ITEM_CREATED, target_id=item.pk
        ).exists()
    assert "Imported 5 items into 'wijk' as Fenna Facilitator <fenna@example.org>" in out
    assert "Skipped 2:" in out
    assert f"{files / 'kapot.pdf'}: not a readable PDF" in out
    assert f"{files / 'leeg.md'}: the file is empty" in out
    assert "plaatje.png" not in out  # folders are walked for .txt, .md and .pdf only


def test_imported_items_are_searchable(place, files):
    """Imported text is in the search index straight away, stemmed."""
    run("import-knowledge", "wijk", str(files), "--no-progress")
    document = json.loads(run("search", "wijk", "speeltuinen", "--json")[0])
    assert [r["title"] for r in document["results"]] == ["Verslag wijkavond"]


def test_import_progress_bar_on_stderr(place, files):
    """The progress bar goes to stderr and ends at the number of files."""
    out, err = run("import-knowledge", "wijk", str(files / "sub"))
    assert "Importing" in err and "3/3" in err
    assert "Importing" not in out


def test_import_author_kind_and_tags(place, files):
    """--author names a member, --kind the kind and --tag a theme for every item."""
    run(
        "import-knowledge",
        "wijk",
        str(files / "notities.txt"),
        "--author",
        "MO@example.org",
        "--kind",
        "lesson_learned",
        "--tag",
        "Eenzaamheid",
        "--no-progress",
    )
    item = KnowledgeItem.objects.get(title="Notities van de leerkring")
    assert item.kind == Kind.LESSON_LEARNED
    assert item.author_list == [place["member"]]
    assert [t.name for t in item.tags.all()] == ["Eenzaamheid"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--author", "olga@example.org"], "not a member of 'wijk'"),
        (["--author", "guus@example.org"], "guest"),
        (["--author", "nobody@example.org"], "No active person"),
        (["--kind", "poem"], "invalid choice: 'poem'"),
    ],
)
def test_import_refuses_bad_options(place, files, args, message):
    """An author who is no member (or only a guest), or an unknown kind, stops the import."""
    with pytest.raises(CommandError, match=message):
        run("import-knowledge", "wijk", str(files), *args, "--no-progress")
    assert not KnowledgeItem.objects.filter(title="Verslag wijkavond").exists()


def test_import_unknown_community(place, files):
    """An unknown community is a clear error."""
    with pytest.raises(CommandError, match="No community with short name 'nergens'"):
        run("import-knowledge", "nergens", str(files))


def test_import_nothing_readable_fails(place, files, tmp_path):
    """When nothing could be imported the command fails, after saying why."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x81\x8d\x8f\x90\x9d")  # neither UTF-8 nor Windows-1252
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"abc\x00def")
    out = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import-knowledge",
            "wijk",
            str(bad),
            str(binary),
            str(files / "kapot.pdf"),
            str(tmp_path / "missing.md"),
            str(files / "plaatje.png"),
            "--no-progress",
            stdout=out,
        )
    text = out.getvalue()
    assert "Imported 0 items" in text and "Skipped 5:" in text
    assert "not readable as UTF-8 or Windows-1252 text" in text
    assert "looks like a binary file" in text
    assert "missing.md: no such file or directory" in text
    assert "plaatje.png: not a .txt, .md or .pdf file" in text


def test_import_dry_run_saves_nothing(place, files):
    """--dry-run reads and checks everything and reports, but saves nothing."""
    before = (KnowledgeItem.objects.count(), SearchDocument.objects.count())
    out, _err = run("import-knowledge", "wijk", str(files), "--dry-run", "--no-progress")
    assert "Would import 5 items" in out
    assert (KnowledgeItem.objects.count(), SearchDocument.objects.count()) == before


def test_import_reports_items_the_service_refuses(place, tmp_path):
    """A file whose text breaks a library rule is reported with the rule; the rest goes in."""
    (tmp_path / "lang.txt").write_text("Te lang\n" + "woord " * 9000, encoding="utf-8")
    (tmp_path / "kort.txt").write_text("Kort\nPrima.", encoding="utf-8")
    out, _err = run("import-knowledge", "wijk", str(tmp_path), "--no-progress")
    assert "Imported 1 item into" in out
    assert "lang.txt: The text is too long" in out


@pytest.mark.parametrize(
    ("name", "content", "title", "body"),
    [
        ("setext.md", "Mijn titel\n==========\n\nTekst.", "Mijn titel", "Tekst."),
        ("closing.md", "# Titel met hekjes ##\nTekst.", "Titel met hekjes", "Tekst."),
        (
            "fence.md",
            "```\n# geen titel\n```\n# Echte titel\nx",
            "Echte titel",
            "```\n# geen titel\n```\nx",
        ),
        (
            "front.md",
            '---\ntitle: "Uit de kop"\ndate: 2024\n---\n# Kop\nTekst',
            "Uit de kop",
            "# Kop\nTekst",
        ),
        ("plain.md", "Geen kop hier\nmaar wel tekst", "Geen kop hier", "maar wel tekst"),
        ("hash.txt", "# Geen markdown\nrest", "# Geen markdown", "rest"),
        ("crlf.txt", "Windows\r\nregel twee\r\n", "Windows", "regel twee"),
        ("bom.txt", "\ufeffMet BOM\ntekst", "Met BOM", "tekst"),
        ("alleen.txt", "Alleen een titel", "Alleen een titel", ""),
    ],
)
def test_import_title_rules(place, tmp_path, name, content, title, body):
    """The title is the first Markdown heading (Markdown only), else the first line."""
    (tmp_path / name).write_bytes(content.encode("utf-8"))
    run("import-knowledge", "wijk", str(tmp_path / name), "--no-progress")
    item = KnowledgeItem.objects.get(community=place["community"], title=title)
    assert item.body == body


def test_import_utf16_text(place, tmp_path):
    """A UTF-16 text file with its byte-order mark is read too."""
    (tmp_path / "utf16.txt").write_bytes("Zestien bits\nTekst met ë.".encode("utf-16"))
    run("import-knowledge", "wijk", str(tmp_path / "utf16.txt"), "--no-progress")
    assert KnowledgeItem.objects.get(title="Zestien bits").body == "Tekst met ë."


def test_import_pdf_ignores_meaningless_metadata_title(place, tmp_path):
    """A PDF title that is only a file name falls back to the first line of text."""
    (tmp_path / "w.pdf").write_bytes(
        pdf_bytes(["Echte titel", "Tekst."], title="Microsoft Word - verslag.docx")
    )
    run("import-knowledge", "wijk", str(tmp_path / "w.pdf"), "--no-progress")
    assert KnowledgeItem.objects.get(title="Echte titel").body == "Tekst."


def test_import_same_file_twice_once(place, files):
    """A file named twice (or also inside a named folder) is imported once."""
    out, _err = run(
        "import-knowledge",
        "wijk",
        str(files / "sub"),
        str(files / "sub" / "oud.txt"),
        "--no-progress",
    )
    assert "Imported 3 items" in out
    assert KnowledgeItem.objects.filter(title="Oude notitie").count() == 1


def test_import_long_first_line(place, tmp_path):
    """A first line too long for a title is shortened, and kept whole in the body."""
    line = "Een heel lang verhaal " * 20
    (tmp_path / "lang.txt").write_text(line + "\nmeer", encoding="utf-8")
    run("import-knowledge", "wijk", str(tmp_path / "lang.txt"), "--no-progress")
    item = KnowledgeItem.objects.get(community=place["community"], title__startswith="Een heel")
    assert len(item.title) <= 200 and item.title.endswith("…")
    assert item.body == line + "\nmeer"


# --- kring reindex --------------------------------------------------------------------------


def test_reindex_rebuilds_the_index(place):
    """reindex rebuilds every document from the database and says how many and how large."""
    expected = SearchDocument.objects.count()
    SearchDocument.objects.all().delete()
    backend().clear()
    assert json.loads(run("search", "wijk", "begeleiding", "--json")[0])["results"] == []
    out, err = run("reindex")
    assert SearchDocument.objects.count() == expected
    assert f"Indexed {expected} documents (person, item, thread)" in out
    assert "Index size on disk: " in out
    assert f"{expected}/{expected}" in err  # the progress bar reaches its total
    assert json.loads(run("search", "wijk", "begeleiding", "--json")[0])["total"] == 3


def test_import_again_adds_nothing(place, files):
    """A second run of the same import adds no item and still succeeds."""
    run("import-knowledge", "wijk", str(files), "--no-progress")
    before = KnowledgeItem.objects.filter(community=place["community"]).count()
    out, _err = run("import-knowledge", "wijk", str(files), "--no-progress")
    assert "Imported 0 items" in out
    assert "Already imported before: 5 files (passed over)." in out
    assert KnowledgeItem.objects.filter(community=place["community"]).count() == before


def test_import_stopped_half_way_resumes(place, files, monkeypatch):
    """A run stopped half-way keeps whole batches; the next run adds only the rest."""
    module = importlib.import_module("kring.knowledge.management.commands.import-knowledge")
    monkeypatch.setattr(module, "BATCH", 2)
    real_read = module.read_document
    reads = []

    def read_then_die(path):
        reads.append(path)
        if len(reads) == 6:  # two of five files saved, one more read into the next batch
            raise KeyboardInterrupt
        return real_read(path)

    monkeypatch.setattr(module, "read_document", read_then_die)
    with pytest.raises(KeyboardInterrupt):
        run("import-knowledge", "wijk", str(files), "--no-progress")
    community = place["community"]
    imported = KnowledgeItem.objects.filter(community=community, revisions__note="import")
    assert imported.count() == 2
    monkeypatch.setattr(module, "read_document", real_read)
    out, _err = run("import-knowledge", "wijk", str(files), "--no-progress")
    assert "Imported 3 items" in out and "Already imported before: 2 files" in out
    titles = list(imported.values_list("title", flat=True))
    assert len(titles) == 5 and len(set(titles)) == 5


def test_import_changed_or_deleted_files(place, tmp_path):
    """A changed file is imported as new; a deleted import does not come back; a copy of a
    file in the same run is reported."""
    (tmp_path / "a.txt").write_text("Eerste\nTekst.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Tweede\nTekst.", encoding="utf-8")
    run("import-knowledge", "wijk", str(tmp_path), "--no-progress")
    services.item_delete(item=KnowledgeItem.objects.get(title="Tweede"), by=place["fenna"])
    (tmp_path / "a.txt").write_text("Eerste\nTekst, beter.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Eerste\nTekst, beter.", encoding="utf-8")
    out, _err = run("import-knowledge", "wijk", str(tmp_path), "--no-progress")
    assert "Imported 1 item " in out and "Already imported before: 1 file " in out
    assert f"{tmp_path / 'c.txt'}: the same content as {tmp_path / 'a.txt'}" in out
    assert list(
        KnowledgeItem.objects.filter(title="Eerste").order_by("pk").values_list("body", flat=True)
    ) == ["Tekst.", "Tekst, beter."]
    assert not KnowledgeItem.objects.filter(title="Tweede").exists()
