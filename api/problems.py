"""Errors as RFC 9457 problem details (``application/problem+json``), mapped in ONE place.

Every :class:`chithi.errors.ChithiError` keeps its stable ``code`` and HTTP status; request
validation errors become ``E322``; Starlette's own HTTP errors (unknown route, wrong method)
and unexpected exceptions are answered in the same shape.
"""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from chithi.errors import ChithiError, InvalidRequest, NotFound, Unauthenticated

PROBLEM = "application/problem+json"
TYPE_BASE = "https://chithi.invalid/problems/"
log = logging.getLogger("api")

_CODE_OF_STATUS = {400: "E100", 401: Unauthenticated.code, 403: "E403", 404: NotFound.code,
                   405: "E405", 409: "E309", 413: "E109", 415: "E102", 422: InvalidRequest.code}


def problem(request: Request, status: int, code: str, title: str, detail: str,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"type": TYPE_BASE + code, "title": title, "status": status, "detail": detail,
            "code": code, "instance": request.url.path,
            **{k: v for k, v in extra.items() if k not in ("type", "title", "status", "detail", "code")}}
    return JSONResponse(jsonable_encoder(body), status_code=status, media_type=PROBLEM,
                        headers=headers)


async def chithi_error(request: Request, exc: ChithiError) -> JSONResponse:
    context = {k: v for k, v in exc.context.items()
               if isinstance(v, (str, int, float, bool)) and k not in ("path",)}
    headers = {"WWW-Authenticate": 'Bearer realm="chithi"'} if exc.status == 401 else None
    return problem(request, exc.status, exc.code, exc.title, exc.message, headers, **context)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
              for e in exc.errors()]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:5])
    return problem(request, 422, InvalidRequest.code, InvalidRequest.title, detail, errors=errors)


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    status = exc.status_code
    code = _CODE_OF_STATUS.get(status, "E000" if status >= 500 else "E100")
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return problem(request, status, code, title, str(exc.detail or title),
                   dict(exc.headers) if exc.headers else None)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(request, 500, "E000", ChithiError.title, "internal error; see the server log")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ChithiError, chithi_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
