import datetime as dt

import pytest

from lib.workdays import add_working_days, holiday_name, is_working_day, working_days_between

D = dt.date


def test_weekends_and_public_holidays_are_not_working_days():
    assert is_working_day(D(2026, 11, 20))  # Friday
    assert not is_working_day(D(2026, 11, 21))  # Saturday
    assert not is_working_day(D(2026, 11, 22))  # Sunday
    assert not is_working_day(D(2025, 9, 2))  # National Day
    assert not is_working_day(D(2025, 4, 30)) and not is_working_day(D(2025, 5, 1))
    assert not is_working_day(D(2025, 4, 7))  # Hùng Kings (10/3 lunar), moves every year
    assert not is_working_day(D(2026, 4, 27))  # … and its observed day in 2026


def test_lunar_tet_comes_from_the_library_each_year():
    # Tết Ất Tỵ: 29 Tết (27/01/2025) to the 4th day (01/02/2025); Tết Bính Ngọ from 16/02/2026.
    for day in (D(2025, 1, 27), D(2025, 1, 29), D(2025, 1, 31)):
        assert not is_working_day(day) and holiday_name(day)
    assert is_working_day(D(2025, 1, 24)) and is_working_day(D(2025, 2, 3))
    assert not is_working_day(D(2026, 2, 17)) and is_working_day(D(2026, 2, 23))


def test_a_deadline_counts_working_days_after_the_start():
    # Decision on Friday 24/01/2025, just before Tết: the 1st working day after it is Monday
    # 03/02/2025 (27/01–31/01 are Tết, 01–02/02 a weekend).
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    assert add_working_days(D(2025, 1, 24), 0) == D(2025, 1, 24)
    # 30 working days from Monday 03/11/2025: six full weeks, no holiday → Monday 15/12/2025.
    assert add_working_days(D(2025, 11, 3), 30) == D(2025, 12, 15)
    # Across Tết the same 30 working days take a week longer.
    assert add_working_days(D(2025, 1, 13), 30) == D(2025, 3, 3)
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), -1)


def test_days_used_is_the_inverse_of_the_deadline():
    start = D(2025, 1, 13)
    for n in (0, 1, 5, 30, 60):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(D(2025, 1, 24), D(2025, 2, 2)) == 0  # Tết and a weekend
    assert working_days_between(D(2025, 3, 1), D(2025, 2, 1)) == 0
