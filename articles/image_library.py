"""The image library and articles' lead images: reuse in one direction, new
uploads collected in the other.

An article's lead image is always a file of its own field; the library link
(Article.library_image) says where it came from. A reused picture is the same
stored file, never a copy, so its renditions are shared too.
"""

from .models import Article, Image

# Article field → library field, for the words that go with a picture.
DESCRIPTIONS = {
    "lead_image_alt": "alt",
    "lead_image_caption": "caption",
    "lead_image_credit": "credit",
}


def apply_library_image(article, user):
    """Bring `article`'s lead image and the library in step. Call it just
    before saving the article (the editor's form has validated it).

    - A new upload wins over any library choice. It is stored now and joins
      the library as a new image (the same file, with the article's alt text,
      caption and credit, uploaded by `user`), and the article is linked to
      it, so the next article can reuse it. Without alt text (possible only
      outside the editor's form) it stays out of the library, where alt text
      is required.
    - Otherwise, if the editor has just chosen a library image (the link is
      new), the article's lead image becomes that image's file, and its alt
      text, caption and credit replace the article's, except those the editor
      changed in the same edit: words written for this article win. Words
      left from the previous picture never stay with a new one.
    - Removing the lead image (no new choice) also removes the link.

    Later edits in the library do not reach articles already using a picture:
    an article keeps the words it was published with.
    """
    upload = article.lead_image
    if upload and not upload._committed:
        _add_upload(article, user)
        return
    if article.library_image_id is None:
        return
    stored = _stored_values(article)
    if article.library_image_id == stored.get("library_image_id"):
        if not article.lead_image:
            article.library_image = None
        return
    library = article.library_image
    # Assigning the name, not the bytes: the article shares the stored file.
    article.lead_image = library.file.name
    for article_field, library_field in DESCRIPTIONS.items():
        if getattr(article, article_field) == stored.get(article_field, ""):
            setattr(article, article_field, getattr(library, library_field))


def _stored_values(article):
    """The article as last saved, for what apply_library_image compares."""
    if article.pk is None:
        return {}
    row = Article.objects.filter(pk=article.pk).values("library_image_id", *DESCRIPTIONS).first()
    return row or {}


def _add_upload(article, user):
    if not article.lead_image_alt.strip():
        return
    upload = article.lead_image
    # Stored now (saving the article would otherwise do it) so that the
    # library image and the article point at one file.
    upload.save(upload.name, upload.file, save=False)
    image = Image(
        file=article.lead_image.name,
        width=article.lead_image_width,
        height=article.lead_image_height,
        uploaded_by=user,
        **{
            library_field: getattr(article, article_field)
            for article_field, library_field in DESCRIPTIONS.items()
        },
    )
    image.save()
    article.library_image = image
