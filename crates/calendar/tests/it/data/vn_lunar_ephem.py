# Independent cross-check of the Vietnamese lunar calendar (UTC+7), written for ansinh-calendar.
#
# Uses PyEphem (libastro: VSOP87 for the Sun, ELP2000-82b for the Moon), not the crate's own
# Meeus-based astronomy, to find every new moon and every major solar term (trung khí), then
# applies the calendar rules (month 11 holds the December solstice; in a 13-month cycle the
# first month without a major term is the leap month) in UTC+7.
#
# Regenerate the reference file (about 7 s):
#   python3 -m venv /tmp/pyenv && /tmp/pyenv/bin/pip install ephem
#   /tmp/pyenv/bin/python vn_lunar_ephem.py 2>/dev/null \
#     | awk '$1 >= "1990-01-01" && $1 < "2101-01-01"' > month_starts_1990_2100.txt
#
# Output: one line per lunar month: first day (YYYY-MM-DD, UTC+7), lunar year, month, leap (0/1).
# Standard error lists new moons and solar terms within half an hour of local midnight (the only
# places where two correct computations can disagree).
import ephem, math, datetime, sys

TZ = 7/24.0

def jd(d):  # ephem.Date -> JD (UT)
    return float(d) + 2415020.0

def local_day(d):  # JDN of the local civil day containing instant d
    return math.floor(jd(d) + 0.5 + TZ)

def sun_lon(d):
    s = ephem.Sun()
    s.compute(d, epoch=d)
    ec = ephem.Ecliptic(ephem.Equatorial(s.g_ra, s.g_dec, epoch=d), epoch=d)
    return math.degrees(float(ec.lon)) % 360.0

def jdn_to_date(n):
    return datetime.date.fromordinal(n - 1721425)

start = ephem.Date('1898/10/01')
end = ephem.Date('2202/03/01')
# new moons
nms = []
d = start
while d < end:
    d = ephem.next_new_moon(d)
    nms.append(d)
starts = [local_day(x) for x in nms]
# major terms: find instants where sun longitude crosses multiples of 30 deg
terms = []  # (local_day, index 0..11 meaning lon = 30*i)
t = float(start)
lon0 = sun_lon(ephem.Date(t))
step = 1.0
while t < float(end):
    t2 = t + step
    lon1 = sun_lon(ephem.Date(t2))
    s0 = math.floor(lon0 / 30.0)
    s1 = math.floor(lon1 / 30.0)
    if s0 != s1:
        target = (s1 * 30.0) % 360.0
        a, b = t, t2
        for _ in range(50):
            m = (a + b) / 2
            lm = sun_lon(ephem.Date(m))
            diff = (lm - target + 540.0) % 360.0 - 180.0
            if diff < 0:
                a = m
            else:
                b = m
        terms.append((local_day(ephem.Date((a + b) / 2)), s1 % 12, (a+b)/2))
    t, lon0 = t2, lon1

term_days = {}
for day, idx, inst in terms:
    term_days.setdefault(day, []).append(idx)

def has_major(i):
    return any(starts[i] <= day < starts[i+1] for day, _, _ in terms)

def contains_solstice(i):
    return any(starts[i] <= day < starts[i+1] and idx == 9 for day, idx, _ in terms)

m11 = [i for i in range(len(starts) - 1) if contains_solstice(i)]
out = []
for a, b in zip(m11, m11[1:]):
    g = jdn_to_date(starts[a]).year  # cycle year (month 11 of Gregorian year g)
    n = b - a
    leap = None
    if n == 13:
        for i in range(a + 1, b):
            if not has_major(i):
                leap = i - a
                break
    for off in range(n):
        i = a + off
        if leap is None or off < leap:
            mo = (10 + off) % 12 + 1; lp = False
        elif off == leap:
            mo = (10 + off - 1) % 12 + 1; lp = True
        else:
            mo = (10 + off - 1) % 12 + 1; lp = False
        ly = g if mo >= 11 and off < 3 else g + 1
        out.append((starts[i], ly, mo, lp))
for s, y, m, l in out:
    print(f"{jdn_to_date(s).isoformat()} {y} {m} {int(l)}")
# near-boundary diagnostics to stderr: new moons and terms within 30 min of local midnight
for x in nms:
    f = (jd(x) + 0.5 + TZ) % 1.0
    if f < 0.02 or f > 0.98:
        print("NM-near-midnight", ephem.Date(x + TZ), file=sys.stderr)
for day, idx, inst in terms:
    f = (inst + 2415020.0 + 0.5 + TZ) % 1.0
    if f < 0.02 or f > 0.98:
        print("TERM-near-midnight", idx*30, ephem.Date(inst + TZ), file=sys.stderr)
