"""The demo PKI of the training mode and the tests, with its TSA, OCSP and CRL services on 127.0.0.1.

Layout of a PKI directory:
    pki.json                    base URL of the services the certificates point at
    ca/<name>.key.pem|.cert.pem root, intermediate, tsa, ocsp
    users/<name>.key.pem|.cert.pem|.p12   end entities (PKCS#12 passphrase "123456")

The certificates embed the services' URLs (CRL distribution point, OCSP and CA issuers), and the
services (`demo_pki_services`) listen on a port the OS picks. `services()` binds first, then
re-issues every certificate below the root (keys and root kept) when the port differs from the
one they were issued for, so the URLs in the certificates always match where they listen.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from app.fileio import atomic_write_bytes
from app.sandbox import demo_pki_urls
from app.sandbox.demo_pki_services import DemoServices

if TYPE_CHECKING:
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from app.sandbox.serving import BackgroundServer

P12_PASSPHRASE = "123456"
TSA_USERNAME = "lienthong"
TSA_PASSWORD = "matkhau-tsa"
ORGANIZATION = "Sở Thông tin và Truyền thông tỉnh Bình Định"
UNBOUND_BASE_URL = "http://127.0.0.1:0"
_FORMAT = demo_pki_urls.FORMAT
# Two threads of one sandbox may want its PKI at once (the PKI services and the seeding, which
# signs the seeded drafts): one generates it, the other then loads the same keys.
_CREATING: dict[Path, threading.Lock] = {}
_CREATING_GUARD = threading.Lock()


@dataclass(frozen=True)
class Person:
    full_name: str
    title: str
    email: str
    organization: str = ORGANIZATION


# Good end entities first, then the broken ones the tests need.
PEOPLE: dict[str, Person] = {
    "leader": Person("Lê Văn Tuấn", "Giám đốc", "tuanlv@stttt.binhdinh.gov.vn"),
    "specialist": Person("Nguyễn Thị Hoa", "Chuyên viên", "hoant@stttt.binhdinh.gov.vn"),
    "clerk": Person("Phạm Thị Mai", "Văn thư", "maipt@stttt.binhdinh.gov.vn"),
    "seal": Person(ORGANIZATION, "", "stttt@binhdinh.gov.vn"),
    "expired": Person("Trần Văn Bình", "Phó Giám đốc", "binhtv@stttt.binhdinh.gov.vn"),
    "not_yet_valid": Person("Võ Thị Lan", "Trưởng phòng", "lanvt@stttt.binhdinh.gov.vn"),
    "no_sign_usage": Person("Đặng Văn Khoa", "Chuyên viên", "khoadv@stttt.binhdinh.gov.vn"),
    "revoked": Person("Huỳnh Văn Nam", "Phó Giám đốc", "namhv@stttt.binhdinh.gov.vn"),
}
REVOKED = frozenset({"revoked"})


@dataclass(frozen=True)
class DemoUser:
    name: str
    person: Person
    cert_path: Path
    key_path: Path
    p12_path: Path
    cert: asn1_x509.Certificate
    x509: x509.Certificate

    @property
    def passphrase(self) -> str:
        return P12_PASSPHRASE


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _person_name(p: Person) -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Bình Định"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "Quy Nhơn"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, p.organization),
    ]
    if p.title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, p.title))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, p.full_name))
    attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, p.email))
    return x509.Name(attrs)


def _ca_name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "LienThong Demo"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


class DemoPki:
    """A two-level demo CA with its end entities, loaded from or written to `directory`."""

    tsa_username = TSA_USERNAME
    tsa_password = TSA_PASSWORD

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.base_url = UNBOUND_BASE_URL
        self._keys: dict[str, rsa.RSAPrivateKey] = {}
        self._certs: dict[str, x509.Certificate] = {}
        self._issued_at: datetime = _now()
        self._lock = threading.RLock()
        self._running: DemoServices | None = None  # the services of this PKI, while they run

    # ---- creation and persistence -------------------------------------------------------

    @classmethod
    def create(cls, directory: Path, base_url: str = UNBOUND_BASE_URL) -> "DemoPki":
        """Load the PKI in `directory`, or generate it there when absent."""
        pki = cls(directory)
        with _CREATING_GUARD:
            lock = _CREATING.setdefault(pki.directory.resolve(), threading.Lock())
        with lock:
            state = pki.directory / "pki.json"
            if state.exists() and json.loads(state.read_text("utf-8")).get("format") == _FORMAT:
                pki._load()
            else:
                pki._generate(base_url)
        return pki

    @staticmethod
    def recorded_base_url(directory: Path) -> str | None:
        """The services' address the PKI in `directory` was issued for, if there is one."""
        return demo_pki_urls.recorded_base_url(directory)

    def _ca_path(self, name: str, kind: str) -> Path:
        return self.directory / "ca" / f"{name}.{kind}.pem"

    def _user_path(self, name: str, suffix: str) -> Path:
        return self.directory / "users" / f"{name}{suffix}"

    def _key_path(self, name: str) -> Path:
        return self._user_path(name, ".key.pem") if name in PEOPLE else self._ca_path(name, "key")

    def _cert_path(self, name: str) -> Path:
        return self._user_path(name, ".cert.pem") if name in PEOPLE else self._ca_path(name, "cert")

    def _load(self) -> None:
        data = json.loads((self.directory / "pki.json").read_text("utf-8"))
        self.base_url = data["base_url"]
        self._issued_at = datetime.fromisoformat(data["issued_at"])
        for name in ("root", "intermediate", "tsa", "ocsp", *PEOPLE):
            # Our own demo keys: skipping the RSA consistency check loads all 12 in ~1 ms, not ~0.3 s.
            key = serialization.load_pem_private_key(
                self._key_path(name).read_bytes(), password=None, unsafe_skip_rsa_key_validation=True
            )
            if not isinstance(key, rsa.RSAPrivateKey):
                raise ValueError(f"{self._key_path(name)}: not an RSA key")
            self._keys[name] = key
            self._certs[name] = x509.load_pem_x509_certificate(self._cert_path(name).read_bytes())

    def _generate(self, base_url: str) -> None:
        for name in ("root", "intermediate", "tsa", "ocsp", *PEOPLE):
            self._keys[name] = _new_key()
        now = _now()
        root_key = self._keys["root"]
        root = (
            x509.CertificateBuilder()
            .subject_name(_ca_name("LienThong Demo Root CA"))
            .issuer_name(_ca_name("LienThong Demo Root CA"))
            .public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365 * 20))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
            )
            .sign(root_key, hashes.SHA256())
        )
        self._certs["root"] = root
        atomic_write_bytes(self._cert_path("root"), _cert_pem(root))
        for name in self._keys:
            atomic_write_bytes(self._key_path(name), _key_pem(self._keys[name]))
        self.reissue(base_url)

    # ---- issuing ----------------------------------------------------------------------------

    def reissue(self, base_url: str) -> None:
        """Issue every certificate below the root again, pointing at services under `base_url`."""
        with self._lock:
            self.base_url = base_url.rstrip("/")
            now = self._issued_at = _now()
            self._certs["intermediate"] = self._issue_intermediate(now)
            self._certs["tsa"] = self._issue_service("tsa", now)
            self._certs["ocsp"] = self._issue_service("ocsp", now)
            for name in PEOPLE:
                self._certs[name] = self._issue_person(name, now)
            for name in ("intermediate", "tsa", "ocsp"):
                atomic_write_bytes(self._cert_path(name), _cert_pem(self._certs[name]))
            chain = [self._certs["intermediate"], self._certs["root"]]
            for name in PEOPLE:
                atomic_write_bytes(self._cert_path(name), _cert_pem(self._certs[name]))
                p12 = pkcs12.serialize_key_and_certificates(
                    name.encode(),
                    self._keys[name],
                    self._certs[name],
                    chain,
                    serialization.BestAvailableEncryption(P12_PASSPHRASE.encode()),
                )
                atomic_write_bytes(self._user_path(name, ".p12"), p12)
            state = {"format": _FORMAT, "base_url": self.base_url, "issued_at": now.isoformat()}
            atomic_write_bytes(self.directory / "pki.json", json.dumps(state, indent=2).encode())

    def _builder(self, subject: x509.Name, key, issuer: str, start: datetime, end: datetime):
        issuer_cert = self._certs[issuer]
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._keys[issuer].public_key()),
                critical=False,
            )
        )

    def _pointers(self, builder, issuer: str, with_ocsp: bool):
        """CRL distribution point, CA issuers and (for end entities) OCSP, under base_url."""
        uri = x509.UniformResourceIdentifier
        crl = x509.DistributionPoint([uri(f"{self.base_url}/crl/{issuer}.crl")], None, None, None)
        aia = AuthorityInformationAccessOID
        access = [x509.AccessDescription(aia.CA_ISSUERS, uri(f"{self.base_url}/certs/{issuer}.cer"))]
        if with_ocsp:
            access.insert(0, x509.AccessDescription(aia.OCSP, uri(f"{self.base_url}/ocsp")))
        builder = builder.add_extension(x509.CRLDistributionPoints([crl]), critical=False)
        return builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)

    def _issue_intermediate(self, now: datetime) -> x509.Certificate:
        key = self._keys["intermediate"]
        start, end = now - timedelta(days=1), now + timedelta(days=365 * 10)
        b = self._builder(_ca_name("LienThong Demo CA"), key, "root", start, end)
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        b = b.add_extension(_ca_usage(), critical=True)
        b = self._pointers(b, "root", with_ocsp=False)
        return b.sign(self._keys["root"], hashes.SHA256())

    def _issue_service(self, name: str, now: datetime) -> x509.Certificate:
        key = self._keys[name]
        cn = {"tsa": "LienThong Demo TSA", "ocsp": "LienThong Demo OCSP Responder"}[name]
        start, end = now - timedelta(days=1), now + timedelta(days=365 * 5)
        b = self._builder(_ca_name(cn), key, "intermediate", start, end)
        b = b.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        usage = _usage(digital_signature=True, content_commitment=name == "tsa")
        b = b.add_extension(usage, critical=True)
        eku = x509.ExtendedKeyUsage
        if name == "tsa":
            b = b.add_extension(eku([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            b = self._pointers(b, "intermediate", with_ocsp=True)
        else:
            b = b.add_extension(eku([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
            b = b.add_extension(x509.OCSPNoCheck(), critical=False)
        return b.sign(self._keys["intermediate"], hashes.SHA256())

    def _issue_person(self, name: str, now: datetime) -> x509.Certificate:
        person = PEOPLE[name]
        start, end = now - timedelta(days=1), now + timedelta(days=730)
        if name == "expired":
            start, end = now - timedelta(days=400), now - timedelta(days=30)
        elif name == "not_yet_valid":
            start, end = now + timedelta(days=30), now + timedelta(days=760)
        key = self._keys[name]
        b = self._builder(_person_name(person), key, "intermediate", start, end)
        b = b.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        if name == "no_sign_usage":
            b = b.add_extension(_usage(key_encipherment=True), critical=True)
        else:
            b = b.add_extension(_usage(digital_signature=True, content_commitment=True), critical=True)
        b = b.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(person.email)]), critical=False)
        b = self._pointers(b, "intermediate", with_ocsp=True)
        return b.sign(self._keys["intermediate"], hashes.SHA256())

    # ---- public view ------------------------------------------------------------------------

    @property
    def root_cert_path(self) -> Path:
        return self._cert_path("root")

    @property
    def intermediate_cert_path(self) -> Path:
        return self._cert_path("intermediate")

    @property
    def tsa_cert_path(self) -> Path:
        return self._cert_path("tsa")

    @property
    def tsa_url(self) -> str:
        return demo_pki_urls.tsa_url(self.base_url)

    @property
    def tsa_auth_url(self) -> str:
        """A TSA endpoint that requires HTTP basic auth (TSA_USERNAME / TSA_PASSWORD)."""
        return f"{self.base_url}/tsa-auth"

    @property
    def ocsp_url(self) -> str:
        return demo_pki_urls.ocsp_url(self.base_url)

    @property
    def crl_url(self) -> str:
        """The CRL of the intermediate CA, which issues every end entity."""
        return demo_pki_urls.crl_url(self.base_url)

    @property
    def root_crl_url(self) -> str:
        return f"{self.base_url}/crl/root.crl"

    @property
    def user_names(self) -> tuple[str, ...]:
        return tuple(PEOPLE)

    def cert(self, name: str) -> asn1_x509.Certificate:
        """Any certificate of the PKI ("root", "intermediate", "tsa", "ocsp" or a user) as asn1crypto."""
        with self._lock:
            return _to_asn1(self._certs[name])

    @property
    def root_cert(self) -> asn1_x509.Certificate:
        return self.cert("root")

    @property
    def intermediate_cert(self) -> asn1_x509.Certificate:
        return self.cert("intermediate")

    def user(self, name: str) -> DemoUser:
        if name not in PEOPLE:
            raise KeyError(f"unknown demo user {name!r}; known: {', '.join(PEOPLE)}")
        with self._lock:
            return DemoUser(
                name=name,
                person=PEOPLE[name],
                cert_path=self._cert_path(name),
                key_path=self._key_path(name),
                p12_path=self._user_path(name, ".p12"),
                cert=_to_asn1(self._certs[name]),
                x509=self._certs[name],
            )

    def private_key(self, name: str):
        """A user's private key, for the sandbox remote-signing service that holds it."""
        if name not in PEOPLE:
            raise KeyError(f"unknown demo user {name!r}")
        with self._lock:
            return self._keys[name]

    def issue_ec(self, person: str, name: str) -> tuple[bytes, x509.Certificate]:
        """A new ECDSA P-256 key pair for `person`'s identity (PEM PKCS#8 key, certificate), known
        to the OCSP responder as `name` while this PKI object lives: the tests' EC token key."""
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1())
        with self._lock:
            start, end = _now() - timedelta(days=1), _now() + timedelta(days=730)
            b = self._builder(_person_name(PEOPLE[person]), key, "intermediate", start, end)
            b = b.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            b = b.add_extension(_usage(digital_signature=True, content_commitment=True), critical=True)
            b = self._pointers(b, "intermediate", with_ocsp=True)
            cert = b.sign(self._keys["intermediate"], hashes.SHA256())
            self._certs[name] = cert
        return _key_pem(key), cert

    def timestamper_backend(self) -> DummyTimeStamper:
        """The in-process RFC 3161 engine the TSA endpoint answers with."""
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        with self._lock:
            return DummyTimeStamper(
                tsa_cert=self.cert("tsa"),
                tsa_key=asn1_keys.PrivateKeyInfo.load(
                    self._keys["tsa"].private_bytes(
                        serialization.Encoding.DER,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    )
                ),
                certs_to_embed=SimpleCertificateStore.from_certs([self.cert("intermediate"), self.cert("root")]),
            )

    # ---- revocation -------------------------------------------------------------------------

    def crl(self, issuer: str) -> bytes:
        """A fresh DER CRL of `issuer` ("root" or "intermediate")."""
        with self._lock:
            now = _now()
            b = (
                x509.CertificateRevocationListBuilder()
                .issuer_name(self._certs[issuer].subject)
                .last_update(now - timedelta(minutes=1))
                .next_update(now + timedelta(days=7))
                .add_extension(x509.CRLNumber(int(time.time())), critical=False)
                .add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(self._keys[issuer].public_key()),
                    critical=False,
                )
            )
            if issuer == "intermediate":
                for name in REVOKED:
                    b = b.add_revoked_certificate(
                        x509.RevokedCertificateBuilder()
                        .serial_number(self._certs[name].serial_number)
                        .revocation_date(self._issued_at)
                        .build()
                    )
            return b.sign(self._keys[issuer], hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp_response(self, request_der: bytes) -> bytes:
        """Answer an OCSP request about a certificate the intermediate CA issued."""
        try:
            req = ocsp.load_der_ocsp_request(request_der)
        except ValueError:
            return _ocsp_failure(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        with self._lock:
            issuer = self._certs["intermediate"]
            subject = next(
                (
                    (name, c)
                    for name, c in self._certs.items()
                    if c.serial_number == req.serial_number and c.issuer == issuer.subject
                ),
                None,
            )
            if subject is None:
                return _ocsp_failure(ocsp.OCSPResponseStatus.UNAUTHORIZED)
            name, cert = subject
            now = _now()
            revoked = name in REVOKED
            b = ocsp.OCSPResponseBuilder().add_response(
                cert=cert,
                issuer=issuer,
                algorithm=req.hash_algorithm,
                cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
                this_update=now - timedelta(minutes=1),
                next_update=now + timedelta(hours=12),
                revocation_time=self._issued_at if revoked else None,
                revocation_reason=None,
            )
            b = b.responder_id(ocsp.OCSPResponderEncoding.HASH, self._certs["ocsp"])
            b = b.certificates([self._certs["ocsp"]])
            for ext in req.extensions:
                if isinstance(ext.value, x509.OCSPNonce):
                    b = b.add_extension(ext.value, critical=False)
            return b.sign(self._keys["ocsp"], hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    # ---- services ---------------------------------------------------------------------------

    def services(self, port: int = 0, server: BackgroundServer | None = None) -> DemoServices:
        """Start (or return the running) TSA/OCSP/CRL server on 127.0.0.1 for this PKI, on
        `port` (0: any free one) or on `server`, bound already; OSError when the port is busy."""
        with self._lock:
            if self._running is None or not self._running.running:
                self._running = DemoServices(self, port, server=server)
            return self._running

    def services_stopped(self, services: DemoServices) -> None:
        """Called by `services` when they stop: the next `services()` starts new ones."""
        with self._lock:
            if self._running is services:
                self._running = None


def _usage(**chosen: bool) -> x509.KeyUsage:
    names = (
        "digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
        "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only",
    )
    return x509.KeyUsage(**{name: chosen.get(name, False) for name in names})


def _ocsp_failure(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def _ca_usage() -> x509.KeyUsage:
    return _usage(digital_signature=True, key_cert_sign=True, crl_sign=True)
