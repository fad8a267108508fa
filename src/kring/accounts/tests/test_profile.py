"""Profiles: the form, photos, tags and perspectives, and the language switch."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kring.accounts.models import Perspective, User
from kring.accounts.services import photo_prepare, profile_update
from kring.accounts.verbs import AccountVerb
from kring.core.models import ActivityEvent, Tag


def profile_data(**changes) -> dict:
    data = {
        "full_name": "Anna de Vries",
        "organisation": "Gemeente Delft",
        "job_title": "Beleidsmedewerker",
        "bio": "I work on care at home.",
        "help_tags": "",
        "seeking_tags": "",
        "language": "en",
    }
    data.update(changes)
    return data


@pytest.fixture
def anna(make_user):
    return make_user(full_name="Anna", email="anna@example.org")


@pytest.fixture
def anna_client(make_client, anna):
    return make_client(anna)


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_profile_update(anna_client, anna):
    """Saving the profile sets fields, tags and perspectives and records one event."""
    keys = ["municipality", "citizen"]
    perspectives = Perspective.objects.filter(key__in=keys)
    response = anna_client.post(
        "/me/profile/",
        profile_data(
            perspectives=[p.pk for p in perspectives],
            help_tags="Wijkteams, mantelzorg; wijkteams",
            seeking_tags="Subsidies",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{anna.pk}/"
    anna.refresh_from_db()
    assert (anna.full_name, anna.organisation) == ("Anna de Vries", "Gemeente Delft")
    assert sorted(p.key for p in anna.perspectives.all()) == sorted(keys)
    assert sorted(t.name for t in anna.help_tags.all()) == ["Wijkteams", "mantelzorg"]
    assert [t.name for t in anna.seeking_tags.all()] == ["Subsidies"]
    event = ActivityEvent.objects.get(verb=AccountVerb.PROFILE_UPDATED)
    assert (event.actor, event.other, event.community) == (anna, None, None)
    assert set(event.data["fields"]) >= {"full_name", "perspectives", "help_tags", "seeking_tags"}


def test_profile_unchanged_records_nothing(anna):
    """Saving a profile without changes writes no event."""
    profile_update(user=anna, by=anna, full_name="Anna", help_tags=[], perspectives=[])
    assert not ActivityEvent.objects.filter(verb=AccountVerb.PROFILE_UPDATED).exists()


def test_profile_shared_tags(make_user, anna):
    """Tags are shared between people; the same word is one tag."""
    bob = make_user()
    profile_update(user=anna, by=anna, help_tags=["Mantelzorg"])
    profile_update(user=bob, by=bob, seeking_tags=["mantelzorg "])
    assert Tag.objects.count() == 1


def test_profile_of_someone_else(make_user, anna):
    """Nobody but the person (or staff) changes a profile."""
    with pytest.raises(PermissionDenied):
        profile_update(user=anna, by=make_user(), full_name="Hacked")
    anna.refresh_from_db()
    assert anna.full_name == "Anna"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bio": "b" * 801}, "bio", "Ensure this value has at most 800 characters (it has 801)."),
        (
            {"full_name": "n" * 121},
            "full_name",
            "Ensure this value has at most 120 characters (it has 121).",
        ),
        ({"full_name": "  "}, "full_name", "This field is required."),
        (
            {"help_tags": ",".join(f"tag{n}" for n in range(21))},
            "help_tags",
            "Twenty tags at most, please.",
        ),
        ({"seeking_tags": "t" * 61}, "seeking_tags", "Keep each tag to 60 characters."),
        ({"language": "de"}, "language", "Select a valid choice."),
    ],
    ids=["long-bio", "long-name", "blank-name", "many-tags", "long-tag", "bad-language"],
)
def test_profile_bad_input(anna_client, anna, changes, field, message):
    """Bad profile input shows the message at the field and saves nothing."""
    response = anna_client.post("/me/profile/", profile_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    anna.refresh_from_db()
    assert anna.full_name == "Anna"
    assert anna.bio == ""
    assert not Tag.objects.exists()
    assert not ActivityEvent.objects.exists()


# --- Photos ---------------------------------------------------------------------------------


def test_photo_is_resized_to_square_jpeg(anna_client, anna, make_image):
    """A PNG photo is stored as a 512x512 JPEG and served to people who may see it."""
    upload = make_image(size=(300, 200), name="me.png")
    response = anna_client.post("/me/profile/", profile_data(photo=upload))
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.photo.name.endswith(".jpg")
    with Image.open(anna.photo.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (512, 512)
    served = anna_client.get(f"/people/{anna.pk}/photo/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"


def test_photo_replaced_removes_old_file(
    anna_client, anna, make_image, settings, django_capture_on_commit_callbacks
):
    """A new photo replaces the old file; only one stays in storage."""
    with django_capture_on_commit_callbacks(execute=True):
        anna_client.post("/me/profile/", profile_data(photo=make_image(colour="red")))
        anna_client.post("/me/profile/", profile_data(photo=make_image(colour="blue")))
    anna.refresh_from_db()
    assert [p.name for p in media_files(settings)] == [anna.photo.name.rsplit("/", 1)[-1]]


def test_photo_removed(anna_client, anna, make_image, settings):
    """Ticking "clear" removes the photo."""
    profile_update(user=anna, by=anna, photo=photo_prepare(upload=make_image()))
    response = anna_client.post("/me/profile/", profile_data(**{"photo-clear": "on"}))
    assert response.status_code == 302
    anna.refresh_from_db()
    assert not anna.photo


def test_photo_too_large(anna_client, anna, make_image, settings):
    """A photo over the size limit is refused with a clear message; nothing is saved."""
    settings.KRING_PHOTO_MAX_BYTES = 200
    upload = make_image(size=(64, 64), fmt="BMP", name="big.bmp")
    assert upload.size > 200
    response = anna_client.post("/me/profile/", profile_data(photo=upload, bio="Changed"))
    assert response.status_code == 200
    errors = response.context["form"].errors["photo"]
    assert errors[0].startswith("The photo is too large")
    assert b"The photo is too large" in response.content
    anna.refresh_from_db()
    assert not anna.photo
    assert anna.bio == ""
    assert media_files(settings) == []
    assert not ActivityEvent.objects.exists()


NOT_AN_IMAGE = "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF photo."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"just some text, honestly", NOT_AN_IMAGE),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, NOT_AN_IMAGE),
        ("empty.jpg", b"", "The submitted file is empty."),
    ],
    ids=["text-renamed", "broken-png", "empty"],
)
def test_photo_not_an_image(anna_client, anna, settings, name, content, message):
    """A file that isn't a readable image is refused with a clear message; nothing saved."""
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = anna_client.post("/me/profile/", profile_data(photo=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == [message]
    assert message.encode() in response.content
    anna.refresh_from_db()
    assert not anna.photo
    assert media_files(settings) == []
    assert not ActivityEvent.objects.exists()


def test_photo_unsupported_format(anna_client, anna, make_image, settings):
    """An image in a format we don't take (BMP) is refused, saying which formats work."""
    upload = make_image(fmt="BMP", name="photo.bmp")
    response = anna_client.post("/me/profile/", profile_data(photo=upload))
    assert response.context["form"].errors["photo"] == ["Upload a JPEG, PNG, WebP or GIF image."]
    anna.refresh_from_db()
    assert not anna.photo


# --- Language -------------------------------------------------------------------------------


def test_language_switch_signed_in(anna_client, anna):
    """The language switch sets the cookie and remembers the choice on the account."""
    anna.language = "en"
    anna.save()
    response = anna_client.post("/language/", {"language": "nl", "next": "/communities/"})
    assert response.status_code == 302
    assert response["Location"] == "/communities/"
    assert response.cookies["kring_language"].value == "nl"
    assert User.objects.get(pk=anna.pk).language == "nl"
    page = anna_client.get("/communities/")
    assert page["Content-Language"] == "nl"
    assert b'<html lang="nl">' in page.content


def test_language_switch_anonymous(make_client, db):
    """Visitors can switch language too; only the cookie remembers it."""
    client = make_client()
    client.cookies.clear()
    assert client.get("/login/")["Content-Language"] == "nl"
    response = client.post("/language/", {"language": "en", "next": "/login/"})
    assert response.cookies["kring_language"].value == "en"
    assert client.get("/login/")["Content-Language"] == "en"


def test_language_switch_unknown_language(anna_client, anna):
    """An unknown language is ignored."""
    anna_client.post("/language/", {"language": "xx", "next": "/"})
    assert User.objects.get(pk=anna.pk).language == "nl"


def test_language_switch_is_post_only(anna_client):
    """The language switch changes state, so GET is not allowed."""
    assert anna_client.get("/language/?language=en").status_code == 405


def test_account_language_without_cookie(make_client, make_user):
    """Without a cookie, a signed-in person sees their account's language."""
    client = make_client(make_user(language="en"))
    client.cookies.pop("kring_language")
    assert client.get("/communities/")["Content-Language"] == "en"
