from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

register = template.Library()


@register.filter
def feed_time(value):
    """How a headline feed dates a story: the time alone today, the day this
    year, the full date for older pieces (so archive pages are never ambiguous)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    today = timezone.localdate()
    if local.date() == today:
        return format_date(local, "H:i")
    if local.year == today.year:
        return format_date(local, "F j, H:i")
    return format_date(local, "F j, Y")
