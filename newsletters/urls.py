from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("newsletters/", views.subscribe, name="subscribe"),
    path("newsletters/sent/", views.subscribe_sent, name="subscribe-sent"),
    path("newsletters/confirm/<str:token>/", views.confirm, name="confirm"),
    path(
        "newsletters/unsubscribe/<slug:key>/<slug:newsletter>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("newsletters/manage/<slug:key>/", views.manage, name="manage"),
    path("accounts/newsletters/", views.account, name="account"),
]
