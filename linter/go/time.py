"""A Python model of Go's time.Time (instant, location, monotonic reading) and time.Duration."""

from __future__ import annotations

import time as _time
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from chartfix.go.sprig.base import wrap_int64
from chartfix.go.types import GoFuncError, GoInt, GoStruct, go_method

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
        from chartfix.go.timelayout import format_time  # the layout code builds GoTime values

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
