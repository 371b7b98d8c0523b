"""kb.engine.whoosh: kb's field specs and tokenizers in Whoosh's terms."""

from __future__ import annotations

import pickle
from pathlib import Path

from whoosh.formats import Characters, Frequency, Positions

import kb
from kb.analysis import korean_analyzer
from kb.content import load_content
from kb.engine.whoosh import WhooshTokenizer, make_schema
from kb.schema import document_for, field_specs


def test_the_tokenizer_gives_whoosh_kbs_terms_with_positions_and_offsets() -> None:
    value = "흔한 부작용으로는 졸음이 있습니다."
    tokens = [
        (t.text, t.pos, value[t.startchar : t.endchar])
        for t in WhooshTokenizer(korean_analyzer())(value, positions=True, chars=True)
    ]
    expected = [(t.text, t.pos, value[t.start : t.end]) for t in korean_analyzer().terms(value)]
    assert tokens == expected and ("부작용", 1, "부작용") in tokens


def test_query_mode_glues_numbers_to_units_only() -> None:
    analyzer = WhooshTokenizer(korean_analyzer())
    assert [t.text for t in analyzer("300 mg", mode="query")] == ["300mg"]
    assert [t.text for t in analyzer("300 mg")] == ["300", "300mg", "mg"]


def test_the_schema_has_every_field_spec_and_pickles_without_the_model() -> None:
    schema = make_schema()
    specs = {spec.name: spec for spec in field_specs()}
    assert set(schema.names()) == {*specs, "doc"}
    assert schema["body_ko"].format.supports("characters")
    assert not schema["summary_ko"].format.supports("characters")
    assert schema["title_en"].scorable and not schema["spell_ko"].scorable
    assert len(pickle.dumps(schema)) < 20_000


def test_postings_are_whoosh_own_byte_for_byte_though_made_without_its_tokens() -> None:
    """The schema's formats take kb's terms directly (a build's speed); what they index must
    be exactly what Whoosh's own formats make of the same analyser's tokens. The frequencies
    Whoosh sums into a field's length count its positions instead (terms at one counted once)."""
    whoosh_own = {
        "TermFrequency": Frequency,
        "TermPositions": Positions,
        "TermCharacters": Characters,
    }
    schema = make_schema()
    compared = overlapping = 0
    for article in load_content(Path(kb.__file__).parent / "articles")[:6]:
        for name, value in document_for(article).fields.items():
            field = schema[name] if name in schema.names() else None
            if field is None or not isinstance(field.analyzer, WhooshTokenizer):
                continue
            own = whoosh_own[type(field.format).__name__](field_boost=field.format.field_boost)
            direct = list(field.format.word_values(value, field.analyzer, mode="index"))
            whooshs = list(own.word_values(value, field.analyzer, mode="index"))
            assert [(w, wt, v) for w, _, wt, v in direct] == [
                (w, wt, v) for w, _, wt, v in whooshs
            ], name
            positions = {term.pos for term in field.analyzer.tokenizer.terms(value)}
            assert sum(freq for _, freq, _, _ in direct) == len(positions), name
            overlapping += sum(freq for _, freq, _, _ in whooshs) > len(positions)
            compared += len(direct)
    assert compared > 5_000
    assert overlapping > 10  # numbers with units, a marked first bigram, a prefixed noun
