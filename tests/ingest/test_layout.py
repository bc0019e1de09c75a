"""Reading order of two-column blocks (``ingest.layout``), on made-up line geometry in the
shape of an A4 page 1000 units wide: header, "Kính gửi", body, "Nơi nhận" and signature."""
from __future__ import annotations

from ingest.layout import Line, LWord, assemble, order_columns

W = 1000


def line(y: int, *spans: tuple[int, int, str]) -> Line:
    """A line at height ``y`` with one word group per (x0, x1, text) span."""
    words = []
    for x0, x1, text in spans:
        parts = text.split()
        step = (x1 - x0) / len(parts)
        for k, part in enumerate(parts):
            words.append(LWord(part, int(x0 + k * step), y, int(x0 + (k + 1) * step - 8), y + 30))
    return Line(words)


def read(lines: list[Line]) -> list[str]:
    text, _ = assemble(order_columns(lines, W))
    return [ln for ln in text.split("\n") if ln]


def test_header_with_narrow_gutter_reads_left_column_then_right_then_kinh_gui():
    lines = [
        line(100, (210, 400, "ỦY BAN NHÂN DÂN"), (470, 910, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        line(130, (175, 435, "THÀNH PHỐ THANH HÓA"), (550, 830, "Độc lập - Tự do - Hạnh phúc")),
        line(170, (215, 395, "Số: 643 /UBND-TTr"), (490, 890, "TP. Thanh Hóa, ngày 06 tháng 03 năm 2018")),
        line(200, (150, 460, "V/v tăng cường kỷ cương, kỷ luật hành")),
        line(228, (150, 460, "chính, nâng cao hiệu quả thực thi công")),
        line(256, (290, 318, "vụ.")),
        line(310, (200, 288, "Kính gửi:")),
        line(352, (200, 500, "- Trưởng các phòng, ban, đơn vị;")),
        line(395, (200, 905, "Năm 2017, công tác chỉ đạo, điều hành của chính quyền từ thành phố")),
    ]
    assert read(lines) == [
        "ỦY BAN NHÂN DÂN", "THÀNH PHỐ THANH HÓA", "Số: 643 /UBND-TTr",
        "V/v tăng cường kỷ cương, kỷ luật hành", "chính, nâng cao hiệu quả thực thi công", "vụ.",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "TP. Thanh Hóa, ngày 06 tháng 03 năm 2018",
        "Kính gửi:", "- Trưởng các phòng, ban, đơn vị;",
        "Năm 2017, công tác chỉ đạo, điều hành của chính quyền từ thành phố",
    ]


def test_recipient_list_running_on_below_the_signature_stays_in_its_column():
    lines = [
        line(100, (170, 400, "Chỉ thị này được phổ biến"), (430, 880, "đến các sở, ban, ngành")),
        line(160, (170, 250, "Nơi nhận:"), (610, 760, "CHỦ TỊCH")),
        line(187, (170, 330, "- Văn phòng Chính phủ;")),
        line(214, (170, 280, "- Bộ Nội vụ;")),
        line(241, (170, 400, "- Sở, ban, ngành tỉnh;"), (610, 800, "Nguyễn Trung Hiếu")),
        line(268, (170, 400, "- Các đơn vị sự nghiệp;")),
        line(295, (170, 360, "- BCHQS tỉnh;")),
        line(322, (170, 470, "- Lưu: TH, KT, VX, XD, NC.")),
    ]
    assert read(lines)[1:] == [
        "Nơi nhận:", "- Văn phòng Chính phủ;", "- Bộ Nội vụ;", "- Sở, ban, ngành tỉnh;",
        "- Các đơn vị sự nghiệp;", "- BCHQS tỉnh;", "- Lưu: TH, KT, VX, XD, NC.",
        "CHỦ TỊCH", "Nguyễn Trung Hiếu",
    ]


def test_signature_above_a_copy_header_is_read_where_it_stands():
    """Right-aligned lines well above the first left line are not the top of a column."""
    lines = [
        line(100, (600, 820, "T/M BAN THƯỜNG VỤ")),
        line(135, (560, 850, "PHÓ BÍ THƯ THƯỜNG TRỰC")),
        line(180, (600, 820, "Đã ký: Hồ Thị Cẩm Đào")),
        line(300, (220, 340, "Số 93 -BS/HU"), (620, 800, "HUYỆN ỦY MỸ TÚ")),
        line(335, (220, 530, "Mỹ Tú, ngày 05 tháng 02 năm 2024")),
    ]
    assert read(lines)[:3] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Đã ký: Hồ Thị Cẩm Đào"]


def test_justified_body_lines_are_never_split_into_columns():
    lines = [line(100 + 28 * k, (150, 900, "công tác tham mưu của một số phòng ban đơn vị còn thiếu"))
             for k in range(4)]
    assert read(lines) == ["công tác tham mưu của một số phòng ban đơn vị còn thiếu"] * 4


def test_a_lone_two_column_line_becomes_two_lines():
    lines = [line(100, (170, 360, "Số: 2750/QĐ-BGDĐT"), (500, 840, "Hà Nội, ngày 03 tháng 10 năm 2025")),
             line(160, (440, 580, "QUYẾT ĐỊNH"))]
    assert read(lines) == ["Số: 2750/QĐ-BGDĐT", "Hà Nội, ngày 03 tháng 10 năm 2025", "QUYẾT ĐỊNH"]
