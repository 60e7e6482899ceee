from django.urls import path, register_converter

from . import converters, views

app_name = "reach"

register_converter(converters.IsoDate, "isodate")
register_converter(converters.EditionFormat, "edition_format")

urlpatterns = [
    path("mirrors/", views.mirrors_page, name="mirrors"),
    path("edition/", views.editions_page, name="editions"),
    path("edition/<isodate:day>.<edition_format:format>", views.edition_file, name="edition-file"),
    path(
        "edition/<isodate:day>.<edition_format:format>.sig",
        views.edition_signature,
        name="edition-signature",
    ),
    path(
        "edition/<isodate:day>.<edition_format:format>.sha256",
        views.edition_checksum,
        name="edition-checksum",
    ),
]
