"""Pausing Python's cyclic garbage collector around bulk object creation."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """No cyclic collection while many long-lived objects without cycles are made (a graph
    build, a page of tasks): full collections meanwhile would cost more than the work. With
    ``freeze`` the objects made are kept out of later collections (``gc.freeze``)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        if freeze:
            gc.freeze()
