"""The simulator's OAuth verifier against a signature made independently of it.

Vector: the RSA-SHA1 case of the OAuth 1.0 test cases (wiki.oauth.net/TestCases,
section 9.3), as reproduced in many OAuth libraries' test suites: consumer key
dpf43f3p2l4k3l03, GET http://photos.example.net/photos?file=vacaction.jpg&size=original
("vacaction" is the published spelling), timestamp 1196666512, nonce
13917289812797014437. Only the public half of the published key pair is used here.
"""

from __future__ import annotations

import pytest

from simulators.jira_server.config import SimulatorConfig
from simulators.jira_server.oauth import (
    REQUIRED_FOR_REQUEST_TOKEN,
    OAuthProblem,
    OAuthProvider,
    base_string_uri,
    load_public_key,
    signature_base_string,
    verify_rsa_sha1,
)
from simulators.jira_server.wire import Headers, Request

CERTIFICATE = """-----BEGIN CERTIFICATE-----
MIIBpjCCAQ+gAwIBAgIBATANBgkqhkiG9w0BAQUFADAZMRcwFQYDVQQDDA5UZXN0
IFByaW5jaXBhbDAeFw03MDAxMDEwODAwMDBaFw0zODEyMzEwODAwMDBaMBkxFzAV
BgNVBAMMDlRlc3QgUHJpbmNpcGFsMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKB
gQC0YjCwIfYoprq/FQO6lb3asXrxLlJFuCvtinTF5p0GxvQGu5O3gYytUvtC2JlY
zypSRjVxwxrsuRcP3e641SdASwfrmzyvIgP08N4S0IFzEURkV1wp/IpH7kH41Etb
mUmrXSwfNZsnQRE5SYSOhh+LcK2wyQkdgcMv11l4KoBkcwIDAQABMA0GCSqGSIb3
DQEBBQUAA4GBAGZLPEuJ5SiJ2ryq+CmEGOXfvlTtEL2nuGtr9PewxkgnOjZpUy+d
4TvuXJbNQc8f4AMWL/tO9w0Fk80rWKp9ea8/df4qMq5qlFWlx6yOLQxumNOmECKb
WpkUQDIDJEoFUzKMVuJf4KO/FJ345+BNLGgbJ6WujreoM1X/gYfdnJ/J
-----END CERTIFICATE-----"""

PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC0YjCwIfYoprq/FQO6lb3asXrx
LlJFuCvtinTF5p0GxvQGu5O3gYytUvtC2JlYzypSRjVxwxrsuRcP3e641SdASwfr
mzyvIgP08N4S0IFzEURkV1wp/IpH7kH41EtbmUmrXSwfNZsnQRE5SYSOhh+LcK2w
yQkdgcMv11l4KoBkcwIDAQAB
-----END PUBLIC KEY-----"""

BASE_STRING = (
    "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacaction.jpg%26oauth_consumer_key"
    "%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D13917289812797014437%26oauth_signature_method%3DRSA-SHA1"
    "%26oauth_timestamp%3D1196666512%26oauth_version%3D1.0%26size%3Doriginal"
)
SIGNATURE = (
    "jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg"
    "5T1LVTGliMRpKasKsW//e+RinhejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE="
)
OAUTH_PARAMS = [
    ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
    ("oauth_nonce", "13917289812797014437"),
    ("oauth_signature_method", "RSA-SHA1"),
    ("oauth_timestamp", "1196666512"),
    ("oauth_version", "1.0"),
]


def test_base_string_matches_published_one() -> None:
    params = [
        ("file", "vacaction.jpg"),
        ("size", "original"),
        *OAUTH_PARAMS,
        ("oauth_signature", SIGNATURE),
    ]
    uri = base_string_uri("http", "photos.example.net:80", "/photos")
    assert uri == "http://photos.example.net/photos"
    assert signature_base_string("GET", uri, params) == BASE_STRING


@pytest.mark.parametrize("pem", [PUBLIC_KEY, CERTIFICATE], ids=["public-key", "certificate"])
def test_published_signature_verifies(pem: str) -> None:
    assert verify_rsa_sha1(load_public_key(pem), BASE_STRING, SIGNATURE)


def test_any_change_breaks_verification() -> None:
    key = load_public_key(PUBLIC_KEY)
    assert not verify_rsa_sha1(key, BASE_STRING.replace("original", "thumbnail"), SIGNATURE)
    tampered = SIGNATURE[:10] + ("A" if SIGNATURE[10] != "A" else "B") + SIGNATURE[11:]
    assert not verify_rsa_sha1(key, BASE_STRING, tampered)
    assert not verify_rsa_sha1(key, BASE_STRING, "not base64!!")


def _vector_request(signature: str) -> Request:
    header = 'OAuth realm="http://photos.example.net/", ' + ", ".join(
        f'{k}="{v}"' for k, v in [*OAUTH_PARAMS, ("oauth_signature", signature)]
    ).replace(signature, signature.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"))
    return Request(
        method="GET",
        path="/photos",
        full_path="/photos",
        query_string="file=vacaction.jpg&size=original",
        headers=Headers([("Host", "Photos.Example.NET"), ("Authorization", header)]),
        body=b"",
        scheme="http",
        host="Photos.Example.NET",
        base_url="http://photos.example.net",
    )


def _provider() -> OAuthProvider:
    provider = OAuthProvider(SimulatorConfig())
    provider.clock = lambda: 1196666512.0 + 30
    provider.add_consumer("dpf43f3p2l4k3l03", CERTIFICATE)
    return provider


def test_whole_request_verifier_accepts_the_vector() -> None:
    consumer, token, oauth = _provider().verify(
        _vector_request(SIGNATURE), REQUIRED_FOR_REQUEST_TOKEN
    )
    assert consumer.key == "dpf43f3p2l4k3l03"
    assert token is None and oauth["oauth_nonce"] == "13917289812797014437"


def test_whole_request_verifier_rejects_a_tampered_query() -> None:
    request = _vector_request(SIGNATURE)
    request.query_string = "file=vacation.jpg&size=original"
    with pytest.raises(OAuthProblem) as raised:
        _provider().verify(request, REQUIRED_FOR_REQUEST_TOKEN)
    assert raised.value.problem == "signature_invalid"
    assert raised.value.status == 401
