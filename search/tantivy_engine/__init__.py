"""The tantivy search engine behind the DocumentStore protocol (the default backend).

``store`` is the DocumentStore; ``schema`` and ``index`` its fields and on-disk index; ``query`` turns
our query model into tantivy queries; ``topk`` and ``facets`` make phrase pages and exact counts fast.
"""
