"""Sprig's crypto.go: hashes of passwords, keys, certificates, AES, UUIDs and random bytes.

Keys and certificates are real (built with the `cryptography` package, loaded by `libraries()`) and have
the shape Go produces: PEM block types, key sizes, certificate extensions. Generating RSA keys is
slow, so one key per kind and size is generated per process and reused; every certificate still
gets its own serial number and validity period. bcrypt hashes are kept per password for the same
reason.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import secrets
import struct
import uuid
import warnings
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from types import ModuleType
from typing import Any

from chartfix.go.fmt import sprint
from chartfix.go.sprig.base import FuncTable, check_size, register
from chartfix.go.types import GoFuncError, GoPanic, GoStruct

FUNCS: FuncTable = {}
CERT = "sprig.certificate"
LIST = "[]interface {}"


def libraries() -> ModuleType:
    """`chartfix.go.sprig.crypto_libs`: `cryptography` and `bcrypt`, the one deferred import of
    this module (docs/architecture.md), loaded when a template first needs them."""
    from chartfix.go.sprig import crypto_libs as module  # noqa: PLC0415 - start-up time, see above

    return module


class Certificate(GoStruct):
    """sprig's `certificate` struct: PEM text of a certificate and of its private key."""

    go_type = CERT

    def __init__(self, cert: str = "", key: str = "") -> None:
        self.cert, self.key = cert, key

    def go_fields(self) -> dict[str, Any]:
        return {"Cert": self.cert, "Key": self.key}


# --- passwords --------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _bcrypt_hash(password: str) -> str:
    """bcrypt at Go's default cost (10), with a random salt: about 80 ms a call by design. A password
    seen before in this process gets the hash it got then, a hash Helm could give as well (like the
    keys below); a chart's scenarios otherwise pay for it again each time."""
    lib = libraries()

    data = password.encode("utf-8")
    if len(data) > 72:
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    return lib.bcrypt.hashpw(data, lib.bcrypt.gensalt(rounds=10, prefix=b"2a")).decode("ascii")


@register(FUNCS, "bcrypt", "string")
def bcrypt(password: str) -> str:
    return _bcrypt_hash(password)


@register(FUNCS, "htpasswd", "string", "string")
def htpasswd(username: str, password: str) -> str:
    if ":" in username:
        return f"invalid username: {username}"
    return f"{username}:{_bcrypt_hash(password)}"


_PASSWORD_TEMPLATES = {
    "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
    "long": [
        "CvcvnoCvcvCvcv",
        "CvcvCvcvnoCvcv",
        "CvcvCvcvCvcvno",
        "CvccnoCvcvCvcv",
        "CvccCvcvnoCvcv",
        "CvccCvcvCvcvno",
        "CvcvnoCvccCvcv",
        "CvcvCvccnoCvcv",
        "CvcvCvccCvcvno",
        "CvcvnoCvcvCvcc",
        "CvcvCvcvnoCvcc",
        "CvcvCvcvCvccno",
        "CvccnoCvccCvcv",
        "CvccCvccnoCvcv",
        "CvccCvccCvcvno",
        "CvcvnoCvccCvcc",
        "CvcvCvccnoCvcc",
        "CvcvCvccCvccno",
        "CvccnoCvcvCvcc",
        "CvccCvcvnoCvcc",
        "CvccCvcvCvccno",
    ],  # fmt: skip
    "medium": ["CvcnoCvc", "CvcCvcno"],
    "short": ["Cvcn"],
    "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
    "pin": ["nnnn"],
}
_TEMPLATE_CHARACTERS = {
    "V": "AEIOU",
    "C": "BCDFGHJKLMNPQRSTVWXYZ",
    "v": "aeiou",
    "c": "bcdfghjklmnpqrstvwxyz",
    "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
    "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
    "n": "0123456789",
    "o": "@&%?,=[]_:-+*$#!'^~;()/.",
    "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
}
_MASTER_PASSWORD_SEED = b"com.lyndir.masterpassword"


