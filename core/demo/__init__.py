"""``jiandang demo``: the sample project taken through the whole flow.

The one place in ``core`` that imports the sample generator (``samples``); it drives the
archive only through the service it is given.
"""

from core.demo.walkthrough import DEMO_CODE, run_demo

__all__ = ["DEMO_CODE", "run_demo"]
