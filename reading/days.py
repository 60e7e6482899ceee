"""The reader's day: today's date and when it ends, in the current time zone.

Feeds key their headlines on the date (a headline says "14:05" today and
"November 30, 14:05" tomorrow) and pages are kept until midnight, so every
page rendered afresh asks, and each of its headlines too. Working the day
out costs about 17 µs (the time zone's rules, a midnight made aware); it is
worked out once a day per process and zone, and looked up otherwise.
"""

from datetime import datetime, timedelta

from django.utils import timezone

# (time zone, date, its first second, the next midnight), the two as
# timestamps; replaced whole, so a thread never reads half of one day.
_day = (None, None, 0.0, 0.0)


def today():
    """The date in the current time zone, as timezone.localdate() gives it."""
    return _current()[1]


def next_midnight():
    """The timestamp at which today ends in the current time zone."""
    return _current()[3]


def _current():
    global _day
    zone = timezone.get_current_timezone()
    now = timezone.now()
    day = _day
    if day[0] is zone and day[2] <= now.timestamp() < day[3]:
        return day
    date = timezone.localdate(now, zone)
    start, end = (
        timezone.make_aware(datetime.combine(each, datetime.min.time()), zone).timestamp()
        for each in (date, date + timedelta(days=1))
    )
    _day = (zone, date, start, end)
    return _day
