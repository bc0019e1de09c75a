"""Knowledge-graph benchmark: ``python -m bench graph --docs 10000,100000``.

Builds a synthetic archive of Extractions shaped like the seeds (provincial Chỉ thị like 004
Kon Tum, district Công văn like 002, ministry directives, party directives like 001) over 63
provinces with their districts and communes, then reports graph build time, memory (RSS
growth while building) and agency task-list latency (p50/p95 over sampled agencies; target
p95 ≤ 20 ms at 100,000 documents).
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from datetime import date, timedelta

from chithi.models import Agency, Deadline, DocumentHeader, Extraction, Obligation, Reference, Span
from chithi.text import slug
from knowledge_graph import ArchiveGraph, agency_tasks
from knowledge_graph.normalize import key_of

PROVINCES = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình",
    "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
    "Thừa Thiên Huế", "Bình Long", "Sông Lam", "Tây Sơn", "Hoàng Sa", "Trường Sa"]
DISTRICT_NAMES = ["Đăk Hà", "Ngọc Hồi", "Sa Thầy", "Mỹ Tú", "Kế Sách", "Giồng Riềng", "Vĩnh Thuận", "Tân Phú",
                  "Châu Thành", "Phú Tân", "Long Hồ", "Cái Nước"]
SO = ["Sở Nội vụ", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Tư pháp", "Sở Thông tin và Truyền thông",
      "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Xây dựng", "Sở Công Thương", "Sở Giao thông vận tải"]
PHONG = ["Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính - Kế hoạch", "Phòng Văn hóa và Thông tin"]
BO = ["Bộ Nội vụ", "Bộ Tài chính", "Bộ Tư pháp", "Bộ Y tế", "Bộ Công Thương", "Bộ Xây dựng"]
TEXT = ("Tiếp tục tổ chức thực hiện có hiệu quả các quy định về tăng cường kỷ luật, kỷ cương hành chính, "
        "chấn chỉnh thái độ, trách nhiệm của cán bộ, công chức, viên chức trong thực thi công vụ")


def _span(r: random.Random) -> Span:
    s = r.randrange(0, 20000)
    return Span(start=s, end=s + 40)


def _ag(name: str, locality: str | None, *, collective: bool = False, kind: str | None = None,
        level: str | None = None, own_locality: bool = True) -> Agency:
    canonical = f"{name} {locality}" if locality and own_locality and not collective else name
    return Agency(name=name, canonical=canonical, key=key_of(canonical), kind=kind, level=level,
                  locality=locality, collective=collective)


def _monthly(r):
    d = r.choice([5, 10, 13, 15, 20, 25])
    return Deadline(kind="recurring", freq="MONTHLY", day=d, rrule=f"FREQ=MONTHLY;BYMONTHDAY={d}",
                    text=f"định kỳ hằng tháng trước ngày {d}")


def _yearly(r, with_day=True):
    if not with_day:
        return Deadline(kind="recurring", freq="YEARLY", rrule="FREQ=YEARLY", text="hằng năm")
    d, m = r.choice([10, 13, 15, 30]), r.choice([6, 11, 12])
    return Deadline(kind="recurring", freq="YEARLY", day=d, month=m, rrule=f"FREQ=YEARLY;BYMONTH={m};BYMONTHDAY={d}",
                    text=f"hằng năm trước ngày {d} tháng {m}")


def _quarterly(r):
    return Deadline(kind="recurring", freq="QUARTERLY", day=15, rrule="FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
                    text="định kỳ hằng quý trước ngày 15")


def _fixed(r, doc_date: date):
    d = doc_date + timedelta(days=r.randrange(20, 400))
    return Deadline(kind="date", date=d.isoformat(), precision="day", text=f"trước ngày {d:%d/%m/%Y}")


def _obl(i: int, n: int, text: str, **kw) -> Obligation:
    return Obligation(id=f"o{i}", section=str(i), text=f"{text} (văn bản {n}, mục {i}).", **kw)


def provincial(r: random.Random, n: int, prov: str, dd: date) -> Extraction:
    loc = f"tỉnh {prov}"
    groups = [_ag("các sở, ban ngành", loc, collective=True), _ag("đơn vị thuộc Ủy ban nhân dân tỉnh", loc, collective=True),
              _ag("Ủy ban nhân dân các huyện, thành phố", loc, collective=True)]
    obls = [_obl(i, n, TEXT, lead=groups, span=_span(r)) for i in range(1, r.randint(5, 10))]
    k = len(obls) + 1
    obls.append(_obl(k, n, "Báo cáo kết quả thực hiện về Sở Nội vụ", lead=groups,
                     report_to=[_ag("Sở Nội vụ", loc, kind="so", level="tinh")],
                     deadlines=[_monthly(r), _yearly(r)], span=_span(r)))
    for j, so in enumerate(r.sample(SO, 3)):
        obls.append(_obl(k + 1 + j, n, f"{so} chủ trì, phối hợp", lead=[_ag(so, loc, kind="so", level="tinh")],
                         support=[_ag("Thanh tra tỉnh", loc, kind="thanh_tra", level="tinh")],
                         deadlines=[r.choice([_yearly(r, False), _fixed(r, dd), _monthly(r)])], span=_span(r)))
    d = f"huyện {r.choice(DISTRICT_NAMES)} {prov}"
    obls.append(_obl(k + 4, n, "Ủy ban nhân dân huyện rà soát", lead=[_ag("Ủy ban nhân dân", d, kind="ubnd", level="huyen")],
                     deadlines=[_fixed(r, dd)], span=_span(r)))
    refs = [Reference(id="vb:26/CT-TTg", type="Chỉ thị", number="26/CT-TTg", date="2016-09-05",
                      issuer="Thủ tướng Chính phủ", text="Chỉ thị số 26/CT-TTg", spans=[obls[0].span])]
    if n > 100 and r.random() < 0.5:
        old = r.randrange(1, 40)
        refs.append(Reference(id=f"vb:{old}/CT-UBND", type="Chỉ thị", number=f"{old}/CT-UBND",
                              date=f"{dd.year - 1}-03-01", issuer="Ủy ban nhân dân tỉnh", relation="replaces",
                              text=f"Chỉ thị số {old}/CT-UBND"))
    return Extraction(document=DocumentHeader(
        type="Chỉ thị", number=f"{n % 40 + 1}/CT-UBND", date=dd.isoformat(), issuer=f"Ủy ban nhân dân {loc}",
        locality=loc, signer=f"Người Ký {prov}", subject="tăng cường kỷ luật, kỷ cương hành chính"),
        references=refs, obligations=obls)


def district(r: random.Random, n: int, prov: str, dd: date) -> Extraction:
    dname = f"{r.choice(DISTRICT_NAMES)} {prov}"
    loc, ploc = f"huyện {dname}", f"tỉnh {prov}"
    groups = [_ag("các phòng, ban, đơn vị", loc, collective=True), _ag("Ủy ban nhân dân các xã, thị trấn", loc, collective=True)]
    obls = [_obl(i, n, TEXT, lead=groups, span=_span(r)) for i in range(1, r.randint(3, 7))]
    k = len(obls) + 1
    for j, ph in enumerate(r.sample(PHONG, 2)):
        obls.append(_obl(k + j, n, f"{ph} tham mưu", lead=[_ag(ph, loc, kind="phong", level="huyen")],
                         report_to=[_ag("Ủy ban nhân dân", loc, kind="ubnd", level="huyen")],
                         deadlines=[r.choice([_quarterly(r), _fixed(r, dd)])], span=_span(r)))
    xa = f"xã {r.randint(1, 12)} {dname}"
    obls.append(_obl(k + 2, n, "Ủy ban nhân dân xã triển khai", lead=[_ag("Ủy ban nhân dân", xa, kind="ubnd", level="xa")],
                     deadlines=[_fixed(r, dd)], span=_span(r)))
    return Extraction(document=DocumentHeader(
        type="Công văn", number=f"{n}/UBND-VP", date=dd.isoformat(), issuer=f"Ủy ban nhân dân {loc}", locality=loc,
        issuer_parent=f"Ủy ban nhân dân {ploc}", signer=f"Chủ Tịch {dname}"), obligations=obls)


def ministry(r: random.Random, n: int, dd: date) -> Extraction:
    bo = r.choice(BO)
    groups = [_ag("các Bộ, cơ quan ngang Bộ", None, collective=True),
              _ag("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", None, collective=True)]
    obls = [_obl(i, n, TEXT, lead=groups, report_to=[_ag(bo, None, kind="bo", level="trung_uong")],
                 deadlines=[_yearly(r)] if i == 1 else [], span=_span(r)) for i in range(1, r.randint(3, 6))]
    return Extraction(document=DocumentHeader(type="Chỉ thị", number=f"{n}/CT-B{slug(bo)[3:6].upper()}",
                                              date=dd.isoformat(), issuer=bo, signer=f"Bộ Trưởng {bo[3:]}"),
                      obligations=obls)


def party(r: random.Random, n: int, prov: str, dd: date) -> Extraction:
    loc = f"tỉnh {prov}"
    obls = [_obl(1, n, TEXT, lead=[_ag("các cấp ủy, tổ chức đảng, chính quyền", loc, collective=True)], span=_span(r)),
            _obl(2, n, "Tham mưu kiểm điểm, đánh giá hằng năm", lead=[_ag("Ban Tổ chức Tỉnh ủy", loc, kind="dang", level="tinh",
                                                                        own_locality=False)],
                 deadlines=[_yearly(r, False)], span=_span(r))]
    return Extraction(document=DocumentHeader(type="Chỉ thị", number=f"{n}-CT/TU", date=dd.isoformat(),
                                              issuer=f"Ban Thường vụ Tỉnh ủy {prov}", locality=loc,
                                              signer=f"Bí Thư {prov}"), obligations=obls)


def archive(n_docs: int, *, seed: int = 7) -> list[tuple[str, Extraction]]:
    r = random.Random(seed)
    out = []
    for n in range(1, n_docs + 1):
        dd = date(2015, 1, 1) + timedelta(days=r.randrange(0, 3650))
        prov = r.choice(PROVINCES)
        x = r.random()
        ex = (provincial(r, n, prov, dd) if x < 0.25 else district(r, n, prov, dd) if x < 0.80
              else ministry(r, n, dd) if x < 0.90 else party(r, n, prov, dd))
        out.append((f"doc{n:06d}", ex))
    return out


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _timed(fn, items) -> list[float]:
    out = []
    for it in items:
        t = time.perf_counter()
        fn(it)
        out.append((time.perf_counter() - t) * 1000)
    return out


def run(n_docs: int, *, queries: int, today: date) -> dict:
    t = time.perf_counter()
    pairs = archive(n_docs)
    gen_s = time.perf_counter() - t
    gc.collect()
    rss0 = _rss_mb()
    t = time.perf_counter()
    graph = ArchiveGraph.from_documents(pairs)
    build_s = time.perf_counter() - t
    gc.collect()
    rss1 = _rss_mb()
    r = random.Random(1)
    ids = [a for a in graph.agency_ids() if not graph.g.nodes[a].get("collective")]
    sample = r.sample(ids, min(queries, len(ids)))
    snv = [a for a in ids if a.startswith("agency:so-noi-vu-tinh-")]
    sizes = {a: len(list(graph.g.pred[a])) for a in ids}
    query = lambda a: agency_tasks(graph, a, today=today)  # noqa: E731
    lat = _timed(query, sample)
    lat_snv = _timed(query, snv)
    counts = [len(query(a)) for a in snv]
    biggest = sorted(ids, key=lambda a: -len(graph.agency_tasks(a)))[:10]
    lat_big = _timed(query, biggest)
    lat_big_page = _timed(lambda a: agency_tasks(graph, a, today=today, limit=50), biggest)
    lat_snv_page = _timed(lambda a: agency_tasks(graph, a, today=today, limit=50), snv)
    lat_find = _timed(graph.find_agencies, ["Sở Nội vụ", "UBND tỉnh Kon Tum", "Phòng Tư pháp"] * 3)
    t = time.perf_counter()
    graph.add_document(pairs[0][0], pairs[0][1])
    readd_ms = (time.perf_counter() - t) * 1000
    del sizes
    return dict(docs=n_docs, nodes=graph.g.number_of_nodes(), edges=graph.g.number_of_edges(),
                agencies=len(ids), gen_s=gen_s, build_s=build_s, docs_per_s=n_docs / build_s, rss_mb=rss1 - rss0,
                q_n=len(lat), q_p50=_pct(lat, 50), q_p95=_pct(lat, 95), q_max=max(lat),
                snv_n=len(lat_snv), snv_tasks=statistics.median(counts) if counts else 0,
                snv_p50=_pct(lat_snv, 50), snv_p95=_pct(lat_snv, 95), snv_page_p95=_pct(lat_snv_page, 95),
                big_tasks=len(graph.agency_tasks(biggest[0])), big_p50=_pct(lat_big, 50), big_max=max(lat_big),
                big_page_p95=_pct(lat_big_page, 95), find_p95=_pct(lat_find, 95), readd_ms=readd_ms)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench graph")
    ap.add_argument("--docs", default="10000", help="comma-separated archive sizes")
    ap.add_argument("--queries", type=int, default=300, help="agencies sampled for the task-list query")
    ap.add_argument("--today", default="2024-10-05")
    a = ap.parse_args(argv)
    today = date.fromisoformat(a.today)
    for n in [int(x) for x in a.docs.split(",")]:
        s = run(n, queries=a.queries, today=today)
        print(f"docs={s['docs']:,} nodes={s['nodes']:,} edges={s['edges']:,} agencies={s['agencies']:,}")
        print(f"  generate {s['gen_s']:.1f}s; build {s['build_s']:.1f}s ({s['docs_per_s']:.0f} docs/s); "
              f"graph memory (RSS growth) {s['rss_mb']:.0f} MB; re-add one document {s['readd_ms']:.1f} ms")
        print(f"  agency_tasks, {s['q_n']} random agencies: p50 {s['q_p50']:.2f} ms, p95 {s['q_p95']:.2f} ms, "
              f"max {s['q_max']:.1f} ms")
        print(f"  agency_tasks, every Sở Nội vụ ({s['snv_n']}, median {s['snv_tasks']:.0f} tasks): "
              f"p50 {s['snv_p50']:.2f} ms, p95 {s['snv_p95']:.2f} ms; first page of 50: p95 {s['snv_page_p95']:.2f} ms")
        print(f"  agency_tasks, 10 largest lists (up to {s['big_tasks']:,} tasks): p50 {s['big_p50']:.1f} ms, "
              f"max {s['big_max']:.1f} ms; first page of 50: p95 {s['big_page_p95']:.1f} ms")
        print(f"  find_agencies p95 {s['find_p95']:.1f} ms")
    return 0
