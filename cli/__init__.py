"""Command line: parse → call ArchiveService → print."""
