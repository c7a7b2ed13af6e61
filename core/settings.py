"""Settings: built once at the edge (CLI, app factory, tests) and passed down.

Sources, strongest first: explicit keyword arguments, ``JIANDANG_*`` environment variables, the
optional TOML file (``$JIANDANG_HOME/jiandang.toml`` or ``JIANDANG_CONFIG``), then the embedded
defaults. Everything lives under ``home`` unless configured elsewhere, so one directory is the
whole archive on a single machine. Several app nodes share one archive by pointing
``database_url`` at one PostgreSQL, ``originals_dir`` at shared storage and ``search_backend`` at
``postgres`` (the index inside that database); ``database_read_urls`` sends reads to replicas.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from schemas.watch import WatchRoot

DEFAULT_HOME = Path("~/.local/share/jiandang")
CONFIG_FILE_NAME = "jiandang.toml"


def config_file(home: Path | None = None) -> Path:
    """Where the optional TOML file is looked for (it may not exist): ``JIANDANG_CONFIG``, else in the
    home (``home``, else ``JIANDANG_HOME``, else the default).
    """
    explicit = os.environ.get("JIANDANG_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    home = home or Path(os.environ.get("JIANDANG_HOME", DEFAULT_HOME)).expanduser()
    return home / CONFIG_FILE_NAME


class Settings(BaseSettings):
    """Every knob of one jiandang installation."""

    model_config = SettingsConfigDict(env_prefix="JIANDANG_", extra="ignore")

    home: Path = Field(default=DEFAULT_HOME, description="data directory: catalog, originals, index, inbox")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the catalog; default SQLite in home. PostgreSQL: "
        "postgresql+psycopg://user@host:5432/jiandang (a database created UTF8, LC_CTYPE C.UTF-8)")
    database_read_urls: list[str] = Field(
        default_factory=list, description="streaming replicas of database_url for searches and read-only pages")
    replica_max_lag: float = Field(
        default=5.0, gt=0, description="seconds a replica may be behind the primary before reads leave it")
    originals_dir: Path | None = None
    index_dir: Path | None = None
    inbox_dir: Path | None = None
    taxonomy_override: Path | None = Field(default=None, description="a locality override of the taxonomy")
    max_file_bytes: int = Field(default=200 * 1024 * 1024, description="larger files are quarantined")
    review_threshold: float = Field(default=0.5, description="classifications below this go to review")
    index_batch_size: int = Field(default=64, description="documents per search-index commit")
    reindex_batch_size: int = Field(
        default=2000, gt=0, description="documents per search-index commit during `jiandang reindex` (a rebuild)"
    )
    default_project: str = Field(default="INBOX", description="project code for files that name none")
    agency: str | None = Field(default=None, description="the archive's agency (Source-Organization of bundles)")
    # --- what people read (core/messages) -----------------------------------------------------
    display_timezone: str = Field(default="Asia/Shanghai", description="time zone of every time shown or exported")
    messages_override: Path | None = Field(
        default=None, description="a locality's message catalogue (YAML), merged over core/messages/data/zh-CN.yaml"
    )
    # --- search backend and audit exports -------------------------------------------------
    search_backend: Literal["whoosh", "tantivy", "postgres"] = Field(
        default="tantivy",  # measured: 17x faster build, 20-600x faster queries at 100k (README)
        description="search engine of the index: whoosh (pure Python), tantivy (for large archives) or postgres "
        "(tables in the PostgreSQL catalog, shared by app nodes); changing it rebuilds the index at the next write "
        "or `jiandang reindex`",
    )
    whoosh_postings_cache_mb: int = Field(
        default=256, ge=0,
        description="MB of decoded Whoosh postings kept between searches (whoosh backend only); at 300,000 "
        "documents 256 no longer holds the bigrams of common phrases (2-3 s each) and 2000 does (0.2-0.3 s)",
    )
    document_link_base: str = Field(
        default="jiandang://documents", description="links in search exports: BASE/<document id>"
    )
    # --- watched folders (jiandang watch) ---------------------------------------------------
    watch_roots: list[WatchRoot] = Field(default_factory=list, description="shares `jiandang watch` takes files from")
    watch_rescan_interval: float = Field(default=60.0, gt=0, description="seconds between full rescans of the roots")
    watch_workers: int = Field(default=0, ge=0, description="reader processes of the watcher; 0: one per core")
    watch_read_timeout: float = Field(
        default=120.0, gt=0,
        description="seconds one file may take to read before it is quarantined as timed out (watcher, ingest, upload)"
    )
    ingest_processes_from: int = Field(
        default=100, ge=0,
        description="`jiandang ingest` reads a batch of at least this many files in reader processes, one per "
        "core (`watch_workers`), while it stores and records; 0: never (smaller batches read on the main thread)",
    )
    read_memory_mb: int = Field(
        default=1024, ge=0,
        description="MB of memory one file's reading may add before it is stopped and the file quarantined "
        "(the process's data-segment limit while it reads; 0: no limit)",
    )
    read_in_processes: bool = Field(
        default=False,
        description="`jiandang ingest` reads in a reader process too, so a converter stuck in C is killed after "
        "the time limit plus a grace period (costs the process's start-up); uploads always read that way",
    )
    # --- fixity of the store (core/fixity) and backups (core/backup) -----------------------------
    fixity_cycle_days: int = Field(
        default=30, ge=1, le=3650,
        description="`jiandang serve` re-hashes a slice of the originals each day so that every original is "
        "checked once in this many days",
    )
    fixity_workers: int = Field(default=0, ge=0, description="threads that hash originals in `verify`; 0: one per core")
    # --- OCR of scans and images (ingest/ocr) -------------------------------------------------
    ocr_enabled: bool = Field(default=True, description="OCR scans and images when rapidocr is installed")
    ocr_threads: int = Field(default=1, ge=1, description="onnxruntime threads per OCR call")
    ocr_slots: int = Field(
        default=0, ge=0,
        description="pages OCR'd at once across all reading processes; 0: one per core (OCR runs at lower "
        "priority, so born-digital reading keeps the CPU first)",
    )
    ocr_nice: int = Field(default=10, ge=0, le=19, description="how much lower the OCR thread's CPU priority is")
    ocr_detect_dpi: int = Field(
        default=160, ge=0, le=600,
        description="resolution the text detector sees on pages up to A3 (the recogniser reads the full "
        "render); 0: the render resolution",
    )
    ocr_dpi: int = Field(default=200, ge=72, le=600, description="render resolution of scanned PDF pages")
    ocr_rec_batch: int = Field(
        default=1, ge=1, le=64,
        description="text lines the recogniser reads per call (rapidocr's own: 6; one is faster on one thread)",
    )
    ocr_max_pixels: int = Field(default=12_000_000, ge=1_000_000, description="pixel cap per page (A0/A1 sheets)")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file())
        return (init_settings, env_settings, toml)

    @field_validator("home", "originals_dir", "index_dir", "inbox_dir", "taxonomy_override", "messages_override",
                     mode="after")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser().resolve() if value is not None else None

    # Derived locations: explicit settings win, otherwise a fixed layout under home.
    @property
    def catalog_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'catalog.sqlite3'}"

    @property
    def originals_path(self) -> Path:
        return self.originals_dir or self.home / "originals"

    @property
    def index_path(self) -> Path:
        return self.index_dir or self.home / "index"

    @property
    def inbox_path(self) -> Path:
        return self.inbox_dir or self.home / "inbox"

    @property
    def ocr_cache_path(self) -> Path:
        """OCR results by file sha256 (derived data: safe to delete, costs a re-OCR)."""
        return self.home / "cache" / "ocr"

    @property
    def ocr_slots_path(self) -> Path:
        """Lock files that bound OCR across the processes of this archive."""
        return self.home / "locks" / "ocr"

    def ensure_dirs(self) -> None:
        """Create the data directories; called by the service, never at import time."""
        for path in (self.home, self.originals_path, self.index_path, self.inbox_path):
            path.mkdir(parents=True, exist_ok=True)

    @property
    def catalog_on_server(self) -> bool:
        """Is the catalog a database server (PostgreSQL) rather than the embedded SQLite file?"""
        return not self.catalog_url.startswith("sqlite")

    def describe(self) -> dict[str, Any]:
        """A JSON-friendly view for ``jiandang status`` and logs (no passwords)."""
        return {
            "home": str(self.home),
            "catalog": _without_password(self.catalog_url),
            "originals": str(self.originals_path),
            "index": "(in the catalog database)" if self.search_backend == "postgres" else str(self.index_path),
        }


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{host}"
