"""Issue keys in the documents an editor opens: their text (incremental sync), the
keys found in it, and what the editor asks about them (links, hovers).

`service.Documents` is what the server binds; the other modules have one concern each.
"""
