"""What an auditor does around a search, kept on the record: searches and reads audited,
saved searches, working-paper exports (CSV/XLSX).

May import: ``core.security`` (the audit trail), ``core.catalog``, ``core.storage``, ``schemas``.
The search itself is ``search`` (the engines); the service calls both.
"""
