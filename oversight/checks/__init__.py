"""The oversight checks (C00–C25 as in the audit reference §7, but C24, the disclosure due
list, which lives in ``disclosure``): data in ``data/checks.yaml``, one
function per id in the modules here, run by ``engine.run_checks``.
"""

from oversight.checks.engine import ChecksFile, load_checks, run_checks, shipped_checks

__all__ = ["ChecksFile", "load_checks", "run_checks", "shipped_checks"]
