"""Filing: the GB/T 50328 taxonomy as data, its loader and validator, and the rule classifier.

``load_taxonomy`` reads the shipped tree (plus a locality override); ``RuleClassifier`` decides
class, item and document type with reasons; ``DocumentClassifier`` is the Haystack component the
reading pipeline uses.
"""

from classify.component import DocumentClassifier
from classify.rules import RuleClassifier
from classify.taxonomy import TaxonomyError, load_taxonomy

__all__ = ["DocumentClassifier", "RuleClassifier", "TaxonomyError", "load_taxonomy"]
