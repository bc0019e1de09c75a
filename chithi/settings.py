"""Settings from the environment (prefix ``CHITHI_``) or a ``.env`` file, via pydantic-settings."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHITHI_", env_file=".env", extra="ignore")

    home: Path = Path("chithi-data")  # the archive folder: database and original files
    db: str | None = None  # SQLAlchemy URL; default sqlite:///<home>/chithi.db
    broker: str | None = None  # Redis URL for Celery workers; unset: in-process worker
    max_pages: int = 200  # pages per document
    doc_timeout_s: float = 900.0  # OCR time per document
    ocr_workers: int = 0  # processes for OCR pages; 0: one per core
    max_upload_mb: int = 100
    max_image_pixels: int = 120_000_000  # decompression-bomb guard
    host: str = "127.0.0.1"
    port: int = 8000
    demo: bool = False  # the web page without login, for a local demo only

    @property
    def db_url(self) -> str:
        return self.db or f"sqlite:///{(self.home / 'chithi.db').resolve()}"

    @property
    def files_dir(self) -> Path:
        return self.home / "files"


@lru_cache
def get_settings() -> Settings:
    return Settings()
