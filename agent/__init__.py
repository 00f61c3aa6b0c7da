"""issuebridge agent: issue trackers for any editor, over JSON-RPC on stdio."""

__version__ = "0.1.0"
