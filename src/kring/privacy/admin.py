from kring.privacy import admin_erase  # noqa: F401  (re-registers the User admin)
