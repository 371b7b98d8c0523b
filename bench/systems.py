"""The systems compared: the product's real search path, two plain-Whoosh baselines and (in
:mod:`bench.lucene`) the Lucene peer.

Every system indexes the same documents (title + body of each locale) and answers the same
queries with its top 100 document ids. Only the baselines use Whoosh directly; the product is
reached through ``kb.build_index`` and ``kb.searching.find`` (what ``kb.search`` pages through).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema

import kb
from bench.beir import Corpus
from kb.analysis.base import PieceTokenizer, Term
from kb.builds import IndexVersionMismatch
from kb.embedding import DEFAULT_ENCODER, encoder
from kb.engine.whoosh import WhooshTokenizer
from kb.params import DEFAULTS, SearchParams
from kb.query import ParsedQuery
from kb.searching import Mode, find

TOP_K = 100

Ranked = list[tuple[int, float, float]]  # a full ranking: (docnum, score, coverage)
Rankings = dict[str, list[str]]  # ranking name -> top doc ids


class System(Protocol):
    name: str
    build_kind: str  # systems of one kind share an index

    def build(self, corpus: Corpus, folder: Path) -> None: ...

    def reusable(self, folder: Path) -> bool:
        """Whether an index an earlier run built in ``folder`` still opens with this code."""
        ...

    def open(self, corpus: Corpus, folder: Path) -> Any: ...

    def search(self, built: Any, text: str, locale: str) -> Rankings: ...


# -- the product ---------------------------------------------------------------------------------

MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
# What kb.content refuses (C0 but tab / line breaks, DEL, C1): MS MARCO's mojibake has C1 bytes.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def markdown_escape(text: str) -> str:
    """Backslash every ASCII punctuation mark, so Markdown renders ``text`` as itself."""
    return MD_PUNCT.sub(r"\\\1", text)


def slug_for(doc_id: str) -> str:
    return "d-" + re.sub(r"[^a-z0-9-]", "-", doc_id.lower())


def write_content(corpus: Corpus, root: Path) -> dict[str, str]:
    """``<root>/<slug>/<locale>.md`` for every document; returns slug → document id."""
    slugs: dict[str, str] = {}
    for doc in corpus.docs:
        slug = slug_for(doc.id)
        if slug in slugs:
            raise ValueError(f"ids {slugs[slug]!r} and {doc.id!r} both map to slug {slug!r}")
        slugs[slug] = doc.id
        folder = root / slug
        folder.mkdir(parents=True)
        for locale, (title, body) in doc.texts.items():
            title, body = CONTROL.sub(" ", title), CONTROL.sub(" ", body)
            front = yaml.safe_dump({"title": title}, allow_unicode=True, width=1 << 20)
            text = f"---\n{front}---\n{markdown_escape(body)}\n"
            (folder / f"{locale}.md").write_text(text, encoding="utf-8")
    return slugs


@dataclass
class KbBuilt:
    index: kb.KnowledgeIndex
    by_slug: dict[str, str]
    by_docnum: dict[int, str] = field(default_factory=dict)


Ordering = Callable[[tuple[int, float, float]], tuple[float, ...]]


@dataclass
class KbSystem:
    """The product's ranking (what the app shows) with ``params``, plus re-orderings of its
    full match list. Snippets never change the order and are 100 per query, so they are made
    (through ``kb.search``) only ``with_snippets``."""

    name: str = "kb"
    params: SearchParams = DEFAULTS
    orderings: dict[str, Ordering] = field(default_factory=dict)
    build_kind: str = "kb"
    with_snippets: bool = False
    mode: Mode = "hybrid"
    #: The encoder of the build's passage vectors (searching uses whichever made the build).
    embedding: str = DEFAULT_ENCODER

    def build(self, corpus: Corpus, folder: Path) -> None:
        if corpus.content is not None:
            kb.build_index(
                corpus.content, folder / "index", glossary=corpus.glossary, embedding=self.embedding
            )
            return
        write_content(corpus, folder / "content")
        kb.build_index(folder / "content", folder / "index", embedding=self.embedding)

    def reusable(self, folder: Path) -> bool:
        try:
            vectors = kb.open_index(folder / "index").snapshot().vectors
        except IndexVersionMismatch:
            return False
        return vectors is not None and vectors.model == encoder(self.embedding).version

    def open(self, corpus: Corpus, folder: Path) -> KbBuilt:
        slug = (lambda i: i) if corpus.content is not None else slug_for
        by_slug = {slug(doc.id): doc.id for doc in corpus.docs}
        built = KbBuilt(kb.open_index(folder / "index"), by_slug)
        articles = built.index.snapshot().engine.articles()
        built.by_docnum = {n: by_slug[article.slug] for n, article in articles}
        return built

    def search(self, built: KbBuilt, text: str, locale: str) -> Rankings:
        ids, full = self.run(built, text, locale)
        out = {self.name: ids}
        for suffix, key in self.orderings.items():
            ranked = sorted(full, key=key)[:TOP_K]
            out[f"{self.name}/{suffix}"] = [built.by_docnum[d] for d, _, _ in ranked]
        return out

    def run(self, built: KbBuilt, text: str, locale: str) -> tuple[list[str], Ranked]:
        """The ids ``kb.search`` returns (top 100) and the full ranking they were cut from."""
        ranked = find(built.index, text, params=self.params, mode=self.mode).ranking.ranked
        if self.with_snippets:
            page = kb.search(
                built.index, text, locale, per_page=TOP_K, params=self.params, mode=self.mode
            )
            return [built.by_slug[hit.slug] for hit in page.hits], ranked
        return [built.by_docnum[d] for d, _, _ in ranked[:TOP_K]], ranked

    def explain(self, built: KbBuilt, text: str, locale: str) -> tuple[ParsedQuery, Ranked]:
        """The query as searched and the full (docnum, score, coverage) ranking, for failure
        notes."""
        found = find(built.index, text, params=self.params, mode=self.mode)
        return found.shown, found.ranking.ranked


# -- baselines -----------------------------------------------------------------------------------

BIGRAM_SCRIPT = "\uac00-\ud7a3\u3131-\u318e\u3400-\u4dbf\u4e00-\u9fff"
CJK_RE = re.compile(rf"([{BIGRAM_SCRIPT}]+)|([^\W_{BIGRAM_SCRIPT}]+)")
# Lucene's CJKAnalyzer default stop set (English words).
LUCENE_STOP = frozenset(
    """a an and are as at be but by for if in into is it no not of on or s such t that the their
    then there these they this to was will with www""".split()  # noqa: SIM905
)


def cjk_terms(text: str) -> Iterator[tuple[str, int, int]]:
    """Lucene CJK style: bigrams of each Hangul/Han run (a lone syllable as itself), and
    lower-cased Latin words and numbers minus the English stop words."""
    for m in CJK_RE.finditer(text):
        run, start = m.group(), m.start()
        if m.group(1) is None:
            if run.lower() not in LUCENE_STOP:
                yield run.lower(), start, m.end()
        elif len(run) == 1:
            yield run, start, start + 1
        else:
            for i in range(len(run) - 1):
                yield run[i : i + 2], start + i, start + i + 2


class CJKBigramTokenizer(PieceTokenizer):
    """A tokenizer over :func:`cjk_terms` on kb's token plumbing (Whoosh gets it wrapped)."""

    def terms(self, text: str, *, query: bool = False) -> list[Term]:
        return [Term(t, start, end, pos) for pos, (t, start, end) in enumerate(cjk_terms(text))]


