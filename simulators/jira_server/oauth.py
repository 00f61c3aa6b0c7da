"""OAuth 1.0a provider side, as Jira's Application Links plugin implements it.

Consumers are "incoming links": a consumer key plus an RSA public key, so RSA-SHA1 is
the only signature method accepted. Verification rebuilds the signature base string
from the request exactly as it arrived (Host header, context path, query and form
parameters; JSON bodies are not signed) and checks it with the consumer's public key.
Errors use the ``oauth_problem`` vocabulary and status codes Jira sends.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import string
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from oauthlib.oauth1.rfc5849 import signature as oauth_signature
from oauthlib.oauth1.rfc5849 import utils as oauth_utils

from .config import SimulatorConfig
from .wire import TEXT_TYPE, Request, Response

# Jira decides a request is OAuth-signed only when all of these are present.
REQUIRED_FOR_RESOURCE = (
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_signature",
    "oauth_timestamp",
    "oauth_nonce",
)
REQUIRED_FOR_REQUEST_TOKEN = tuple(p for p in REQUIRED_FOR_RESOURCE if p != "oauth_token")

PROBLEM_STATUS = {
    "version_rejected": 400,
    "parameter_absent": 400,
    "parameter_rejected": 400,
    "timestamp_refused": 400,
    "signature_method_rejected": 400,
    "nonce_used": 401,
    "signature_invalid": 401,
    "consumer_key_unknown": 401,
    "token_rejected": 401,
    "token_expired": 401,
    "token_used": 401,
    "permission_unknown": 401,
    "permission_denied": 401,
    "consumer_key_refused": 503,
    "user_refused": 503,
}

TOKEN_ALPHABET = string.ascii_letters + string.digits


class OAuthProblem(Exception):
    def __init__(self, problem: str, extra: list[tuple[str, str]] | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.extra = extra or []

    @property
    def status(self) -> int:
        return PROBLEM_STATUS[self.problem]

    def response(self, realm_url: str) -> Response:
        params = [("oauth_problem", self.problem), *self.extra]
        challenge = ", ".join(
            [f'OAuth realm="{quote(realm_url, safe="")}"']
            + [f'{k}="{oauth_utils.escape(v)}"' for k, v in params]
        )
        body = urlencode(params, quote_via=quote, safe="").encode("ascii")
        return Response(self.status, body, TEXT_TYPE, [("WWW-Authenticate", challenge)])


@dataclass
class Consumer:
    key: str
    name: str
    public_key: rsa.RSAPublicKey
    public_key_pem: str


@dataclass
class OAuthToken:
    token: str
    secret: str
    kind: str  # "request" or "access"
    consumer_key: str
    created: float
    expires: float
    callback: str | None = None
    verifier: str | None = None
    # request tokens: pending -> approved|denied -> used
    state: str = "pending"
    user_name: str | None = None
    session_handle: str | None = None


def load_public_key(pem: str) -> rsa.RSAPublicKey:
    """Accept what an Application Link admin pastes: a public key or a certificate."""
    data = pem.strip().encode("ascii")
    key: object
    if b"BEGIN CERTIFICATE" in data:
        key = x509.load_pem_x509_certificate(data).public_key()
    else:
        key = serialization.load_pem_public_key(data)
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("an Application Link consumer needs an RSA public key")
    return key


def base_string_uri(scheme: str, host: str, path: str) -> str:
    """RFC 5849 3.4.1.2: scheme and host lower-case, default port dropped, no query."""
    uri = f"{scheme}://{host}{path}"
    result: str = oauth_signature.base_string_uri(uri)
    return result


def signature_base_string(method: str, uri: str, params: list[tuple[str, str]]) -> str:
    """Base string from already-decoded parameters (oauth_signature and realm excluded)."""
    signed = [(k, v) for k, v in params if k not in ("oauth_signature", "realm")]
    normalized = oauth_signature.normalize_parameters(signed)
    result: str = oauth_signature.signature_base_string(method, uri, normalized)
    return result


def verify_rsa_sha1(public_key: rsa.RSAPublicKey, base_string: str, signature_b64: str) -> bool:
    """The actual cryptographic check: PKCS#1 v1.5 with SHA-1 over the base string."""
    try:
        raw = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        public_key.verify(raw, base_string.encode("utf-8"), padding.PKCS1v15(), hashes.SHA1())
    except InvalidSignature:
        return False
    return True


