"""services: the archive (database, file store, jobs) and the functions the CLI and API call."""
from services.archive import Archive, expand_paths
from services.jobs import Worker
from services.processing import process_document

__all__ = ["Archive", "Worker", "expand_paths", "process_document"]
