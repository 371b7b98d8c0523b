"""What a query asks of the articles beyond its words: `두통 부작용` (headache as a side effect)
and `drugs that cause cough` ask which medicines list it among their side effects, not which
treat it, so ranking takes an article's side effects as the evidence for it (kb.ranking).
`임신 중에 안 좋은 약` and `bad for the liver` ask which medicines warn against it, so the
evidence is where an article warns (kb.asides.warnings_of). `임신 중 두통약` asks for what
treats a headache and names a condition: what warns against it comes later."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from kb.analysis.base import COUNTED, NEGATED
from kb.analysis.english import LATIN_RUN, is_framing_word
from kb.analysis.eojeol import eojeol_stem
from kb.analysis.hangul import HANGUL_RUN
from kb.analysis.korean import (
    CONTRAINDICATED,
    FRAMING_LEMMAS,
    MEDICINE_ENDINGS,
    PARTICLES,
    TAKING_LEMMAS,
    TOGETHER_ADVERBS,
    harm_asked,
    noun_runs,
    verb_stem,
)

# Terms (as the Korean side analyses the query: Hangul lemmas, Latin words stemmed) that ask for
# a side effect: 부작용, 일으키다 (기침을 일으키는), 유발 (기침 유발), cause.
SIDE_EFFECT_WORDS = frozenset({"부작용", "일으키다", "유발", "caus"})
# ... and two-word ones, side by side: side effects, adverse effects.
SIDE_EFFECT_PAIRS = frozenset({("side", "effect"), ("advers", "effect")})
# A query that says a symptom came after taking a medicine (`약 먹고 어지러워요`, `약 먹은 뒤로 잠이
# 안 와요`, `dizzy after taking medicine`, `pills made me drowsy`) asks which medicines have it
# among their side effects, as `어지러움 부작용` does: read as a need, `약 먹고 잠이 안 와요`
# listed zolpidem, which treats insomnia, first. The medicine is 약 itself, not a kind the query
# names (`두통약 먹고 속쓰림` asks about headache medicines). English words for medicine are
# matched as typed (MEDICINE_TYPED).
MEDICINE_TYPED = r"(?:medicines?|medications?|meds|pills?|tablets?|drugs?)"
AFTER_TAKING = re.compile(
    r"(?<![가-힣])(?:약|약물)\s*[을를]?\s*(?:먹고|먹은\s*(?:뒤|후|다음)|먹었더니|먹으니까?"
    r"|복용\s*(?:후|뒤|하고)|복용한\s*(?:뒤|후|다음)|복용했더니)"
    r"|\b(?:after|since) (?:taking|i took|starting|i started) "
    rf"(?:a |the |my |this |these |some |new )?{MEDICINE_TYPED}\b"
    rf"|\b{MEDICINE_TYPED} (?:made|makes|making|(?:is|are) making) me\b",
    re.IGNORECASE,
)
# ... unless it asks whether something may or must be done then (`약 먹고 운전해도 되나요`, `바로
# 누워도 되나요`, `물을 많이 마셔야 하나요`, `can i drink after taking medicine`): what precautions
# say, which kb.ranking finds for the circumstance; or says the need came back or the medicine
# did nothing (`약 먹고 다시 아파요`, `효과가 없어요`, `pills made me feel better`).
PERMISSION_ASKED = re.compile(
    r"[가-힣]도\s*(?:되|돼|괜찮)|[가-힣]야\s*(?:하|해|되|돼)"
    r"|\b(?:can|may|should|must|do) i\b|\bis it (?:ok|okay|safe)\b|\bhave to\b",
    re.IGNORECASE,
)
NOT_A_NEW_SYMPTOM = re.compile(
    r"다시|또|여전히|아직|효과|약효|\b(?:still|again|better|work|works|worked|working)\b",
    re.IGNORECASE,
)
# A noun made a verb by 하다 or 되다 as typed (설사해요, 구토했어요): Kiwi keeps only the noun.
LIGHT_VERB = re.compile(r"[해하했함돼되됐됨]")
# A query that names a kind of medicine asks for that medicine's side effects (`두통약 부작용`,
# `side effects of blood pressure pills`), unless it says `cause`: the medicine words, English
# stems, and Korean words ending in these (두통약, 진통제) but for the ones that are no medicine.
MEDICINE_STEMS = frozenset({"drug", "medic", "medicin", "pill", "tablet", "capsul", "remedi"})
NOT_MEDICINES = frozenset({"부작용", "문제", "주제", "예약", "계약", "절약", "제"})
# Korean words for medicine itself (약, of 변비 일으키는 약): what is asked for, not a side effect.
MEDICINE_WORDS = frozenset({"약", "약물", "의약품"})
# English words that say "a medicine against" the word after them (`anti nausea pill`, `anti-itch
# cream`), as pill says medicine: scored, `anti` found ibuprofen's "anti-inflammatory" for nausea.
AGAINST_STEMS = frozenset({"anti"})
CAUSE = "caus"
# English stems that ask what is bad for something (unsafe, avoid, dangerous, harmful,
# contraindicated), `not safe`, and `bad` said of it (`bad for the kidneys`, not `bad headache`).
HARM_STEMS = frozenset({"unsaf", "avoid", "danger", "harm", "contraind", NEGATED + "safe"})
BAD_FOR = re.compile(r"\bbad (?=(?:for|in|during|with)\b)", re.IGNORECASE)
# Who takes a medicine, as precautions speak of them (pregnancy, breastfeeding, children, older
# adults): terms as either side analyses them. A reader who names one beside a need (`임신 중
# 두통약`, `sleeping pill for the elderly`) wants what treats the need and does not warn against
# it for them (kb.ranking).
POPULATION_TERMS = frozenset({
    *("임신", "임부", "임산부", "임신부", "수유", "모유", "수유부"),
    *("어린이", "소아", "아이", "아기", "유아", "청소년", "노인", "고령", "고령자", "어르신"),
    *("pregnanc", "pregnant", "breastfeed", "child", "kid", "infant", "babi", "teenag"),
    *("elder", "older", "senior"),
})  # fmt: skip
# What they take or do meanwhile (alcohol, grapefruit, coffee, milk, smoking, driving), as
# precautions speak of it: no medicine treats it.
MEANWHILE_TERMS = frozenset({
    *("술", "음주", "알코올", "과음", "운전", "자몽", "커피", "카페인", "우유", "흡연", "담배"),
    *("alcohol", "drive", "grapefruit", "coffe", "caffein", "milk", "smoke", "cigarett"),
})  # fmt: skip
# ... and the states precautions speak of (the kidneys, the liver, asthma, ulcers), which a query
# names to ask what is safe (`신장 안 좋을 때 진통제`, `콜레스테롤 약 자몽`) or what is not
# (`nsaid kidney problems`): results show their warning about it, in the order they had.
CONDITION_TERMS = POPULATION_TERMS | MEANWHILE_TERMS | {
    *("신장", "콩팥", "간", "천식", "위궤양", "궤양", "위염"),
    *("kidney", "liver", "asthma", "ulcer", "gastriti"),
}  # fmt: skip
# Words beside a condition that say no need of their own: how a medicine is taken (`어르신
# 복용`, `take`, `dose`) asks what the articles say for them, and what to watch for (`노인 주의`,
# `caution`) asks for the warnings themselves, which come first as they are.
TAKING_TERMS = frozenset({"복용", "투여", "사용", "복약", "용량", "take", "use", "dose"})
# Who takes a medicine, what they do while taking it (drink, drive) and how they take it (a
# missed dose): what precautions speak of and no medicine treats, so where the articles say it
# only there, no reader is told that none treats it (kb.ranking: `can I drink alcohol`, `수유 중
# 먹어도 되는 약`, `자몽 주스 약`, `missed dose`, `복용을 잊었을 때`).
CIRCUMSTANCE_TERMS = POPULATION_TERMS | MEANWHILE_TERMS | TAKING_TERMS | {"마시다", "drink"}
# Words that make a condition a state or say who is in it (`kidney disease`, `신장 기능 저하`,
# `liver problems`, `간 나쁜 사람`): part of the condition, no need of their own (`painkiller
# with kidney disease` needs a painkiller, not whatever says "disease" or 사람). Terms as either
# side analyses them.
STATE_TERMS = frozenset({
    *("질환", "질병", "병", "문제", "기능", "저하", "손상", "장애", "부전", "이상", "사람", "환자"),
    *("diseas", "problem", "failur", "damag", "impair", "function", "condit", "issu", "person"),
    *("peopl", "patient", "증상", "symptom"),
})  # fmt: skip
WATCH_TERMS = frozenset({"주의", "조심", "경고", "caution", "warn", "care", "risk"})
# Who has a state, and how a query says they have it: the word before a patient (`고혈압 환자`,
# `당뇨가 있는 환자`, `hypertension patients`), before a person said to have it (`천식 있는 사람`;
# not `파리 사람`, `rich people`), or after either (`patients with gout`, `people with asthma`)
# names a condition, whatever it is, beside the need asked (`고혈압 환자 감기약` wants a cold
# medicine, not losartan).
PATIENT_TERMS = frozenset({"환자", "patient"})
PERSON_TERMS = frozenset({"사람", "peopl", "person"})
HAVING = r"(?:있|있으신|가진|걸린|앓는|앓고 있)는"
# ... or how the state is (`혈압 높은 사람`, `위가 약한 사람`, `콩팥 안 좋은 사람`), the ending
# alone where the state's word takes its adjective in (혈압 높 + 은)
DESCRIBED = r"(?:높은|낮은|나쁜|약한|안\s*좋은|(?<=[높낮좋])은|(?<=나)쁜|(?<=약)한)"
HELD_BY_PATIENT = re.compile(rf"[이가을를]?\s*(?:(?:{HAVING}|{DESCRIBED})\s*)?")
HELD_BY_PERSON = re.compile(rf"[이가을를]?\s*(?:{HAVING}|{DESCRIBED})\s*")
HELD_AFTER = re.compile(r"\s+(?:with|who (?:have|has))\s+", re.IGNORECASE)
# A person said to take something or to have a state (`people on warfarin`, `people taking
# sertraline`, `people with asthma`; `와파린 먹는 사람`, `천식 있는 사람`, `혈압 높은 사람`):
# the word says who the reader is, not what they want. (Not any person a clause says: `부상을
# 입은 사람은 누구인가` asks who was hurt, and the passage says 사람.)
TAKING = r"(?:먹는|먹고\s*있는|드시는|복용하는|복용\s*중인|복용하고\s*있는)"
READER_BEFORE = re.compile(rf"(?:{HAVING}|{DESCRIBED}|{TAKING})\s*$")
READER_AFTER = re.compile(r"\s+(?:on|with|taking|who)\b", re.IGNORECASE)
# ... or one word names both (`cold medicine for diabetics`, `for an asthmatic`); not where it
# only describes (`diabetic nerve pain` is a need).
HOLDERS_NAMED = re.compile(
    r"(?:diabetic|asthmatic|epileptic|hemophiliac|haemophiliac)s", re.IGNORECASE
)
HOLDER_ARTICLE = re.compile(r"\ban?\s+$", re.IGNORECASE)  # before one (`an asthmatic`)
# A query that asks how much or how often to take a medicine (`타이레놀 용량`, `이부프로펜 하루에
# 몇 번`, `how much tylenol can i take`): the words for it take particles and spacing of every
# kind (`용량은`, `몇알`, `얼마나 자주`), so they are looked for in the text as typed. A low or
# high dose names a product or what it does (`저용량 아스피린`, `high dose`), and a missed dose
# is no amount.
AMOUNT_ASKED = re.compile(
    r"(?<![저고])용량|복용량|투여량|용법|최대량|하루\s*최대|간격"
    r"|몇\s*(?:알|정|번|회|시간|mg|밀리|캡슐|개|포|방울|ml|cc|스푼|숟가락)"
    r"|얼마나\s*(?:먹|복용|자주|많이)|얼마(?:만큼|씩|까지)"
    r"|\bhow (?:much|many|often)\b|\bdos(?:e|es|age|ages|ing)\b|\bmax(?:imum)?\b"
    r"|\bhow long between\b",
    re.IGNORECASE,
)
AMOUNT_NOT_ASKED = re.compile(
    r"\bskip|\b(?:high|higher|low|lower|large|larger)[- ]dos"
    r"|\bhow many (?:minutes|hours|days|weeks|months)\b.{0,30}\b(?:work|kick|effect|start)"
    r"|\bhow many (?:days|weeks|months) (?:can|should)\b",
    re.IGNORECASE,
)
# The terms an amount is said in, as either side indexes them: a unit after a number (500mg,
# 4,000 mg) and a Korean count of doses (1정, 2캡슐). How often alone is no amount: "take it 2
# hours after an antacid" says when, and "한꺼번에 두 번 분량을 먹지 마세요" what not to do.
AMOUNT_TERMS = frozenset({
    *("mg", "mcg", "g", "ml"),
    *(COUNTED + counter for counter in ("정", "알", "캡슐", "포", "방울")),
})  # fmt: skip
# The terms that, in a query asking an amount, only ask it where it names a medicine (`타이레놀
# 몇 알`, `tylenol dosage`): the medicine decides which articles match, not metformin's "한 알로
# 합친 복합제". Words for a time or a count in general (하루, 몇 번, `a day`, `max`) are left to
# say what they say: `how much exercise per day` asks for the day.
AMOUNT_QUESTION_TERMS = frozenset({
    *("용량", "용법", "복용법", "복용", "량", "최대량", "알"),
    *(COUNTED + counter for counter in ("정", "알", "캡슐")),
    *("dose", "dosag"),
})  # fmt: skip
# The words a line giving the dose speaks in (the most a day, the hours between doses), which a
# line giving what strengths it comes in does not ("500 mg tablets", "200mg 정제").
DOSING_TERMS = frozenset({
    *("용량", "용법", "최대", "간격", "하루", "넘기다", "넘다", COUNTED + "시간", COUNTED + "번"),
    *("dose", "dosag", "maximum", "max", "daili", "day", "everi", "more", "hour"),
})  # fmt: skip

# A query that asks when to take a medicine, or how with meals (`이부프로펜 공복`, `오메프라졸
# 언제 먹어요`, `metformin with food`, `when to take omeprazole`): said, like an amount, with
# particles and spacing of every kind. 음식 or `food` alone asks what to eat, not when to take.
TIMING_ASKED = re.compile(
    r"공복|빈\s*속|식전|식후|식사\s*(?:전|후|와|하고|중|때|관계)|밥\s*(?:먹|전|후|이랑|하고|과)"
    r"|언제\s*(?:먹|복용|마시|드)|몇\s*시(?:에|쯤)|(?:아침|저녁|밤)에?\s*(?:먹|복용|드)"
    r"|(?:자기|잠들기|취침)\s*전"
    r"|\bempty stomach\b|\bwith(?:out)? (?:food|meals?|milk)\b|\bmealtimes?\b"
    r"|\b(?:before|after) (?:a |the )?(?:meals?|eating|food|breakfast|dinner|lunch|bed(?:time)?)\b"
    r"|\bwhen (?:to|should i|do i|can i|do you|should you) take\b|\bwhat time\b|\bbedtime\b"
    r"|\btake\b.{0,30}\b(?:in the morning|at night)\b",
    re.IGNORECASE,
)
# The terms a line saying when to take a medicine speaks in, as either side indexes them: a
# meal (식사 전, `before breakfast`, `with food`) or bedtime (잠자리에 들기 직전, 잠자기 전,
# `right before bed`). Not the morning nor the evening: zolpidem's "다음 날 아침" warns about
# driving, gabapentin's restless legs come "in the evening"; nor milk, which is also breast milk.
TIMING_TERMS = frozenset({
    *("식사", "음식", "공복", "빈속", "식전", "식후", "잠자리", "잠자다"),
    *("food", "meal", "breakfast", "bed", "bedtim"),
})  # fmt: skip

# A query that asks how soon a medicine works (`둘코락스 언제 효과`, `서트랄린 효과 언제부터`,
# `how long does bisacodyl take to work`, `when does tylenol kick in`), not when to take it.
ONSET_ASKED = re.compile(
    r"언제\s*(?:부터\s*)?(?:효과|약효|약발|듣|들어|나타|작용)"
    r"|(?:효과|약효|약발)[가이는도]?\s*(?:언제|얼마나\s*(?:빨리|걸|지나)|빨리|금방|바로"
    r"|몇\s*(?:시간|분|일|주)|(?:나타나|나오|오|있|보이)기\s*까지|나타나는\s*(?:데|시간))"
    r"|(?:얼마나?|며칠|몇\s*(?:시간|분|일|주))\s*(?:만에|지나(?:야|서|면)|뒤에|후에)\s*"
    r"(?:효과|약효|듣|들|나타)|(?:효과|약효)를?\s*(?:보려면|보기까지|느끼려면)"
    r"|\bhow many (?:minutes|hours|days|weeks)\b.{0,30}\b(?:work|kick|effect|start)"
    r"|\bhow (?:long|soon|fast|quickly)\b.{0,40}"
    r"\b(?:work|kick|take effect|start|act)(?:s|ing|ed)?\b"
    r"|\bwhen (?:does|do|will|should)\b.{0,40}\b(?:work|kick in|take effect|start working)"
    r"|\bkick(?:s|ed)? in\b|\btakes? effect\b|\bstarts? (?:to )?work(?:ing)?\b|\bonset\b",
    re.IGNORECASE,
)
# A query that asks how long a medicine may be taken (`졸피뎀 얼마나 오래 먹어도 되나요`, `how
# long can i take zolpidem`, `변비약 매일 먹어도`, `is it safe to take zyrtec every day`); not
# what taking it long does (`오메프라졸 오래 먹으면`: an adverb's).
DURATION_ASKED = re.compile(
    r"얼마나\s*(?:오래|오랫동안|길게)|(?:며칠|몇\s*(?:일|주|달|개월|년))\s*(?:동안|까지|이상|넘게)"
    r"|(?:계속|오래|매일|날마다)\s*(?:먹어도|복용해도|드셔도|써도)"
    r"|장기\s*(?:간\s*)?(?:복용|투여|사용)해도"
    r"|\bhow long (?:can|should|do|may|is it safe to)\b.{0,30}\b(?:take|use|be on|stay on)\b"
    r"|\bfor how long\b|\bhow many (?:days|weeks|months) (?:can|should)\b"
    r"|\b(?:can|should|is it (?:ok|okay|safe|bad) to)\b.{0,30}\b(?:take|use)\b.{0,30}"
    r"\b(?:every\s*day|daily|long[- ]term)\b",
    re.IGNORECASE,
)
# A query that says a dose was missed (`약 먹는 거 깜빡했어요`, `아침 약을 빼먹었어요`, `forgot to
# take levothyroxine`, `missed a dose of metformin`): what to do now is every article's missed-dose
# line ("복용을 잊었을 때: 생각난 즉시 복용하세요", "Missed dose: take it as soon as you remember").
MISSED_ASKED = re.compile(
    r"잊|깜빡|깜박|까먹|빼먹|빠뜨|놓[치쳤]|\bforg[eo]t|\bmiss(?:ed|ing)? (?:\w+ )?"
    r"(?:dose|doses|pill|pills|tablet|tablets|medicine|medication)\b",
    re.IGNORECASE,
)
# ... and the terms that line speaks in (warfarin's "한 번 빠뜨렸다고 두 번 분량을 … 먹지
# 마세요"), and what it says to do.
MISSED_TERMS = frozenset({"잊다", "빠뜨리다", "miss"})
MISSED_WORDS = frozenset({"생각나다", "건너뛰다", "즉시", "rememb", "skip", "soon"})
# A query that says too much was taken (`타이레놀 많이 먹었어요`, `took too much ibuprofen`,
# `aspirin overdose`; not `얼마나 많이 먹어도`, an amount, nor `too much stomach acid`), or a dose
# taken again (`약을 두 번 먹었어요`, `took it twice by accident`, `an extra dose`; not `하루에 두
# 번 먹었는데`, how often): what to do now is the overdose line ("과다 복용했다면 … 바로 병원에
# 가세요", "In case of overdose, get medical help right away").
OVERDOSE_ASKED = re.compile(
    r"(?<!얼마나 )(?<!얼마나)많이\s*(?:먹|복용|드셨)|과다\s*복용|과량|과복용"
    r"|두\s*배로?\s*(?:먹|복용)|중복\s*(?:복용|해서\s*먹|으로\s*먹)"
    r"|(?<!하루)(?<!하루에)(?<!하루에\s)(?<!하루\s)(?:두\s*번|또|다시|한\s*번\s*더)\s*"
    r"(?:먹었|복용했|드셨|먹어\s*버렸)|(?:실수로|잘못\s*(?:해서|하여)?)\s*.{0,12}(?:먹었|복용했|드셨|먹였)"
    r"|\b(?:took|taken|take|taking|had|swallowed|gave|given)\b.{0,20}\btoo (?:much|many)\b"
    r"|\btoo (?:much|many) (?:pills|tablets|capsules|doses)\b|\boverdos"
    r"|\bdouble (?:dose|dosed|dosing)\b|\bdoubled? up\b|\bextra (?:dose|pill|tablet)s?\b"
    r"|\b(?:took|taken|had|gave|given)\b.{0,25}\b(?:twice|again|another (?:dose|pill|tablet))\b"
    r"|\b(?:took|taken|gave|given)\b.{0,30}\bby (?:accident|mistake)\b"
    r"|\baccidentally (?:took|taken|gave|given|swallowed)\b",
    re.IGNORECASE,
)
# ... and the line answers where it says to get help beside the overdose it names, not where it
# warns of one ("함께 먹으면 과다 복용이 될 수 있습니다") or names too much of something else
# (위산 과다).
OVERDOSE_TERMS = frozenset({"과다", "과량", "overdos"})
OVERDOSE_WORDS = frozenset({"병원", "응급실", "응급", "help", "emerg", "poison"})
# A query that asks how to keep a medicine, or whether it keeps (`약 보관 방법`, `시럽 냉장 보관`,
# `유통기한 지난 약`, `how should i store amoxicillin`, `expired ibuprofen`, `how to dispose of
# medicine`, `오래된 약`): each article's storage section says it, where a query's other words
# (먹어도 되나요) had chosen its uses.
STORAGE_ASKED = re.compile(
    r"보관|유통\s*기한|사용\s*기한|기한\s*(?:이\s*)?지난|냉장|실온|상온|폐의약품"
    r"|약\s*(?:을|은)?\s*버리|버리는\s*(?:법|방법|곳)|오래된\s*약"
    r"|\bstor(?:age|ing|ed)\b|\bstore (?:it|them|this|my|the|your|medicines?|pills?)\b"
    r"|\bhow (?:to|should i|do i|do you|can i) store\b|\bexpir|\bfridge\b|\brefrigerat"
    r"|\bdispos(?:e|al|ing)\b|\bthrow (?:away|out)\b|\bout of date\b"
    r"|\bold (?:medicines?|medications?|pills|tablets|drugs)\b",
    re.IGNORECASE,
)
STORAGE_TERMS = frozenset({
    *("보관", "유통", "기한", "냉장", "냉장고", "실온", "버리다"),
    *("storag", "store", "expiri", "expir", "refriger", "fridg", "dispos"),
})  # fmt: skip
# The terms a line saying how soon a medicine works speaks in, as either side indexes them: a
# span of time ("6~12시간 뒤에", `within 30 minutes`) beside words for working (효과, `work`).
ONSET_TERMS = frozenset({
    *(COUNTED + unit for unit in ("분", "시간", "일", "주", "개월")),
    *("minut", "hour", "day", "week", "month"),
})  # fmt: skip
ONSET_WORDS = frozenset({"효과", "나타나다", "나아지다", "듣다", "work", "effect", "start", "feel"})
# ... and how long it may be taken: days, weeks or a period ("4주를 넘기지", `more than 10
# days`; not hours, which say how often) beside words for a limit (짧은 기간, 넘게, `short
# periods`, `shortest`; `more` and `than` are stop words).
DURATION_TERMS = frozenset({
    *(COUNTED + unit for unit in ("일", "주", "개월")),
    *("기간", "장기", "day", "week", "month", "period", "term"),
})  # fmt: skip
DURATION_WORDS = frozenset({
    *("짧다", "넘다", "넘기다", "좋아지다", "멈추다"),
    *("short", "shortest", "long", "longer", "stop", "improv"),
})  # fmt: skip
# In English a span of time is one said with its count (`7 days`, `a few weeks`, `an hour`);
# `once a day` says how often, `the next day` when.
ENGLISH_TIME_UNITS = frozenset({"minut", "hour", "day", "week", "month"})
COUNT_BEFORE = re.compile(
    r"(?:\d|\b(?:an|one|two|three|four|five|six|seven|eight|nine|ten|few|several))\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Answer:
    """What the line answering a question of how to take a medicine holds: one of its
    ``terms`` (an amount, a meal) and, to tell such lines apart, ``saying`` words that say more
    of it (하루 최대, 4~6시간마다 beside the 1정 of the dose, not the strengths' 200mg)."""

    terms: frozenset[str]
    saying: frozenset[str] = frozenset()
    # whether a query naming no article asks it of every result (how much: `하루에 몇 번
    # 먹나요`), or only of an article it names (when: `my stomach hurts after eating` says when
    # it hurts, not when to take anything)
    of_any: bool = True
    # whether a line answers only where it says one of ``saying`` beside a term (a span of time
    # is no answer to how soon it works unless the line says it works then)
    together: bool = False

    @property
    def words(self) -> frozenset[str]:
        """The terms and the saying words."""
        return self.terms | self.saying


AMOUNT = Answer(AMOUNT_TERMS, DOSING_TERMS)
TIMING = Answer(TIMING_TERMS, of_any=False)
ONSET = Answer(ONSET_TERMS, ONSET_WORDS, together=True)
DURATION = Answer(DURATION_TERMS, DURATION_WORDS, of_any=False, together=True)
MISSED = Answer(MISSED_TERMS, MISSED_WORDS)
OVERDOSE = Answer(OVERDOSE_TERMS, OVERDOSE_WORDS, together=True)
STORAGE = Answer(STORAGE_TERMS)

Span = tuple[int, int]


def overlaps(span: Span, spans: Iterable[Span]) -> bool:
    """Whether ``span`` (query characters start..end) shares a character with any of ``spans``."""
    return any(start < span[1] and span[0] < end for start, end in spans)


def side_effect_request(
    terms: Sequence[tuple[str, int, int]], text: str, kind_named: bool = False
) -> tuple[Span, ...]:
    """Where ``terms`` (text, start, end) of the query ``text`` ask which medicines have a side
    effect, or () when they do not ask it or name the medicine whose side effects they ask for
    (as a word typed whole: Kiwi may read 혈압약 as 혈압 + 약; or, ``kind_named``, a kind the
    glossary names: 스테로이드, `antidepressant`)."""
    spans: list[Span] = [(start, end) for word, start, end in terms if word in SIDE_EFFECT_WORDS]
    for (first, start, _), (second, _, end) in itertools.pairwise(terms):
        if (first, second) in SIDE_EFFECT_PAIRS:
            spans.append((start, end))
    if not spans:
        return _symptom_after_taking(terms, text)
    if any(word == CAUSE for word, _, _ in terms):
        return tuple(sorted(spans))
    if (
        kind_named
        or any(word in MEDICINE_STEMS for word, _, _ in terms)
        or any(_names_a_kind_of_medicine(word) for word in _typed_names(text))
    ):
        return ()
    return tuple(sorted(spans))


def _symptom_after_taking(terms: Sequence[tuple[str, int, int]], text: str) -> tuple[Span, ...]:
    """Where ``text`` says it took a medicine (:data:`AFTER_TAKING`) beside a symptom that came
    after, or (): not beside what it may do then (drink, drive), nor when the query asks how to
    take it (when, how much, a missed dose), which the line that answers it is for."""
    spans = [match.span() for match in AFTER_TAKING.finditer(text)]
    asks_else = PERMISSION_ASKED.search(text) or NOT_A_NEW_SYMPTOM.search(text)
    if not spans or asks_else or answers_asked(text):
        return ()
    told = [(word, start, end) for word, start, end in terms if not overlaps((start, end), spans)]
    if any(word in MEANWHILE_TERMS for word, _, _ in told):
        return ()
    symptoms = [
        word
        for word, start, end in told
        if not is_medicine_word(word) and word not in TAKING_LEMMAS
        and not is_framing_word(text[start:end]) and word not in FRAMING_LEMMAS
    ]  # fmt: skip
    # in Korean, said as a state (어지러워요, 잠이 안 와요, 두드러기가 났어요, 설사해요): a noun
    # alone (`약 먹고 샤워`, `약 먹은 후 운동`, `약 먹고 2시간`) is as likely what comes next
    stated = any(
        word not in TAKING_LEMMAS and (word.endswith("다") or LIGHT_VERB.match(text, end))
        for word, _, end in told
    )
    english = any(LATIN_RUN.fullmatch(word) for word in symptoms)
    return tuple(spans) if symptoms and (stated or english) else ()


def caution_request(terms: Sequence[tuple[str, int, int]], text: str) -> tuple[Span, ...]:
    """Where ``terms`` (text, start, end; negated ones marked) of the query ``text`` ask which
    medicines are bad for something (in pregnancy, for the liver, with alcohol), or ()."""
    spans = [(start, end) for word, start, end in terms if word in HARM_STEMS]
    spans += [match.span() for match in BAD_FOR.finditer(text)]
    spans += harm_asked(text)
    return tuple(sorted(set(spans)))


def asks_amount(text: str) -> bool:
    """Whether the query ``text`` asks how much or how often to take a medicine: its snippets
    then show where an article gives the amount (kb.searching). A dose missed or taken again
    (`missed a dose`, `an extra dose`) asks what to do now."""
    return AMOUNT_ASKED.search(text) is not None and not (
        AMOUNT_NOT_ASKED.search(text) or MISSED_ASKED.search(text) or OVERDOSE_ASKED.search(text)
    )


#: Korean adverbs a reader asks with, which Kiwi's reading drops as Nori's does (MAG: neither
#: index holds them), and the line saying them answers: `갑자기 끊으면 안 되는 약` ("갑자기
#: 끊으면 어지러움…"), `오메프라졸 오래 먹으면` ("주로 오래 복용할 때"); not 오래된 (old), nor
#: 자주색 (purple). 같이 and 함께 (together) are one adverb: `타이레놀 이부프로펜 같이 먹어도`
#: is answered by "함께 먹으면 과다 복용이 될 수 있습니다" (before a word for taking the index
#: holds it, as 함께: kb.analysis.korean.TOGETHER_ADVERBS; 갑자기 before stopping and 서서히
#: before lowering likewise).
ASKED_ADVERBS = re.compile(
    r"(?<![가-힣])(?:갑자기|서서히|천천히|오랫동안|오래(?![된되])|꾸준히|자주(?!색)|매일|같이|함께)"
)
# ... said of taking medicines together though no word for taking follows (`타이레놀
# 이부프로펜 같이`).
ADVERB_SYNONYMS = {adverb: other for adverb in TOGETHER_ADVERBS for other in TOGETHER_ADVERBS
                   if other != adverb}  # fmt: skip


#: How a medicine is said to be taken: a query's terms (먹다, 복용; Kiwi reads 드세요 alone as
#: 드세다), and how the words of an article's text start (복용하세요, 먹습니다, 드세요).
TAKING_QUERY_TERMS = TAKING_LEMMAS | {"드시다", "드세다"}
TAKING_WORDS = tuple(sorted(verb_stem(term) for term in TAKING_QUERY_TERMS))


def counted(text: str, start: int) -> bool:
    """Whether the English word at ``start`` of ``text`` follows a count (see
    :data:`COUNT_BEFORE`)."""
    return COUNT_BEFORE.search(text, max(0, start - 20), start) is not None


def adverbs_asked(text: str) -> tuple[str, ...]:
    """The adverbs of :data:`ASKED_ADVERBS` in the query ``text``, each once, as typed, and
    their synonyms."""
    typed = [match.group() for match in ASKED_ADVERBS.finditer(text)]
    synonyms = [ADVERB_SYNONYMS[adverb] for adverb in typed if adverb in ADVERB_SYNONYMS]
    return tuple(dict.fromkeys([*typed, *synonyms]))


def answers_asked(text: str) -> tuple[Answer, ...]:
    """What the query ``text`` asks of how to take a medicine (how much, when, how soon it works,
    for how long, what to do after a missed dose or an overdose, how to keep it), as the lines
    answering it hold it: its snippets then show such a line (kb.searching)."""
    asked = [AMOUNT] if asks_amount(text) else []
    for answer, asking in (
        (TIMING, TIMING_ASKED),
        (ONSET, ONSET_ASKED),
        (DURATION, DURATION_ASKED),
        (MISSED, MISSED_ASKED),
        (OVERDOSE, OVERDOSE_ASKED),
        (STORAGE, STORAGE_ASKED),
    ):
        if asking.search(text):
            asked.append(answer)
    return tuple(asked)


def is_medicine_word(word: str, kinds: bool = True) -> bool:
    """Whether a query's term says "medicine" (약, pill) or (with ``kinds``) names a kind of it
    (두통약)."""
    return word in MEDICINE_WORDS or word in MEDICINE_STEMS or (kinds and names_a_kind(word))


def names_a_kind(word: str) -> bool:
    """Whether ``word`` names a kind of medicine: 두통약, 진통제 (and 금기약, a contraindicated
    one, is none)."""
    return _names_a_medicine(word) and not word.startswith(CONTRAINDICATED)


def _typed_names(text: str) -> Iterator[str]:
    """Each word of ``text`` as typed, without its particle, and each word joined to a 약 or 제
    typed after it (`우울증 약 부작용`: 우울증약, antidepressants)."""
    words = _typed_words(text)
    yield from (word for _, _, word in words)
    yield from (word + medicine for (_, _, word), medicine in _before_medicine(words))


def kinds_typed(text: str) -> list[tuple[int, int, str]]:
    """Where ``text`` names a kind of medicine, as typed and without its particle (start, end,
    the word): a word that names one (수면제, 혈압약, 항우울제), or a need typed before a word
    for medicine (고혈압 of `고혈압 약 부작용`: the tag an article for it has); failing both,
    each word (스테로이드 of `스테로이드 부작용`), as the query names nothing else."""
    words = _typed_words(text)
    kinds = [(start, end, word) for start, end, word in words if names_a_kind(word)]
    kinds += [typed for typed, _ in _before_medicine(words)]
    return kinds or words


def _typed_words(text: str) -> list[tuple[int, int, str]]:
    """Each Hangul word of ``text`` (start, end, the word without its particle)."""
    return [(run.start(), run.end(), eojeol_stem(run.group())) for run in HANGUL_RUN.finditer(text)]


def _before_medicine(
    words: list[tuple[int, int, str]],
) -> Iterator[tuple[tuple[int, int, str], str]]:
    """Each of ``words`` typed right before a 약 or 제 (with its particle, if any), and that
    word for medicine."""
    for typed, (start, _, after) in itertools.pairwise(words):
        if (
            start == typed[1] + 1
            and after[:1] in MEDICINE_ENDINGS
            and after[1:] in ("", *PARTICLES)
        ):
            yield typed, after[:1]


def _names_a_kind_of_medicine(word: str) -> bool:
    """Whether ``word`` (a word as typed, without its particle) has nouns side by side that name
    a kind of medicine: 혈압약, and 우울증약 of `우울증약부작용` typed without a space; not
    `변비일으키는약` ("medicine that causes constipation"), a clause run together, nor
    `기침유발약` (a cough-causing medicine), which says what it asks."""
    return any(
        _names_a_medicine(name) and not any(asked in name for asked in SIDE_EFFECT_WORDS)
        for start, ends in noun_runs(word)
        for name in (word[start:end] for end in ends)
    )


def _names_a_medicine(word: str) -> bool:
    return len(word) > 1 and word.endswith(MEDICINE_ENDINGS) and word not in NOT_MEDICINES
