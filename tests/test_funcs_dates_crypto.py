"""Date functions (Go time layouts, durations) and crypto functions (shape of keys/certs, derivePassword)
with cases from sprig v3.3.0's date_test.go / crypto_test.go and Go's time package."""

from __future__ import annotations

import base64
import re
from datetime import timezone

import pytest

from chartfix.go.time import GoTime, duration_string, load_location, parse_duration
from chartfix.go.types import GoFuncError, GoInt
from chartfix.helm.funcmap import function_map

F = {name: func.impl for name, func in function_map().items()}
JUNE_2019 = 1560458379  # 2019-06-13 20:39:39 UTC


def call(name, *args):
    return F[name](*args)


@pytest.mark.parametrize(
    ("layout", "zone", "expected"),
    [
        ("02 Jan 06 15:04 -0700", "UTC", "13 Jun 19 20:39 +0000"),
        ("02 Jan 06 15:04 -0700", "foobar", "13 Jun 19 20:39 +0000"),  # unknown zone: UTC
        ("2006-01-02T15:04:05Z07:00", "UTC", "2019-06-13T20:39:39Z"),
        ("2006-01-02T15:04:05Z07:00", "Asia/Kolkata", "2019-06-14T02:09:39+05:30"),
        ("Mon Jan _2 3:04:05PM MST 2006", "America/New_York", "Thu Jun 13 4:39:39PM EDT 2019"),
        ("Monday January 2 .000 002 __2 -07", "UTC", "Thursday June 13 .000 164 164 +00"),
        ("15:04:05.999999999", "UTC", "20:39:39"),
    ],
)
def test_date_in_zone(layout, zone, expected):
    assert call("dateInZone", layout, JUNE_2019, zone) == expected
    assert call("date_in_zone", layout, GoInt(JUNE_2019), zone) == expected


def test_date_of_other_types_is_now():
    now_year = call("dateInZone", "2006", GoTime.now(), "UTC")
    assert call("dateInZone", "2006", 1.5e9, "UTC") == now_year  # float64 is not a date
    assert call("htmlDateInZone", 0, "UTC") == "1970-01-01"


def test_fractional_seconds_and_time_string():
    moment = GoTime(JUNE_2019, 120_000_000, timezone.utc)
    assert moment.format("05.000 05.999 05,9") == "39.120 39.12 39,1"
    assert moment.go_field("String").impl() == "2019-06-13 20:39:39.12 +0000 UTC"


def test_to_date_and_unix_epoch():
    parsed = call("toDate", "2006-01-02", "2017-12-31")
    assert call("dateInZone", "02/01/2006", parsed, "Local") == "31/12/2017"
    utc = call("mustToDate", "2006-01-02T15:04:05Z07:00", "2019-06-13T20:39:39Z")
    assert call("unixEpoch", utc) == str(JUNE_2019)
    offset = call("mustToDate", "2006-01-02 15:04 -0700", "2019-06-13 22:39 +0200")
    assert offset.seconds == JUNE_2019 - 39
    assert call("toDate", "2006-01-02", "nope").go_field("IsZero").impl() is True
    with pytest.raises(GoFuncError, match='^parsing time "2017-13-31": month out of range$'):
        call("mustToDate", "2006-01-02", "2017-13-31")
    with pytest.raises(GoFuncError, match='cannot parse "x" as "2006"'):
        call("mustToDate", "2006", "x")


def test_date_modify():
    moment = GoTime(JUNE_2019, 0, load_location("UTC"))
    assert call("dateModify", "-1.5h", moment).seconds == JUNE_2019 - 5400
    assert call("dateModify", "bogus", moment) is moment
    with pytest.raises(GoFuncError, match='^time: unknown unit "x" in duration "1x"$'):
        call("mustDateModify", "1x", moment)
    with pytest.raises(GoFuncError, match='^time: missing unit in duration "1"$'):
        call("mustDateModify", "1", moment)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("61", "1m1s"),
        ("3600", "1h0m0s"),
        ("93784", "26h3m4s"),
        (3600, "1h0m0s"),
        (GoInt(5), "0s"),
        (5.0, "0s"),
    ],
)
def test_duration(value, expected):
    assert call("duration", value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2h5s", "2h"),
        ("24h5s", "1d"),
        ("2400h5s", "3mo"),
        ("-2400h5s", "3mo"),
        ("", "0s"),
        (10**9 * 90, "1m"),
    ],
)
def test_duration_round(value, expected):
    assert call("durationRound", value) == expected


