from datetime import date


class IsoDate:
    """A day as 2026-12-05; an impossible one (2026-02-31) matches nothing: a 404."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat()


class EditionFormat:
    regex = r"epub|html"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
