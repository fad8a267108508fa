from django.contrib.auth import views as auth_views
from django.urls import include, path

from kring.accounts import oidc, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", oidc.LogoutView.as_view(), name="logout"),
    # Sign-in through the organisation (OpenID Connect); 404 unless KRING_OIDC_ISSUER is set.
    path("oidc/start/", oidc.StartView.as_view(), name="oidc-start"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc-callback"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=oidc.PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("language/", views.language_set_view, name="language-set"),
    path("me/profile/", views.profile_update_view, name="profile-update"),
    path("me/tokens/", views.token_list_view, name="token-list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("", include("kring.accounts.two_factor_urls")),
]
