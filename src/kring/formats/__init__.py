"""Kring's one date and number style (FORMAT_MODULE_PATH): long dates with the month
written out ("17 oktober 2026", "17 October 2026"), times on the 24-hour clock.
Anything not set here falls back to Django's own formats for the language."""
