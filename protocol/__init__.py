"""The wire contract between editors and the issuebridge agent.

`methods` names every method and its params/result types, `types` defines those
types, `errors` the codes and kinds, `converter` the one way they become JSON.
The JSON Schema and TypeScript declarations in `editor-clients/types/` are
generated from this package by `python -m protocol.generate`.
"""
