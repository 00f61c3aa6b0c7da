"""The JSON-RPC layer: pygls hardened for a stdio agent that must never go silent.

`stdio` owns the process's file descriptors and the framing, `protocol` adapts
pygls' message handling so every request gets exactly one well-formed answer,
`errors` turns any exception into the contract's error shape, and `requests`
binds typed service functions to method names.
"""
