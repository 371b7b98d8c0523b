"""Word-level diffs, and reading a recorded source version back from git."""

from __future__ import annotations

import difflib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
GIT_TIMEOUT = 10  # seconds; a git that hangs (a lock, a network filesystem) must not hang us

Op = tuple[str, str]  # ("=", text), ("-", removed) or ("+", added)


def word_diff(old: str, new: str) -> list[Op]:
    """``old`` → ``new`` word by word (Hangul words and punctuation are tokens), with
    neighbouring operations of one kind merged."""
    a, b = _tokens(old), _tokens(new)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _append(ops, "=", "".join(b[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            _append(ops, "-", "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _append(ops, "+", "".join(b[j1:j2]))
    return ops


def _tokens(text: str) -> list[str]:
    """Words, punctuation and spacing; spacing compares as one space, or as the line breaks
    it holds (so reflowing a line shows, but the diff keeps the text's lines)."""
    return [_spacing(t) if t.isspace() else t for t in TOKEN_RE.findall(text.strip())]


def _spacing(run: str) -> str:
    breaks = min(run.count("\n"), 2)
    return "\n" * breaks if breaks else " "


def _append(ops: list[Op], kind: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == kind:
        ops[-1] = (kind, ops[-1][1] + text)
    else:
        ops.append((kind, text))


def diff_text(ops: list[Op]) -> str:
    """A diff as plain text, git's ``--word-diff`` style: ``[-removed-]{+added+}``."""
    marks = {"=": ("", ""), "-": ("[-", "-]"), "+": ("{+", "+}")}
    return "".join(marks[kind][0] + text + marks[kind][1] for kind, text in ops)


@dataclass(frozen=True)
class GitBlob:
    """A recorded version read from git: its bytes, or why it could not be read."""

    data: bytes | None
    reason: str = ""


def read_blob(folder: Path, blob_id: str | None) -> GitBlob:
    """The blob ``blob_id`` from the git repository holding ``folder``."""
    if not blob_id:
        return GitBlob(None, "no git blob id was recorded with the translation")
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "cat-file", "blob", blob_id],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return GitBlob(None, f"git could not be run ({exc})")
    if done.returncode == 0:
        return GitBlob(done.stdout)
    message = done.stderr.decode(errors="replace")
    if "not a git repository" in message:
        return GitBlob(None, "the content folder is not in a git repository")
    return GitBlob(None, f"the recorded version ({blob_id[:12]}) is not in this git repository")
