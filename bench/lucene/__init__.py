"""The peer: Lucene 8 BM25 with Nori (Korean text) and EnglishAnalyzer (English text).

Debian's ``liblucene8-java`` (8.8.1; jars named 8.7.0) is what Elasticsearch 7 and OpenSearch 1
run, so this says what a stock search server would score on the same documents and queries.
``Harness.java`` is compiled into ``bench/out/lucene`` at first use; one JVM per index and
worker answers every query over a pipe. Nothing here is needed unless the peer is asked for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bench.beir import Corpus
from bench.systems import TOP_K, Rankings, nfc

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "Harness.java"
CLASSES = HERE.parent / "out" / "lucene"
JAR_DIR = Path("/usr/share/java")
JARS = ("lucene-core", "lucene-analyzers-common", "lucene-analyzers-nori")
PACKAGES = {"jars": "liblucene8-java", "java": "openjdk-17-jre-headless",
            "javac": "openjdk-17-jdk-headless"}  # fmt: skip
# (name suffix, k1, b): Lucene's / Elasticsearch's default, then Anserini's tuned MS MARCO one.
SETTINGS = (("", 1.2, 0.75), ("-0.9-0.4", 0.9, 0.4))
NAME = "lucene"
FIELDS = ("ko", "en")  # one field per locale; "ko" gets Nori, any other EnglishAnalyzer


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def jars() -> list[Path] | None:
    """The Lucene jars the harness needs, or None when one is missing."""
    found = [sorted(JAR_DIR.glob(f"{name}-[0-9]*.jar")) for name in JARS]
    return [paths[-1] for paths in found] if all(found) else None


def missing() -> list[str]:
    """Debian packages still needed: the jars, a JRE, a JDK (for javac)."""
    need = {"jars": jars() is None, "java": not shutil.which("java"),
            "javac": not shutil.which("javac")}  # fmt: skip
    return [PACKAGES[what] for what, absent in need.items() if absent]


def ensure(install: bool = True) -> bool:
    """True when the peer can run; installs the Debian packages when root with apt-get,
    else says why the peer is left out (the rest of the benchmark does not need Java)."""
    needed = missing()
    if needed and install and os.geteuid() == 0 and shutil.which("apt-get"):
        log(f"lucene peer: apt-get install {' '.join(needed)}")
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        command = ["apt-get", "install", "-y", "-qq", *needed]
        subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
        needed = missing()
    if needed:
        log(f"lucene peer left out: install {' '.join(needed)} (needs root and apt)")
        return False
    compiled()
    return True


def classpath() -> str:
    """Jars plus the compiled harness."""
    return os.pathsep.join([*(str(p) for p in jars() or []), str(compiled())])


def compiled() -> Path:
    """``bench/out/lucene`` holding ``Harness.class``, (re)compiled when the source is newer."""
    target = CLASSES / "Harness.class"
    if not target.exists() or target.stat().st_mtime < SOURCE.stat().st_mtime:
        CLASSES.mkdir(parents=True, exist_ok=True)
        cp = os.pathsep.join(str(p) for p in jars() or [])
        command = ["javac", "-nowarn", "-cp", cp, "-d", str(CLASSES), str(SOURCE)]
        subprocess.run(command, check=True)
    return CLASSES


def flat(text: str) -> str:
    """One TSV cell: NFC, tabs and line breaks as spaces (neither analyzer indexes them)."""
    return " ".join(nfc(text).split())


def write_docs(corpus: Corpus, path: Path) -> None:
    """``id, ko, en``: title and text of each locale in that locale's field."""
    with path.open("w", encoding="utf-8") as f:
        f.write("\t".join(("id", *FIELDS)) + "\n")
        for doc in corpus.docs:
            unknown = set(doc.texts) - set(FIELDS)
            if unknown:
                raise ValueError(f"{doc.id}: no Lucene field for locale {sorted(unknown)}")
            cells = [flat(" \n".join(doc.texts[loc])) if loc in doc.texts else "" for loc in FIELDS]
            f.write("\t".join((flat(doc.id), *cells)) + "\n")


@dataclass
class LuceneBuilt:
    process: subprocess.Popen[str]
    stdin: IO[str] = field(init=False)
    stdout: IO[str] = field(init=False)

    def __post_init__(self) -> None:
        assert self.process.stdin and self.process.stdout
        self.stdin, self.stdout = self.process.stdin, self.process.stdout


@dataclass
class LuceneBaseline:
    """BM25 (k1 1.2 b 0.75, and 0.9 / 0.4) over one field per locale, each with its language's
    analyzer; a query is an OR of its analysed terms in the field of its locale (every field
    summed only if the index lacks that one): how a site that knows the reader's language
    would query Elasticsearch."""

    name: str = NAME
    build_kind: str = NAME
    limit: int = TOP_K

    @property
    def rankings(self) -> list[str]:
        return [self.name + suffix for suffix, _, _ in SETTINGS]

    def reusable(self, folder: Path) -> bool:
        return True  # the pinned Debian Lucene: any completed build opens

    def build(self, corpus: Corpus, folder: Path) -> None:
        folder.mkdir(parents=True)
        write_docs(corpus, folder / "docs.tsv")
        java = ["java", "-cp", classpath(), "Harness", "build", str(folder / "index")]
        with (folder / "docs.tsv").open("rb") as docs:
            subprocess.run(java, stdin=docs, check=True)
        (folder / "docs.tsv").unlink()

    def open(self, corpus: Corpus, folder: Path) -> LuceneBuilt:
        settings = [f"{k1},{b}" for _, k1, b in SETTINGS]
        java = ["java", "-cp", classpath(), "Harness", "search", str(folder / "index"),
                str(self.limit), *settings]  # fmt: skip
        process = subprocess.Popen(
            java, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        return LuceneBuilt(process)

    def search(self, built: LuceneBuilt, text: str, locale: str) -> Rankings:
        built.stdin.write(f"{locale}\t{flat(text)}\n")
        built.stdin.flush()
        out: dict[str, Any] = {}
        for name in self.rankings:
            line = built.stdout.readline()
            if not line:
                raise RuntimeError(f"lucene harness exited ({built.process.poll()})")
            out[name] = [i for i in line.rstrip("\n").split("\t") if i]
        return out
