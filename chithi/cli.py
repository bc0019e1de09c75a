"""The ``chithi`` command line: extract, text, ingest, tasks, serve, keys, worker."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from chithi.errors import ChithiError
from chithi.settings import Settings, get_settings

app = typer.Typer(help="chithi: Vietnamese directives in, per-agency task lists out.",
                  no_args_is_help=True, add_completion=False)
keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 160)  # piped tables stay readable

SUPPORTED = {".txt", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def _settings(db: str | None, home: Path | None) -> Settings:
    base = get_settings()
    update = {}
    if db:
        update["db"] = db
    if home:
        update["home"] = home
    return base.model_copy(update=update) if update else base


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)


def _fail(exc: ChithiError, name: str) -> None:
    err.print(f"[red]✗ {name}: {exc.code} {exc.message}[/red]")


@app.command()
def extract(files: Annotated[list[Path], typer.Argument(help="Files: .txt .pdf .png .jpg .tif")],
            out_dir: Annotated[Optional[Path], typer.Option("--out", help="Write DIR/<stem>.json per input")] = None,
            compact: Annotated[bool, typer.Option(help="One-line JSON")] = False) -> None:
    """Print each file's extraction as JSON (nothing is stored)."""
    import ingest
    import nlp

    settings = get_settings()
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    with _progress() as progress:
        task = progress.add_task("extract", total=len(files))
        for path in files:
            try:
                doc = ingest.read_document(path, filename=path.name, max_pages=settings.max_pages,
                                           timeout_s=settings.doc_timeout_s, workers=settings.ocr_workers)
                result = nlp.extract(doc, file=path.name)
            except ChithiError as exc:
                failed += 1
                _fail(exc, str(path))
                progress.advance(task)
                continue
            text = result.to_json(indent=None if compact else 2)
            if out_dir:
                (out_dir / f"{path.stem}.json").write_text(text + "\n", encoding="utf-8")
            else:
                sys.stdout.write(text + "\n")
            progress.advance(task)
    if failed:
        raise typer.Exit(1)


@app.command()
def text(file: Path, pages: Annotated[bool, typer.Option("--pages", help="Show page numbers and confidence")] = False) -> None:
    """Print the document text exactly as the later stages read it (NFC, pages split by a form feed)."""
    import ingest

    settings = get_settings()
    try:
        with _progress() as progress:
            task = progress.add_task("pages", total=None)
            doc = ingest.read_document(file, filename=file.name, max_pages=settings.max_pages,
                                       timeout_s=settings.doc_timeout_s, workers=settings.ocr_workers,
                                       progress=lambda done, total: progress.update(task, completed=done, total=total))
    except ChithiError as exc:
        _fail(exc, str(file))
        raise typer.Exit(1)
    if not pages:
        sys.stdout.write(doc.text + ("\n" if not doc.text.endswith("\n") else ""))
        return
    for page in doc.pages:
        conf = "" if page.confidence is None else f" conf={page.confidence:.2f}"
        flag = " REVIEW" if page.needs_review else ""
        sys.stdout.write(f"=== page {page.number} ({page.method}{conf}{flag}) ===\n")
        sys.stdout.write(doc.text[page.start:page.end] + "\n")


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="Files or folders")],
           db: Annotated[Optional[str], typer.Option(help="Database URL (default: CHITHI_DB or SQLite in CHITHI_HOME)")] = None,
           home: Annotated[Optional[Path], typer.Option(help="Archive folder (CHITHI_HOME)")] = None) -> None:
    """Put files or folders into the archive (deduplicated by content hash)."""
    from services.archive import Archive

    archive = Archive(_settings(db, home))
    try:
        with _progress() as progress:
            files = progress.add_task("tệp", total=None)
            pages = progress.add_task("trang", total=None, visible=False)

            def on_progress(event) -> None:
                progress.update(files, completed=event.file_index + (event.stage in ("done", "duplicate", "failed")),
                                total=event.files_total, description=f"tệp {event.filename[:40]}")
                if event.stage == "page" and event.pages_total:
                    progress.update(pages, completed=event.pages_done, total=event.pages_total, visible=True)

            summary = archive.ingest_paths(list(paths), progress=on_progress)
    finally:
        archive.close()
    for result in summary.results:
        mark = "[green]+[/green]" if result.created else "[yellow]=[/yellow]"
        err.print(f"{mark} {result.filename}: {result.status}, {result.pages} trang, "
                  f"{result.obligations} nhiệm vụ ({result.document_id})")
    for failure in summary.failures:
        err.print(f"[red]✗ {failure.path}: {failure.code} {failure.message}[/red]")
    err.print(f"{summary.created} added, {summary.duplicates} already in the archive, "
              f"{summary.failed} failed; {summary.pages} pages, {summary.obligations} obligations "
              f"in {summary.seconds:.1f} s")
    if summary.failures:
        raise typer.Exit(1)


