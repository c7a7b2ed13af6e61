"""Read-only views of the catalog for the web UI and the API: document lists, projects, the
review queue, where an original's bytes are.

May import: ``core.catalog``, ``core.storage``, ``core.errors``, ``schemas``.
"""
