"""Makes the Jalali calendar's test fixtures from two references independent of Peygir's code.

    pip install jdatetime==6.1.1 convertdate==2.5.1
    python3 src/domain/testdata/gen.py every-7th-day > src/domain/testdata/jalali-every-7th-day.txt
    python3 src/domain/testdata/gen.py nowruz > src/domain/testdata/jalali-nowruz.txt

jdatetime converts with FarsiWeb's arithmetic (Pournader and Toossi); convertdate finds each
Nowruz from the March equinox computed astronomically (pymeeus) at Tehran's meridian.
"""

import datetime
import sys


def every_7th_day():
    import jdatetime

    print("# The Jalali date of every seventh day from 1900-01-01 to 2100-12-27, one a line.")
    print("# Made by: python3 src/domain/testdata/gen.py every-7th-day  (jdatetime 6.1.1)")
    day = datetime.date(1900, 1, 1)
    while day <= datetime.date(2100, 12, 31):
        j = jdatetime.date.fromgregorian(date=day)
        print(f"{j.year:04}/{j.month:02}/{j.day:02}")
        day += datetime.timedelta(days=7)


def nowruz():
    from convertdate import gregorian, persian

    print("# Nowruz (1 Farvardin) of each Jalali year and its Gregorian date, from the equinox.")
    print("# Made by: python3 src/domain/testdata/gen.py nowruz  (convertdate 2.5.1, pymeeus)")
    for year in range(1278, 1481):
        y, m, d = gregorian.from_jd(persian.to_jd(year, 1, 1))
        print(f"{year} {y:04}-{m:02}-{d:02}")


if __name__ == "__main__":
    {"every-7th-day": every_7th_day, "nowruz": nowruz}[sys.argv[1]]()