@app.command()
def tasks(agency: str,
          fmt: Annotated[str, typer.Option("--format", help="table | json | csv")] = "table",
          db: Annotated[Optional[str], typer.Option(help="Database URL")] = None,
          home: Annotated[Optional[Path], typer.Option(help="Archive folder")] = None,
          groups: Annotated[bool, typer.Option(help="Include tasks addressed to groups it belongs to")] = True) -> None:
    """An agency's task list from the knowledge graph built over the archive."""
    from services.archive import Archive

    archive = Archive(_settings(db, home))
    try:
        lists = archive.agency_tasks(agency, include_groups=groups)
    finally:
        archive.close()
    if not lists:
        err.print(f"[yellow]No agency matches {agency!r}[/yellow]")
        raise typer.Exit(1)
    if fmt == "json":
        sys.stdout.write(json.dumps([item.model_dump(mode="json") for item in lists], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["agency", "role", "via_group", "status", "next_due", "deadlines", "document", "section", "task"])
        for item in lists:
            for t in item.tasks:
                writer.writerow([item.agency.name, t.role, t.via_group or "", t.status, t.next_due or "",
                                 "; ".join(_deadline_label(d) for d in t.deadlines),
                                 t.document_number or t.document_id, t.section or "", t.text])
        sys.stdout.write(buf.getvalue())
    elif fmt == "table":
        for item in lists:
            table = Table(title=f"{item.agency.name} — {len(item.tasks)} việc", show_lines=True, expand=True)
            for col in ("vai trò", "hạn", "văn bản", "mục", "nhiệm vụ"):
                table.add_column(col, overflow="fold")
            for t in item.tasks:
                role = t.role + (f" (qua {t.via_group})" if t.via_group else "")
                due = ", ".join(_deadline_label(d) for d in t.deadlines) or "—"
                doc = f"{t.document_type or ''} {t.document_number or ''}".strip() or t.document_id
                table.add_row(role, due, doc, t.section or "", t.text[:300])
            out.print(table)
    else:
        err.print("--format must be table, json or csv")
        raise typer.Exit(2)


def _deadline_label(d) -> str:
    if d.kind == "date" and d.date:
        return d.date
    if d.kind == "recurring":
        parts = [d.freq or ""]
        if d.day:
            parts.append(f"ngày {d.day}")
        if d.month:
            parts.append(f"tháng {d.month}")
        return " ".join(parts)
    if d.relative_days:
        return f"+{d.relative_days} ngày"
    return d.text


@app.command()
def serve(host: Annotated[Optional[str], typer.Option(help="Bind address")] = None,
          port: Annotated[Optional[int], typer.Option(help="Port")] = None,
          demo: Annotated[bool, typer.Option(help="Web page without login (local demo only)")] = False) -> None:
    """Run the API (and the in-process worker) with uvicorn."""
    import os

    import uvicorn

    if demo:
        os.environ["CHITHI_DEMO"] = "1"
        get_settings.cache_clear()
    settings = get_settings()
    uvicorn.run("api.app:create_app", factory=True, host=host or settings.host, port=port or settings.port)


@app.command()
def worker(concurrency: Annotated[int, typer.Option(help="Jobs at once")] = 1,
           pool: Annotated[str, typer.Option(help="solo | prefork | threads")] = "solo",
           loglevel: Annotated[str, typer.Option(help="Log level")] = "INFO") -> None:
    """Run a Celery worker for uploaded documents (needs CHITHI_BROKER, e.g. redis://127.0.0.1:6379/0)."""
    from services.celery_app import worker_command

    try:
        raise typer.Exit(worker_command(concurrency=concurrency, pool=pool, loglevel=loglevel))
    except ChithiError as exc:
        _fail(exc, "worker")
        raise typer.Exit(1)


@keys_app.command("create")
def keys_create(role: Annotated[str, typer.Argument(help="clerk | legal | agency | admin")],
                agency: Annotated[Optional[str], typer.Option(help="Agency id or name, for role agency")] = None,
                db: Annotated[Optional[str], typer.Option(help="Database URL")] = None,
                home: Annotated[Optional[Path], typer.Option(help="Archive folder")] = None) -> None:
    """Create an API key; it is printed once and stored hashed."""
    from services.archive import Archive

    archive = Archive(_settings(db, home))
    try:
        key = archive.create_key(role, agency_id=_agency_id(archive, agency) if agency else None)
    except ChithiError as exc:
        _fail(exc, "keys create")
        raise typer.Exit(1)
    finally:
        archive.close()
    sys.stdout.write(key + "\n")


def _agency_id(archive, name: str) -> str:
    """An agency key is bound to one agency: accept its id or a name that matches exactly one."""
    if name.startswith("agency:"):
        return name
    found = archive.agency_tasks(name, include_groups=False)
    if len(found) != 1:
        names = ", ".join(item.agency.name for item in found[:5]) or "none"
        raise typer.BadParameter(f"{name!r} matches {len(found)} agencies ({names}); give the agency id")
    return found[0].agency.id


@keys_app.command("revoke")
def keys_revoke(prefix: str, db: Annotated[Optional[str], typer.Option(help="Database URL")] = None,
                home: Annotated[Optional[Path], typer.Option(help="Archive folder")] = None) -> None:
    """Revoke an API key by its prefix."""
    from services.archive import Archive

    archive = Archive(_settings(db, home))
    try:
        archive.revoke_key(prefix)
    except ChithiError as exc:
        _fail(exc, "keys revoke")
        raise typer.Exit(1)
    finally:
        archive.close()
    err.print(f"revoked {prefix}")


if __name__ == "__main__":
    app()
