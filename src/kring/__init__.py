"""Kring: an open-source platform for Communities of Practice."""
