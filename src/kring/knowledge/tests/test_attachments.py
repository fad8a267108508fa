"""Attachments: the type is read from the content, not the name; size is limited; files
are only handed to people who may see the item, as downloads that browsers do not sniff."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from kring.communities.models import Role
from kring.knowledge import services
from kring.knowledge.models import Attachment, Kind, KnowledgeItem

NOT_ALLOWED = (
    "This type of file is not allowed. Upload a PDF, an Office or OpenDocument file, or an image."
)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"/>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body/></w:document>',
        )
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "just a zip")
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def shelf(make_user, make_community, make_member):
    """A private community with an item shared by a member, and people around it."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Archief", slug="archief")
    author = make_member(community, full_name="Anna Auteur").user
    item = services.item_create(
        community=community, by=author, kind=Kind.HANDOUT, title="Formulieren"
    )
    outsider_facilitator = make_user(can_create=True)
    make_community(by=outsider_facilitator, name="Elders", slug="elders")
    return {
        "community": community,
        "facilitator": facilitator,
        "author": author,
        "member": make_member(community, full_name="Mo Member").user,
        "guest": make_member(community, role=Role.GUEST, full_name="Guus Gast").user,
        "outsider": outsider_facilitator,
        "item": item,
    }


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# --- Sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "mime", "extension"),
    [
        ("verslag.pdf", pdf_bytes, "application/pdf", "pdf"),
        ("foto.png", png_bytes, "image/png", "png"),
        (
            "plan.docx",
            docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        ("zonder-extensie", pdf_bytes, "application/pdf", "pdf"),
        ("verkeerde-naam.exe", png_bytes, "image/png", "png"),
    ],
)
def test_allowed_files_are_recognised_by_their_content(shelf, name, make, mime, extension):
    """PDF, PNG and DOCX are accepted and typed by their bytes, whatever their name says."""
    content = make()

    attachment = services.attachment_add(
        item=shelf["item"], by=shelf["author"], upload=upload(name, content, "text/html")
    )

    assert attachment.content_type == mime
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.file.name.endswith(f".{extension}")
    with attachment.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),
        ("factuur.pdf", EXE),
        ("notities.pdf", b"Dit is gewoon tekst, geen PDF.\n" * 10),
        ("pagina.png", b"<html><script>alert(1)</script></html>"),
        ("tekening.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("archief.docx", zip_bytes()),
        ("leeg.pdf", b""),
    ],
)
def test_files_of_other_types_are_refused(shelf, settings, name, content):
    """An executable, text renamed .pdf, HTML, SVG, a plain zip or nothing: a clear
    message, and no row or file is saved."""
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            item=shelf["item"], by=shelf["author"], upload=upload(name, content)
        )

    assert error.value.message_dict["file"] == [NOT_ALLOWED]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused(shelf, settings):
    """A file larger than the configured maximum is refused with its size and the limit."""
    settings.KRING_ATTACHMENT_MAX_BYTES = 1024 * 1024
    content = pdf_bytes() + b"\n%" + b"x" * (1536 * 1024)

    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            item=shelf["item"], by=shelf["author"], upload=upload("groot.pdf", content)
        )

    assert error.value.message_dict["file"] == [
        "The file is too large (1.5 MB). The maximum is 1 MB."
    ]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_a_file_at_the_limit_is_accepted(shelf, settings):
    """Exactly the maximum size is still fine."""
    content = png_bytes()
    settings.KRING_ATTACHMENT_MAX_BYTES = len(content)

    attachment = services.attachment_add(
        item=shelf["item"], by=shelf["author"], upload=upload("foto.png", content)
    )

    assert attachment.size == len(content)


def test_a_path_in_the_name_is_not_used_for_storage(shelf):
    """The stored file gets a random name; the original name keeps no path separators."""
    attachment = services.attachment_add(
        item=shelf["item"], by=shelf["author"], upload=upload("../../etc/passwd.png", png_bytes())
    )

    assert "/" not in attachment.original_name
    assert "\\" not in attachment.original_name
    assert ".." not in attachment.file.name
    assert attachment.file.name.startswith("attachments/")


