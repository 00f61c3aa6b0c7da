"""The fixtures of the provider conformance suite (test_conformance.py).

Every module in `tests/providers/harnesses/` (not starting with `_`) exports `HARNESS`,
a `ProviderHarness` class; each conformance test runs once per harness, its id the
provider's id (`-k "jira-server"` runs one provider). A test gets a fresh harness,
started (its simulator on 127.0.0.1) and stopped after the test, and an initialized
agent over raw stdio (the `agent` fixture of tests/conftest.py).
"""

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from providers.harness import ProviderHarness

HARNESSES = Path(__file__).parent / "harnesses"


def harness_classes() -> list[type[ProviderHarness]]:
    """Every harness in `harnesses/`, by module name."""
    found = []
    for path in sorted(HARNESSES.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = importlib.import_module(f"providers.harnesses.{path.stem}")
        harness = getattr(module, "HARNESS", None)
        if not (isinstance(harness, type) and issubclass(harness, ProviderHarness)):
            raise TypeError(f"{path} must export HARNESS, a ProviderHarness class")
        found.append(harness)
    ids = [h.provider_id for h in found]
    if len(set(ids)) != len(ids):
        raise TypeError(f"two harnesses for one provider: {ids}")
    return found


HARNESS_CLASSES = harness_classes()


@pytest.fixture(params=HARNESS_CLASSES, ids=[h.provider_id for h in HARNESS_CLASSES])
def harness(request: pytest.FixtureRequest) -> Iterator[ProviderHarness]:
    harness_class: type[ProviderHarness] = request.param
    started = harness_class()
    started.start()
    try:
        yield started
    finally:
        started.stop()
