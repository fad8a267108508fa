from django.urls import path

from kring.accounts import two_factor_views as views

urlpatterns = [
    path("login/code/", views.login_code_view, name="login-code"),
    path("me/security/", views.two_factor_view, name="two-factor"),
    path("me/security/backup-codes/", views.backup_codes_view, name="two-factor-backup-codes"),
    path("me/security/off/", views.two_factor_off_view, name="two-factor-off"),
]