def test_an_item_holds_at_most_twenty_attachments(shelf):
    """The 21st attachment is refused."""
    content = png_bytes()
    for n in range(20):
        services.attachment_add(
            item=shelf["item"], by=shelf["author"], upload=upload(f"{n}.png", content)
        )

    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            item=shelf["item"], by=shelf["author"], upload=upload("21.png", content)
        )

    assert error.value.message_dict["file"] == ["An item can have at most 20 attachments."]
    assert Attachment.objects.count() == 20


@pytest.mark.parametrize("who", ["member", "guest", "outsider"])
def test_only_editors_add_attachments(shelf, settings, who):
    """Someone who may not edit the item cannot attach files to it."""
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            item=shelf["item"], by=shelf[who], upload=upload("foto.png", png_bytes())
        )

    assert stored_files(settings) == []


def test_deleting_an_attachment_removes_its_file(shelf, django_capture_on_commit_callbacks):
    """Removing an attachment deletes its row and, after commit, its file."""
    attachment = services.attachment_add(
        item=shelf["item"], by=shelf["author"], upload=upload("foto.png", png_bytes())
    )
    storage, name = attachment.file.storage, attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, by=shelf["facilitator"])

    assert not Attachment.objects.exists()
    assert not storage.exists(name)


# --- Through the pages ----------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    client.cookies["kring_language"] = "en"
    return client


def test_sharing_with_a_wrong_file_saves_nothing(client, shelf, settings):
    """The share form refuses a disguised file by name, keeps the text, and saves nothing."""
    login(client, shelf["member"])
    items_before = KnowledgeItem.objects.count()

    response = client.post(
        "/communities/archief/library/create/",
        {
            "kind": Kind.HANDOUT,
            "title": "Mijn handout",
            "body": "Tekst die blijft staan",
            "attachments": [upload("rapport.pdf", b"Gewone tekst, geen PDF.")],
        },
    )

    assert response.status_code == 200
    assert f"rapport.pdf: {NOT_ALLOWED}" in response.content.decode()
    assert "Tekst die blijft staan" in response.content.decode()
    assert KnowledgeItem.objects.count() == items_before
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_sharing_with_a_too_large_file_saves_nothing(client, shelf, settings):
    """The share form refuses an oversized file with the limit, and saves nothing."""
    settings.KRING_ATTACHMENT_MAX_BYTES = 1024 * 1024
    login(client, shelf["member"])
    items_before = KnowledgeItem.objects.count()

    response = client.post(
        "/communities/archief/library/create/",
        {
            "kind": Kind.HANDOUT,
            "title": "Mijn handout",
            "attachments": [upload("groot.png", png_bytes() + b"\0" * (2 * 1024 * 1024))],
        },
    )

    assert response.status_code == 200
    assert "The maximum is 1 MB." in response.content.decode()
    assert KnowledgeItem.objects.count() == items_before
    assert stored_files(settings) == []


def test_sharing_with_good_files_keeps_them(client, shelf):
    """A PDF and a PNG uploaded with a new item are attached to it."""
    login(client, shelf["member"])

    response = client.post(
        "/communities/archief/library/create/",
        {
            "kind": Kind.HANDOUT,
            "title": "Met bijlagen",
            "attachments": [upload("a.pdf", pdf_bytes()), upload("b.png", png_bytes())],
        },
    )

    item = KnowledgeItem.objects.get(title="Met bijlagen")
    assert response.status_code == 302
    assert sorted(a.content_type for a in item.attachments.all()) == [
        "application/pdf",
        "image/png",
    ]


