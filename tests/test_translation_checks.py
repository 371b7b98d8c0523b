"""Warnings a translator acts on: structural parity and glossary consistency."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import indexer
from kb.content import BUNDLED_CONTENT
from kb.translating.checks import analyser, glossary_hits, parity_warnings, structure
from kb.translating.status import status_report
from kb.translating.workflow import find_article, mark_current
from tests.conftest import write_article

KO = """\
---
title: 가
---
소개 [식약처](https://www.mfds.go.kr) 참고.

## 복용법

| 나이 | 용량 |
|---|---|
| 성인 | 1정 |

```
# 코드 안의 제목은 제목이 아님
```

![그림](img/a.png)

- 하나
- 둘
"""

EN = """\
---
title: A
---
Intro, see [MFDS](https://www.mfds.go.kr/eng).

## Dosage

| Age | Dose |
|---|---|
| Adult | 1 tablet |

```
# a heading inside code is not one
```

![Figure](img/a.png)

- one
"""


def test_structure_counts_what_translators_carry_over() -> None:
    found = structure(KO.split("---\n", 2)[2])
    counts = (found.sections, found.lists, found.list_items, found.tables, found.table_rows)
    assert counts == (1, 1, 2, 1, 3)
    assert (found.code_blocks, found.images) == (1, 1)
    assert dict(found.links) == {"https://www.mfds.go.kr": 1}


def test_parity_warnings_name_what_differs(content_dir: Path) -> None:
    write_article(content_dir, "a", "ko", KO)
    write_article(content_dir, "a", "en", EN)
    mark_current(find_article(content_dir, "a"), "en")
    [row] = status_report(content_dir).articles
    assert row.state == "current"
    assert row.warnings == (
        "list items: 2 in ko, 1 in en",
        "link targets only in ko: https://www.mfds.go.kr",
        "link targets only in en: https://www.mfds.go.kr/eng",
    )


def test_identical_structure_gives_no_warning(content_dir: Path) -> None:
    write_article(content_dir, "a", "ko", KO)
    write_article(content_dir, "a", "en", KO.replace("title: 가", "title: A"))
    article = find_article(content_dir, "a")
    assert parity_warnings(article.translations["ko"], article.translations["en"]) == []


GLOSSARY = "ko\ten\n부작용\tside effects | adverse effects\n두통\theadache\n"


def test_glossary_terms_are_matched_through_the_analyzer(content_dir: Path) -> None:
    write_article(
        content_dir,
        "a",
        "ko",
        "---\ntitle: 가\n---\n## 주의\n\n부작용은 드뭅니다. 두통이 생기면 쉬세요.\n",
    )
    write_article(
        content_dir,
        "a",
        "en",
        "---\ntitle: A\n---\n## Care\n\nAdverse effects are rare. Rest if it hurts.\n",
    )
    article = find_article(content_dir, "a")
    rows = [
        {"ko": ("부작용",), "en": ("side effects", "adverse effects")},
        {"ko": ("두통",), "en": ("headache",)},
    ]
    hits = glossary_hits(article.translations["ko"], article.translations["en"], rows, analyser())
    assert [(h.section, h.term, h.found) for h in hits] == [
        ("s1", "부작용", "adverse effects"),  # 부작용은: the particle doesn't hide it
        ("s1", "두통", None),  # 두통이 … and no "headache" in English
    ]
    assert hits[1].warning == "section s1: the source says “두통”; use one of: headache"


def test_a_word_of_the_terms_family_renders_it(content_dir: Path) -> None:
    """알레르기 반응 is "allergic reaction", not "allergy reaction": the translator used the
    glossary's word, in the form English needs. A shorter stem is no family (`pain` is not
    `painkiller`), so a translation that drops the word still gets its warning."""
    write_article(
        content_dir, "a", "ko", "---\ntitle: 가\n---\n알레르기 반응이 있으면 진통제를 끊으세요.\n"
    )
    write_article(
        content_dir,
        "a",
        "en",
        "---\ntitle: A\n---\nStop the pain medicine if you get an allergic reaction.\n",
    )
    article = find_article(content_dir, "a")
    rows = [{"ko": ("알레르기",), "en": ("allergy",)}, {"ko": ("진통제",), "en": ("painkiller",)}]
    hits = glossary_hits(article.translations["ko"], article.translations["en"], rows, analyser())
    assert [(h.term, h.found) for h in hits] == [("알레르기", "allergy"), ("진통제", None)]


def test_a_negated_term_is_found_only_where_the_source_negates(content_dir: Path) -> None:
    """`처방 없이` (without a prescription) read as every 처방: each "의사의 처방이 있어야"
    (only on a doctor's prescription) asked the translator for "over the counter"."""
    write_article(
        content_dir,
        "a",
        "ko",
        "---\ntitle: 가\n---\n의사의 처방이 있어야 합니다.\n\n## 주의\n\n처방 없이 삽니다.\n",
    )
    write_article(
        content_dir,
        "a",
        "en",
        "---\ntitle: A\n---\nOnly on prescription.\n\n## Care\n\nSold in shops.\n",
    )
    article = find_article(content_dir, "a")
    rows = [{"ko": ("처방 없이",), "en": ("over the counter", "without a prescription")}]
    hits = glossary_hits(article.translations["ko"], article.translations["en"], rows, analyser())
    assert [(h.section, h.term, h.found) for h in hits] == [("s1", "처방 없이", None)]


def test_a_term_inside_a_longer_glossary_term_asks_for_nothing(content_dir: Path) -> None:
    """Kiwi reads 불안 (anxiety) inside 하지불안 증후군 (restless legs syndrome): the longer term's
    line decides what the translation must say; 불안 standing alone still asks for "anxiety"."""
    write_article(
        content_dir,
        "a",
        "ko",
        "---\ntitle: 가\n---\n하지불안 증후군에 씁니다.\n\n## 주의\n\n불안이 생기면 쉬세요.\n",
    )
    write_article(
        content_dir,
        "a",
        "en",
        "---\ntitle: A\n---\nFor restless legs syndrome.\n\n## Care\n\nRest if you worry.\n",
    )
    article = find_article(content_dir, "a")
    rows = [
        {"ko": ("불안",), "en": ("anxiety",)},
        {"ko": ("하지불안 증후군",), "en": ("restless legs syndrome",)},
    ]
    hits = glossary_hits(article.translations["ko"], article.translations["en"], rows, analyser())
    assert [(h.section, h.term, h.found) for h in hits] == [
        ("intro", "하지불안 증후군", "restless legs syndrome"),
        ("s1", "불안", None),
    ]


def test_status_checks_the_glossary_when_asked(content_dir: Path, tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    write_article(content_dir, "a", "ko", "---\ntitle: 가\n---\n두통이 있습니다.\n")
    write_article(content_dir, "a", "en", "---\ntitle: A\n---\nIt hurts.\n")
    mark_current(find_article(content_dir, "a"), "en")
    args = ["translations", "status", "--json", "--content", str(content_dir)]
    plain = CliRunner().invoke(indexer.cli, args)
    assert json.loads(plain.output)["articles"][0]["warnings"] == []
    checked = CliRunner().invoke(
        indexer.cli, [*args, "--check-glossary", "--glossary", str(glossary)]
    )
    assert json.loads(checked.output)["articles"][0]["warnings"] == [
        "section intro: the source says “두통”; use one of: headache"
    ]


def test_a_one_language_articles_tags_without_a_glossary_line_are_named(
    content_dir: Path, tmp_path: Path
) -> None:
    """A Korean reader reaches an English-only article by words only through the glossary."""
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text(GLOSSARY + "알레르기\tallergy\n두드러기\t\n", encoding="utf-8")
    tags = "[Allergy, allergic rhinitis, hives, motion sickness, headaches]"
    write_article(content_dir, "a", "en", f"---\ntitle: A\ntags: {tags}\n---\nText.\n")
    write_article(content_dir, "b", "en", "---\ntitle: B\ntags: [allergy]\n---\nText.\n")
    args = ["translations", "status", "--json", "--content", str(content_dir)]
    checked = CliRunner().invoke(
        indexer.cli, [*args, "--check-glossary", "--glossary", str(glossary)]
    )
    rows = {row["slug"]: row for row in json.loads(checked.output)["articles"]}
    assert rows["a"]["state"] == "missing" and rows["a"]["warnings"] == [
        "no glossary line gives ko words for its tags allergic rhinitis, hives, motion sickness: "
        "readers searching in ko find it only by meaning"
    ]  # Allergy holds "allergy", headaches "headache" (allergic doesn't); 두드러기 has no en
    assert rows["b"]["warnings"] == []
    plain = CliRunner().invoke(indexer.cli, args)
    assert all(row["warnings"] == [] for row in json.loads(plain.output)["articles"])


def test_a_tag_written_in_the_missing_languages_letters_reaches_its_readers(
    content_dir: Path, tmp_path: Path
) -> None:
    """A Korean-only article's `Geworin` is what an English reader types; `삼진제약` is not,
    nor a tag only partly in Latin letters."""
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    tags = "[삼진제약, Geworin, 게보린 Plus]"
    write_article(content_dir, "g", "ko", f"---\ntitle: 게보린\ntags: {tags}\n---\n본문.\n")
    args = ["translations", "status", "--json", "--content", str(content_dir)]
    checked = CliRunner().invoke(
        indexer.cli, [*args, "--check-glossary", "--glossary", str(glossary)]
    )
    assert json.loads(checked.output)["articles"][0]["warnings"] == [
        "no glossary line gives en words for its tags 삼진제약, 게보린 Plus: "
        "readers searching in en find it only by meaning"
    ]


def test_a_term_that_only_begins_a_longer_word_asks_for_nothing(content_dir: Path) -> None:
    """A term is also looked for as written at the start of a word (Kiwi may read a short term
    alone otherwise than in a sentence), but 가스터 (Gaster, a brand) is no 가스 (gas), 간질
    (epilepsy) no 간 (liver), 멍한 (dazed) no 멍 (a bruise): each asked the English for "gas",
    "liver", "bruise". The term with its particle still asks."""
    write_article(
        content_dir,
        "a",
        "ko",
        "---\ntitle: 파모티딘(가스터)\n---\n뇌전증(간질)에 씁니다. 머리가 멍한 느낌.\n\n"
        "## 주의\n\n배에 가스가 차면 쉬세요. 간이 나쁘면 상의하세요.\n",
    )
    write_article(
        content_dir,
        "a",
        "en",
        "---\ntitle: Famotidine (Pepcid)\n---\nFor epilepsy. A light-headed feeling.\n\n"
        "## Care\n\nRest if you feel bloated. Ask if you have kidney problems.\n",
    )
    article = find_article(content_dir, "a")
    rows = [
        {"ko": ("가스",), "en": ("gas",)},
        {"ko": ("간",), "en": ("liver",)},
        {"ko": ("멍",), "en": ("bruise",)},
    ]
    hits = glossary_hits(article.translations["ko"], article.translations["en"], rows, analyser())
    found = [(h.section, h.term, h.found) for h in hits]
    assert found == [("s1", "가스", None), ("s1", "간", None)]


def test_lists_and_tables_are_counted_as_blocks() -> None:
    body = "- a\n- b\n  continued\n\n- c\n\nText\n\n1. one\n\n| x |\n|---|\n\n| y |\n"
    found = structure(body)
    assert (found.lists, found.list_items, found.tables, found.table_rows) == (2, 4, 2, 3)


def test_the_bundled_translations_carry_every_item_of_their_sources() -> None:
    """What ships is what a translator would be asked to fix last: omeprazole's English listed
    a use (frequent heartburn, without a prescription) its Korean source had only in passing."""
    rows = status_report(BUNDLED_CONTENT).articles
    assert [(row.slug, row.warnings) for row in rows if row.warnings] == []
    assert not [row.slug for row in rows if row.state in ("outdated", "invalid")]
