"""Jinja2 templates, Vietnamese labels and formatting helpers for the web pages."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from chithi import errors
from chithi.models import Deadline, Principal

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

# problem+json codes in plain Vietnamese (the upload page shows these)
ERROR_TEXT = {
    "E000": "Lỗi không xác định ở máy chủ. Hãy thử lại sau.",
    "E100": "Tệp không hợp lệ.",
    "E101": "Tệp rỗng: tệp không có nội dung.",
    "E102": "Định dạng không hỗ trợ: chỉ nhận PDF, ảnh PNG, JPEG, TIFF hoặc văn bản .txt.",
    "E103": "Tệp bị hỏng hoặc không đọc được.",
    "E104": "PDF cần mật khẩu: hãy gỡ mật khẩu rồi tải lên lại.",
    "E105": "Tài liệu có quá nhiều trang.",
    "E106": "Ảnh quá lớn (quá nhiều điểm ảnh).",
    "E107": "Không nhận ra bảng mã của văn bản: hãy lưu lại dưới dạng UTF-8.",
    "E108": "Tài liệu không có trang nào.",
    "E109": "Tệp vượt quá dung lượng cho phép.",
    "E200": "Lỗi khi xử lý tài liệu.",
    "E201": "Xử lý tài liệu quá thời gian cho phép.",
    "E202": "Máy chủ chưa cài Tesseract hoặc dữ liệu tiếng Việt để nhận dạng ảnh.",
    "E304": "Không tìm thấy.",
    "E322": "Yêu cầu không hợp lệ.",
    "E401": "Phiên đăng nhập đã hết: hãy đăng nhập lại bằng khóa API.",
    "E403": "Khóa API này không có quyền làm việc này.",
}
STATUS_TEXT = {"open": "Chưa làm", "in_progress": "Đang làm", "done": "Đã xong"}
DOC_STATUS = {"stored": "Đã lưu", "processing": "Đang xử lý", "done": "Đã xử lý", "failed": "Lỗi"}
ROLE_TEXT = {"lead": "Chủ trì", "support": "Phối hợp", "report_to": "Nhận báo cáo",
             "clerk": "Văn thư", "legal": "Pháp chế", "agency": "Cơ quan", "admin": "Quản trị"}
FREQ_TEXT = {"DAILY": "hằng ngày", "WEEKLY": "hằng tuần", "MONTHLY": "hằng tháng",
             "QUARTERLY": "hằng quý", "YEARLY": "hằng năm"}


class PageError(Exception):
    """Shown as an HTML error page (the API's problem+json is for programs)."""

    def __init__(self, status: int, title: str, detail: str = "") -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail


def page_error(exc: errors.ChithiError) -> PageError:
    return PageError(exc.status, ERROR_TEXT.get(exc.code, exc.title), exc.message)


def vn_date(value: str | None) -> str:
    """ISO date as dd/mm/yyyy ("" for none)."""
    if not value:
        return ""
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def deadline_text(d: Deadline | dict) -> str:
    """A deadline for people: "31/12/2025", "Định kỳ hằng tháng, ngày 10", or as written."""
    if isinstance(d, dict):
        d = Deadline.model_validate(d)
    if d.kind == "date" and d.date:
        prefix = {"month": "trong tháng ", "quarter": "trong quý đến ", "year": "trong năm đến "}
        return prefix.get(d.precision or "", "") + vn_date(d.date)
    if d.kind == "recurring":
        parts = ["Định kỳ " + FREQ_TEXT.get(d.freq or "", "").strip()]
        if d.day and d.month:
            parts.append(f"ngày {d.day}/{d.month}")
        elif d.day:
            parts.append(f"ngày {d.day}")
        return ", ".join(p for p in parts if p.strip()) or (d.text or "Định kỳ")
    if d.kind == "relative" and d.relative_days is not None:
        return f"{d.text} ({d.relative_days} ngày)" if d.text else f"trong {d.relative_days} ngày"
    return d.text or ""


def percent(value: float | None) -> str:
    return "" if value is None else f"{round(100 * value)}%"


def url_id(value: str) -> str:
    """An id as one URL path segment (agency ids keep their colon; "#" becomes %23)."""
    return quote(value, safe=":")


templates.env.filters.update(vn_date=vn_date, deadline_text=deadline_text, percent=percent,
                             url_id=url_id)
templates.env.globals.update(STATUS_TEXT=STATUS_TEXT, DOC_STATUS=DOC_STATUS, ROLE_TEXT=ROLE_TEXT,
                             ERROR_TEXT_JSON=json.dumps(ERROR_TEXT, ensure_ascii=False))


def render(request: Request, name: str, principal: Principal | None, *, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    demo = bool(getattr(request.app.state.settings, "demo", False))
    return templates.TemplateResponse(request, name, {"user": principal, "demo": demo, **context},
                                      status_code=status_code,
                                      headers={"Cache-Control": "no-store",
                                               "X-Content-Type-Options": "nosniff"})


async def show_error(request: Request, exc: PageError) -> HTMLResponse:
    return render(request, "error.html", None, status_code=exc.status, title=exc.title,
                  error=exc)