@register(FUNCS, "derivePassword", "uint32", "string", "string", "string", "string")
def derive_password(counter: int, password_type: str, password: str, user: str, site: str) -> str:
    """The Master Password algorithm, deterministic like sprig's."""
    templates = _PASSWORD_TEMPLATES.get(password_type)
    if templates is None:
        return f"cannot find password template {password_type}"
    user_bytes, site_bytes = user.encode("utf-8"), site.encode("utf-8")
    salt = _MASTER_PASSWORD_SEED + struct.pack(">I", len(user_bytes)) + user_bytes
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=32768, r=8, p=2, dklen=64, maxmem=128 * 1024 * 1024
    )
    message = _MASTER_PASSWORD_SEED + struct.pack(">I", len(site_bytes)) + site_bytes
    message += struct.pack(">I", int(counter) & 0xFFFFFFFF)
    seed = hmac.new(key, message, hashlib.sha256).digest()
    template = templates[seed[0] % len(templates)]
    out = []
    for i, element in enumerate(template):
        characters = _TEMPLATE_CHARACTERS[element]
        out.append(characters[seed[i + 1] % len(characters)])
    return "".join(out)


# --- random values ---------------------------------------------------------------------------------


@register(FUNCS, "randBytes", "int", returns_error=True)
def rand_bytes(count: int) -> str:
    if count < 0:
        raise GoPanic("runtime error: makeslice: len out of range")
    check_size(count, "randBytes")
    return base64.b64encode(secrets.token_bytes(count)).decode("ascii")


@register(FUNCS, "uuidv4")
def uuidv4() -> str:
    return str(uuid.uuid4())


# --- keys ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _generated_key(kind: str, size: int = 0) -> Any:
    """One private key per kind and size for the whole process (see the module docstring)."""
    lib = libraries()

    if kind == "rsa":
        return lib.rsa.generate_private_key(public_exponent=65537, key_size=size)
    if kind == "dsa":
        return lib.dsa.generate_private_key(key_size=2048)
    if kind == "ecdsa":
        return lib.ec.generate_private_key(lib.ec.SECP256R1())
    return lib.ed25519.Ed25519PrivateKey.generate()


def _key_pem(key: Any) -> str:
    """pemBlockForKey: PKCS#1 for RSA, SEC1 for EC, OpenSSL's DSA layout, PKCS#8 otherwise."""
    lib = libraries()

    traditional = isinstance(
        key, (lib.rsa.RSAPrivateKey, lib.ec.EllipticCurvePrivateKey, lib.dsa.DSAPrivateKey)
    )
    key_format = (
        lib.serialization.PrivateFormat.TraditionalOpenSSL
        if traditional
        else lib.serialization.PrivateFormat.PKCS8
    )
    return key.private_bytes(
        lib.serialization.Encoding.PEM, key_format, lib.serialization.NoEncryption()
    ).decode("ascii")


@register(FUNCS, "genPrivateKey", "string")
def gen_private_key(kind: str) -> str:
    if kind in ("", "rsa"):
        return _key_pem(_generated_key("rsa", 4096))
    if kind in ("dsa", "ecdsa", "ed25519"):
        return _key_pem(_generated_key(kind))
    return "Unknown type " + kind


class _KeyError(Exception):
    pass


@lru_cache(maxsize=8)
def _load_private_key(pem: bytes) -> Any:
    """A PEM private key loaded, cached: keys are immutable, loading checks the key (about 65 ms
    for the RSA keys templates make), and templates sign with the same key in every scenario."""
    lib = libraries()

    return lib.serialization.load_pem_private_key(pem, password=None)


def _parse_private_key_pem(text: str) -> Any:
    """parsePrivateKeyPEM, with Go's error texts for the cases it distinguishes."""
    begin = text.find("-----BEGIN ")
    if begin == -1:
        raise _KeyError("no PEM data in input")
    block_type = text[begin + 11 : text.find("-----", begin + 11)]
    if block_type != "PRIVATE KEY" and not block_type.endswith(" PRIVATE KEY"):
        raise _KeyError(f"no private key data in PEM block of type {block_type}")
    if block_type not in ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY"):
        raise _KeyError(f"invalid private key type {block_type}")
    try:
        return _load_private_key(text[begin:].encode("ascii", errors="replace"))
    except (ValueError, TypeError) as err:
        kind = {
            "PRIVATE KEY": "decoding PEM as PKCS#8",
            "RSA PRIVATE KEY": "parsing RSA private key from PEM",
        }
        kind |= {
            "EC PRIVATE KEY": "parsing EC private key from PEM",
            "DSA PRIVATE KEY": "parsing DSA private key from PEM",
        }
        raise _KeyError(f"{kind[block_type]}: {err}") from None


# --- certificates -------------------------------------------------------------------------------------


