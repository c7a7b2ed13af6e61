"""阳光工程 disclosure (issue 18): a project's key-node information per 国办发〔2017〕94号 category,
built from the oversight facts, redacted, and rendered as a static package (index.html for the
公告栏, an XLSX in the 基层政务公开标准目录 layout, a JSON).

Pure: no catalog, no I/O beyond its own data files. May import ``schemas`` and ``oversight`` (its
facts, data-file helpers and working-day calendar). ``core/disclosure`` wires it to the catalog.
"""
