"""The content-addressed store of original files: ``<home>/files/ab/cd/<sha256>``.

A file is written to a temporary name in the same folder, flushed and fsynced, then renamed
into place and the folder fsynced: once :meth:`FileStore.put` returns, the bytes survive a
crash, and a reader never sees half a file. Rows that point at a file are written only after.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from chithi.errors import EmptyInput, StorageError, UnsupportedFormat

SUFFIXES = {
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}

_MAGIC = [
    (b"%PDF", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_type_of(data: bytes, filename: str) -> str:
    """The media type from the content's magic bytes, else from the suffix.

    Raises :class:`EmptyInput` for no bytes and :class:`UnsupportedFormat` for a suffix the
    archive does not take (.txt .pdf .png .jpg .jpeg .tif .tiff)."""
    if not data:
        raise EmptyInput(f"{filename}: the file is empty", filename=filename)
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormat(
            f"{filename}: '{suffix or '(no suffix)'}' is not one of {' '.join(sorted(SUFFIXES))}",
            filename=filename)
    return SUFFIXES[suffix]


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def put(self, data: bytes, *, sha256: str | None = None) -> tuple[str, Path]:
        """Store ``data`` durably under its hash; a file already there is kept as is."""
        digest = sha256 or sha256_of(data)
        target = self.path_of(digest)
        if target.is_file() and target.stat().st_size == len(data):
            return digest, target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            _fsync_dir(target.parent)
        except OSError as exc:
            raise StorageError(f"could not store file {digest}: {exc}", sha256=digest) from exc
        return digest, target

    def read(self, sha256: str) -> bytes:
        try:
            return self.path_of(sha256).read_bytes()
        except OSError as exc:
            raise StorageError(f"stored file {sha256} is missing: {exc}", sha256=sha256) from exc


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
