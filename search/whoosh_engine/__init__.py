"""The Whoosh search engine behind the DocumentStore protocol (pure Python; the first backend).

``store`` is the DocumentStore; ``schema`` and ``index`` its fields and on-disk index; ``query`` turns
our query model into Whoosh queries; ``arrays``, ``columns`` and ``postings`` evaluate word queries
on whole posting arrays with numpy.
"""
