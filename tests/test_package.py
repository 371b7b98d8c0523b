"""kb's package names load on first use (PEP 562): each resolves to its module's object, the
type checkers' imports name the same homes, and importing a part leaves the rest unloaded."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import kb

INIT = Path(kb.__file__)


def checked_imports() -> dict[str, str]:
    """Name → module of the imports under ``if TYPE_CHECKING:`` in kb/__init__.py."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If))
    return {
        alias.name: node.module or ""
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_every_public_name_resolves_to_its_modules_object() -> None:
    homes = checked_imports()
    assert sorted(kb.__all__) == sorted(homes) == sorted(kb._HOMES)
    assert homes == kb._HOMES, "the type checkers' imports and the runtime's homes agree"
    for name, home in homes.items():
        assert getattr(kb, name) is getattr(importlib.import_module(home), name)
    assert set(kb.__all__) <= set(dir(kb))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'serach'"):
        kb.serach  # noqa: B018


def test_importing_the_analysis_leaves_the_index_code_unloaded() -> None:
    probe = (
        "import sys, kb.analysis.ahead; "
        "print(sorted(m for m in sys.modules if m in "
        "('kb.index', 'kb.searching', 'kb.snapshot', 'kb.articles', 'numpy', 'whoosh.writing')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        cwd=INIT.parent.parent,
    )  # fmt: skip
    assert run.stdout.strip() == "[]"
