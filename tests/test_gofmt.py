"""Tests of chartfix.gofmt against Go's fmt and strconv behaviour (src/fmt, src/strconv)."""

from __future__ import annotations

import math
import random
import struct
from decimal import ROUND_HALF_EVEN, Decimal, getcontext

import pytest

from chartfix.go.fmt import go_type_name, sprint, sprint_indirect, sprintf, sprintln
from chartfix.go.strconv import can_backquote, format_float, quote, quote_rune
from chartfix.go.types import GoFunc, GoInt, GoSignature, GoStruct, go_method

getcontext().prec = 1200  # enough digits for any float64 exactly
INF = math.inf
NAN = math.nan


class Metadata(GoStruct):
    go_type = "*chart.Metadata"

    def __init__(self, name: str, version: str, tags: list | None = None) -> None:
        self.name = name
        self.version = version
        self.tags = tags

    def go_fields(self) -> dict:
        return {"Name": self.name, "Version": self.version, "Tags": self.tags}


class Point(GoStruct):
    go_type = "main.Point"

    def __init__(self, x: int, y: object) -> None:
        self.x = x
        self.y = y

    def go_fields(self) -> dict:
        return {"X": self.x, "Y": self.y}


class KubeVersion(GoStruct):
    go_type = "*common.KubeVersion"

    def go_fields(self) -> dict:
        return {"Version": "v1.20.0", "Major": "1", "Minor": "20"}

    @go_method()
    def String(self) -> str:  # noqa: N802 - Go method name
        return "v1.20.0"


# ---------------------------------------------------------------------------------------------
# strconv.FormatFloat


@pytest.mark.parametrize(
    ("value", "fmt", "prec", "expected"),
    [
        # shortest 'g' (what %v and Sprint use)
        (1000000.0, "g", -1, "1e+06"),
        (100000.0, "g", -1, "100000"),
        (123456.0, "g", -1, "123456"),
        (1234567.0, "g", -1, "1.234567e+06"),
        (1e21, "g", -1, "1e+21"),
        (1e20, "g", -1, "1e+20"),
        (0.0001, "g", -1, "0.0001"),
        (0.00001, "g", -1, "1e-05"),
        (0.000123, "g", -1, "0.000123"),
        (3.14, "g", -1, "3.14"),
        (0.1, "g", -1, "0.1"),
        (0.1 + 0.2, "g", -1, "0.30000000000000004"),
        (1.0, "g", -1, "1"),
        (0.0, "g", -1, "0"),
        (-0.0, "g", -1, "-0"),
        (-7.0, "g", -1, "-7"),
        (5e-324, "g", -1, "5e-324"),
        (1.7976931348623157e308, "g", -1, "1.7976931348623157e+308"),
        (123456789.0, "g", -1, "1.23456789e+08"),
        (1234.5678e3, "g", -1, "1.2345678e+06"),
        (1.23456789e-3, "g", -1, "0.00123456789"),
        (1.23456789e20, "g", -1, "1.23456789e+20"),
        (1e100, "g", -1, "1e+100"),
        (1.5e-100, "g", -1, "1.5e-100"),
        (1e6, "G", -1, "1E+06"),
        # 'g' with a precision (trailing zeros removed)
        (1.0, "g", 3, "1"),
        (1.5, "g", 3, "1.5"),
        (123456.0, "g", 3, "1.23e+05"),
        (123.4, "g", 3, "123"),
        (100.0, "g", 2, "1e+02"),
        (0.0001234, "g", 3, "0.000123"),
        (123456.0, "g", 10, "123456"),
        (2.5, "g", 0, "2"),
        (0.0, "g", 3, "0"),
        (0.1, "g", 30, "0.100000000000000005551115123126"),
        # 'e' and 'E'
        (1.0, "e", 6, "1.000000e+00"),
        (1234.5678e3, "e", 6, "1.234568e+06"),
        (1234.5678e-8, "e", 6, "1.234568e-05"),
        (-1e-9, "E", 6, "-1.000000E-09"),
        (1e100, "e", 2, "1.00e+100"),
        (0.0, "e", 3, "0.000e+00"),
        (1234.5678, "e", -1, "1.2345678e+03"),
        (1.0, "e", -1, "1e+00"),
        (0.0, "e", -1, "0e+00"),
        (1.5, "e", 0, "2e+00"),
        (2.5, "e", 0, "2e+00"),
        # 'f'
        (1234.5678e3, "f", 6, "1234567.800000"),
        (1234.5678e-8, "f", 6, "0.000012"),
        (-1e-9, "f", 6, "-0.000000"),
        (12345678901.23456789, "f", 6, "12345678901.234568"),
        (0.125, "f", 2, "0.12"),  # exact half rounds to even
        (0.375, "f", 2, "0.38"),
        (2.5, "f", 0, "2"),
        (3.5, "f", 0, "4"),
        (1e21, "f", -1, "1000000000000000000000"),
        (0.000001, "f", -1, "0.000001"),
        (123.456, "f", -1, "123.456"),
        (-0.0, "f", 2, "-0.00"),
        (1e23, "f", 0, "99999999999999991611392"),
        # binary and hexadecimal forms
        (1.0, "b", -1, "4503599627370496p-52"),
        (-1.0, "b", 4, "-4503599627370496p-52"),
        (0.0, "b", -1, "0p-1074"),
        (8.0, "b", -1, "4503599627370496p-49"),
        (5e-324, "b", -1, "1p-1074"),
        (1.0, "x", -1, "0x1p+00"),
        (3.0, "x", -1, "0x1.8p+01"),
        (0.0, "x", -1, "0x0p+00"),
        (123.0, "x", 4, "0x1.ec00p+06"),
        (1.0, "x", 0, "0x1p+00"),
        (-1.0, "X", 3, "-0X1.000P+00"),
        (1e300, "x", -1, "0x1.7e43c8800759cp+996"),
        (5e-324, "x", -1, "0x1p-1074"),
        # special values
        (INF, "g", -1, "+Inf"),
        (-INF, "f", 2, "-Inf"),
        (NAN, "e", 3, "NaN"),
    ],
)
def test_format_float(value: float, fmt: str, prec: int, expected: str) -> None:
    assert format_float(value, fmt, prec) == expected


