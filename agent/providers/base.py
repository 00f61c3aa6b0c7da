"""The interface every tracker implements.

A provider describes itself (id, name, auth methods and the fields of their
forms) so editors can render configuration forms from data alone. Later it
validates configurations, authorizes, and fetches issues; callers never branch
on which tracker they talk to.
"""

import abc
from typing import ClassVar

from protocol.types import AuthMethod


class TrackerProvider(abc.ABC):
    id: ClassVar[str]
    name: ClassVar[str]
    kind: ClassVar[str] = "issues"

    @abc.abstractmethod
    def auth_methods(self) -> list[AuthMethod]:
        """The ways to connect, each with the form fields it needs."""

    def auth_method(self, method_id: str) -> AuthMethod | None:
        return next((m for m in self.auth_methods() if m.id == method_id), None)