@dataclass
class WhooshBuilt:
    index: Any
    searcher: Any


@dataclass
class WhooshBaseline:
    """A plain schema (title, body; all locales of a document together), an OR of the query's
    analysed terms over both fields, and Whoosh's default BM25F (k1 1.2, b 0.75, no boosts)."""

    name: str
    analyzer: Callable[[], Any]
    limit: int = TOP_K  # hits per query (the performance benchmark compares a page of 10)

    @property
    def build_kind(self) -> str:
        return self.name

    @property
    def rankings(self) -> list[str]:
        return [self.name]

    def reusable(self, folder: Path) -> bool:
        return True  # plain Whoosh with a fixed schema: any completed build opens

    def build(self, corpus: Corpus, folder: Path) -> None:
        analyzer = self.analyzer()
        schema = Schema(
            id=ID(stored=True), title=TEXT(analyzer=analyzer), body=TEXT(analyzer=analyzer)
        )
        folder.mkdir(parents=True)
        ix = whoosh_index.create_in(str(folder), schema)
        with ix.writer(limitmb=256) as writer:
            for doc in corpus.docs:
                titles, bodies = zip(*doc.texts.values(), strict=True)
                writer.add_document(
                    id=doc.id, title=nfc("\n".join(titles)), body=nfc("\n\n".join(bodies))
                )

    def open(self, corpus: Corpus, folder: Path) -> WhooshBuilt:
        ix = whoosh_index.open_dir(str(folder))
        return WhooshBuilt(ix, ix.searcher())

    def search(self, built: WhooshBuilt, text: str, locale: str) -> Rankings:
        analyzer = built.index.schema["body"].analyzer
        terms = dict.fromkeys(t.text for t in analyzer(nfc(text), mode="query"))
        if not terms:
            return {self.name: []}
        query = wq.Or([wq.Term(f, t) for t in terms for f in ("title", "body")])
        hits = built.searcher.search(query, limit=self.limit)
        return {self.name: [hit["id"] for hit in hits]}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def baselines(peer: bool = False) -> list[Any]:
    """The two Whoosh baselines and, with ``peer`` (Java and the jars checked by the caller
    through :func:`bench.lucene.ensure`), Lucene BM25 with Nori / EnglishAnalyzer."""
    systems: list[Any] = [
        WhooshBaseline("whoosh-standard", StandardAnalyzer),
        WhooshBaseline("hangul-bigrams", lambda: WhooshTokenizer(CJKBigramTokenizer())),
    ]
    if peer:
        from bench.lucene import LuceneBaseline  # imported here: it imports this module

        systems.append(LuceneBaseline())
    return systems


def ranking_names(systems: list[Any]) -> list[str]:
    """The rankings the systems return (the Lucene peer answers with two BM25 settings)."""
    return [name for system in systems for name in system.rankings]


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    """(result, wall seconds) of ``action()``."""
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started