@pytest.mark.parametrize(
    ("value", "fmt", "prec", "expected"),
    [
        (0.1, "g", -1, "0.1"),
        (1234.5678e3, "g", -1, "1.2345678e+06"),
        (-1e-9, "g", -1, "-1e-09"),
        (1.2345678, "g", -1, "1.2345678"),
        (16777216.0, "f", -1, "16777216"),
        (1.0, "b", -1, "8388608p-23"),
        (1e39, "g", -1, "+Inf"),  # beyond float32's range
        (3.4028234663852886e38, "g", -1, "3.4028235e+38"),
    ],
)
def test_format_float_32(value: float, fmt: str, prec: int, expected: str) -> None:
    assert format_float(value, fmt, prec, 32) == expected


# ---------------------------------------------------------------------------------------------
# Sprintf on scalars


@pytest.mark.parametrize(
    ("fmt", "arg", "expected"),
    [
        # integers
        ("%d", 12345, "12345"),
        ("%v", GoInt(-12345), "-12345"),
        ("%d", -(1 << 63), "-9223372036854775808"),
        ("%.d", 0, ""),
        ("%6.0d", 0, "      "),
        ("%06.0d", 0, "      "),
        ("% d", 12345, " 12345"),
        ("%+d", 12345, "+12345"),
        ("%+d", -12345, "-12345"),
        ("%b", 7, "111"),
        ("%b", -6, "-110"),
        ("%#b", 7, "0b111"),
        ("%o", 0o1234, "1234"),
        ("%#o", 0o1234, "01234"),
        ("%#o", 0, "0"),
        ("%O", 0o1234, "0o1234"),
        ("%O", -0o1234, "-0o1234"),
        ("%#X", 0, "0X0"),
        ("%x", 0x12ABCDEF, "12abcdef"),
        ("%X", 0x12ABCDEF, "12ABCDEF"),
        ("%x", -255, "-ff"),
        ("%#x", 255, "0xff"),
        ("%.20b", 7, "00000000000000000111"),
        ("%10d", -12345, "    -12345"),
        ("%-10d|", 12345, "12345     |"),
        ("%010d", -12345, "-000012345"),
        ("%+010d", 12345, "+000012345"),
        ("%-010d|", 12345, "12345     |"),
        ("%20.8d", -1234, "           -00001234"),
        ("%020.8d", 1234, "            00001234"),
        ("%-#20.8x", 0x1234ABC, "0x01234abc          "),
        ("%.68d", -42, "-" + "0" * 66 + "42"),
        # characters and code points
        ("%c", 0x672C, "本"),
        ("%c", -1, "\ufffd"),
        ("%c", 0xDC80, "\ufffd"),
        ("%c", 0x110000, "\ufffd"),
        ("%3c", 0x2318, "  ⌘"),
        ("%-3c|", 0x2318, "⌘  |"),
        ("%q", 0, "'\\x00'"),
        ("%q", ord("'"), "'\\''"),
        ("%q", ord('"'), "'\"'"),
        ("%q", 0xFF, "'ÿ'"),
        ("%+q", 0xFF, "'\\u00ff'"),
        ("%q", ord("\n"), "'\\n'"),
        ("%q", 0xE00, "'\\u0e00'"),
        ("%q", 0x10FFFF, "'\\U0010ffff'"),
        ("%q", -1, "'�'"),
        ("%010q", 0x2318, "0000000'⌘'"),
        ("%U", 0, "U+0000"),
        ("%U", -1, "U+FFFFFFFFFFFFFFFF"),
        ("%#U", ord("\n"), "U+000A"),
        ("%# U", ord("x"), "U+0078 'x'"),
        ("%#.2U", ord("x"), "U+0078 'x'"),
        ("%U", 0x1D6C2, "U+1D6C2"),
        ("%#14.6U", 0x2318, "  U+002318 '⌘'"),
        ("%#-014.6U", 0x2318, "U+002318 '⌘'  "),
        # booleans
        ("%t", True, "true"),
        ("%v", False, "false"),
        ("%6t|", True, "  true|"),
        # floats
        ("%v", 1.2345678, "1.2345678"),
        ("%v", 1e6, "1e+06"),
        ("%v", 100000.0, "100000"),
        ("%f", 3.0, "3.000000"),
        ("%.2f", 3.14159, "3.14"),
        ("%F", -1.0, "-1.000000"),
        ("%e", 1234.5678, "1.234568e+03"),
        ("%E", 1e-7, "1.000000E-07"),
        ("%g", 1e21, "1e+21"),
        ("%G", 1e-5, "1E-05"),
        ("%.3g", 1234.5, "1.23e+03"),
        ("%+.3e", 0.0, "+0.000e+00"),
        ("%+07.2f", 1.0, "+001.00"),
        ("%+07.2f", -1.0, "-001.00"),
        ("%-07.2f|", 1.0, "1.00   |"),
        ("%+-07.2f|", -1.0, "-1.00  |"),
        ("% .3e", 1.0, " 1.000e+00"),
        ("% 07.2f", 1.0, " 001.00"),
        ("%07.2f", -1.0, "-001.00"),
        ("%+.3g", 0.0, "+0"),
        ("% .3g", 1.0, " 1"),
        ("%20.8f", 1.23456789e-3, "          0.00123457"),
        ("%-20f|", 1.23456789e3, "1234.567890         |"),
        ("%.68f", 1.0, "1." + "0" * 68),
        ("%x", 1.0, "0x1p+00"),
        ("%+.3x", 1.0, "+0x1.000p+00"),
        ("%b", 1.0, "4503599627370496p-52"),
        ("%#b", 1.0, "4503599627370496p-52"),
        # the sharp flag keeps the decimal point and, for %g, trailing zeros
        ("%#g", 1e-323, "1.00000e-323"),
        ("%#g", -1.0, "-1.00000"),
        ("%#g", 1.1, "1.10000"),
        ("%#g", 123456.0, "123456."),
        ("%#g", 1234567.0, "1.234567e+06"),
        ("%#g", 1230000.0, "1.23000e+06"),
        ("%#.0f", 1.0, "1."),
        ("%#.0e", 123.0, "1.e+02"),
        ("%#.0x", 123.0, "0x1.p+07"),
        ("%#.0g", 1100000.0, "1.e+06"),
        ("%#.4g", 0.012, "0.01200"),
        ("%#.4g", 0.0, "0.000"),
        ("%#.4g", 10.2, "10.20"),
        ("%#.4x", 1.0, "0x1.0000p+00"),
        ("%#9.4g", 1.0, "    1.000"),
        ("%#v", 1.0, "1"),
        ("%#v", 1e6, "1e+06"),
        # infinities and NaN are never zero padded
        ("%f", INF, "+Inf"),
        ("%v", -INF, "-Inf"),
        ("%v", NAN, "NaN"),
        ("% f", NAN, " NaN"),
        ("%20f", INF, "                +Inf"),
        ("% 20F", INF, "                 Inf"),
        ("% +20E", NAN, "                +NaN"),
        ("%+020e", INF, "                +Inf"),
        ("%-020f|", -INF, "-Inf                |"),
        ("%-020E|", NAN, "NaN                 |"),
        # strings
        ("%s", "abc", "abc"),
        ("%v", "abc", "abc"),
        ("%q", "abc", '"abc"'),
        ("%#v", "abc", '"abc"'),
        ("%x", "xyz", "78797a"),
        ("%X", "xyz", "78797A"),
        ("% x", "xyz", "78 79 7a"),
        ("%#x", "xyz", "0x78797a"),
        ("%# X", "xyz", "0X78 0X79 0X7A"),
        ("%x", "", ""),
        ("%2x", "", "  "),
        ("% 02x", "", "00"),
        ("%.5x", "abcdefghijklmnopqrstuvwxyz", "6162636465"),
        ("%.1x", "日本語", "e6"),
        ("%# 010x", "\xab\xcd".encode("latin-1").decode("utf-8", "surrogateescape"), "00xab 0xcd"),
        ("%5s", "abc", "  abc"),
        ("%2s", "☺", " ☺"),
        ("%-5s|", "abc", "abc  |"),
        ("%05s", "abc", "00abc"),
        ("%0-5s|", "abc", "abc  |"),
        ("%.5s", "abcdefghijklmnopqrstuvwxyz", "abcde"),
        ("%.0s", "日本語日本語", ""),
        ("%.5s", "日本語日本語", "日本語日本"),
        ("%20.5s", "qwertyuiop", "               qwert"),
        ("%-20.5s|", "qwertyuiop", "qwert               |"),
        # quoting
        ("%q", "", '""'),
        ("%#q", "", "``"),
        ("%q", '"', '"\\""'),
        ("%#q", '"', '`"`'),
        ("%#q", "`", '"`"'),
        ("%q", "\n", '"\\n"'),
        ("%#q", "\n", '"\\n"'),
        ("%q", "\\n", '"\\\\n"'),
        ("%#q", "\\n", "`\\n`"),
        ("%q", "日本語", '"日本語"'),
        ("%+q", "日本語", '"\\u65e5\\u672c\\u8a9e"'),
        ("%#+q", "日本語", "`日本語`"),
        ("%q", '\a\b\f\n\r\t\v"\\', '"\\a\\b\\f\\n\\r\\t\\v\\"\\\\"'),
        ("% q", "☺", '"☺"'),
        ("%+q", "☺", '"\\u263a"'),
        ("%10q", "⌘", '       "⌘"'),
        ("%+-10q|", "⌘", '"\\u2318"  |'),
        ("%010q", "⌘", '0000000"⌘"'),
        ("%-010q|", "⌘", '"⌘"       |'),
        ("%#-8q|", "\t", "`\t`     |"),
        ("%q", "\U0010ffff", '"\\U0010ffff"'),
        ("%#q", "\U0010ffff", "`\U0010ffff`"),
        ("%q", "\x7f\x00", '"\\x7f\\x00"'),
        ("%q", "\u00a0\u2028", '"\\u00a0\\u2028"'),
        ("%q", "abc\udcffdef", '"abc\\xffdef"'),  # an invalid UTF-8 byte
        ("%.3q", "日本語日本語", '"日本語"'),
        ("%10.1q", "日本語日本語", '       "日"'),
        ("%08q", "abc", '000"abc"'),
        # nil
        ("%v", None, "<nil>"),
        ("%#v", None, "<nil>"),
        ("%10v", None, "     <nil>"),
        ("%-10v|", None, "<nil>     |"),
        ("%d", None, "%!d(<nil>)"),
        ("%s", None, "%!s(<nil>)"),
        ("%T", None, "<nil>"),
        ("%10T", None, "     <nil>"),
        # wrong verbs
        ("%d", "foo", "%!d(string=foo)"),
        ("%s", 1, "%!s(int64=1)"),
        ("%s", GoInt(1), "%!s(int=1)"),
        ("%d", 1.5, "%!d(float64=1.5)"),
        ("%d", True, "%!d(bool=true)"),
        ("%t", 1, "%!t(int64=1)"),
        ("%z", "hello", "%!z(string=hello)"),
        ("%☠", 1.2345678, "%!☠(float64=1.2345678)"),
        ("%☠", None, "%!☠(<nil>)"),
        ("%5t", "x", "%!t(string=    x)"),  # the flags stay in effect for the value
        ("%p", 27, "%!p(int64=27)"),
        ("%p", None, "%!p(<nil>)"),
        # %T
        ("%T", "x", "string"),
        ("%T", 1, "int64"),
        ("%T", GoInt(1), "int"),
        ("%T", 1.0, "float64"),
        ("%T", True, "bool"),
        ("%T", [1], "[]interface {}"),
        ("%T", {"a": 1}, "map[string]interface {}"),
        ("%T", b"x", "[]uint8"),
        ("%8T|", 1.0, " float64|"),
    ],
)
def test_sprintf_single(fmt: str, arg: object, expected: str) -> None:
    assert sprintf(fmt, arg) == expected


