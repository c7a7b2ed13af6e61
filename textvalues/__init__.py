"""Values as Chinese paperwork writes them, read by pure functions: 大写 money and small Chinese
numerals (``numerals``), and whether three numbers make a calendar day (``dates``). Both readers
of documents need them — ``ingest`` (fields of every file) and ``oversight`` (facts with their
evidence) — and the layers keep ``oversight`` below ``ingest``, so they live here, below both.
Imports nothing of ours (the standard library only).
"""
