"""Command line over the knowledge base: check content, build or update the index, search it.

Settings come from the registry the web app uses too (:mod:`kb.settings`): options, else
``KB_*`` environment variables, else ``<instance>/config.py``, else the defaults. The work
happens in :mod:`kb`; this module only parses options and prints.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

import kb
from kb import settings as registry
from kb.content import check_content
from kb.glossary import parse_glossary
from kb.index import BuildReport
from kb.searching import MAX_PER_PAGE
from kb.settings import Settings, documented_default

MARK_RE = re.compile(r"<mark>(.*?)</mark>")


def resolve(
    content: Sequence[Path] = (), index_dir: Path | None = None, glossary: Path | None = None
) -> Settings:
    """This run's settings: the given options over the registry's layers, as the app sees them
    (same instance folder, same environment)."""
    given = {"KB_CONTENT_DIR": tuple(content), "KB_INDEX_DIR": index_dir, "KB_GLOSSARY": glossary}
    overrides = {key: value for key, value in given.items() if value}
    try:
        return registry.resolve_settings(os.environ, registry.default_instance_path(), overrides)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _glossary(settings: Settings) -> Path | None:
    """The glossary to read, checked here since only the commands that read it need it."""
    path = settings.KB_GLOSSARY
    if path is not None and not path.is_file():
        raise click.UsageError(f"KB_GLOSSARY: no such file: {path}")
    return path


def _help(text: str, key: str) -> str:
    return f"{text} [env {key}; default {documented_default(key)}]"


content_option = click.option(
    "--content",
    "content",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help=_help("Content folder (<slug>/<locale>.md); repeat for several.", "KB_CONTENT_DIR"),
)
glossary_option = click.option(
    "--glossary",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=_help("Cross-language glossary (TSV).", "KB_GLOSSARY"),
)
index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help=_help("Index folder.", "KB_INDEX_DIR"),
)


force_option = click.option(
    "--force",
    is_flag=True,
    help="Publish even if it removes every article, or more than half of 10 or more.",
)


@click.group()
def cli() -> None:
    """Index and search the bilingual knowledge base."""


@cli.command()
@content_option
@glossary_option
def check(content: tuple[Path, ...], glossary: Path | None) -> None:
    """Validate content and glossary; print every problem as path:line, exit non-zero if any."""
    settings = resolve(content, glossary=glossary)
    roots = settings.KB_CONTENT_DIR
    errors = check_content(roots)
    glossary = _glossary(settings)
    if glossary is not None:
        errors += parse_glossary(glossary)[1]
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        raise click.ClickException(f"{len(errors)} problem(s) in {_names(roots)}")
    click.echo(f"content ok: {_names(roots)}")


@cli.command()
@content_option
@glossary_option
@index_option
@force_option
def build(
    content: tuple[Path, ...], glossary: Path | None, index_dir: Path | None, force: bool
) -> None:
    """Build a fresh index beside the live one and swap it in atomically."""
    _write(kb.build_index, content, glossary, index_dir, force)


@cli.command()
@content_option
@glossary_option
@index_option
@force_option
def update(
    content: tuple[Path, ...], glossary: Path | None, index_dir: Path | None, force: bool
) -> None:
    """Re-index only the articles whose files changed, appeared or vanished."""
    _write(kb.update_index, content, glossary, index_dir, force)


@cli.command()
@click.argument("query")
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, MAX_PER_PAGE), default=10)
@click.option("--json", "as_json", is_flag=True, help="Print the result page as JSON.")
@index_option
def search(
    query: str, lang: str, page: int, per_page: int, as_json: bool, index_dir: Path | None
) -> None:
    """Search the index and print the results the web app would show."""
    index = _open(resolve(index_dir=index_dir).KB_INDEX_DIR)
    result = kb.search(index, query, lang, page=page, per_page=per_page)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=2))
        return
    if result.notice:
        click.echo(f"({result.notice})", err=True)
    click.echo(f"{result.total} result(s) for {result.query!r}")
    for rank, hit in enumerate(result.hits, start=(page - 1) * per_page + 1):
        badge = f" [{hit.locale}, fallback]" if hit.fallback else ""
        click.echo(f"{rank:>3}. {click.style(hit.title, bold=True)}{badge}  ({hit.slug})")
        click.echo(f"     {_terminal_snippet(hit.snippet)}")


def _write(
    action: Callable[..., BuildReport],
    content: Sequence[Path],
    glossary: Path | None,
    index_dir: Path | None,
    force: bool,
) -> None:
    """Run a build or update; a refusal or a disk fault ends in one line, exit status 1."""
    settings = resolve(content, index_dir, glossary)
    with _progress() as progress:
        try:
            report = action(
                settings.KB_CONTENT_DIR,
                settings.KB_INDEX_DIR,
                glossary=_glossary(settings),
                progress=progress,
                force=force,
            )
        except kb.ContentInvalid as exc:
            for error in exc.errors:
                click.echo(str(error), err=True)
            raise click.ClickException(
                f"{len(exc.errors)} problem(s) in the content or glossary; "
                "the live index was not changed"
            ) from None
        except kb.IndexProblem as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(report.summary())


class _progress:
    """A progress bar on a terminal; silent when output is piped or logged."""

    def __enter__(self) -> Callable[[int, int], None] | None:
        self.bar: Any = None  # click's ProgressBar, made once the total is known
        return self.update if sys.stderr.isatty() else None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="indexing", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _open(index_dir: Path) -> kb.KnowledgeIndex:
    try:
        return kb.open_index(index_dir)
    except kb.IndexProblem as exc:
        raise click.ClickException(str(exc)) from None


def _terminal_snippet(snippet: str) -> str:
    bold = MARK_RE.sub(lambda m: click.style(m.group(1), bold=True, underline=True), snippet)
    return html.unescape(bold)


def _names(roots: Sequence[Path]) -> str:
    return ", ".join(str(r) for r in roots)


def main() -> None:
    cli(prog_name="indexer.py")


if __name__ == "__main__":
    main()
