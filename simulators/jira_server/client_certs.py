"""Client-certificate mode: the server demands a certificate from every TLS client
(``ssl.CERT_REQUIRED``) and accepts those a client CA of its own has issued, as a
company gateway in front of Jira does.

`ClientCertificates.issue` makes certificates for tests: the key in the certificate's
file or a file of its own, plain or encrypted (PKCS#8 with a passphrase); `stranger`
makes one from another CA, which the server refuses.
"""

from __future__ import annotations

import contextlib
import os
import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from .tls import CertificateAuthority


@dataclass
class ClientCertificate:
    cert_path: Path
    # None: the key is in the certificate's file.
    key_path: Path | None
    common_name: str


@dataclass
class ClientCertificates:
    directory: Path
    ca_path: Path
    _ca: CertificateAuthority
    _issued: list[Path] = field(default_factory=list)

    def require(self, context: ssl.SSLContext) -> None:
        """Make a server context demand a client certificate from this CA."""
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=self.ca_path)

    def issue(
        self,
        common_name: str = "alice",
        *,
        separate_key: bool = False,
        passphrase: str | None = None,
    ) -> ClientCertificate:
        """A certificate for `common_name` from the client CA. The key goes in the
        certificate's file unless `separate_key`; encrypted when `passphrase` is given."""
        return self._issue(self._ca, common_name, separate_key, passphrase)

    def stranger(self, common_name: str = "mallory") -> ClientCertificate:
        """A certificate from a CA this server does not trust."""
        return self._issue(CertificateAuthority.create("another CA"), common_name, False, None)

    def _issue(
        self, ca: CertificateAuthority, common_name: str, separate_key: bool, passphrase: str | None
    ) -> ClientCertificate:
        cert, key = ca.issue(common_name, client=True)
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase
            else serialization.NoEncryption()
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        stem = self.directory / f"{common_name}-{len(self._issued)}"
        cert_path = stem.with_suffix(".pem")
        if separate_key:
            key_path: Path | None = stem.with_name(stem.name + "-key.pem")
            assert key_path is not None
            _write_private(key_path, key_pem)
            cert_path.write_bytes(cert_pem)
            self._issued += [cert_path, key_path]
        else:
            key_path = None
            _write_private(cert_path, cert_pem + key_pem)
            self._issued.append(cert_path)
        return ClientCertificate(cert_path, key_path, common_name)

    def cleanup(self) -> None:
        for path in [*self._issued, self.ca_path]:
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.directory.rmdir()


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def generate() -> ClientCertificates:
    ca = CertificateAuthority.create("issuebridge simulator client CA")
    directory = Path(tempfile.mkdtemp(prefix="issuebridge-sim-clients-"))
    ca_path = directory / "client-ca.pem"
    ca_path.write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))
    return ClientCertificates(directory, ca_path, ca)


def peer_common_name(sock: object) -> str | None:
    """The common name of the verified client certificate on a server socket."""
    if not isinstance(sock, ssl.SSLSocket):
        return None
    peer = sock.getpeercert()
    for rdn in (peer or {}).get("subject", ()):
        for attribute in rdn:
            if attribute[0] == "commonName":
                return str(attribute[1])
    return None
