"""Hand-built extractions mirroring the seeds (004 Kon Tum, 000 Sóc Trăng), as nlp gives them."""
from __future__ import annotations

from chithi.models import Agency, Deadline, DocumentHeader, Extraction, Obligation, Reference, Span
from chithi.text import slug

KT = "tỉnh Kon Tum"
ST = "tỉnh Sóc Trăng"


def ag(name: str, *, locality: str | None = None, canonical: str | None = None, collective: bool = False,
       kind: str | None = None, level: str | None = None, at: int = 0) -> Agency:
    canonical = canonical or (f"{name} {locality}" if locality and not collective else name)
    return Agency(name=name, canonical=canonical, key=slug(canonical), kind=kind, level=level,
                  locality=locality, collective=collective, span=Span(start=at, end=at + len(name)))


def monthly(day: int, text: str) -> Deadline:
    return Deadline(kind="recurring", freq="MONTHLY", day=day, rrule=f"FREQ=MONTHLY;BYMONTHDAY={day}", text=text)


def yearly(day: int | None, month: int | None, text: str) -> Deadline:
    rule = "FREQ=YEARLY" + (f";BYMONTH={month}" if month else "") + (f";BYMONTHDAY={day}" if day else "")
    return Deadline(kind="recurring", freq="YEARLY", day=day, month=month, rrule=rule, text=text)


def fixed(iso: str, text: str) -> Deadline:
    return Deadline(kind="date", date=iso, precision="day", text=text)


def kt_groups(at: int) -> list[Agency]:
    return [ag("các sở, ban ngành", collective=True, at=at),
            ag("đơn vị thuộc Ủy ban nhân dân tỉnh", collective=True, at=at + 20),
            ag("Ủy ban nhân dân các huyện, thành phố", collective=True, at=at + 60)]


def kon_tum() -> Extraction:
    """Chỉ thị 15/CT-UBND of Kon Tum (the structure of seed 004)."""
    snv = lambda at: ag("Sở Nội vụ", locality=KT, kind="so", level="tinh", at=at)  # noqa: E731
    return Extraction(
        file="kt15.txt",
        document=DocumentHeader(type="Chỉ thị", number="15/CT-UBND", date="2024-07-01",
                                issuer="Ủy ban nhân dân tỉnh Kon Tum", locality=KT, signer="Lê Ngọc Tuấn",
                                signer_title="Phó Chủ tịch", signing_form="KT.",
                                subject="tăng cường kỷ luật, kỷ cương hành chính",
                                spans={"issuer": Span(start=0, end=30)}),
        references=[
            Reference(id="vb:26/CT-TTg", type="Chỉ thị", number="26/CT-TTg", date="2016-09-05",
                      issuer="Thủ tướng Chính phủ", text="Chỉ thị số 26/CT-TTg", spans=[Span(start=1100, end=1120)]),
            Reference(id="vb:02/CT-UBND", type="Chỉ thị", number="02/CT-UBND", date="2018-02-26",
                      issuer="Ủy ban nhân dân tỉnh", relation="replaces", text="Chỉ thị số 02/CT-UBND",
                      spans=[Span(start=5900, end=5921)]),
        ],
        obligations=[
            Obligation(id="o1", section="1.a", text="Tiếp tục tổ chức thực hiện có hiệu quả Chỉ thị số 26/CT-TTg ...",
                       lead=kt_groups(1000), lead_source="heading", span=Span(start=1000, end=1500)),
            Obligation(id="o2", section="1.i", text="Định kỳ hằng tháng trước ngày 10 và hằng năm trước ngày 10 "
                       "tháng 11 báo cáo kết quả về Sở Nội vụ ...", lead=kt_groups(1000),
                       report_to=[snv(2050)], deadlines=[monthly(10, "định kỳ hằng tháng trước ngày 10"),
                                                         yearly(10, 11, "hằng năm trước ngày 10 tháng 11")],
                       lead_source="heading", span=Span(start=2000, end=2200)),
            Obligation(id="o3", section="3.a", text="Sở Nội vụ tham mưu đánh giá hằng năm ...", lead=[snv(3000)],
                       deadlines=[yearly(None, None, "hằng năm")], span=Span(start=3000, end=3200)),
            Obligation(id="o4", section="3.c", text="Tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 13 hằng tháng ...",
                       lead=[Agency(name="Sở Nội vụ", canonical="Sở Nội vụ", key="so-noi-vu")],  # no locality
                       deadlines=[monthly(13, "trước ngày 13 hằng tháng"), yearly(13, 11, "trước ngày 13 tháng 11")],
                       span=Span(start=3300, end=3500)),
            Obligation(id="o5", section="2", text="Thanh tra tỉnh kiểm tra công vụ, xong trước 30/9/2024.",
                       lead=[ag("Thanh tra tỉnh", canonical="Thanh tra tỉnh Kon Tum", locality=KT, at=4000)],
                       deadlines=[fixed("2024-09-30", "trước 30/9/2024")], span=Span(start=4000, end=4200)),
            Obligation(id="o6", section="5", text="Đài Phát thanh và Truyền hình tỉnh tuyên truyền ...",
                       lead=[ag("Đài Phát thanh và Truyền hình tỉnh", canonical="Đài Phát thanh và Truyền hình tỉnh Kon Tum",
                                locality=KT, kind="su_nghiep", at=5000)],
                       support=[ag("các cơ quan báo chí", collective=True, at=5100)], span=Span(start=5000, end=5200)),
            Obligation(id="o7", section="6", text="Ủy ban nhân dân huyện Đăk Hà rà soát ...",
                       lead=[ag("Ủy ban nhân dân huyện Đăk Hà", locality="huyện Đăk Hà", canonical="Ủy ban nhân dân huyện Đăk Hà",
                                kind="ubnd", level="huyen", at=5500)],
                       deadlines=[fixed("2024-12-31", "trước 31/12/2024")], span=Span(start=5500, end=5700)),
        ])


