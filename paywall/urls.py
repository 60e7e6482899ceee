from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

# The "paywall" namespace: these, and the members' pages of the reader's site
# (reading/member_urls.py), joined in newsroom/urls.py.
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/sent/", views.signup_done, name="signup-done"),
    path("accounts/confirm/<str:token>/", views.confirm_email, name="confirm-email"),
    path("accounts/confirm-again/", views.resend_confirmation, name="resend-confirmation"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("accounts/sign-in-link/", views.sign_in_link, name="sign-in-link"),
    path("accounts/sign-in-link/sent/", views.sign_in_link_sent, name="sign-in-link-sent"),
    path("accounts/sign-in/<uidb64>/<token>/", views.sign_in, name="sign-in"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="paywall/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="paywall/password_reset_confirm.html",
            success_url=reverse_lazy("paywall:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="paywall/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("accounts/", views.account, name="account"),
    path("accounts/sessions/end-others/", views.end_other_sessions, name="end-other-sessions"),
    path("accounts/delete/", views.delete_account, name="delete-account"),
    path("plus/about/", views.plus_about, name="plus-about"),
    path("plus/gift/<str:key>/revoke/", views.revoke_gift_link, name="gift-revoke"),
]
