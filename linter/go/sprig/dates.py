"""Sprig's date functions (date.go), on chartfix.funcs.gotime and chartfix.funcs.timelayout."""

from __future__ import annotations

from datetime import timezone
from typing import Any

from chartfix.go.sprig.base import FuncTable, register
from chartfix.go.strconv import parse_int
from chartfix.go.time import (
    NS_PER_SECOND,
    TIME,
    GoTime,
    TimeParseError,
    add_duration,
    clamp_duration,
    duration_string,
    load_location,
    local_zone,
    parse_duration,
    parse_time,
    round_duration,
)
from chartfix.go.types import GoFuncError, wrap_int64

FUNCS: FuncTable = {}
ANY = "interface {}"


# --- template functions ------------------------------------------------------------------------------


def _time_of(value: Any) -> GoTime:
    """The date argument switch of dateInZone/dateAgo: time.Time, int64 or int, else now."""
    if isinstance(value, GoTime):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return GoTime(int(value), 0, local_zone())
    return GoTime.now()


@register(FUNCS, "now")
def now() -> GoTime:
    return GoTime.now()


@register(FUNCS, "dateInZone", "string", ANY, "string", aliases=("date_in_zone",))
def date_in_zone(layout: str, value: Any, zone: str) -> str:
    try:
        location = load_location(zone)
    except LookupError:
        location = timezone.utc
    return _time_of(value).in_zone(location).format(layout)


@register(FUNCS, "date", "string", ANY)
def date(layout: str, value: Any) -> str:
    return date_in_zone(layout, value, "Local")


@register(FUNCS, "htmlDate", ANY)
def html_date(value: Any) -> str:
    return date_in_zone("2006-01-02", value, "Local")


@register(FUNCS, "htmlDateInZone", ANY, "string")
def html_date_in_zone(value: Any, zone: str) -> str:
    return date_in_zone("2006-01-02", value, zone)


@register(FUNCS, "dateModify", "string", TIME, aliases=("date_modify",))
def date_modify(text: str, moment: GoTime) -> GoTime:
    try:
        return add_duration(moment, parse_duration(text))
    except GoFuncError:
        return moment


@register(FUNCS, "mustDateModify", "string", TIME, returns_error=True, aliases=("must_date_modify",))
def must_date_modify(text: str, moment: GoTime) -> GoTime:
    return add_duration(moment, parse_duration(text))


@register(FUNCS, "ago", ANY)
def ago(value: Any) -> str:
    moment = _time_of(value)
    elapsed = clamp_duration(GoTime.now().unix_nanos() - moment.unix_nanos())
    return duration_string(round_duration(elapsed, NS_PER_SECOND))


@register(FUNCS, "duration", ANY)
def duration(seconds: Any) -> str:
    count = 0
    if isinstance(seconds, str):
        count = parse_int(seconds, 10) or 0
    elif type(seconds) is int:
        count = seconds
    return duration_string(wrap_int64(count * NS_PER_SECOND))


@register(FUNCS, "durationRound", ANY)
def duration_round(value: Any) -> str:
    nanos = 0
    if isinstance(value, str):
        try:
            nanos = parse_duration(value)
        except GoFuncError:
            nanos = 0
    elif type(value) is int:
        nanos = value
    elif isinstance(value, GoTime):
        nanos = clamp_duration(GoTime.now().unix_nanos() - value.unix_nanos())
    magnitude = abs(nanos)
    hour = 3600 * NS_PER_SECOND
    for size, suffix in (
        (hour * 24 * 365, "y"),
        (hour * 24 * 30, "mo"),
        (hour * 24, "d"),
        (hour, "h"),
        (60 * NS_PER_SECOND, "m"),
        (NS_PER_SECOND, "s"),
    ):
        if magnitude > size:
            return f"{magnitude // size}{suffix}"
    return "0s"


@register(FUNCS, "toDate", "string", "string")
def to_date(layout: str, text: str) -> GoTime:
    try:
        return parse_time(layout, text, local_zone())
    except TimeParseError:
        return GoTime.zero()


@register(FUNCS, "mustToDate", "string", "string", returns_error=True)
def must_to_date(layout: str, text: str) -> GoTime:
    try:
        return parse_time(layout, text, local_zone())
    except TimeParseError as err:
        raise GoFuncError(str(err)) from None


@register(FUNCS, "unixEpoch", TIME)
def unix_epoch(moment: GoTime) -> str:
    return str(moment.seconds)
