"""Filing and completeness wired to the catalog: the classifier's verdict recorded with its
reasons, corrections, project profiles, waivers and confirmations, the completeness report.

May import: ``core.catalog``, ``core.storage``, ``core.settings``/``errors``, ``classify``,
``schemas``.
"""
