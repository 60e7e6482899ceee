from django.urls import include, path

from . import views, webauthn

app_name = "security"

urlpatterns = [
    path("", views.factor_list, name="factors"),
    path("verify/", views.verify, name="verify"),
    path("continue/", views.after_login, name="after-login"),
    path("app/", views.add_app, name="add-app"),
    path("recovery-codes/", views.new_recovery_codes, name="recovery-codes"),
    path("<str:kind>/<int:pk>/remove/", views.remove, name="remove"),
]

# The key ceremonies' endpoints, in the namespace the library's templates use.
key_urlpatterns = [path("keys/", include((webauthn.urlpatterns, webauthn.app_name)))]
