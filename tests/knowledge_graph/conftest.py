import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# tests/ is on sys.path (tests/conftest.py), so "knowledge_graph" could resolve to this test
# folder as a namespace package; make the project root win.
sys.path.insert(0, str(HERE.parents[1]))
if getattr(sys.modules.get("knowledge_graph"), "__file__", "") is None:
    del sys.modules["knowledge_graph"]

from samples import build, pairs  # noqa: E402

from knowledge_graph import ArchiveGraph  # noqa: E402


@pytest.fixture()
def graph() -> ArchiveGraph:
    return build(pairs())
