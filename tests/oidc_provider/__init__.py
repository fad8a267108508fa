"""A real OpenID Connect provider for Kring's end-to-end sign-in tests (django-oauth-toolkit).

Not part of Kring: tests/browser/test_oidc.py starts it on loopback in a second process
(gunicorn), after `migrate` and `provider_setup` (RSA key, Kring as a client, test people).
"""