# ---------------------------------------------------------------------------------------------
# Composite values


@pytest.mark.parametrize(
    ("fmt", "arg", "expected"),
    [
        ("%v", [1, "hello", 2.5, None], "[1 hello 2.5 <nil>]"),
        ("%v", [], "[]"),
        ("%v", [[1, 2], [3]], "[[1 2] [3]]"),
        ("%v", {"b": 2.0, "a": [1, None], "c": {"z": 1, "y": "x"}}, "map[a:[1 <nil>] b:2 c:map[y:x z:1]]"),
        ("%v", {}, "map[]"),
        ("%v", {"B": 1, "a": 2, "é": 3, "Z": 4}, "map[B:1 Z:4 a:2 é:3]"),  # sorted bytewise
        ("%+v", {"a": 1}, "map[a:1]"),
        ("%d", [1, 2, 15], "[1 2 15]"),
        ("%x", [1, 2, 15], "[1 2 f]"),
        ("%#x", [1, 2, 15], "[0x1 0x2 0xf]"),
        ("%q", ["a", "b"], '["a" "b"]'),
        ("%d", ["a", 1], "[%!d(string=a) 1]"),
        ("%d", {"a": "b"}, "map[%!d(string=a):%!d(string=b)]"),
        ("%d", [None], "[<nil>]"),
        ("%5v", [1, "ab"], "[    1    ab]"),
        ("%06v", [-10.0, 10], "[-00010 000010]"),
        ("%03.6v", [1, 2.0, "x"], "[000001 002 00x]"),
        ("%03.0v", [0, 2.0, "x"], "[    002 000]"),
        ("%#v", [1, "hello", 2.5, None], '[]interface {}{1, "hello", 2.5, interface {}(nil)}'),
        ("%#v", [], "[]interface {}{}"),
        ("%#v", {"a": 1, "b": [True]}, 'map[string]interface {}{"a":1, "b":[]interface {}{true}}'),
        # []byte at the top level and inside a slice
        ("%v", b"\x01\x0bo", "[1 11 111]"),
        ("%s", b"abc", "abc"),
        ("%q", b"abc", '"abc"'),
        ("%x", b"\xff\xf0\x0f\xff", "fff00fff"),
        ("%# x", b"xyz", "0x78 0x79 0x7a"),
        ("%08x", b"\xab", "000000ab"),
        ("%#08x", b"\xab", "00000xab"),
        ("%# -010X|", b"\xab\xcd", "0XAB 0XCD |"),
        ("%012v", b"", "[]"),
        ("%#012v", b"", "[]byte{}"),
        ("%6v", b"\x01\x0bo", "[     1     11    111]"),
        ("%06v", b"\x01\x0bo", "[000001 000011 000111]"),
        ("%-06v", b"\x01\x0bo", "[1      11     111   ]"),
        ("%#v", b"\x01\x0bo", "[]byte{0x1, 0xb, 0x6f}"),
        ("%#06v", b"\x01\x0bo", "[]byte{0x000001, 0x00000b, 0x00006f}"),
        ("%#-6v", b"\x01\x0bo", "[]byte{0x1   , 0xb   , 0x6f  }"),
        ("% v", b"\x01\x0bo", "[ 1  11  111]"),
        ("%+v", b"\x01\x0bo", "[1 11 111]"),
        ("%+d", b"\x01\x0bo", "[+1 +11 +111]"),
        ("%b", b"ABC", "[1000001 1000010 1000011]"),
        ("%c", b"ABC", "[A B C]"),
        ("%o", b"ABC", "[101 102 103]"),
        ("%U", b"ABC", "[U+0041 U+0042 U+0043]"),
        ("%☠", b"\x00\x01", "[%!☠(uint8=0) %!☠(uint8=1)]"),
        ("%v", [b"ab"], "[[97 98]]"),
        ("%#v", [b"ab"], "[]interface {}{[]uint8{0x61, 0x62}}"),
        ("%s", [b"ab"], "[ab]"),
        # structs
        ("%v", Point(1, "a"), "{1 a}"),
        ("%+v", Point(1, None), "{X:1 Y:<nil>}"),
        ("%#v", Point(1, "a"), 'main.Point{X:1, Y:"a"}'),
        ("%#v", Point(1, None), "main.Point{X:1, Y:interface {}(nil)}"),
        ("%v", Metadata("app", "1.0", ["a"]), "&{app 1.0 [a]}"),
        ("%+v", Metadata("app", "1.0"), "&{Name:app Version:1.0 Tags:<nil>}"),
        (
            "%#v",
            Metadata("app", "1.0", []),
            '&chart.Metadata{Name:"app", Version:"1.0", Tags:[]interface {}{}}',
        ),
        ("%v", [Point(1, 2)], "[{1 2}]"),
        ("%T", Metadata("a", "b"), "*chart.Metadata"),
        ("%T", Point(1, 2), "main.Point"),
        ("%d", Point(1, "a"), "{1 %!d(string=a)}"),
        # Stringers are used for the string verbs only
        ("%v", KubeVersion(), "v1.20.0"),
        ("%s", KubeVersion(), "v1.20.0"),
        ("%q", KubeVersion(), '"v1.20.0"'),
        ("%x", KubeVersion(), "76312e32302e30"),
        ("%10v", KubeVersion(), "   v1.20.0"),
        ("%d", KubeVersion(), "&{%!d(string=v1.20.0) %!d(string=1) %!d(string=20)}"),
        ("%v", [KubeVersion()], "[v1.20.0]"),
    ],
)
def test_sprintf_composite(fmt: str, arg: object, expected: str) -> None:
    assert sprintf(fmt, arg) == expected


