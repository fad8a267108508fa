from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "kring.meetings"
    label = "meetings"
    verbose_name = _("Sessions")

    def ready(self) -> None:
        from kring.core import digest
        from kring.meetings.digest import new_sessions, upcoming_sessions

        digest.register("new_sessions", _("New sessions planned"), new_sessions, position=25)
        digest.register("sessions", _("Upcoming sessions"), upcoming_sessions, position=30)

        from kring.core import feed
        from kring.meetings import feed as meetings_feed

        feed.register_describer(meetings_feed.VERBS, meetings_feed.describe)
        feed.register_panel(meetings_feed.next_session_panel)

        from kring.core import notices
        from kring.meetings.notices import describe_planned
        from kring.meetings.verbs import MeetingVerb

        notices.register_describer([MeetingVerb.SESSION_PLANNED], describe_planned)
