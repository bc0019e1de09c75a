"""End to end in Debian's Chromium: login, upload a real scan (OCR), review a deadline on the
page image, see it on the agency's task board; search a text document in demo mode."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from chithi.text import fold

from web_helpers import shot

SCAN = "scans/004_ab66ba41325aaf9c/clean/p01.png"


def _login(page, server, target: str = "/ui/upload") -> None:
    page.goto(server.url + target)
    expect(page).to_have_url(re.compile(r"/ui/login\?next="))
    page.get_by_label("Khóa API").fill(server.key)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(server.url + target)


def test_login_is_required_and_a_bad_key_is_refused(server, page):
    page.goto(server.url + "/")
    expect(page).to_have_url(re.compile(r"/ui/login$"))
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Khóa API").fill("chk_not_a_key")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Khóa API không đúng")
    shot(page, "login-refused")
    # the page images and job endpoints are closed without the cookie too
    assert page.request.get(server.url + "/ui/jobs/x").status == 401
    _login(page, server, "/ui/search")
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_contain_text("Tra cứu")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/ui/login$"))
    page.goto(server.url + "/ui/agencies")
    expect(page).to_have_url(re.compile(r"/ui/login\?next=%2Fui%2Fagencies"))


def _settled(page, locator, *, wait_ms: int = 5000) -> None:
    """Server-rendered pages show the graph as it was when they were rendered: a change made a
    moment before (a job just done, a correction just saved) may need one reload to appear."""
    try:
        expect(locator.first).to_be_attached(timeout=wait_ms)
    except AssertionError:
        page.reload()


def test_scan_upload_review_deadline_and_task_board(server, page, shared):
    _login(page, server)
    # an empty file dropped on the drop zone: the error in plain Vietnamese
    page.evaluate("""() => {
        const dt = new DataTransfer();
        dt.items.add(new File([], "rong.txt", {type: "text/plain"}));
        document.getElementById("drop").dispatchEvent(
            new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""")
    page.set_input_files("#files", str(shared / SCAN))
    empty = page.locator("#progress li").filter(has_text="rong.txt")
    expect(empty).to_contain_text("Tệp rỗng")
    expect(empty).to_have_class(re.compile("failed"))
    scan = page.locator("#progress li").filter(has_text="p01.png")
    expect(scan).to_contain_text(re.compile(r"Xong: 1 trang, \d+ nhiệm vụ"), timeout=180_000)
    shot(page, "upload")

    scan.get_by_role("link", name="Mở văn bản").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chỉ thị")
    image = page.get_by_role("img", name=re.compile("Ảnh trang 1"))
    expect(image).to_be_visible()
    page.wait_for_function("() => document.querySelector('figure.page img').naturalWidth > 0")
    for kind in ("obligation", "agency", "reference"):  # the page's script draws the boxes after the image loads
        expect(page.locator(f".sheet .box.k-{kind}").first).to_be_attached()
    # a box sits on the image, inside it
    img_box, fact_box = image.bounding_box(), page.locator(".box.k-obligation").first.bounding_box()
    assert img_box["x"] <= fact_box["x"] and fact_box["x"] + fact_box["width"] <= img_box["x"] + img_box["width"] + 2
    assert img_box["y"] <= fact_box["y"] and fact_box["y"] + fact_box["height"] <= img_box["y"] + img_box["height"] + 2
    page.locator("#ob-o1").get_by_role("button", name="Xem vị trí").click()
    expect(page.locator('.box.active[data-ob="o1"]').first).to_be_visible()
    expect(page.locator("#ob-o1")).to_have_class(re.compile("selected"))
    shot(page, "document-scan")

    due = date.today() - timedelta(days=10)  # already past: the board shows it overdue
    page.locator("#ob-o1 summary").click()
    page.locator("#due-o1-new").fill(due.isoformat())
    page.locator("#ob-o1").get_by_role("button", name="Lưu sửa").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu")).to_contain_text("o1")
    shown = due.strftime("%d/%m/%Y")
    expect(page.locator("#ob-o1 .facts")).to_contain_text(shown)
    page.reload()  # it persisted
    expect(page.locator("#ob-o1 .facts")).to_contain_text(shown)
    expect(page.locator("#ob-o1")).to_contain_text("Đã rà soát")
    shot(page, "document-corrected")

    page.get_by_role("link", name="Cơ quan", exact=True).click()
    group = page.get_by_role("link", name=re.compile("Ủy ban nhân dân các huyện")).first
    _settled(page, group)
    group.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nhiệm vụ của")
    task = page.locator(".col-open li.task").filter(has_text=shown)
    _settled(page, task)
    expect(task).to_have_count(1)
    expect(task).to_contain_text("Quá hạn")
    expect(page.locator(".col-open li.task").first).to_contain_text("Quá hạn")  # overdue first
    csv = page.request.get(server.url + page.get_by_role("link", name="Tải CSV").get_attribute("href"))
    assert csv.ok and due.isoformat() in csv.text()
    ics = page.request.get(server.url + page.get_by_role("link", name=re.compile("iCalendar")).get_attribute("href"))
    assert ics.ok and "BEGIN:VCALENDAR" in ics.text()
    task.get_by_label("Trạng thái").select_option("in_progress")
    task.get_by_role("button", name="Cập nhật").click()
    expect(page.locator(".col-in_progress li.task").filter(has_text=shown)).to_have_count(1)
    expect(page.locator(".col-open li.task").filter(has_text=shown)).to_have_count(0)
    shot(page, "agency-board")


def test_demo_mode_search_and_text_document(demo_server, page, root):
    page.goto(demo_server.url + "/")
    expect(page).to_have_url(demo_server.url + "/ui/upload")  # no login in demo mode
    expect(page.get_by_text("Chế độ trình diễn")).to_be_visible()
    files = [str(root / "corpora" / n) for n in ("002_b9256b626c0d84a5.txt", "004_ab66ba41325aaf9c.txt")]
    page.set_input_files("#files", files)
    for name in files:
        line = page.locator("#progress li").filter(has_text=name.rsplit("/", 1)[-1])
        expect(line).to_contain_text("Xong", timeout=60_000)

    page.get_by_role("link", name="Tra cứu").click()
    page.get_by_label(re.compile("^Từ khóa")).fill("so noi vu")  # no accents
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ nhiệm vụ tìm thấy"))).to_be_visible()
    results = page.locator("li.result")
    expect(results.first).to_be_visible()
    for i in range(results.count()):  # every result shows the words found, accents or not
        marked = {fold(m) for m in results.nth(i).locator("mark.hit").all_inner_texts()}
        assert marked and marked <= {"so", "noi", "vu"}, marked
    expect(results.filter(has_text="Sở Nội vụ").first).to_be_visible()
    total = int(page.get_by_role("heading", name=re.compile("tìm thấy")).inner_text().split()[0])
    page.get_by_label("Cơ quan ban hành").fill("kon tum")
    page.get_by_role("button", name="Tìm").click()
    narrowed = int(page.get_by_role("heading", name=re.compile("tìm thấy")).inner_text().split()[0])
    assert 1 <= narrowed <= total
    shot(page, "search")

    results.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/ui/documents/\w+#ob-o\d+"))
    expect(page.locator(".doc-text mark.k-agency").first).to_be_visible()
    expect(page.locator(".ob.selected")).to_have_count(1)
    mark = page.locator(".doc-text mark.k-deadline[data-ob]").first
    ob = mark.get_attribute("data-ob")
    mark.click()
    expect(page.locator(f"#ob-{ob}")).to_have_class(re.compile("selected"))
    expect(page.locator(f"#ob-{ob}")).to_be_in_viewport()
    expect(page.locator(f"#ob-{ob} .val.recurring").first).to_be_visible()
    shot(page, "document-text", full=False)


def test_a_poorly_read_page_stands_out(server, page, shared, tmp_path):
    """The seed scan made coarse (1/8 resolution, blurred): real OCR reads it badly."""
    from PIL import Image, ImageFilter

    with Image.open(shared / SCAN) as im:
        im = im.convert("L")
        coarse = im.resize((im.width // 8, im.height // 8)).resize(im.size)
        path = tmp_path / "mo-nhoe.png"
        coarse.filter(ImageFilter.GaussianBlur(2)).save(path)
    _login(page, server)
    page.set_input_files("#files", str(path))
    line = page.locator("#progress li").filter(has_text="mo-nhoe.png")
    expect(line).to_contain_text("Xong", timeout=180_000)
    line.get_by_role("link", name="Mở văn bản").click()
    expect(page.get_by_role("note")).to_contain_text("Trang cần kiểm tra")
    page.wait_for_function("() => document.querySelector('figure.page img').naturalWidth > 0")
    expect(page.locator("figure.page.needs-review figcaption")).to_contain_text("Cần kiểm tra trang này")
    shot(page, "document-needs-review", full=False)
