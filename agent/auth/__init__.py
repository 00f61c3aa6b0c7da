"""Tracker-neutral authorization pieces: RSA keys, OAuth 1.0a signing, the loopback callback."""
