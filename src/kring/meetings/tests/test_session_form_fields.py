"""Session and series forms for everyone: the community's time zone first with a short list,
the full list behind "another time zone", native date and time inputs, searchable pickers,
and nothing typed lost when a form comes back."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.meetings.forms import OTHER_ZONE, SessionForm, community_timezone
from kring.meetings.models import ActionPoint, Session
from kring.meetings.tests.test_session_views import series_data, session_data


def create_url(kring, name="session-create"):
    return reverse(name, kwargs={"slug": kring.community.slug})


def test_the_zone_defaults_to_the_community_latest_session(kring, make_session):
    """Without sessions the default is Amsterdam; after one in London, London comes first."""
    assert community_timezone(kring.community) == "Europe/Amsterdam"
    make_session(tz="Europe/London")
    assert community_timezone(kring.community) == "Europe/London"
    form = SessionForm(members=None, community=kring.community)
    assert form["tz"].value() == "Europe/London"


def test_a_zone_outside_the_short_list_is_offered_first(kring, make_session):
    """The community's own zone is in the short list even when it is not a likely one."""
    make_session(tz="Asia/Tokyo")
    form = SessionForm(members=None, community=kring.community)
    choices = [value for value, _label in form.fields["tz"].choices]
    assert choices[0] == "Asia/Tokyo" and choices[-1] == OTHER_ZONE
    assert len(choices) < 10
    assert len(form.fields["tz_other"].choices) > 300


def test_another_zone_is_taken_from_the_full_list(kring, make_client):
    """Choosing "another time zone" plans the session in the zone picked from the full list."""
    client = make_client(kring.facilitator)
    data = session_data(tz=OTHER_ZONE, tz_other="America/New_York")
    assert client.post(create_url(kring), data).status_code == 302
    assert Session.objects.get().timezone == "America/New_York"


@pytest.mark.parametrize("other", ["", "Mars/Olympus"])
def test_another_zone_must_be_chosen(kring, make_client, other):
    """ "Another time zone" without a valid zone is refused next to the field."""
    response = make_client(kring.facilitator).post(
        create_url(kring), session_data(tz=OTHER_ZONE, tz_other=other)
    )
    assert response.status_code == 200
    assert "tz_other" in response.context["form"].errors
    assert not Session.objects.exists()


def test_the_form_uses_native_inputs_and_pickers(kring, make_client):
    """Dates and times are native inputs, facilitators a picker, the agenda a writing box."""
    html = make_client(kring.facilitator).get(create_url(kring)).content.decode()
    assert 'type="date" name="date"' in html
    assert 'type="time" name="start_time"' in html
    assert 'name="facilitators"' in html and "data-picker" in html
    assert "data-writing-box" in html and "data-primary-action" in html
    assert "Markdown" not in html


def test_a_session_error_keeps_everything_typed(kring, make_client):
    """Sent back for a missing address, the form keeps the title, times, agenda and people."""
    data = session_data(
        location="",
        title="Samen koken",
        start_time="18:15",
        end_time="20:45",
        agenda="- soep\n- **brood**",
        capacity="12",
        facilitators=[kring.anna.pk],
    )
    response = make_client(kring.facilitator).post(create_url(kring), data)
    html = response.content.decode()
    assert "A session in person needs an address." in html
    assert 'value="Samen koken"' in html
    assert 'value="18:15"' in html and 'value="20:45"' in html
    assert f'value="{data["date"]}"' in html
    assert "- soep\n- **brood**" in html
    assert 'value="12"' in html
    assert f'<option value="{kring.anna.pk}" selected>' in html
    assert not Session.objects.exists()


def test_a_series_error_keeps_everything_typed(kring, make_client):
    """Sent back for a bad rhythm, the series form keeps what was typed, the zone included."""
    data = series_data(every_weeks="0", title="Leerkring", tz=OTHER_ZONE, tz_other="Europe/Oslo")
    response = make_client(kring.facilitator).post(create_url(kring, "series-create"), data)
    html = response.content.decode()
    assert "Choose every 1 to 52 weeks." in html
    assert 'value="Leerkring"' in html
    assert '<option value="other" selected>' in html
    assert '<option value="Europe/Oslo" selected>' in html
    assert not Session.objects.exists()


def test_an_action_point_error_keeps_what_was_typed(kring, make_client):
    """An action point with a past date comes back with its text and owner."""
    response = make_client(kring.anna).post(
        reverse("action-point-create", kwargs={"slug": kring.community.slug}),
        {
            "ap-what": "Flyers <b>drukken</b>",
            "ap-owner": kring.bram.pk,
            "ap-due_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        },
    )
    html = response.content.decode()
    assert "Choose today or a later date." in html
    assert 'value="Flyers &lt;b&gt;drukken&lt;/b&gt;"' in html
    assert f'<option value="{kring.bram.pk}" selected>' in html
    assert 'type="date"' in html and "data-picker" in html
    assert not ActionPoint.objects.exists()


def test_a_reflection_error_keeps_every_part(kring, make_session, make_client):
    """A reflection with one part too long comes back with all the parts as typed."""
    from kring.meetings.models import Reflection

    past = make_session(starts_at=timezone.now() - timedelta(days=1))
    url = reverse("reflection-create", kwargs={"slug": kring.community.slug, "pk": past.pk})
    response = make_client(kring.anna).post(
        url, {"did": "We kookten <samen>.", "noticed": "x" * 5001, "double_loop": "Doel?"}
    )
    html = response.content.decode()
    assert "Keep each part to 5000 characters." in html
    assert "We kookten &lt;samen&gt;." in html and "Doel?" in html
    assert "data-primary-action" in html
    assert not Reflection.objects.exists()


@pytest.mark.parametrize("name", ["session-create", "series-create", "action-point-create"])
def test_each_form_page_has_one_primary_action(kring, make_client, name):
    """The form's submit button is the page's one primary action."""
    html = make_client(kring.facilitator).get(create_url(kring, name)).content.decode()
    assert html.count("data-primary-action") == 1
