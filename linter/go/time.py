"""A Python model of Go's time.Time (instant, location, monotonic reading) and time.Duration."""

from __future__ import annotations

import calendar
import time as _time
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from chartfix.go.types import GoFuncError, GoInt, GoStruct, go_method, wrap_int64

TIME = "time.Time"
NS_PER_SECOND = 1_000_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_PROCESS_START_NS = _time.perf_counter_ns()


def local_zone() -> tzinfo | None:
    """Go's time.Local: None means "the machine's zone" (resolved per instant)."""
    return None


def load_location(name: str) -> tzinfo | None:
    """time.LoadLocation; raises LookupError for an unknown zone."""
    if name == "" or name == "UTC":
        return timezone.utc
    if name == "Local":
        return local_zone()
    # zoneinfo (and its tz database) loads with the first named zone: few charts use one
    from zoneinfo import ZoneInfo  # noqa: PLC0415 - deferred, see docs/architecture.md

    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError) as err:
        raise LookupError(name) from err


class GoTime(GoStruct):
    """A Go time.Time: an instant (Unix seconds + nanoseconds) and a location (None: Local)."""

    go_type = TIME

    def __init__(
        self, seconds: int, nanos: int = 0, zone: tzinfo | None = timezone.utc, monotonic: int | None = None
    ) -> None:
        self.seconds, self.nanos, self.zone = seconds, nanos, zone
        # time.Now()'s monotonic clock reading (ns since process start); String() prints it as m=±s.
        self.monotonic = monotonic

    @classmethod
    def now(cls) -> GoTime:
        total = _time.time_ns()
        monotonic = _time.perf_counter_ns() - _PROCESS_START_NS
        return cls(total // NS_PER_SECOND, total % NS_PER_SECOND, local_zone(), monotonic)

    @classmethod
    def zero(cls) -> GoTime:
        return cls(-62135596800, 0, timezone.utc)

    def go_fields(self) -> dict[str, Any]:
        return {}

    def in_zone(self, zone: tzinfo | None) -> GoTime:
        """t.In / t.UTC / t.Local: same instant, new location, monotonic reading stripped."""
        return GoTime(self.seconds, self.nanos, zone)

    def local_datetime(self) -> datetime:
        """Wall-clock fields in the time's location (tzinfo set, so tzname/utcoffset work)."""
        instant = EPOCH + timedelta(seconds=self.seconds)
        if self.zone is None:
            return instant.astimezone()
        return instant.astimezone(self.zone)

    def unix_nanos(self) -> int:
        return self.seconds * NS_PER_SECOND + self.nanos

    def format(self, layout: str) -> str:
        return format_time(self, layout)

    @go_method()
    def String(self) -> str:  # noqa: N802 - Go method name
        text = self.format("2006-01-02 15:04:05.999999999 -0700 MST")
        if self.monotonic is not None:
            sign = "-" if self.monotonic < 0 else "+"
            seconds, nanos = divmod(abs(self.monotonic), NS_PER_SECOND)
            text += f" m={sign}{seconds}.{nanos:09d}"
        return text

    @go_method("string")
    def Format(self, layout: str) -> str:  # noqa: N802
        return self.format(layout)

    @go_method()
    def Unix(self) -> int:  # noqa: N802
        return self.seconds

    @go_method()
    def UnixNano(self) -> int:  # noqa: N802
        return wrap_int64(self.unix_nanos())

    @go_method()
    def UTC(self) -> GoTime:  # noqa: N802
        return self.in_zone(timezone.utc)

    @go_method()
    def Local(self) -> GoTime:  # noqa: N802
        return self.in_zone(local_zone())

    @go_method()
    def Year(self) -> GoInt:  # noqa: N802
        return GoInt(self.local_datetime().year)

    @go_method()
    def Day(self) -> GoInt:  # noqa: N802
        return GoInt(self.local_datetime().day)

    @go_method()
    def Hour(self) -> GoInt:  # noqa: N802
        return GoInt(self.local_datetime().hour)

    @go_method()
    def Minute(self) -> GoInt:  # noqa: N802
        return GoInt(self.local_datetime().minute)

    @go_method()
    def Second(self) -> GoInt:  # noqa: N802
        return GoInt(self.local_datetime().second)

    @go_method()
    def Nanosecond(self) -> GoInt:  # noqa: N802
        return GoInt(self.nanos)

    @go_method()
    def YearDay(self) -> GoInt:  # noqa: N802
        return GoInt(self.local_datetime().timetuple().tm_yday)

    @go_method("time.Duration")
    def Add(self, duration: int) -> GoTime:  # noqa: N802
        return add_duration(self, duration)

    @go_method(TIME)
    def Sub(self, other: GoTime) -> int:  # noqa: N802
        return clamp_duration(self.unix_nanos() - other.unix_nanos())

    @go_method()
    def IsZero(self) -> bool:  # noqa: N802
        return self.seconds == GoTime.zero().seconds and self.nanos == 0

    @go_method(TIME)
    def Before(self, other: GoTime) -> bool:  # noqa: N802
        return self.unix_nanos() < other.unix_nanos()

    @go_method(TIME)
    def After(self, other: GoTime) -> bool:  # noqa: N802
        return self.unix_nanos() > other.unix_nanos()

    @go_method(TIME)
    def Equal(self, other: GoTime) -> bool:  # noqa: N802
        return self.unix_nanos() == other.unix_nanos()


def add_duration(moment: GoTime, duration: int) -> GoTime:
    """t.Add keeps the location and shifts the monotonic reading too."""
    total = moment.unix_nanos() + duration
    monotonic = None if moment.monotonic is None else moment.monotonic + duration
    return GoTime(total // NS_PER_SECOND, total % NS_PER_SECOND, moment.zone, monotonic)


def clamp_duration(nanos: int) -> int:
    """time.Time.Sub saturates at the Duration range."""
    return max(-(1 << 63), min((1 << 63) - 1, nanos))


# --- durations ------------------------------------------------------------------------------------

_UNITS = {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 1_000_000, "s": NS_PER_SECOND}
_UNITS.update({"m": 60 * NS_PER_SECOND, "h": 3600 * NS_PER_SECOND})


def parse_duration(text: str) -> int:
    """time.ParseDuration; raises GoFuncError with Go's message."""
    original = text
    invalid = GoFuncError(f"time: invalid duration {time_quote(original)}")
    negative = False
    if text[:1] in ("-", "+"):
        negative, text = text[0] == "-", text[1:]
    if text == "0":
        return 0
    if text == "":
        raise invalid
    total = 0
    while text:
        if not (text[0] == "." or text[0].isdigit()):
            raise invalid
        i = 0
        while i < len(text) and text[i].isdigit() and text[i].isascii():
            i += 1
        whole = int(text[:i]) if i else 0
        had_whole = i > 0
        text = text[i:]
        fraction, scale, had_fraction = 0, 1, False
        if text[:1] == ".":
            text = text[1:]
            j = 0
            while j < len(text) and text[j].isdigit() and text[j].isascii():
                j += 1
            had_fraction = j > 0
            if j:
                fraction, scale = int(text[:j][:18]), 10 ** min(j, 18)
            text = text[j:]
        if not had_whole and not had_fraction:
            raise invalid
        k = 0
        while k < len(text) and not (text[k] == "." or (text[k].isdigit() and text[k].isascii())):
            k += 1
        if k == 0:
            raise GoFuncError(f"time: missing unit in duration {time_quote(original)}")
        unit_name, text = text[:k], text[k:]
        if unit_name not in _UNITS:
            raise GoFuncError(
                f"time: unknown unit {time_quote(unit_name)} in duration {time_quote(original)}"
            )
        unit = _UNITS[unit_name]
        if whole > (1 << 63) // unit:
            raise invalid
        value = whole * unit
        if fraction:
            value += int(float(fraction) * (float(unit) / scale))
        total += value
        if total > 1 << 63:
            raise invalid
    if negative:
        return -total
    if total > (1 << 63) - 1:
        raise invalid
    return total


def _fraction(value: int, precision: int) -> tuple[str, int]:
    """time's fmtFrac: the trimmed fractional digits and the remaining integer part."""
    digits = []
    printed = False
    for _ in range(precision):
        digit = value % 10
        printed = printed or digit != 0
        if printed:
            digits.append(str(digit))
        value //= 10
    text = "." + "".join(reversed(digits)) if printed else ""
    return text, value


def duration_string(nanos: int) -> str:
    """time.Duration.String."""
    if nanos == 0:
        return "0s"
    negative = nanos < 0
    magnitude = -nanos if negative else nanos
    if magnitude < NS_PER_SECOND:
        if magnitude < 1000:
            text = f"{magnitude}ns"
        elif magnitude < 1_000_000:
            fraction, whole = _fraction(magnitude, 3)
            text = f"{whole}{fraction}µs"
        else:
            fraction, whole = _fraction(magnitude, 6)
            text = f"{whole}{fraction}ms"
    else:
        fraction, whole = _fraction(magnitude, 9)
        text = f"{whole % 60}{fraction}s"
        whole //= 60
        if whole > 0:
            text = f"{whole % 60}m" + text
            whole //= 60
            if whole > 0:
                text = f"{whole}h" + text
    return "-" + text if negative else text


def round_duration(nanos: int, multiple: int) -> int:
    """time.Duration.Round (halves away from zero, saturating)."""
    remainder = abs(nanos) % multiple
    if nanos < 0:
        remainder = -remainder
        if -remainder + -remainder < multiple:
            return nanos - remainder
        return max(nanos - remainder - multiple, -(1 << 63))
    if remainder + remainder < multiple:
        return nanos - remainder
    return min(nanos - remainder + multiple, (1 << 63) - 1)


def time_quote(text: str) -> str:
    """The time package's own quote() used in its error messages (no escaping beyond \\ and \")."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Layouts (src/time/format.go): Time.Format and time.ParseInLocation.

_LONG_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_LONG_MONTHS = list(calendar.month_name)[1:]


# --- layouts (time/format.go) ----------------------------------------------------------------------


def _std_chunk(layout: str) -> tuple[str, str, str]:
    """nextStdChunk: (literal prefix, std token or "", rest)."""
    for i, c in enumerate(layout):
        rest = layout[i:]
        if c == "J" and rest.startswith("Jan"):
            if rest.startswith("January"):
                return layout[:i], "January", layout[i + 7 :]
            if not rest[3:4].islower() or not rest[3:4].isascii():
                return layout[:i], "Jan", layout[i + 3 :]
        elif c == "M" and len(rest) >= 3:
            if rest.startswith("Mon"):
                if rest.startswith("Monday"):
                    return layout[:i], "Monday", layout[i + 6 :]
                if not ("a" <= rest[3:4] <= "z"):
                    return layout[:i], "Mon", layout[i + 3 :]
            if rest.startswith("MST"):
                return layout[:i], "MST", layout[i + 3 :]
        elif c == "0":
            if len(rest) >= 2 and "1" <= rest[1] <= "6":
                return layout[:i], rest[:2], layout[i + 2 :]
            if rest.startswith("002"):
                return layout[:i], "002", layout[i + 3 :]
        elif c == "1":
            if rest.startswith("15"):
                return layout[:i], "15", layout[i + 2 :]
            return layout[:i], "1", layout[i + 1 :]
        elif c == "2":
            if rest.startswith("2006"):
                return layout[:i], "2006", layout[i + 4 :]
            return layout[:i], "2", layout[i + 1 :]
        elif c == "_":
            if rest.startswith("_2"):
                if rest.startswith("_2006"):
                    return layout[: i + 1], "2006", layout[i + 5 :]
                return layout[:i], "_2", layout[i + 2 :]
            if rest.startswith("__2"):
                return layout[:i], "__2", layout[i + 3 :]
        elif c in "345":
            return layout[:i], c, layout[i + 1 :]
        elif c == "P" and rest.startswith("PM"):
            return layout[:i], "PM", layout[i + 2 :]
        elif c == "p" and rest.startswith("pm"):
            return layout[:i], "pm", layout[i + 2 :]
        elif c in "-Z":
            for token in (c + "070000", c + "07:00:00", c + "0700", c + "07:00", c + "07"):
                if rest.startswith(token):
                    return layout[:i], token, layout[i + len(token) :]
        elif c in ".," and len(rest) >= 2 and rest[1] in "09":
            j = 1
            while j < len(rest) and rest[j] == rest[1]:
                j += 1
            if not (j < len(rest) and rest[j].isdigit() and rest[j].isascii()):
                return layout[:i], rest[:j], layout[i + j :]
    return layout, "", ""


def _offset_text(token: str, offset: int) -> str:
    if offset == 0 and token.startswith("Z"):
        return "Z"
    sign = "-" if offset < 0 else "+"
    offset = abs(offset)
    zone_minutes = offset // 60
    out = f"{sign}{zone_minutes // 60:02d}"
    body = token[1:]
    if body in ("07:00", "07:00:00"):
        out += ":"
    if body not in ("07",):
        out += f"{zone_minutes % 60:02d}"
    if body in ("070000", "07:00:00"):
        if body == "07:00:00":
            out += ":"
        out += f"{offset % 60:02d}"
    return out


# The Gregorian calendar (weekdays included) repeats every 400 years.
_CYCLE_SECONDS = 146097 * 86400
_FIRST_SAFE = -62135596800 + 2 * 86400  # 0001-01-03 UTC: room for any zone offset
_LAST_SAFE = 253402300799 - 2 * 86400  # 9999-12-29 UTC


def _wall_clock(moment: GoTime) -> tuple[datetime, int]:
    """The time's wall clock and its year; instants outside datetime's years 1-9999 are moved by
    whole 400-year cycles and the year corrected (zone rules are applied at the moved instant)."""
    seconds, shift = moment.seconds, 0
    if seconds < _FIRST_SAFE or seconds > _LAST_SAFE:
        cycles = (seconds - _FIRST_SAFE) // _CYCLE_SECONDS
        if cycles > -(1 << 40) and cycles < (1 << 40):
            seconds -= cycles * _CYCLE_SECONDS
            shift = cycles * 400
    try:
        wall = GoTime(seconds, moment.nanos, moment.zone).local_datetime()
    except (OverflowError, ValueError, OSError):
        raise GoFuncError("this time is out of the range chartfix supports") from None
    return wall, wall.year + shift


def format_time(moment: GoTime, layout: str) -> str:
    """time.Time.Format."""
    wall, year = _wall_clock(moment)
    offset = int(wall.utcoffset().total_seconds()) if wall.utcoffset() is not None else 0
    out: list[str] = []
    while layout:
        prefix, token, layout = _std_chunk(layout)
        out.append(prefix)
        if not token:
            break
        hour12 = wall.hour % 12 or 12
        if token == "2006":
            out.append(f"-{-year:04d}" if year < 0 else f"{year:04d}")
        elif token == "06":
            out.append(f"{abs(year) % 100:02d}")
        elif token == "January":
            out.append(_LONG_MONTHS[wall.month - 1])
        elif token == "Jan":
            out.append(_LONG_MONTHS[wall.month - 1][:3])
        elif token == "1":
            out.append(str(wall.month))
        elif token == "01":
            out.append(f"{wall.month:02d}")
        elif token == "Monday":
            out.append(_LONG_DAYS[wall.weekday()])
        elif token == "Mon":
            out.append(_LONG_DAYS[wall.weekday()][:3])
        elif token == "2":
            out.append(str(wall.day))
        elif token == "_2":
            out.append(f"{wall.day:2d}")
        elif token == "02":
            out.append(f"{wall.day:02d}")
        elif token == "__2":
            out.append(f"{wall.timetuple().tm_yday:3d}")
        elif token == "002":
            out.append(f"{wall.timetuple().tm_yday:03d}")
        elif token == "15":
            out.append(f"{wall.hour:02d}")
        elif token == "3":
            out.append(str(hour12))
        elif token == "03":
            out.append(f"{hour12:02d}")
        elif token == "4":
            out.append(str(wall.minute))
        elif token == "04":
            out.append(f"{wall.minute:02d}")
        elif token == "5":
            out.append(str(wall.second))
        elif token == "05":
            out.append(f"{wall.second:02d}")
        elif token == "PM":
            out.append("PM" if wall.hour >= 12 else "AM")
        elif token == "pm":
            out.append("pm" if wall.hour >= 12 else "am")
        elif token[0] in "-Z":
            out.append(_offset_text(token, offset))
        elif token == "MST":
            name = wall.tzname()
            out.append(name if name else _offset_text("-0700", offset))
        else:
            out.append(_fraction_text(token, moment.nanos))
    return "".join(out)


def _fraction_text(token: str, nanos: int) -> str:
    digits = len(token) - 1
    separator = token[0]
    if token[1] == "9":
        if nanos == 0:
            return ""
        text = f"{nanos:09d}"[:digits].rstrip("0")
        return separator + text if text else ""
    return separator + f"{nanos:09d}"[: min(digits, 9)]


class _ParseFailure(Exception):
    pass


def _getnum(value: str, fixed: bool) -> tuple[int, str]:
    if not value[:1].isdigit() or not value[:1].isascii():
        raise _ParseFailure
    if not (value[1:2].isdigit() and value[1:2].isascii()):
        if fixed:
            raise _ParseFailure
        return int(value[0]), value[1:]
    return int(value[:2]), value[2:]


def _lookup_name(names: list[str], value: str) -> tuple[int, str]:
    for index, name in enumerate(names):
        if value[: len(name)].lower() == name.lower():
            return index, value[len(name) :]
    raise _ParseFailure


def _skip(value: str, prefix: str) -> str:
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                raise _ParseFailure
            prefix = prefix.lstrip(" ")
            value = value.lstrip(" ")
            continue
        if not value or value[0] != prefix[0]:
            raise _ParseFailure
        prefix, value = prefix[1:], value[1:]
    return value


class TimeParseError(Exception):
    pass


def parse_time(layout: str, value: str, default_zone: tzinfo | None) -> GoTime:
    """time.ParseInLocation (zone abbreviations other than UTC get a fabricated zero offset)."""
    original_layout, original_value = layout, value
    year, month, day, hour, minute, second, nanos = 0, -1, -1, 0, 0, 0, 0
    yday = -1
    pm = am = False
    utc = False  # a "Z" or "UTC" zone was read
    zone_name = ""
    zone_offset: int | None = None
    while True:
        prefix, token, rest = _std_chunk(layout)
        try:
            value = _skip(value, prefix)
        except _ParseFailure:
            raise TimeParseError(
                f"parsing time {time_quote(original_value)} as {time_quote(original_layout)}: "
                f"cannot parse {time_quote(value)} as {time_quote(prefix)}"
            ) from None
        if not token:
            if value:
                raise TimeParseError(
                    f"parsing time {time_quote(original_value)}: extra text: {time_quote(value)}"
                )
            break
        layout = rest
        hold = value
        range_error = ""
        try:
            if token == "2006":
                if len(value) < 4 or not value[0].isdigit():
                    raise _ParseFailure
                year, value = int(value[:4]), value[4:]
            elif token == "06":
                if len(value) < 2 or not value[:2].isdigit():
                    raise _ParseFailure
                year, value = int(value[:2]), value[2:]
                year += 1900 if year >= 69 else 2000
            elif token in ("January", "Jan"):
                names = _LONG_MONTHS if token == "January" else [m[:3] for m in _LONG_MONTHS]
                month, value = _lookup_name(names, value)
                month += 1
            elif token in ("1", "01"):
                month, value = _getnum(value, token == "01")
                if not 0 < month <= 12:
                    range_error = "month"
            elif token in ("Monday", "Mon"):
                names = _LONG_DAYS if token == "Monday" else [d[:3] for d in _LONG_DAYS]
                _, value = _lookup_name(names, value)
            elif token in ("2", "_2", "02"):
                if token == "_2" and value[:1] == " ":
                    value = value[1:]
                day, value = _getnum(value, token == "02")
            elif token in ("__2", "002"):
                digits = value.lstrip(" ") if token == "__2" else value
                count = 0
                while count < 3 and digits[count : count + 1].isdigit():
                    count += 1
                if count == 0 or (token == "002" and count != 3):
                    raise _ParseFailure
                yday, value = int(digits[:count]), digits[count:]
            elif token == "15":
                hour, value = _getnum(value, False)
                if not 0 <= hour < 24:
                    range_error = "hour"
            elif token in ("3", "03"):
                hour, value = _getnum(value, token == "03")
                if not 0 <= hour <= 12:
                    range_error = "hour"
            elif token in ("4", "04"):
                minute, value = _getnum(value, token == "04")
                if not 0 <= minute < 60:
                    range_error = "minute"
            elif token in ("5", "05"):
                second, value = _getnum(value, token == "05")
                if not 0 <= second < 60:
                    range_error = "second"
                elif len(value) >= 2 and value[0] in ".," and value[1].isdigit():
                    _, next_token, _ = _std_chunk(layout)
                    if not (next_token[:1] in ".," and next_token[1:2] in ("0", "9")):
                        end = 2
                        while end < len(value) and value[end].isdigit():
                            end += 1
                        nanos = _nanoseconds(value, end)
                        value = value[end:]
            elif token in ("PM", "pm"):
                word = value[:2]
                if word == token:
                    pm = True
                elif word == ("AM" if token == "PM" else "am"):
                    am = True
                else:
                    raise _ParseFailure
                value = value[2:]
            elif token[0] in "-Z":
                if token[0] == "Z" and value[:1] == "Z":
                    value, utc = value[1:], True
                else:
                    zone_offset, value = _parse_offset(token[1:], value)
            elif token == "MST":
                if value.startswith("UTC"):
                    value, utc = value[3:], True
                else:
                    length = _time_zone_length(value)
                    if not length:
                        raise _ParseFailure
                    zone_name, value = value[:length], value[length:]
            elif token[1] == "0":
                digits = len(token)
                if len(value) < digits:
                    raise _ParseFailure
                nanos = _nanoseconds(value, digits)
                value = value[digits:]
            elif len(value) >= 2 and value[0] in ".," and value[1].isdigit():
                end = 1
                while end < len(value) and value[end].isdigit():
                    end += 1
                nanos = _nanoseconds(value, end)
                value = value[end:]
        except (_ParseFailure, ValueError):
            raise TimeParseError(
                f"parsing time {time_quote(original_value)} as {time_quote(original_layout)}: "
                f"cannot parse {time_quote(hold)} as {time_quote(token)}"
            ) from None
        if range_error:
            raise TimeParseError(f"parsing time {time_quote(original_value)}: {range_error} out of range")
    if pm and hour < 12:
        hour += 12
    elif am and hour == 12:
        hour = 0
    if yday >= 0:
        try:
            start = datetime(year, 1, 1) + timedelta(days=yday - 1)
        except (ValueError, OverflowError):
            raise TimeParseError(
                f"parsing time {time_quote(original_value)}: day-of-year out of range"
            ) from None
        if start.year != year or yday < 1:
            raise TimeParseError(f"parsing time {time_quote(original_value)}: day-of-year out of range")
        month, day = start.month, start.day
    month = 1 if month < 0 else month
    day = 1 if day < 0 else day
    # Year 0 (the only year below 1 a layout can produce) is a leap year like 2000.
    if day < 1 or day > calendar.monthrange(year if year >= 1 else 2000, month)[1]:
        raise TimeParseError(f"parsing time {time_quote(original_value)}: day out of range")
    if utc:
        return _make_time(year, month, day, hour, minute, second, nanos, timezone.utc)
    if zone_offset is not None:
        moment = _make_time(
            year, month, day, hour, minute, second, nanos, timezone(timedelta(seconds=zone_offset))
        )
        # The location's own zone when it has this offset (and name) then, else a fixed zone.
        local_name, local_offset = _zone_at(default_zone, moment.seconds)
        if local_offset == zone_offset and zone_name in ("", local_name):
            return moment.in_zone(default_zone)
        return moment.in_zone(timezone(timedelta(seconds=zone_offset), zone_name))
    if zone_name:
        moment = _make_time(year, month, day, hour, minute, second, nanos, timezone.utc)
        local_name, local_offset = _zone_at(default_zone, moment.seconds)
        if local_name == zone_name:
            return GoTime(moment.seconds - local_offset, nanos, default_zone)
        # Unknown abbreviation: the wall clock read as UTC, shown in a made-up zone (GMT+N gets
        # its offset, so the clock shifts: "10:11 GMT+3" becomes 13:11 GMT+3, as in Go).
        offset = int(zone_name[3:]) * 3600 if len(zone_name) > 3 and zone_name.startswith("GMT") else 0
        return GoTime(moment.seconds, nanos, timezone(timedelta(seconds=offset), zone_name))
    return _make_time(year, month, day, hour, minute, second, nanos, default_zone)


def _zone_at(zone: tzinfo | None, seconds: int) -> tuple[str, int]:
    """Abbreviation and UTC offset of a location at an instant (None: the machine's zone)."""
    wall = GoTime(seconds, 0, zone).local_datetime()
    offset = wall.utcoffset()
    return wall.tzname() or "", int(offset.total_seconds()) if offset is not None else 0


def _signed_offset_length(value: str) -> int:
    """time.parseSignedOffset: the length of "+N"/"-N" with N <= 23, or 0."""
    if value[:1] not in ("+", "-"):
        return 0
    digits = 0
    while 1 + digits < len(value) and value[1 + digits].isdigit() and value[1 + digits].isascii():
        digits += 1
    if digits == 0 or int(value[1 : 1 + digits]) > 23:
        return 0
    return 1 + digits


def _time_zone_length(value: str) -> int:
    """time.parseTimeZone: the length of a zone abbreviation at the start of value, or 0."""
    if len(value) < 3:
        return 0
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value.startswith("GMT"):
        return 3 + _signed_offset_length(value[3:])
    if value[0] in "+-":
        return _signed_offset_length(value)
    upper = 0
    while upper < min(len(value), 6) and "A" <= value[upper] <= "Z":
        upper += 1
    if upper == 3 or (upper == 5 and value[4] == "T"):
        return upper
    if upper == 4 and (value[3] == "T" or value[:4] == "WITA"):
        return 4
    return 0


def _make_time(
    year: int, month: int, day: int, hour: int, minute: int, second: int, nanos: int, zone: tzinfo | None
) -> GoTime:
    if year < 1:
        # Years before 1 (only year 0 is reachable) are outside Python's datetime: shift by 400 years.
        shifted = _make_time(year + 400, month, day, hour, minute, second, nanos, zone)
        return GoTime(shifted.seconds - 12622780800, nanos, zone)
    wall = datetime(year, month, day, hour, minute, second)
    if zone is None:
        seconds = int(_time.mktime(wall.timetuple()))
    else:
        aware = wall.replace(tzinfo=zone)
        seconds = int((aware - EPOCH).total_seconds())
    return GoTime(seconds, nanos, zone)


def _nanoseconds(value: str, count: int) -> int:
    if value[0] not in ".,":
        raise _ParseFailure
    digits = value[1 : min(count, 10)]
    if not digits.isdigit():
        raise _ParseFailure
    return int(digits.ljust(9, "0")[:9])


def _parse_offset(body: str, value: str) -> tuple[int, str]:
    if body == "07":
        sign, hh, mm, ss, value = value[:1], value[1:3], "00", "00", value[3:]
    elif body == "07:00":
        if len(value) < 6 or value[3] != ":":
            raise _ParseFailure
        sign, hh, mm, ss, value = value[:1], value[1:3], value[4:6], "00", value[6:]
    elif body == "07:00:00":
        if len(value) < 9 or value[3] != ":" or value[6] != ":":
            raise _ParseFailure
        sign, hh, mm, ss, value = value[:1], value[1:3], value[4:6], value[7:9], value[9:]
    elif body == "070000":
        sign, hh, mm, ss, value = value[:1], value[1:3], value[3:5], value[5:7], value[7:]
    else:
        sign, hh, mm, ss, value = value[:1], value[1:3], value[3:5], "00", value[5:]
    if not all(len(p) == 2 and p.isdigit() for p in (hh, mm, ss)) or sign not in ("+", "-"):
        raise _ParseFailure
    offset = (int(hh) * 60 + int(mm)) * 60 + int(ss)
    return (-offset if sign == "-" else offset), value