def test_nested_pointer_struct_prints_an_address() -> None:
    # Go prints the address of a pointer that is not at the top level.
    out = sprintf("%v", [Metadata("a", "b")])
    assert out.startswith("[0x") and out.endswith("]")


def test_type_name_of_function() -> None:
    func = GoFunc("f", lambda s: s, GoSignature(("string",), None, True))
    assert go_type_name(func) == "func(string) (interface {}, error)"


# ---------------------------------------------------------------------------------------------
# Format string handling: argument indexes, * width/precision, errors


@pytest.mark.parametrize(
    ("fmt", "args", "expected"),
    [
        ("%d %s", (1, "x"), "1 x"),
        ("%%", (), "%"),
        ("%5%|", (), "%|"),
        ("100%% %d", (5,), "100% 5"),
        ("%[1]d", (1,), "1"),
        ("%[2]d", (2, 1), "1"),
        ("%[2]d %[1]d", (1, 2), "2 1"),
        ("%[2]*[1]d", (2, 5), "    2"),
        ("%[3]*.[2]*[1]f", (12.0, 2, 6), " 12.00"),
        ("%[1]*.[2]*[3]f", (6, 2, 12.0), " 12.00"),
        ("%[1]*[3]f", (10, 99, 12.0), " 12.000000"),
        ("%.[1]*[3]f", (6, 99, 12.0), "12.000000"),
        ("%6.f", (12.0,), "    12"),
        ("%[1]*.[3]f", (6, 3, 12.0), "    12"),
        ("%d %d %d %#[1]o %#o %#o", (11, 12, 13), "11 12 13 013 014 015"),
        ("%d %d %d %#[1]o %#o %#o %#o", (11, 12, 13), "11 12 13 013 014 015 %!o(MISSING)"),
        ("%[d", (2, 1), "%!d(BADINDEX)"),
        ("%]d", (2, 1), "%!](int64=2)d%!(EXTRA int64=1)"),
        ("%[]d", (2, 1), "%!d(BADINDEX)"),
        ("%[-3]d", (2, 1), "%!d(BADINDEX)"),
        ("%[99]d", (2, 1), "%!d(BADINDEX)"),
        ("%[3]", (2, 1), "%!(NOVERB)"),
        ("%[1].2d", (5, 6), "%!d(BADINDEX)"),
        ("%[1]2d", (2, 1), "%!d(BADINDEX)"),
        ("%3.[2]d", (7,), "%!d(BADINDEX)"),
        ("%.[2]d", (7,), "%!d(BADINDEX)"),
        ("%[5]d %[2]d %d", (1, 2, 3), "%!d(BADINDEX) 2 3"),
        ("%d %[3]d %d", (1, 2), "1 %!d(BADINDEX) 2"),
        ("%.[]", (), "%!](BADINDEX)"),
        ("%.-3d", (42,), "%!-(int64=42)3d"),
        ("%.", (3,), "%!.(int64=3)"),
        ("%2147483648d", (42,), "%!(NOVERB)%!(EXTRA int64=42)"),
        ("%.2147483648d", (42,), "%!(NOVERB)%!(EXTRA int64=42)"),
        ("%010.2", ("12345",), "%!(NOVERB)%!(EXTRA string=12345)"),
        ("%s %", ("hello",), "hello %!(NOVERB)"),
        ("%s %.2", ("hello",), "hello %!(NOVERB)"),
        ("%d", (), "%!d(MISSING)"),
        ("%s %d", ("a",), "a %!d(MISSING)"),
        ("", (None,), "%!(EXTRA <nil>)"),
        ("no args", ("hello",), "no args%!(EXTRA string=hello)"),
        ("%d", (1, "a", GoInt(2), [1]), "1%!(EXTRA string=a, int=2, []interface {}=[1])"),
        ("%*d", (5, 42), "   42"),
        ("%-*d|", (5, 42), "42   |"),
        ("%*d|", (-5, 42), "42   |"),  # a negative width means left alignment
        ("%0*d|", (-5, 42), "42   |"),
        ("%.*f", (2, 3.14159), "3.14"),
        ("%.*d", (-1, 42), "%!(BADPREC)42"),
        ("%*d", ("x", 42), "%!(BADWIDTH)42"),
        ("%*d", (1.5, 42), "%!(BADWIDTH)42"),
        ("%.*d", ("x", 42), "%!(BADPREC)42"),
        ("%*d", (10_000_000, 42), "%!(BADWIDTH)42"),
        ("%*d", (GoInt(3), 7), "  7"),
        ("%-+ #0v", (1,), " 1"),  # %+v does not mean a plus sign
    ],
)
def test_sprintf_format_handling(fmt: str, args: tuple, expected: str) -> None:
    assert sprintf(fmt, *args) == expected


