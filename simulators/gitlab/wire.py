"""GitLab's content types."""

JSON = "application/json"
TEXT = "text/plain"
