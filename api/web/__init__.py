"""The web pages for clerks, legal staff and agencies, served by the API's own app.

``mount(app)`` adds them: ``/`` (to the caller's start page), ``/ui/login``, ``/ui/upload``,
``/ui/documents[/{id}]``, ``/ui/search``, ``/ui/agencies[/{id}]`` and ``/static``. Pages are
server-rendered Jinja2 with a little plain JavaScript; routes call ``services`` only.
"""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.web import auth, documents, tasks
from api.web.render import HERE, PageError, show_error


def mount(app: FastAPI) -> None:
    """Add the web pages, their static files and their two error handlers to ``app``."""
    if getattr(app.state, "web_mounted", False):
        return
    app.state.web_mounted = True
    app.add_exception_handler(auth.NeedLogin, auth.need_login)
    app.add_exception_handler(PageError, show_error)
    for module in (auth, documents, tasks):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")


__all__ = ["mount"]