def request_parameters(request: Request) -> list[tuple[str, str]]:
    """All parameters that take part in the signature: header, query and form body."""
    params: list[tuple[str, str]] = []
    auth = request.headers.get("Authorization", "")
    if auth[:6].lower() == "oauth ":
        try:
            header_params = oauth_utils.parse_authorization_header(auth)
        except ValueError as exc:
            raise OAuthProblem("parameter_rejected") from exc
        params.extend((k, oauth_utils.unescape(v)) for k, v in header_params if k != "realm")
    params.extend(parse_qsl(request.query_string, keep_blank_values=True))
    params.extend(request.form())
    return params


def has_oauth_parameters(request: Request) -> bool:
    try:
        names = {k for k, _ in request_parameters(request)}
    except OAuthProblem:
        return request.headers.get("Authorization", "")[:6].lower() == "oauth "
    return all(p in names for p in REQUIRED_FOR_RESOURCE)


def new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(32))


class OAuthProvider:
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.consumers: dict[str, Consumer] = {}
        self.tokens: dict[str, OAuthToken] = {}
        self._nonces: dict[tuple[str, str, str, str], float] = {}
        # Replaceable so tests can move the provider's clock.
        self.clock = time.time

    # -- administration ------------------------------------------------------

    def add_consumer(self, key: str, public_key_pem: str, name: str = "issuebridge") -> Consumer:
        consumer = Consumer(key, name, load_public_key(public_key_pem), public_key_pem)
        with self.lock:
            self.consumers[key] = consumer
        return consumer

    def remove_consumer(self, key: str) -> bool:
        with self.lock:
            removed = self.consumers.pop(key, None) is not None
            # Deleting the link invalidates every token issued to it.
            for token in [t for t in self.tokens.values() if t.consumer_key == key]:
                del self.tokens[token.token]
            return removed

    # -- verification ----------------------------------------------------------------

    def verify(
        self, request: Request, required: tuple[str, ...]
    ) -> tuple[Consumer, OAuthToken | None, dict[str, str]]:
        """Check a signed request in the order Jira's validator does; raise OAuthProblem."""
        params = request_parameters(request)
        oauth = {k: v for k, v in params if k.startswith("oauth_")}
        absent = [p for p in required if not oauth.get(p)]
        if absent:
            raise OAuthProblem("parameter_absent", [("oauth_parameters_absent", "&".join(absent))])
        version = oauth.get("oauth_version")
        if version is not None and version != "1.0":
            raise OAuthProblem("version_rejected", [("oauth_acceptable_versions", "1.0-1.0")])
        with self.lock:
            consumer = self.consumers.get(oauth["oauth_consumer_key"])
        if consumer is None:
            raise OAuthProblem("consumer_key_unknown")
        if oauth["oauth_signature_method"] != "RSA-SHA1":
            raise OAuthProblem(
                "signature_method_rejected", [("oauth_acceptable_signature_methods", "RSA-SHA1")]
            )
        token = self._check_token(oauth, consumer) if "oauth_token" in required else None
        self._check_timestamp_and_nonce(oauth)
        uri = base_string_uri(request.scheme, request.host, request.full_path)
        base = signature_base_string(request.method, uri, params)
        if not verify_rsa_sha1(consumer.public_key, base, oauth["oauth_signature"]):
            raise OAuthProblem(
                "signature_invalid",
                [
                    ("oauth_signature", oauth["oauth_signature"]),
                    ("oauth_signature_base_string", base),
                    ("oauth_signature_method", "RSA-SHA1"),
                ],
            )
        return consumer, token, oauth

    def _check_token(self, oauth: dict[str, str], consumer: Consumer) -> OAuthToken:
        with self.lock:
            token = self.tokens.get(oauth["oauth_token"])
        if token is None or token.consumer_key != consumer.key:
            raise OAuthProblem("token_rejected")
        if self.clock() > token.expires:
            raise OAuthProblem("token_expired")
        return token

    def _check_timestamp_and_nonce(self, oauth: dict[str, str]) -> None:
        now = int(self.clock())
        window = self.config.timestamp_window_seconds
        try:
            stamp = int(oauth["oauth_timestamp"])
        except ValueError:
            stamp = -1
        if abs(stamp - now) > window:
            raise OAuthProblem(
                "timestamp_refused",
                [("oauth_acceptable_timestamps", f"{now - window}-{now + window}")],
            )
        nonce_key = (
            oauth["oauth_consumer_key"],
            oauth.get("oauth_token", ""),
            oauth["oauth_timestamp"],
            oauth["oauth_nonce"],
        )
        with self.lock:
            horizon = now - 2 * window
            for stale in [k for k, seen in self._nonces.items() if seen < horizon]:
                del self._nonces[stale]
            if nonce_key in self._nonces:
                raise OAuthProblem("nonce_used")
            self._nonces[nonce_key] = now

    # -- the three endpoints -----------------------------------------------------------

    def request_token(self, request: Request) -> Response:
        consumer, _, oauth = self.verify(request, REQUIRED_FOR_REQUEST_TOKEN)
        callback = oauth.get("oauth_callback")
        if callback is not None and callback != "oob":
            parts = urlsplit(callback)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise OAuthProblem(
                    "parameter_rejected", [("oauth_parameters_rejected", "oauth_callback")]
                )
        now = self.clock()
        token = OAuthToken(
            token=new_token(),
            secret=new_token(),
            kind="request",
            consumer_key=consumer.key,
            created=now,
            expires=now + self.config.request_token_ttl_seconds,
            callback=callback,
        )
        with self.lock:
            self.tokens[token.token] = token
        return _form_response(
            [
                ("oauth_token", token.token),
                ("oauth_token_secret", token.secret),
                ("oauth_callback_confirmed", "true"),
            ]
        )

    def access_token(self, request: Request) -> Response:
        consumer, token, oauth = self.verify(request, REQUIRED_FOR_RESOURCE)
        assert token is not None
        with self.lock:
            if token.kind != "request":
                raise OAuthProblem("token_rejected")
            if token.state == "used":
                raise OAuthProblem("token_used")
            if token.state == "pending":
                raise OAuthProblem("permission_unknown")
            if token.state == "denied":
                raise OAuthProblem("permission_denied")
            verifier = oauth.get("oauth_verifier")
            if not verifier:
                raise OAuthProblem(
                    "parameter_absent", [("oauth_parameters_absent", "oauth_verifier")]
                )
            if verifier != token.verifier:
                raise OAuthProblem("token_rejected")
            token.state = "used"
            now = self.clock()
            access = OAuthToken(
                token=new_token(),
                secret=new_token(),
                kind="access",
                consumer_key=consumer.key,
                created=now,
                expires=now + self.config.access_token_ttl_seconds,
                state="approved",
                user_name=token.user_name,
                session_handle=new_token(),
            )
            self.tokens[access.token] = access
        return _form_response(
            [
                ("oauth_token", access.token),
                ("oauth_token_secret", access.secret),
                ("oauth_expires_in", "157680000"),
                ("oauth_session_handle", access.session_handle or ""),
                ("oauth_authorization_expires_in", "160272000"),
            ]
        )

    def authenticate_resource(self, request: Request) -> str:
        """Verify a signed REST request; return the name of the user who approved it."""
        _, token, _ = self.verify(request, REQUIRED_FOR_RESOURCE)
        assert token is not None
        if token.kind != "access" or token.user_name is None:
            raise OAuthProblem("token_rejected")
        return token.user_name

    # -- authorization (driven by the HTML page) ------------------------------------------

    def pending_request_token(self, token_value: str) -> OAuthToken:
        with self.lock:
            token = self.tokens.get(token_value)
        if token is None or token.kind != "request":
            raise OAuthProblem("token_rejected")
        if self.clock() > token.expires:
            raise OAuthProblem("token_expired")
        if token.state != "pending":
            raise OAuthProblem("token_used")
        return token

    def approve(self, token: OAuthToken, user_name: str) -> str:
        with self.lock:
            token.state = "approved"
            token.user_name = user_name
            token.verifier = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(6))
            return token.verifier

    def deny(self, token: OAuthToken) -> None:
        with self.lock:
            token.state = "denied"
            token.verifier = "denied"


def _form_response(params: list[tuple[str, str]]) -> Response:
    return Response(200, urlencode(params, quote_via=quote).encode("ascii"), TEXT_TYPE)


def callback_url(callback: str, token: str, verifier: str) -> str:
    joiner = "&" if urlsplit(callback).query else "?"
    return f"{callback}{joiner}{urlencode([('oauth_token', token), ('oauth_verifier', verifier)])}"
