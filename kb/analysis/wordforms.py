"""English word forms Porter2 cannot fold: irregular inflections and British spellings; and
words it folds together that mean different things.

Porter2 strips suffixes, so ``children``, ``swollen`` and ``slept`` stayed apart from ``child``,
``swelling`` and ``sleep`` ("my child has a fever" missed an article about children's fevers),
and ``diarrhoea`` from ``diarrhea``, which the bundled articles both write.
"""

from __future__ import annotations

from whoosh.lang.porter2 import stem

# "word: forms", one word a line: nouns, and the verbs readers tell what happened with (bled,
# slept, threw up, took too much). Not the everyday verbs (made, said, got, given): joined to a
# word in nearly every text, they matched more than a query means (measured on msmarco-en).
# Only forms with one reading: not ``bit``, ``left``, ``found``, ``saw``, ``wound``, ``lead``,
# ``rose``, ``shot``, ``lives``, ``leaves`` or ``tore``, each also a word of its own.
_IRREGULAR = """
bite: bitten
bleed: bled
break: broke broken
burn: burnt
catch: caught
drink: drank drunk
drive: drove driven
eat: ate eaten
fall: fell fallen
feel: felt
forget: forgot forgotten
freeze: froze frozen
keep: kept
lose: lost
shake: shook shaken
sleep: slept
sting: stung
swell: swelled swollen
take: took taken
throw: threw thrown
wake: woke woken
child: children
man: men
woman: women
person: people
tooth: teeth
foot: feet
mouse: mice
louse: lice
calf: calves
half: halves
knife: knives
wife: wives
analysis: analyses
crisis: crises
diagnosis: diagnoses
prognosis: prognoses
thrombosis: thromboses
psychosis: psychoses
metastasis: metastases
hypothesis: hypotheses
bacteria: bacterium
fungus: fungi
nucleus: nuclei
stimulus: stimuli
criterion: criteria
phenomenon: phenomena
vertebra: vertebrae
larva: larvae
appendix: appendices
"""

# "American: British", one word a line; inflections follow, as both are matched by stem.
_BRITISH = """
diarrhea: diarrhoea
esophagus: oesophagus
esophageal: oesophageal
estrogen: oestrogen
hemorrhage: haemorrhage
hemorrhoids: haemorrhoids
hemoglobin: haemoglobin
hematoma: haematoma
hemophilia: haemophilia
anemia: anaemia
anemic: anaemic
leukemia: leukaemia
pediatric: paediatric
pediatrician: paediatrician
fetus: foetus
fetal: foetal
apnea: apnoea
edema: oedema
dyspnea: dyspnoea
gynecology: gynaecology
gynecologist: gynaecologist
orthopedic: orthopaedic
anesthetic: anaesthetic
anesthesia: anaesthesia
celiac: coeliac
cesarean: caesarean
septicemia: septicaemia
hypoglycemia: hypoglycaemia
hyperglycemia: hyperglycaemia
glycemic: glycaemic
ischemia: ischaemia
ischemic: ischaemic
tumor: tumour
behavior: behaviour
behavioral: behavioural
color: colour
odor: odour
labor: labour
flavor: flavour
favor: favour
humor: humour
vapor: vapour
goiter: goitre
liter: litre
milliliter: millilitre
center: centre
fiber: fibre
analyze: analyse
paralyze: paralyse
organize: organise
organization: organisation
recognize: recognise
minimize: minimise
realize: realise
immunize: immunise
immunization: immunisation
hospitalize: hospitalise
hospitalization: hospitalisation
stabilize: stabilise
sterilize: sterilise
metabolize: metabolise
sulfur: sulphur
sulfate: sulphate
aluminum: aluminium
gray: grey
mold: mould
license: licence
defense: defence
practice: practise
"""


# "stem: words", one family a line: words Porter2 folds into another word's stem though they
# mean something else (an organization, organic food, an organism are no organ; important is no
# import, the universe no university, ulcerative colitis no ulcer), each family with a stem of
# its own that no other word stems to, its inflections and British spellings with it.
_APART = """
organiz: organization organizations organisation organisations organizational organisational
organiz: organize organizes organized organizing organizer organizers
organiz: organise organises organised organising organiser organisers
organic: organic organically
inorganic: inorganic
organism: organism organisms
microorganism: microorganism microorganisms
experienc: experience experiences experienced experiencing
experiment: experiment experiments experimented experimenting experimental experimentally
experiment: experimentation
importan: important importance importantly
unimportan: unimportant
universiti: university universities
universal: universal universally
animal: animal animals
authoriti: authority authorities
authoriz: authorize authorizes authorized authorizing authorization authorizations
authoriz: authorise authorises authorised authorising authorisation authorisations
ulcerative: ulcerative
majoriti: majority majorities
minoriti: minority minorities
relativiti: relativity
"""


def _table(text: str) -> dict[str, str]:
    """``{form: word}`` from lines of ``word: forms``."""
    return {
        form: word.strip()
        for line in text.strip().splitlines()
        for word, forms in [line.split(":")]
        for form in forms.split()
    }


LEMMAS = _table(_IRREGULAR)
KEPT_APART = _table(_APART)  # {word: the stem of its own}
AMERICAN_STEMS = {stem(british): stem(american) for british, american in _table(_BRITISH).items()}


def lemma(word: str) -> str:
    """The word ``word`` (lower-cased) inflects, or ``word`` itself when it is regular."""
    return LEMMAS.get(word, word)


def american_stem(stemmed: str) -> str:
    """The American spelling's stem for a British spelling's, or ``stemmed`` itself."""
    return AMERICAN_STEMS.get(stemmed, stemmed)