# ---------------------------------------------------------------------------------------------
# Sprint and Sprintln


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ""),
        (("a",), "a"),
        ((1,), "1"),
        ((GoInt(1),), "1"),
        ((1.0,), "1"),
        ((1e6,), "1e+06"),
        ((True,), "true"),
        ((None,), "<nil>"),
        (("a", "b"), "ab"),
        ((1, 2), "1 2"),
        (("a", 1, "b"), "a1b"),
        ((1, "a", 2), "1a2"),
        ((1, 2, "a", 3, 4), "1 2a3 4"),
        ((None, None), "<nil> <nil>"),
        ((1.5, True, None), "1.5 true <nil>"),
        (([1, 2], {"a": 1}), "[1 2] map[a:1]"),
        ((b"ab",), "[97 98]"),
        ((KubeVersion(),), "v1.20.0"),
    ],
)
def test_sprint(args: tuple, expected: str) -> None:
    assert sprint(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "\n"),
        (("a", "b"), "a b\n"),
        ((1, "a", None), "1 a <nil>\n"),
    ],
)
def test_sprintln(args: tuple, expected: str) -> None:
    assert sprintln(*args) == expected


# ---------------------------------------------------------------------------------------------
# strconv quoting


@pytest.mark.parametrize(
    ("text", "ascii_only", "expected"),
    [
        ("abc", False, '"abc"'),
        ('a"b\\c', False, '"a\\"b\\\\c"'),
        ("é\u263a", False, '"é☺"'),
        ("é\u263a", True, '"\\u00e9\\u263a"'),
        ("\U0001f600", True, '"\\U0001f600"'),
        ("\x00\x1f\x7f", False, '"\\x00\\x1f\\x7f"'),
        ("\ufeff", False, '"\\ufeff"'),
        (b"a\xffb", False, '"a\\xffb"'),
    ],
)
def test_quote(text: str | bytes, ascii_only: bool, expected: str) -> None:
    assert quote(text, ascii_only) == expected


