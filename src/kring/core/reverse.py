"""`reverse()` kept per arguments, for the links every page repeats.

Django's reverse() walks the URL patterns and checks the arguments against each candidate's
regular expression, about 30 µs a call; a community page makes 50-150 calls for a handful of
names (the section tabs, profile links, avatars, sessions). The answer depends only on the
name, the arguments, the current app, the script prefix and the URL configuration (Kring's
paths are not translated), and all of those are in the key: the URL configuration as
settings.ROOT_URLCONF, since Kring sets none per request (request.urlconf; reading Django's
thread-local one costs more than the rest of a kept answer). Only names with text and integer
arguments are kept (anything else could read differently as text later); an error is never
kept. The `{% url %}` tag uses it too (kring.core.templatetags.urls).
"""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.urls import reverse as django_reverse

KEPT = 16_384


@functools.lru_cache(maxsize=KEPT)
def _kept(viewname, args, kwargs, current_app, prefix, urlconf) -> str:
    return django_reverse(
        viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def reverse(
    viewname, urlconf=None, args=None, kwargs=None, current_app=None, *, query=None, fragment=None
) -> str:
    values = [*(args or ()), *(kwargs or {}).values()]
    plain = query is None and fragment is None
    if not plain or not isinstance(viewname, str) or any(type(v) not in (str, int) for v in values):
        return django_reverse(
            viewname, urlconf, args, kwargs, current_app, query=query, fragment=fragment
        )
    return _kept(
        viewname,
        tuple(args or ()),
        tuple(sorted((kwargs or {}).items())),
        current_app,
        get_script_prefix(),
        urlconf or settings.ROOT_URLCONF,
    )


@receiver(setting_changed)
def _forget(*, setting, **_kwargs) -> None:
    """Tests that change the URL configuration or the script prefix get fresh answers."""
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _kept.cache_clear()
