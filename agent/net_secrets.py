"""The secrets an instance's network settings may need, kept apart from the settings.

`HttpSettings` travels in config files and `initializationOptions`; these never do.
They come from `providers/configure`'s `httpSecrets` and live in the secret store,
handed to `agent.net.make_client` (and `ssl_context`) as `NetSecrets`.
"""

import attrs

from agent.secret import Secret


@attrs.frozen
class NetSecrets:
    # The passphrase of an encrypted client key (`http.clientKey`).
    client_key_passphrase: Secret | None = None
    # The password of the proxy's user (`http.proxy` carries only the user name).
    proxy_password: Secret | None = None
