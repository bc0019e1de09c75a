"""The same archive on SQLite and on PostgreSQL answers the same: search (FTS5 on SQLite, a
pg_trgm index on PostgreSQL), documents, task lists; each engine's index is really used."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from chithi.text import fold
from services import Archive


@pytest.fixture
def pair(tmp_path, pg_url, root):
    files = sorted((root / "corpora").glob("*.txt"))
    lite = Archive.open(None, home=tmp_path / "lite")
    pg = Archive.open(pg_url, home=tmp_path / "pg")
    try:
        for archive in (lite, pg):
            summary = archive.ingest_paths(files)
            assert summary.failures == [] and summary.created == len(files)
        yield lite, pg
    finally:
        lite.close()
        pg.close()


def _queries(archive: Archive) -> list[str]:
    texts = [h.text for h in archive.search_obligations("", limit=10_000)]
    words = [w for t in texts for w in re.findall(r"[^\W_]+", t)]
    accented = [w for w in words if fold(w) != w.lower()][:15:3]
    phrase = next(m.group(0) for t in texts
                  for m in [re.search(r"[^\W\d_]+ [^\W\d_]+ [^\W\d_]+", t)] if m)
    return (["", "ubnd", "noi vu", "BÁO CÁO", "2024", "qqxyzzy", "tỉnh-Kon", '"..."', '"và"',
             f'"{phrase}"', f'"{fold(phrase)}"', f"{phrase.split()[0]} \"{phrase}\""]
            + accented + [fold(w) for w in accented] + [w.upper() for w in accented])


def _hits(archive: Archive, q: str, **kw) -> list[str]:
    return [h.obligation_id for h in archive.search_obligations(q, limit=10_000, **kw)]


def test_search_and_task_lists_agree_on_both_engines(pair):
    lite, pg = pair
    queries = _queries(lite)
    found = 0
    for q in queries:
        assert _hits(lite, q) == _hits(pg, q), q
        found += bool(_hits(lite, q))
    assert found >= len(queries) // 2, "most probes should find something"
    first = lite.list_documents()[-1].id
    assert _hits(lite, "tỉnh", document_id=first) == _hits(pg, "tỉnh", document_id=first)
    assert [h.obligation_id for h in lite.search_obligations("", limit=3, offset=2)] == \
        [h.obligation_id for h in pg.search_obligations("", limit=3, offset=2)]
    assert [d.id for d in lite.list_documents()] == [d.id for d in pg.list_documents()]
    agencies = {name for h in lite.search_obligations("", limit=10_000) for name in h.lead}
    assert agencies
    for name in sorted(agencies):
        mine = [(e.agency.id, [t.obligation_id for t in e.tasks]) for e in lite.agency_tasks(name)]
        theirs = [(e.agency.id, [t.obligation_id for t in e.tasks]) for e in pg.agency_tasks(name)]
        assert mine == theirs, name


def test_each_engine_uses_its_index(pair):
    lite, pg = pair
    with pg.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(conn.execute(text(
            "EXPLAIN SELECT id FROM obligations WHERE folded LIKE '% noi vu %'")).scalars())
    assert "ix_obligations_folded_trgm" in plan, plan
    with lite.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM obligations_fts")).scalar() == \
            conn.execute(text("SELECT count(*) FROM obligations")).scalar() > 0
        assert conn.execute(text(
            "SELECT count(*) FROM obligations_fts WHERE obligations_fts MATCH '\"noi vu\"'")
        ).scalar() == conn.execute(text(
            "SELECT count(*) FROM obligations WHERE folded LIKE '% noi vu %'")).scalar() > 0
    # a correction changes the searchable text: both indexes follow
    hit = lite.search_obligations("", limit=1)[0]
    for archive in (lite, pg):
        archive.correct_obligation(hit.obligation_id, "text", hit.text + " Qqzuvw đặc biệt",
                                   by="test")
        assert _hits(archive, "QQZUVW dac") == [hit.obligation_id]
        # processing the document again keeps the correction and the index in step
        archive.process_document(hit.document_id)
        assert _hits(archive, '"Qqzuvw đặc biệt"') == [hit.obligation_id]