def test_duration_text():
    assert parse_duration("1h15m30.918273645s") == 4530918273645
    assert parse_duration("-.5ms") == -500000
    assert duration_string(1500) == "1.5µs"
    assert duration_string(-5 * 10**9) == "-5s"
    assert call("ago", GoTime.now()) == "0s"


def test_now_prints_like_go_with_a_monotonic_reading():
    now = call("now")
    assert now.go_type == "time.Time"
    text = now.go_field("String").impl()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+ m=\+\d+\.\d{9}", text)
    assert " m=" not in call("now").go_field("UTC").impl().go_field("String").impl()


def test_derive_password_is_deterministic():
    # Master Password reference vector (user "user", password "password", site "example.com").
    assert call("derivePassword", 1, "long", "password", "user", "example.com") == "ZedaFaxcZaso9*"
    assert call("derivePassword", 1, "nope", "p", "u", "s") == "cannot find password template nope"


def test_password_hashes():
    assert re.fullmatch(r"\$2a\$10\$[./A-Za-z0-9]{53}", call("bcrypt", "secret"))
    assert re.fullmatch(r"admin:\$2a\$10\$[./A-Za-z0-9]{53}", call("htpasswd", "admin", "pw"))
    assert call("htpasswd", "a:b", "pw") == "invalid username: a:b"


def test_password_hashes_verify_and_are_kept_per_password():
    import bcrypt

    first = call("bcrypt", "kept")
    assert bcrypt.checkpw(b"kept", first.encode())
    assert call("bcrypt", "kept") == first  # kept: bcrypt is slow on purpose
    other = call("htpasswd", "admin", "other").split(":", 1)[1]
    assert bcrypt.checkpw(b"other", other.encode()) and not bcrypt.checkpw(b"kept", other.encode())


def test_random_and_uuid_shapes():
    assert len(base64.b64decode(call("randBytes", GoInt(12)))) == 12
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", call("uuidv4")
    )


def test_aes_round_trip():
    secret = call("encryptAES", "password", "plaintext")
    assert call("decryptAES", "password", secret) == "plaintext"
    assert call("encryptAES", "password", "") == ""


def test_certificates_have_go_shape():
    from cryptography import x509

    ca = call("genCA", "foo-ca", GoInt(365))
    assert ca.go_type == "sprig.certificate"
    assert ca.go_field("Cert").startswith("-----BEGIN CERTIFICATE-----\n")
    assert ca.go_field("Key").startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    ca_cert = x509.load_pem_x509_certificate(ca.cert.encode())
    assert ca_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert ca_cert.public_key().key_size == 2048

    cert = call("genSignedCert", "foo.com", ["10.0.0.1"], ["foo.com", "www.foo.com"], GoInt(365), ca)
    leaf = x509.load_pem_x509_certificate(cert.cert.encode())
    assert leaf.issuer == ca_cert.subject
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["foo.com", "www.foo.com"]
    assert [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)] == ["10.0.0.1"]

    self_signed = call("genSelfSignedCert", "x", None, None, GoInt(1))
    assert "CERTIFICATE" in self_signed.cert
    with pytest.raises(GoFuncError, match="error parsing ip: not-an-ip"):
        call("genSelfSignedCert", "x", ["not-an-ip"], None, GoInt(1))

    ec_key = call("genPrivateKey", "ecdsa")
    assert ec_key.startswith("-----BEGIN EC PRIVATE KEY-----")
    with_key = call("genCAWithKey", "k", GoInt(1), ec_key)
    assert with_key.key == ec_key
    assert call("genPrivateKey", "ed25519").startswith("-----BEGIN PRIVATE KEY-----")
    assert call("genPrivateKey", "nope") == "Unknown type nope"
    with pytest.raises(GoFuncError, match="^parsing private key: no PEM data in input$"):
        call("genCAWithKey", "k", GoInt(1), "garbage")

    custom = call(
        "buildCustomCert",
        base64.b64encode(ca.cert.encode()).decode(),
        base64.b64encode(ca.key.encode()).decode(),
    )
    assert custom.cert == ca.cert