def test_adding_a_wrong_file_while_editing_changes_nothing(client, shelf, settings):
    """An edit with a disguised file is refused whole: no new text, no new version."""
    login(client, shelf["author"])
    item = shelf["item"]

    response = client.post(
        f"/communities/archief/library/{item.pk}/update/",
        {
            "kind": Kind.HANDOUT,
            "title": "Nieuwe titel",
            "attachments": [upload("virus.png", EXE)],
        },
    )

    assert response.status_code == 200
    assert f"virus.png: {NOT_ALLOWED}" in response.content.decode()
    fresh = KnowledgeItem.objects.get(pk=item.pk)
    assert fresh.title == "Formulieren"
    assert fresh.revisions.count() == 1
    assert stored_files(settings) == []


@pytest.fixture
def attached(shelf):
    content = pdf_bytes()
    attachment = services.attachment_add(
        item=shelf["item"],
        by=shelf["author"],
        upload=upload('Verslag "mei"\r\nX-Evil: 1.pdf', content),
    )
    return {**shelf, "attachment": attachment, "content": content}


def download_url(item, attachment) -> str:
    return f"/communities/{item.community.slug}/library/{item.pk}/attachments/{attachment.pk}/"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("author", 200),
        ("member", 200),
        ("guest", 200),
        ("facilitator", 200),
        ("outsider", 404),
    ],
)
def test_download_only_for_people_who_see_the_item(client, attached, who, status):
    """Members and guests download; someone outside the private community gets 404."""
    login(client, attached[who])

    response = client.get(download_url(attached["item"], attached["attachment"]))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == attached["content"]


def test_download_is_an_attachment_that_is_not_sniffed(client, attached):
    """The file comes as a download with its type, nosniff, and a safe file name."""
    login(client, attached["member"])

    response = client.get(download_url(attached["item"], attached["attachment"]))

    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert not response.has_header("X-Evil")
    assert "private" in response["Cache-Control"]


def test_download_needs_a_login(client, attached):
    """An anonymous visitor is sent to log in, not given the file."""
    response = client.get(download_url(attached["item"], attached["attachment"]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_attachment_cannot_be_fetched_through_another_item(client, attached):
    """An attachment id under the wrong item gives 404 (no guessing across items)."""
    other = services.item_create(
        community=attached["community"], by=attached["member"], kind=Kind.HANDOUT, title="Ander"
    )
    login(client, attached["member"])

    response = client.get(download_url(other, attached["attachment"]))

    assert response.status_code == 404


def test_a_missing_file_gives_404(client, attached):
    """If the file is gone from storage, the download is a plain 404."""
    attachment = attached["attachment"]
    attachment.file.storage.delete(attachment.file.name)
    login(client, attached["member"])

    response = client.get(download_url(attached["item"], attachment))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status", "kept"),
    [
        ("author", 302, False),
        ("facilitator", 302, False),
        ("member", 403, True),
        ("guest", 403, True),
        ("outsider", 404, True),
    ],
)
def test_only_editors_delete_an_attachment(client, attached, who, status, kept):
    """Editors remove an attachment; members and guests get 403, outsiders 404."""
    login(client, attached[who])

    response = client.post(download_url(attached["item"], attached["attachment"]) + "delete/")

    assert response.status_code == status
    assert Attachment.objects.filter(pk=attached["attachment"].pk).exists() is kept


def test_a_refused_file_among_good_ones_stores_none_of_them(shelf, settings):
    """Every file is checked before any is stored: the good first file is not left behind."""
    from kring.core.attachments import attachments_save

    with pytest.raises(ValidationError):
        attachments_save(
            model=Attachment,
            owner={"item": shelf["item"]},
            uploads=[upload("goed.pdf", pdf_bytes()), upload("fout.pdf", b"no pdf at all")],
            by=shelf["author"],
        )
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_adding_an_empty_upload_is_a_clear_refusal(shelf):
    """No file at all is a message under "file", not a crash."""
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(item=shelf["item"], by=shelf["author"], upload=None)
    assert refused.value.message_dict == {"file": ["Choose a file to attach."]}
