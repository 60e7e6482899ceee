"""The newsroom's admin, one module per concern. Importing them registers
their model admins with the site."""

from . import article, curation, info_pages, library, taxonomy  # noqa: F401
