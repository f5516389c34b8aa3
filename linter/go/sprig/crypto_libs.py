"""The libraries behind Sprig's crypto functions, `cryptography` (keys, certificates, AES) and
`bcrypt`, imported here and nowhere else. `chartfix.go.sprig.crypto.libraries()` loads this module
when a template first needs one of them: about 60 ms of CPU that most lints never spend
(docs/architecture.md)."""

from __future__ import annotations

import bcrypt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "Cipher",
    "ExtendedKeyUsageOID",
    "NameOID",
    "algorithms",
    "bcrypt",
    "dsa",
    "ec",
    "ed25519",
    "hashes",
    "modes",
    "rsa",
    "serialization",
    "x509",
]
