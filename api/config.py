"""The API's settings: the shared :class:`chithi.settings.Settings` plus worker timings."""
from __future__ import annotations

from chithi.settings import Settings


class ApiSettings(Settings):
    """``CHITHI_*`` environment variables; the job knobs are for the in-process worker."""
    job_poll_s: float = 1.0  # how often the idle worker looks for queued jobs
    job_heartbeat_s: float = 5.0  # how often a running job proves its worker is alive
    job_stale_s: float = 60.0  # a running job silent this long was left by a killed server
    max_files_per_upload: int = 20
    page_dpi: int = 110  # page images
    graph_at_start: bool = True  # build the knowledge graph in the background when the server starts


def api_settings(settings: Settings | None) -> ApiSettings:
    if settings is None:
        return ApiSettings()
    if isinstance(settings, ApiSettings):
        return settings
    return ApiSettings(**settings.model_dump())
