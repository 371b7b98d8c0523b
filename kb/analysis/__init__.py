"""Text analysis for the index: Korean morphology, English stemming, Hangul bigrams.

:func:`analysis_version` names everything that changes which terms a text produces; an index built
under another version is refused rather than silently searched with mismatched terms.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version

from kb.analysis.bigrams import bigram_analyzer, hangul_bigrams
from kb.analysis.english import english_analyzer
from kb.analysis.korean import (
    USER_DICT,
    Analyser,
    KoreanModel,
    batch_model,
    korean_analyzer,
    pretokenized,
    query_model,
)

# Bump when tokenizers, tag sets, stop lists or glue rules change, or what a field's length
# counts of their terms (its positions, since r32).
ANALYSIS_REVISION = 32

__all__ = [
    "Analyser",
    "KoreanModel",
    "analysis_version",
    "batch_model",
    "bigram_analyzer",
    "english_analyzer",
    "hangul_bigrams",
    "korean_analyzer",
    "pretokenized",
    "query_model",
]


def analysis_version() -> str:
    """E.g. ``r1+kiwipiepy-0.24.1+model-0.24.0+dict-1a2b3c4d``; read without loading the model."""
    user_dict = hashlib.sha256(USER_DICT.read_bytes()).hexdigest()[:8]
    return (
        f"r{ANALYSIS_REVISION}+kiwipiepy-{version('kiwipiepy')}"
        f"+model-{version('kiwipiepy-model')}+dict-{user_dict}"
    )