@pytest.fixture
def utc_local_zone(monkeypatch):
    """Run with the machine's zone set to UTC, as the `helm template` runs these rows came from."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("expression", "expected"),
    [  # rendered by helm v3.17.3 and v4.1.4 with TZ=UTC
        (
            'dateInZone "15:04:05.999999999" (toDate "2006-01-02 15:04:05.999999999" "2020-01-01 10:11:12.123456789") "UTC"',
            "10:11:12.123456789",
        ),
        (
            'toDate "2006-01-02 15:04:05 MST" "2020-01-01 10:11:12 PST" | toString',
            "2020-01-01 10:11:12 +0000 PST",
        ),
        (
            'toDate "2006-01-02 15:04:05 MST" "2020-01-01 10:11:12 UTC" | toString',
            "2020-01-01 10:11:12 +0000 UTC",
        ),
        (
            'toDate "2006-01-02 15:04:05 MST" "2020-01-01 10:11:12 GMT+3" | toString',
            "2020-01-01 13:11:12 +0300 GMT+3",
        ),
        (
            'toDate "2006-01-02 15:04:05 -0700" "2020-01-01 10:11:12 +0000" | toString',
            "2020-01-01 10:11:12 +0000 UTC",
        ),
        (
            'toDate "2006-01-02 15:04:05 -0700 MST" "2020-01-01 10:11:12 -0800 PST" | toString',
            "2020-01-01 10:11:12 -0800 PST",
        ),
        (
            'toDate "2006-01-02T15:04:05Z07:00" "2020-01-01T10:11:12.5Z" | toString',
            "2020-01-01 10:11:12.5 +0000 UTC",
        ),
        (
            'toDate "2006-01-02T15:04:05Z07:00" "2020-01-01T10:11:12.5-03:30" | toString',
            "2020-01-01 10:11:12.5 -0330 -0330",
        ),
        ('toDate "Jan 2 2006" "feb 3 2021" | toString', "2021-02-03 00:00:00 +0000 UTC"),
        ('toDate "Jan _2 2006" "Feb  3 2021" | toString', "2021-02-03 00:00:00 +0000 UTC"),
        ('toDate "3:04PM" "11:30AM" | toString', "0000-01-01 11:30:00 +0000 UTC"),
        ('toDate "3:04pm" "12:30am" | toString', "0000-01-01 00:30:00 +0000 UTC"),
        ('toDate "2006-002" "2020-060" | toString', "2020-02-29 00:00:00 +0000 UTC"),
        ('toDate "02/01/06" "31/12/69" | toString', "1969-12-31 00:00:00 +0000 UTC"),
        ('toDate "02/01/06" "31/12/68" | toString', "2068-12-31 00:00:00 +0000 UTC"),
        ('toDate "2006-01-02" "2020-02-29" | unixEpoch', "1582934400"),
        ('toDate "2006-01-02" "2021-02-29" | unixEpoch', "-62135596800"),
        ('toDate "2006" "0000" | toString', "0000-01-01 00:00:00 +0000 UTC"),
        ('htmlDateInZone (toDate "2006-01-02" "2020-06-15") "Pacific/Kiritimati"', "2020-06-15"),
        ('dateModify "-24h" (toDate "2006-01-02" "2020-03-01") | date "2006-01-02"', "2020-02-29"),
        ('dateModify "1.5h" (toDate "2006-01-02" "2020-03-01") | toString', "2020-03-01 01:30:00 +0000 UTC"),
        (
            'dateModify "90m30s500ms" (toDate "2006-01-02" "2020-03-01") | toString',
            "2020-03-01 01:30:30.5 +0000 UTC",
        ),
        (
            'dateModify "1us" (toDate "2006-01-02" "2020-03-01") | toString',
            "2020-03-01 00:00:00.000001 +0000 UTC",
        ),
        (
            'dateModify "1µs" (toDate "2006-01-02" "2020-03-01") | toString',
            "2020-03-01 00:00:00.000001 +0000 UTC",
        ),
        ('duration "0"', "0s"),
        ('duration "59"', "59s"),
        ('duration "3661"', "1h1m1s"),
        ('duration "-90"', "-1m30s"),
        ('duration "99999999999"', "2157299h53m50.45224192s"),
        ('durationRound "1h59m"', "1h"),
        ('durationRound "25h"', "1d"),
        ('durationRound "721h"', "1mo"),
        ('durationRound "8761h"', "1y"),
        ('durationRound "1.5s"', "1s"),
        ('durationRound "500ms"', "0s"),
        ("durationRound 5000000000", "0s"),
        ('durationRound "bad"', "0s"),
    ],
)
def test_dates_as_helm_renders_them(utc_local_zone, expression, expected):
    from chartfix.go.template import TemplateSet

    template_set = TemplateSet(function_map())
    template_set.parse("t", "{{ " + expression + " }}")
    assert template_set.execute("t", {}) == expected
