"""Handover bundles wired to the archive: catalog rows become a ``schemas.handover`` request,
``handover.build_bundle`` writes the BagIt bag, every export becomes an event.

May import: ``core.catalog``, ``core.filing`` (the filing plan and completeness), ``handover``,
``schemas``. The service hands it what it needs; it never imports the service.
"""