def test_quote_rune() -> None:
    assert quote_rune(ord("a")) == "'a'"
    assert quote_rune(0x263A, ascii_only=True) == "'\\u263a'"
    assert quote_rune(0xD800) == "'�'"


def _exact_e_format(v: float, prec: int) -> str:
    """Reference %e: the exact binary value rounded half-to-even with decimal arithmetic."""
    digits = Decimal(v)
    sign = "-" if math.copysign(1.0, v) < 0 else ""
    if digits == 0:
        return f"{sign}{format(Decimal(0).quantize(Decimal(1).scaleb(-prec)), 'f')}e+00"
    exp = digits.adjusted()
    mantissa = abs(digits).scaleb(-exp).quantize(Decimal(1).scaleb(-prec), rounding=ROUND_HALF_EVEN)
    if mantissa >= 10:
        exp += 1
        mantissa = abs(digits).scaleb(-exp).quantize(Decimal(1).scaleb(-prec), rounding=ROUND_HALF_EVEN)
    return f"{sign}{format(mantissa, 'f')}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def test_float_formatting_on_random_bit_patterns() -> None:
    rng = random.Random(20260127)
    checked = 0
    while checked < 3000:
        v = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isnan(v) or math.isinf(v):
            continue
        checked += 1
        shortest = format_float(v, "g", -1)
        assert float(shortest) == v
        assert float(format_float(v, "e", -1)) == v
        assert float(format_float(v, "f", -1)) == v
        prec = rng.randint(0, 25)
        assert format_float(v, "e", prec) == _exact_e_format(v, prec)


def test_sprint_indirect_dereferences_top_level_struct_pointers() -> None:
    meta = Metadata("app", "1.0")
    assert sprint(meta) == "&{app 1.0 <nil>}"
    assert sprint_indirect(meta) == "{app 1.0 <nil>}"
    assert sprint_indirect(meta, 1, 2) == "{app 1.0 <nil>} 1 2"
    assert sprint_indirect("a", Point(1, 2)) == "a{1 2}"
    assert sprint_indirect(KubeVersion()) == "v1.20.0"
    assert sprint_indirect({"m": meta}).startswith("map[m:0x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("abc\tdef", True),
        ("a`b", False),
        ("a\nb", False),
        ("\x7f", False),
        ("\ufeff", False),
        ("日本", True),
    ],
)
def test_can_backquote(text: str, expected: bool) -> None:
    assert can_backquote(text) is expected
