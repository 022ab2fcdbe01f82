"""Working days in Vietnam: Monday to Friday, minus the public holidays.

Party deadlines count working days (QĐ 24: admission ceremony within 30 working days of the
decision, recognition within 30 after probation, transfer started within 60 and presented
within 30). Public holidays — lunar Tết included, and the substituted days off the government
announces — come from the maintained `holidays` package, not from a hand-kept table.
"""

import datetime as dt
from functools import lru_cache

import holidays

DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def holiday_name(day: dt.date) -> str | None:
    """The holiday's name (English, from the package), or None on an ordinary day."""
    return holidays.country_holidays("VN", years=day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself is not counted): the last day of a
    deadline of n working days counted from `start`. n = 0 gives start."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    day = start
    while n:
        if day == dt.date.max:
            # 31/12/9999 typed as a date (a slip, or a probe): the deadline is "never", not an
            # OverflowError (a server error) on the next day (tests/badinput).
            return day
        day += DAY
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many of a deadline's days have been used by `end`."""
    if end <= start:
        return 0
    n, day = 0, start
    while day < end:
        day += DAY
        n += is_working_day(day)
    return n
