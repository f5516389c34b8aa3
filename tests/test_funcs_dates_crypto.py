"""Date functions (Go time layouts, durations) and crypto functions (shape of keys/certs, derivePassword)
with cases from sprig v3.3.0's date_test.go / crypto_test.go and Go's time package."""

from __future__ import annotations

import base64
import re
from datetime import timezone

import pytest
from chartfix.funcs import function_map
from chartfix.funcs.gotime import GoTime, duration_string, load_location, parse_duration
from chartfix.gotypes import GoFuncError, GoInt

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
