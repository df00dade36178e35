#!/usr/bin/env python3
"""Checks a Junkai calendar feed against RFC 5545 with an independent parser.

    python3 Tests/blackbox/ics_check.py FEED_URL     (or a path to a saved .ics file)

Fetches the feed and checks: Content-Type text/calendar, CRLF line ends only, no physical line over
75 octets, every line valid UTF-8 on its own (folding never splits a character), the VCALENDAR
properties, and that the `icalendar` package parses it with every VEVENT carrying UID, DTSTAMP,
DTSTART as a DATE, DTEND = DTSTART + 1 day, SEQUENCE and STATUS (CONFIRMED or CANCELLED), with
unique UIDs; and that people can read it: the calendar is named after someone (X-WR-CALNAME `… — name`), every
event has a SUMMARY, a DESCRIPTION, a LOCATION and a GEO with a valid latitude and longitude. Works for a staff
member's feed and for a municipality's (who comes when). When the feed sends an ETag, asking again with If-None-Match must answer 304.
Exits 0 and prints a one-line summary, or exits 1 naming every problem found.
Needs `pip install icalendar`.
"""
import datetime
import sys
import urllib.error
import urllib.request

try:
    import icalendar
except ImportError:
    sys.exit("ics_check: the icalendar package is missing: pip install icalendar")


def fetch(url):
    """Returns (body bytes, headers dict with lower-case names); fails on a non-200 answer."""
    req = urllib.request.Request(url, headers={"User-Agent": "junkai-ics-check"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        if resp.status != 200:
            raise SystemExit(f"ics_check: GET {url} answered {resp.status}")
        return resp.read(), {k.lower(): v for k, v in resp.headers.items()}


def conditional_status(url, etag):
    req = urllib.request.Request(url, headers={"If-None-Match": etag, "User-Agent": "junkai-ics-check"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        return e.code


def check_lines(body, problems):
    if not body.endswith(b"\r\n"):
        problems.append("the document does not end with CRLF")
    if b"\r\n" not in body:
        problems.append("no CRLF line ends at all")
    for i in range(len(body)):
        b = body[i]
        if b == 0x0A and (i == 0 or body[i - 1] != 0x0D):
            problems.append(f"bare LF at byte {i}")
            break
        if b == 0x0D and (i + 1 >= len(body) or body[i + 1] != 0x0A):
            problems.append(f"bare CR at byte {i}")
            break
    lines = physical_lines(body)
    for n, line in enumerate(lines, 1):
        if len(line) > 75:
            problems.append(f"line {n} has {len(line)} octets (more than 75)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {n} is not valid UTF-8 on its own (a fold split a character)")
    return lines


def physical_lines(body):
    """Lines split at any line end (so that one wrong line end does not hide every other check)."""
    lines = [l[:-1] if l.endswith(b"\r") else l for l in body.split(b"\n")]
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def unfold(lines):
    out = []
    for line in lines:
        if line[:1] in (b" ", b"\t") and out:
            out[-1] += line[1:]
        else:
            out.append(line)
    return [l.decode("utf-8", "replace") for l in out]


def check_calendar(body, problems):
    logical = unfold(physical_lines(body))
    if not logical or logical[0] != "BEGIN:VCALENDAR" or logical[-1] != "END:VCALENDAR":
        problems.append("the document is not one VCALENDAR")
    for required in ("VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-TIMEZONE:Asia/Tokyo"):
        if required not in logical:
            problems.append(f"missing {required}")
    for prefix in ("PRODID:", "X-WR-CALNAME:"):
        if not any(l.startswith(prefix) for l in logical):
            problems.append(f"missing {prefix[:-1]}")
    name = next((l[len("X-WR-CALNAME:"):] for l in logical if l.startswith("X-WR-CALNAME:")), "")
    if name and " — " not in name:
        problems.append(f"the calendar name {name!r} does not say whose calendar it is")

    try:
        cal = icalendar.Calendar.from_ical(body)
    except Exception as e:  # the parser's own message says what is wrong
        problems.append(f"icalendar cannot parse the feed: {e}")
        return 0
    uids = set()
    events = list(cal.walk("VEVENT"))
    for n, ev in enumerate(events, 1):
        where = f"VEVENT {n}"
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY", "DESCRIPTION", "LOCATION", "GEO"):
            if ev.get(prop) is None:
                problems.append(f"{where}: no {prop}")
        geo = ev.get("GEO")
        if geo is not None:
            try:
                lat, lon = float(geo.latitude), float(geo.longitude)
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    problems.append(f"{where}: GEO {lat};{lon} is outside the globe")
            except (AttributeError, TypeError, ValueError):
                problems.append(f"{where}: GEO is not a latitude;longitude pair")
        uid = str(ev.get("UID", ""))
        if uid:
            where = f"VEVENT {uid}"
            if uid in uids:
                problems.append(f"{where}: UID repeated")
            uids.add(uid)
        start = ev.get("DTSTART")
        end = ev.get("DTEND")
        stamp = ev.get("DTSTAMP")
        if start is not None:
            s = start.dt
            if isinstance(s, datetime.datetime) or not isinstance(s, datetime.date):
                problems.append(f"{where}: DTSTART is not a DATE (all-day) value")
            elif end is not None:
                e = end.dt
                if isinstance(e, datetime.datetime) or not isinstance(e, datetime.date):
                    problems.append(f"{where}: DTEND is not a DATE value")
                elif e != s + datetime.timedelta(days=1):
                    problems.append(f"{where}: DTEND {e} is not the day after DTSTART {s}")
        if stamp is not None:
            t = stamp.dt
            if not isinstance(t, datetime.datetime) or t.utcoffset() != datetime.timedelta(0):
                problems.append(f"{where}: DTSTAMP is not a UTC date-time")
        seq = ev.get("SEQUENCE")
        if seq is not None:
            try:
                if int(seq) < 0:
                    problems.append(f"{where}: SEQUENCE is negative")
            except (TypeError, ValueError):
                problems.append(f"{where}: SEQUENCE is not an integer")
        status = ev.get("STATUS")
        if status is not None and str(status) not in ("CONFIRMED", "CANCELLED"):
            problems.append(f"{where}: STATUS {status} is neither CONFIRMED nor CANCELLED")
        geo = ev.get("GEO")
        if geo is not None and not (-90 <= geo.latitude <= 90 and -180 <= geo.longitude <= 180):
            problems.append(f"{where}: GEO out of range")
    return len(events)


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: python3 Tests/blackbox/ics_check.py FEED_URL (or FILE.ics)")
    target = argv[1]
    problems = []
    headers = {}
    if target.startswith(("http://", "https://")):
        try:
            body, headers = fetch(target)
        except urllib.error.HTTPError as e:
            sys.exit(f"ics_check: GET {target} answered {e.code}")
        except urllib.error.URLError as e:
            sys.exit(f"ics_check: cannot fetch {target}: {e.reason}")
        ctype = headers.get("content-type", "")
        if not ctype.lower().startswith("text/calendar"):
            problems.append(f"Content-Type is {ctype!r}, not text/calendar")
    else:
        with open(target, "rb") as f:
            body = f.read()
    check_lines(body, problems)
    count = check_calendar(body, problems)
    etag = headers.get("etag")
    if etag:
        status = conditional_status(target, etag)
        if status != 304:
            problems.append(f"If-None-Match with the feed's own ETag answered {status}, not 304")
    if problems:
        print(f"ics_check: {target}: {len(problems)} problem(s)", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(f"ics_check: ok, {count} event(s), {len(body)} bytes" + (", 304 on If-None-Match" if etag else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
