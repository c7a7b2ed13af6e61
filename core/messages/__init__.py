"""What people read: the one Chinese message catalogue and the local clock.

- ``catalogue``: statuses, actions, events, reasons and errors in Chinese, from the data file
  ``data/zh-CN.yaml`` (a locality's override merged over it), validated on load;
- ``clock``: stored UTC moments shown in the archive's local time zone (``Asia/Shanghai`` by
  default, setting ``display_timezone``), and local dates turned back into UTC bounds.

May import: ``core.errors``, ``schemas``, PyYAML and pydantic; nothing else in core.
"""

from core.messages.catalogue import Catalogue, load_catalogue
from core.messages.clock import LocalClock

__all__ = ["Catalogue", "LocalClock", "load_catalogue"]
