"""The ``postgres`` search backend: the index as tables in a PostgreSQL database (the catalog's).

``schema`` (tables, and a document as a row: bigram/quad grams for the GIN index, token runs for
the exact test), ``query`` (our query language and filters as SQL), ``store``
(``PostgresDocumentStore``: the Haystack protocol, search, facets, more-like-this, writes in the
caller's transaction). Talks to PostgreSQL through psycopg 3 only; SQLAlchemy stays in core.
"""
