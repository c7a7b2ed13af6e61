"""What people read: the one Chinese message catalogue and the local clock.

- ``catalogue``: statuses, actions, events, reasons and errors in Chinese, from the data file
  ``data/zh-CN.yaml`` (a locality's override merged over it), validated on load;
- ``clock``: stored UTC moments shown in the archive's local time zone (``Asia/Shanghai`` by
  default, setting ``display_timezone``), and local dates turned back into UTC bounds.

May import: ``core.errors``, ``schemas``, PyYAML and pydantic; nothing else in core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.messages.clock import LocalClock

if TYPE_CHECKING:
    from core.messages.catalogue import Catalogue, load_catalogue

__all__ = ["Catalogue", "LocalClock", "load_catalogue"]


def __getattr__(name: str) -> Any:
    """The catalogue's names, imported on first use (PEP 562): every service needs the clock, while
    the catalogue (PyYAML, its pydantic model) is read only by what shows Chinese names — 0.02 s of
    ``jiandang search``'s start that it never used (issue 19).
    """
    if name in ("Catalogue", "load_catalogue"):
        from core.messages import catalogue

        return getattr(catalogue, name)
    raise AttributeError(f"module 'core.messages' has no attribute {name!r}")
