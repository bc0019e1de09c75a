"""Who is looking at a page: the API key from the login cookie, or the demo user.

The login form posts an API key (the same keys as the API's ``X-API-Key``); it is checked
with the archive and kept in an ``HttpOnly``, ``SameSite=Strict`` session cookie, so page
scripts never see it. Every page and every form post of the web UI reads it from there. With
``CHITHI_DEMO=1`` a visitor without a key is the demo user (role admin), for a local demo only.
Posts from another origin are refused (the cookie is also ``SameSite=Strict``).
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.deps import who
from api.web.render import ERROR_TEXT, ROLE_TEXT, PageError, render
from chithi.errors import ChithiError, Forbidden, Unauthenticated
from chithi.models import Principal

COOKIE = "chithi_key"
DEMO = Principal(key_prefix="demo", role="admin")
router = APIRouter()


class NeedLogin(Exception):
    """Raised by page dependencies when no valid key is there: the handler shows the login."""


def demo_mode(request: Request) -> bool:
    return bool(getattr(request.app.state.settings, "demo", False))


async def current(request: Request) -> Principal | None:
    """The caller from the cookie (None without one, or with a revoked key); demo user in demo mode."""
    key = request.cookies.get(COOKIE)
    if key:
        try:
            return await run_in_threadpool(request.app.state.archive.authenticate, key)
        except ChithiError:
            pass
    return DEMO if demo_mode(request) else None


def same_origin(request: Request) -> None:
    """Refuse a state-changing request sent from another site."""
    if request.method in ("GET", "HEAD"):
        return
    source = request.headers.get("origin") or request.headers.get("referer")
    if source and source != "null":
        parts = urlsplit(source)
        if (parts.scheme, parts.netloc) != (request.url.scheme, request.url.netloc):
            raise Forbidden("the request comes from another site")


def page_user(*roles: str):
    """A dependency for HTML pages: the principal, or :class:`NeedLogin` (shows the login)."""
    async def dep(request: Request) -> Principal:
        same_origin(request)
        principal = await current(request)
        if principal is None:
            raise NeedLogin()
        if roles and principal.role not in roles:
            raise PageError(403, ERROR_TEXT["E403"], f"vai trò: {ROLE_TEXT.get(principal.role)}")
        return principal
    return dep


def json_user(*roles: str):
    """A dependency for the UI's JSON endpoints: problem+json 401/403 instead of a redirect."""
    async def dep(request: Request) -> Principal:
        same_origin(request)
        principal = await current(request)
        if principal is None:
            raise Unauthenticated("đăng nhập bằng khóa API trước")
        if roles and principal.role not in roles:
            raise Forbidden(f"vai trò '{principal.role}' không được làm việc này", role=principal.role)
        return principal
    return dep


Anyone = Annotated[Principal, Depends(page_user())]
ReaderPage = Annotated[Principal, Depends(page_user("clerk", "legal", "admin"))]
ClerkPage = Annotated[Principal, Depends(page_user("clerk", "admin"))]
ClerkJson = Annotated[Principal, Depends(json_user("clerk", "admin"))]
ReaderJson = Annotated[Principal, Depends(json_user("clerk", "legal", "admin"))]


def signed(principal: Principal) -> str:
    return "web:demo" if principal is DEMO else who(principal)


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no "//")."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def home_of(principal: Principal) -> str:
    if principal.role == "agency" and principal.agency_id:
        return f"/ui/agencies/{quote(principal.agency_id, safe=':')}"
    if principal.role == "legal":
        return "/ui/search"
    return "/ui/upload"


async def need_login(request: Request, exc: NeedLogin) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/ui/login?next={quote(target, safe='')}", status_code=303)


@router.get("/ui/login", include_in_schema=False)
async def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", None, next=safe_next(next), error=None,
                  title="Đăng nhập")


@router.post("/ui/login", include_in_schema=False)
async def login(request: Request, key: Annotated[str, Form(max_length=200)],
                next: Annotated[str | None, Form()] = None) -> Response:
    same_origin(request)
    try:
        principal = await run_in_threadpool(request.app.state.archive.authenticate, key.strip())
    except ChithiError:
        return render(request, "login.html", None, next=safe_next(next), status_code=401,
                      error="Khóa API không đúng hoặc đã bị thu hồi.", title="Đăng nhập")
    target = safe_next(next)
    response = RedirectResponse(home_of(principal) if target == "/" else target, status_code=303)
    response.set_cookie(COOKIE, key.strip(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response


@router.post("/ui/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    same_origin(request)
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/", include_in_schema=False)
async def root(request: Request) -> Response:
    principal = await current(request)
    if principal is None:
        return RedirectResponse("/ui/login", status_code=303)
    return RedirectResponse(home_of(principal), status_code=303)
