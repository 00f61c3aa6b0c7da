"""The editor clients' JSON Schema and TypeScript come from `protocol` and are current."""

import json
import subprocess
import sys
from pathlib import Path

from protocol import generate, methods

ROOT = Path(__file__).resolve().parents[2]


def test_generated_files_are_up_to_date() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "protocol.generate", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


def test_schema_describes_every_contract_method() -> None:
    schema = json.loads((generate.OUTPUT_DIR / generate.SCHEMA_FILE).read_text())
    assert set(schema["requests"]) == set(methods.REQUESTS)
    instance = schema["$defs"]["Instance"]
    assert set(instance["required"]) == {
        "instanceId",
        "providerId",
        "baseUrl",
        "authMethod",
        "scope",
        "state",
    }
    assert schema["$defs"]["IssuesFetchParams"]["properties"]["limit"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 10000,
        "default": 1000,
    }
    assert schema["errors"]["notConnected"] == -32002


def test_typescript_declares_request_types() -> None:
    ts = (generate.OUTPUT_DIR / generate.TS_FILE).read_text()
    assert (
        '"issuebridge/issues/fetch": { params: IssuesFetchParams; result: IssuesFetchResult }' in ts
    )
    assert "export interface Issue {" in ts
    assert "  assignee?: User;" in ts
