"""Names people type, matched to what the agent offers: a transition by its name or
the status it leads to, an assignee among the users a search found. Pure functions
on wire dicts."""

from typing import Any

Transition = dict[str, Any]
User = dict[str, Any]


class NoMatch(ValueError):
    """Nothing matched; the message lists what there is."""


class Ambiguous(ValueError):
    """Several matched; `choices` are they."""

    def __init__(self, message: str, choices: list[Any]) -> None:
        super().__init__(message)
        self.choices = choices


def transition_label(transition: Transition) -> str:
    return f"{transition['name']} (→ {transition['to']['name']})"


def offered(transitions: list[Transition]) -> str:
    return ", ".join(transition_label(t) for t in transitions) or "none"


def _names(transition: Transition, by: str, folded: str) -> bool:
    if by == "name":
        return str(transition["name"]).casefold() == folded
    if by == "target":
        return str(transition["to"]["name"]).casefold() == folded
    return str(transition["id"]).casefold() == folded


def match_transition(transitions: list[Transition], wanted: str, key: str) -> Transition:
    """The transition `wanted` names, in any case: by its name first, else by the status
    it leads to, else by its id."""
    folded = wanted.strip().casefold()
    for by in ("name", "target", "id"):
        hits = [t for t in transitions if _names(t, by, folded)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise Ambiguous(
                f"{wanted!r} names several transitions of {key}: {offered(hits)}; "
                "give the transition's name",
                hits,
            )
    if not transitions:
        raise NoMatch(f"{key} offers no transitions now")
    raise NoMatch(f"{key} offers no transition {wanted!r}; it offers: {offered(transitions)}")


def user_label(user: User) -> str:
    return f"{user['displayName']} ({user['name']})"


def match_user(users: list[User], wanted: str, key: str) -> User:
    """The one user `wanted` means among those the server's search found: the one whose
    name is exactly `wanted` (any case), or the only one found."""
    folded = wanted.strip().casefold()
    exact = [u for u in users if str(u["name"]).casefold() == folded]
    if len(exact) == 1:
        return exact[0]
    if len(users) == 1:
        return users[0]
    if not users:
        raise NoMatch(f"no user {wanted!r} can be assigned {key}")
    listed = ", ".join(user_label(u) for u in users)
    raise Ambiguous(
        f"{wanted!r} matches several users who can be assigned {key}: {listed}; give the user name",
        users,
    )
