"""Entry point of measured child processes: ``python -m bench.perf.child module:function ARGS OUT``.

Imports ``module``, calls ``function(**json.loads(ARGS))`` and writes its JSON result to OUT.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    """Run one task and store its result."""
    target, args, out = argv
    module_name, _, function_name = target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    result = function(**json.loads(args))
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
