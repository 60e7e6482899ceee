"""Preview links: /preview/<token>/ shows a free reader's view of the article,
/preview/<token>/subscriber/ a POZIRK+ subscriber's. Never page-cached."""

from django.urls import path

from . import preview

app_name = "preview"

urlpatterns = [
    path("<str:token>/", preview.shared_preview, name="reader"),
    path(
        "<str:token>/subscriber/",
        preview.shared_preview,
        {"as_subscriber": True},
        name="subscriber",
    ),
]
