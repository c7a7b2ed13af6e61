"""Who may do what, and the record of what they did.

- ``accounts``: users, roles, passwords (scrypt), API tokens, UI sessions, login throttling;
- ``audit``: the append-only, hash-chained audit trail and its head file.

May import: ``core.catalog``, ``core.storage``, ``core.errors``, ``schemas``.
"""
