import json
import math

from agent.rpc.errors import error_object
from protocol.errors import ErrorKind


def test_error_data_never_carries_a_non_finite_number() -> None:
    error = error_object(
        ErrorKind.RATE_LIMITED,
        "slow down",
        retryAfterSeconds=math.inf,
        nested={"a": math.nan, "b": [1.5, -math.inf]},
    )
    text = json.dumps(error, allow_nan=False)  # raises on Infinity / NaN
    assert "retryAfterSeconds" not in error["data"]
    assert json.loads(text)["data"]["nested"] == {"a": None, "b": [1.5, None]}
