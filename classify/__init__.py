"""Filing: the GB/T 50328 taxonomy as data, its loader and validator, and the rule classifier.

``load_taxonomy`` reads the shipped tree (plus a locality override); ``RuleClassifier`` decides
class, item and document type with reasons; ``DocumentClassifier`` is the Haystack component the
reading pipeline uses.

The names are loaded on first use (PEP 562), as in ``search``: importing any module of this
package (``classify.taxonomy`` for the class names, say) ran this file, which imported the
classifier and its Haystack component (0.1–0.3 s) whether they were used or not (issue 19).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from classify.component import DocumentClassifier
    from classify.rules import RuleClassifier
    from classify.taxonomy import TaxonomyError, load_taxonomy

_WHERE = {
    "DocumentClassifier": "classify.component",
    "RuleClassifier": "classify.rules",
    "TaxonomyError": "classify.taxonomy",
    "load_taxonomy": "classify.taxonomy",
}

__all__ = ["DocumentClassifier", "RuleClassifier", "TaxonomyError", "load_taxonomy"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'classify' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
