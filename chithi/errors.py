"""A small exception hierarchy with stable codes.

Every error the product raises on purpose is a :class:`ChithiError` with a stable ``code``
(``E1xx`` input, ``E2xx`` processing, ``E3xx`` storage, ``E4xx`` access), an HTTP status and
a Vietnamese ``title`` for people. The API maps them once to RFC 9457 problem+json; the CLI
prints ``code: message`` and exits non-zero.
"""
from __future__ import annotations


class ChithiError(Exception):
    code = "E000"
    status = 500
    title = "Lỗi không xác định"

    def __init__(self, message: str = "", **context: object) -> None:
        super().__init__(message or self.title)
        self.message = message or self.title
        self.context = context

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "detail": self.message, **{
            k: v for k, v in self.context.items() if isinstance(v, (str, int, float, bool, type(None)))}}


# --- input (E1xx): the file itself is the problem ----------------------------------------

class InputError(ChithiError):
    code, status, title = "E100", 400, "Tệp đầu vào không hợp lệ"


class EmptyInput(InputError):
    code, status, title = "E101", 400, "Tệp rỗng"


class UnsupportedFormat(InputError):
    code, status, title = "E102", 415, "Định dạng tệp không được hỗ trợ"


class CorruptFile(InputError):
    code, status, title = "E103", 422, "Tệp bị hỏng hoặc không đọc được"


class EncryptedPDF(InputError):
    code, status, title = "E104", 422, "PDF cần mật khẩu để mở"


class TooManyPages(InputError):
    code, status, title = "E105", 413, "Tài liệu có quá nhiều trang"


class ImageTooLarge(InputError):
    code, status, title = "E106", 413, "Ảnh quá lớn"


class UnknownEncoding(InputError):
    code, status, title = "E107", 422, "Không nhận ra bảng mã của văn bản"


class NoPages(InputError):
    code, status, title = "E108", 422, "Tài liệu không có trang nào"


class FileTooLarge(InputError):
    code, status, title = "E109", 413, "Tệp vượt quá dung lượng cho phép"


# --- processing (E2xx) -------------------------------------------------------------------

class ProcessingError(ChithiError):
    code, status, title = "E200", 500, "Lỗi khi xử lý tài liệu"


class ProcessingTimeout(ProcessingError):
    code, status, title = "E201", 504, "Xử lý tài liệu quá thời gian cho phép"


class OCRUnavailable(ProcessingError):
    code, status, title = "E202", 503, "Không tìm thấy Tesseract hoặc dữ liệu tiếng Việt"


# --- storage (E3xx) ----------------------------------------------------------------------

class StorageError(ChithiError):
    code, status, title = "E300", 500, "Lỗi lưu trữ"


class NotFound(ChithiError):
    code, status, title = "E304", 404, "Không tìm thấy"


class Conflict(ChithiError):
    code, status, title = "E309", 409, "Xung đột dữ liệu"


class InvalidRequest(ChithiError):
    code, status, title = "E322", 422, "Yêu cầu không hợp lệ"


# --- access (E4xx) -----------------------------------------------------------------------

class Unauthenticated(ChithiError):
    code, status, title = "E401", 401, "Cần khóa API hợp lệ"


class Forbidden(ChithiError):
    code, status, title = "E403", 403, "Không có quyền truy cập"
