"""Preview buttons and shareable preview links on the article admin page."""


class PreviewAdminMixin:
    pass
