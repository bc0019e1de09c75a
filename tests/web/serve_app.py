"""The app the web tests serve with uvicorn: ``create_app()`` plus the web pages."""
from __future__ import annotations

from fastapi import FastAPI

from api.app import create_app
from api.web import mount


def app() -> FastAPI:
    made = create_app()
    mount(made)  # a no-op once create_app() mounts the pages itself
    return made
