"""Migrations, ingest, dedupe, failures and the content-addressed file store."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, inspect, select

from chithi.errors import EmptyInput, UnsupportedFormat
from chithi.text import nfc
from services import Archive
from services.db import alembic_config, current_revision, head_revision
from services.tables import Document, ObligationRow, StoredFile

TABLES = {"files", "documents", "obligations", "jobs", "task_status", "corrections", "api_keys",
          "meta", "alembic_version"}


def test_migrations_reach_head_and_go_back(archive: Archive, db_url, home):
    assert current_revision(archive.engine) == head_revision() is not None
    assert TABLES <= set(inspect(archive.engine).get_table_names())
    cfg = alembic_config()
    with archive.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(archive.engine).get_table_names()) <= {"alembic_version"}
    archive.close()
    with Archive.open(db_url, home=home) as again:  # opening migrates to head again
        assert current_revision(again.engine) == head_revision()
        assert TABLES <= set(inspect(again.engine).get_table_names())


def test_sqlite_default_is_wal_in_home(tmp_path: Path):
    home = tmp_path / "new" / "home"
    with Archive.open(home=home) as arc:
        assert (home / "chithi.db").is_file()
        with arc.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_ingest_corpora(archive: Archive, corpus_files: list[Path]):
    events = []
    summary = archive.ingest_paths([corpus_files[0].parent], progress=events.append)
    assert summary.failures == []
    assert summary.created == 5 and summary.duplicates == 0 and summary.failed == 0
    assert [r.filename for r in summary.results] == [p.name for p in corpus_files]
    stages = [e.stage for e in events if e.file_index == 0]
    assert stages[0] == "start" and stages[-1] == "done" and "stored" in stages
    assert {e.files_total for e in events} == {5}
    assert archive.count_documents(status="done") == 5
    for path, result in zip(corpus_files, summary.results):
        doc = archive.get_document(result.document_id)
        assert doc.status == "done" and doc.error_code is None
        assert doc.text == nfc(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
        assert doc.page_count == len(doc.pages) >= 1
        assert doc.extraction is not None
        assert doc.obligations == len(doc.extraction.obligations) == result.obligations
        assert doc.number == doc.extraction.document.number
        assert doc.media_type == "text/plain"
    assert summary.obligations == sum(r.obligations for r in summary.results) > 0
    listed = archive.list_documents(limit=3)
    assert len(listed) == 3 and len(archive.list_documents(limit=3, offset=3)) == 2


def test_same_content_twice_is_the_same_document(archive: Archive, corpus_files, tmp_path):
    first = archive.ingest_path(corpus_files[0])
    copy = tmp_path / "renamed copy.txt"
    copy.write_bytes(corpus_files[0].read_bytes())
    summary = archive.ingest_paths([corpus_files[0], copy])
    assert first.created is True
    assert [r.created for r in summary.results] == [False, False]
    assert {r.document_id for r in summary.results} == {first.document_id}
    assert summary.duplicates == 2 and summary.created == 0
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1
        assert s.scalar(select(func.count()).select_from(StoredFile)) == 1
        assert s.scalar(select(func.count()).select_from(ObligationRow)) == first.obligations


def test_one_bad_file_among_good_ones(archive: Archive, corpus_files, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(corpus_files[1].read_bytes())
    (folder / "sub" / "b.txt").write_bytes(corpus_files[2].read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"this is not a PDF at all")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 skipped: not a suffix we take")
    odd = tmp_path / "explicit.docx"
    odd.write_bytes(b"PK\x03\x04")
    summary = archive.ingest_paths([folder, odd])
    assert summary.created == 2
    assert sorted(Path(r.filename).name for r in summary.results) == ["a.txt", "b.txt"]
    failures = {Path(f.path).name: f for f in summary.failures}
    assert set(failures) == {"empty.txt", "broken.pdf", "explicit.docx"}
    assert failures["empty.txt"].code == EmptyInput.code
    assert failures["explicit.docx"].code == UnsupportedFormat.code
    assert failures["broken.pdf"].code[:2] in ("E1", "E2") and failures["broken.pdf"].message
    # an input refused before storing leaves nothing; one that failed processing leaves its
    # original and a failed row with the same code, and no obligations
    failed = archive.list_documents(status="failed")
    assert [d.filename for d in failed] == ["broken.pdf"]
    assert failed[0].error_code == failures["broken.pdf"].code and failed[0].obligations == 0
    assert archive.files.path_of(failed[0].sha256).read_bytes() == b"this is not a PDF at all"
    assert archive.count_documents() == 3
    assert len([p for p in archive.files.root.rglob("*") if p.is_file()]) == 3
    with pytest.raises(EmptyInput):
        archive.ingest_path(folder / "empty.txt")


def test_original_is_kept_content_addressed(archive: Archive, corpus_files, home):
    result = archive.ingest_path(corpus_files[3])
    data = corpus_files[3].read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert result.sha256 == sha
    stored = home / "files" / sha[:2] / sha[2:4] / sha
    assert stored.read_bytes() == data
    assert archive.document_file(result.document_id) == stored
    assert not [p for p in (home / "files").rglob(".tmp-*")]
    with archive.session() as s:
        row = s.get(StoredFile, sha)
        assert (row.size, row.filename, row.media_type) == (len(data), corpus_files[3].name,
                                                            "text/plain")