def _ip_addresses(ips: list[Any] | None) -> list[Any]:
    result = []
    for ip in ips or []:
        if not isinstance(ip, str):
            raise GoFuncError(f"error parsing ip: {sprint(ip)} is not a string")
        try:
            result.append(ipaddress.ip_address(ip))
        except ValueError:
            raise GoFuncError(f"error parsing ip: {ip}") from None
    return result


def _dns_names(names: list[Any] | None) -> list[str]:
    result = []
    for name in names or []:
        if not isinstance(name, str):
            raise GoFuncError(f"error processing alternate dns name: {sprint(name)} is not a string")
        result.append(name)
    return result


def _signature_hash(signing_key: Any) -> Any:
    lib = libraries()

    return None if isinstance(signing_key, lib.ed25519.Ed25519PrivateKey) else lib.hashes.SHA256()


def _build_certificate(
    cn: str,
    ips: list[Any] | None,
    dns: list[Any] | None,
    days_valid: int,
    key: Any,
    is_ca: bool,
    issuer: Any = None,
    issuer_key: Any = None,
) -> Certificate:
    """getBaseCertTemplate + getCertAndKey."""
    lib = libraries()

    ip_list, dns_list = _ip_addresses(ips), _dns_names(dns)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    # Go accepts any validity; `cryptography` needs NotAfter >= NotBefore within datetime's range.
    not_after = now + timedelta(days=max(0, min(int(days_valid), 2_900_000)))
    # _validate=False: Go puts a CN of any length into the certificate; `cryptography` checks 1..64.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        cn_attribute = lib.x509.NameAttribute(lib.NameOID.COMMON_NAME, cn, _validate=False)
    subject = lib.x509.Name([cn_attribute]) if cn else lib.x509.Name([])
    public_key = key.public_key()
    builder = (
        lib.x509.CertificateBuilder()
        .serial_number(secrets.randbelow((1 << 128) - 1) + 1)
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer is not None else subject)
        .public_key(public_key)
        .not_valid_before(now)
        .not_valid_after(not_after)
        .add_extension(
            lib.x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            lib.x509.ExtendedKeyUsage(
                [lib.ExtendedKeyUsageOID.SERVER_AUTH, lib.ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(lib.x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if is_ca:
        builder = builder.add_extension(
            lib.x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False
        )
    if issuer is not None:
        try:
            issuer_ski = issuer.extensions.get_extension_for_class(lib.x509.SubjectKeyIdentifier).value
            builder = builder.add_extension(
                lib.x509.AuthorityKeyIdentifier(issuer_ski.digest, None, None), critical=False
            )
        except lib.x509.ExtensionNotFound:
            pass
    signing_key = issuer_key if issuer_key is not None else key
    try:
        if ip_list or dns_list:
            names: list[Any] = [lib.x509.DNSName(n) for n in dns_list]
            names += [lib.x509.IPAddress(ip) for ip in ip_list]
            # Go marks the SAN extension critical when the subject is empty (RFC 5280 4.2.1.6).
            builder = builder.add_extension(lib.x509.SubjectAlternativeName(names), critical=not cn)
        certificate = builder.sign(signing_key, _signature_hash(signing_key))
    except (ValueError, TypeError) as err:
        raise GoFuncError(f"error creating certificate: {err}") from None
    cert_pem = certificate.public_bytes(lib.serialization.Encoding.PEM).decode("ascii")
    return Certificate(cert_pem, _key_pem(key))


def _key_from_pem(text: str, prefix: str = "parsing private key") -> Any:
    try:
        return _parse_private_key_pem(text)
    except _KeyError as err:
        raise GoFuncError(f"{prefix}: {err}") from None


@register(FUNCS, "genCA", "string", "int", returns_error=True)
def gen_ca(cn: str, days_valid: int) -> Certificate:
    return _build_certificate(cn, None, None, days_valid, _generated_key("rsa", 2048), is_ca=True)


@register(FUNCS, "genCAWithKey", "string", "int", "string", returns_error=True)
def gen_ca_with_key(cn: str, days_valid: int, key_pem: str) -> Certificate:
    return _build_certificate(cn, None, None, days_valid, _key_from_pem(key_pem), is_ca=True)


@register(FUNCS, "genSelfSignedCert", "string", LIST, LIST, "int", returns_error=True)
def gen_self_signed_cert(cn: str, ips: list[Any], dns: list[Any], days_valid: int) -> Certificate:
    return _build_certificate(cn, ips, dns, days_valid, _generated_key("rsa", 2048), is_ca=False)


@register(FUNCS, "genSelfSignedCertWithKey", "string", LIST, LIST, "int", "string", returns_error=True)
def gen_self_signed_cert_with_key(
    cn: str, ips: list[Any], dns: list[Any], days_valid: int, key_pem: str
) -> Certificate:
    return _build_certificate(cn, ips, dns, days_valid, _key_from_pem(key_pem), is_ca=False)


def _signed(
    cn: str, ips: list[Any], dns: list[Any], days_valid: int, ca: Certificate, key: Any
) -> Certificate:
    lib = libraries()

    if "-----BEGIN " not in ca.cert:
        raise GoFuncError("unable to decode certificate")
    try:
        issuer = lib.x509.load_pem_x509_certificate(ca.cert.encode("ascii", errors="replace"))
    except ValueError as err:
        raise GoFuncError(f"error parsing certificate: decodedSignerCert.Bytes: {err}") from None
    issuer_key = _key_from_pem(ca.key, "error parsing private key")
    return _build_certificate(
        cn, ips, dns, days_valid, key, is_ca=False, issuer=issuer, issuer_key=issuer_key
    )


@register(FUNCS, "genSignedCert", "string", LIST, LIST, "int", CERT, returns_error=True)
def gen_signed_cert(cn: str, ips: list[Any], dns: list[Any], days_valid: int, ca: Certificate) -> Certificate:
    return _signed(cn, ips, dns, days_valid, ca, _generated_key("rsa", 2048))


@register(FUNCS, "genSignedCertWithKey", "string", LIST, LIST, "int", CERT, "string", returns_error=True)
def gen_signed_cert_with_key(
    cn: str, ips: list[Any], dns: list[Any], days_valid: int, ca: Certificate, key_pem: str
) -> Certificate:
    return _signed(cn, ips, dns, days_valid, ca, _key_from_pem(key_pem))


@register(FUNCS, "buildCustomCert", "string", "string", returns_error=True)
def build_custom_cert(b64_cert: str, b64_key: str) -> Certificate:
    lib = libraries()

    try:
        cert = base64.b64decode(b64_cert, validate=True)
    except (binascii.Error, ValueError):
        raise GoFuncError("unable to decode base64 certificate") from None
    try:
        key = base64.b64decode(b64_key, validate=True)
    except (binascii.Error, ValueError):
        raise GoFuncError("unable to decode base64 private key") from None
    cert_text = cert.decode("utf-8", errors="surrogateescape")
    key_text = key.decode("utf-8", errors="surrogateescape")
    if "-----BEGIN " not in cert_text:
        raise GoFuncError("unable to decode certificate")
    try:
        lib.x509.load_pem_x509_certificate(cert)
    except ValueError as err:
        raise GoFuncError(f"error parsing certificate: decodedCert.Bytes: {err}") from None
    _key_from_pem(key_text, "error parsing private key")
    return Certificate(cert_text, key_text)


# --- AES ------------------------------------------------------------------------------------------------


def _aes_key(password: str) -> bytes:
    return password.encode("utf-8")[:32].ljust(32, b"\0")


@register(FUNCS, "encryptAES", "string", "string", returns_error=True)
def encrypt_aes(password: str, plaintext: str) -> str:
    lib = libraries()

    if plaintext == "":
        return ""
    content = plaintext.encode("utf-8")
    padding = 16 - len(content) % 16
    content += bytes([padding]) * padding
    iv = secrets.token_bytes(16)
    encryptor = lib.Cipher(lib.algorithms.AES(_aes_key(password)), lib.modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(content) + encryptor.finalize()).decode("ascii")


@register(FUNCS, "decryptAES", "string", "string", returns_error=True)
def decrypt_aes(password: str, encoded: str) -> str:
    lib = libraries()

    if encoded == "":
        return ""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise GoFuncError("illegal base64 data") from None
    if len(data) < 16:
        raise GoPanic(f"runtime error: slice bounds out of range [:16] with capacity {len(data)}")
    iv, body = data[:16], data[16:]
    if len(body) % 16:
        raise GoPanic("crypto/cipher: input not full blocks")
    decryptor = lib.Cipher(lib.algorithms.AES(_aes_key(password)), lib.modes.CBC(iv)).decryptor()
    plain = decryptor.update(body) + decryptor.finalize()
    if not plain:
        raise GoPanic("runtime error: index out of range [-1]")
    cut = len(plain) - plain[-1]
    if cut < 0:
        raise GoPanic(f"runtime error: slice bounds out of range [:{cut}]")
    return plain[:cut].decode("utf-8", errors="surrogateescape")