def kon_tum_2018() -> Extraction:
    """The Chỉ thị 02/CT-UBND (2018) that kon_tum() replaces, ingested later."""
    return Extraction(
        file="kt02.txt",
        document=DocumentHeader(type="Chỉ thị", number="02/CT-UBND", date="2018-02-26",
                                issuer="Ủy ban nhân dân tỉnh Kon Tum", locality=KT, signer="Nguyễn Văn Hòa"),
        obligations=[Obligation(id="o1", section="1", text="Các sở, ban ngành chấn chỉnh lề lối làm việc ...",
                                lead=[ag("các sở, ban, ngành", collective=True, at=900)],
                                span=Span(start=900, end=1200))])


def soc_trang() -> Extraction:
    """Chỉ thị 10/CT-CTUBND of Sóc Trăng (the structure of seed 000)."""
    return Extraction(
        file="st10.txt",
        document=DocumentHeader(type="Chỉ thị", number="10 /CT-CTUBND", date="2012-12-28",
                                issuer="Ủy ban nhân dân tỉnh Sóc Trăng", locality=ST, signer="Lê Thành Trí"),
        references=[
            Reference(id="vb:03/2007/QĐ-BNV", type="Quyết định", number="03/2007/QĐ-BNV", date="2007-02-26",
                      issuer="Bộ Nội vụ", text="Quyết định số 03/2007/QĐ-BNV", spans=[Span(start=1210, end=1240)]),
            Reference(id="vb:02/CT-UBND", type="Chỉ thị", number="02/CT-UBND", date="2018-03-01",
                      issuer="Ủy ban nhân dân tỉnh", text="Chỉ thị số 02/CT-UBND", spans=[Span(start=50, end=70)]),
        ],
        obligations=[
            Obligation(id="o1", section="1.a", text="Chấn chỉnh lề lối làm việc theo Quyết định số 03/2007/QĐ-BNV ...",
                       lead=[ag("các sở, ban, ngành", collective=True, at=1000),
                             ag("các đơn vị sự nghiệp", collective=True, at=1020),
                             ag("Ủy ban nhân dân huyện, thị xã, thành phố, xã, phường, thị trấn", collective=True, at=1040)],
                       span=Span(start=1000, end=1500)),
            Obligation(id="o2", section="3.b", text="Sở Nội vụ định kỳ hàng năm kiểm tra và báo cáo Bộ Nội vụ ...",
                       lead=[ag("Sở Nội vụ", locality=ST, kind="so", level="tinh", at=3000)],
                       report_to=[ag("Bộ Nội vụ", kind="bo", level="trung_uong", at=3100)],
                       deadlines=[yearly(None, None, "định kỳ hàng năm")], span=Span(start=3000, end=3200)),
            Obligation(id="o3", section="3.c", text="Sở Tài chính có trách nhiệm ...",
                       lead=[ag("Sở Tài chính", locality=ST, kind="so", level="tinh", at=3300)],
                       span=Span(start=3300, end=3400)),
        ])


def pairs() -> list[tuple[str, Extraction]]:
    return [("kt15", kon_tum()), ("st10", soc_trang()), ("kt02", kon_tum_2018())]


def build(items):
    """A graph from pairs, one document at a time (``ArchiveGraph.from_documents`` is the bulk way)."""
    from knowledge_graph import ArchiveGraph

    g = ArchiveGraph()
    for doc_id, ex in items:
        g.add_document(doc_id, ex)
    return g
