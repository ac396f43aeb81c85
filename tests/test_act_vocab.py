"""One vocabulary of decision verbs (ingest.act_vocab) read by both stages: every finite form
of a deciding verb opens a decision written without a Beslut heading (ingest.clauses), and the
same form takes its act (ingest.stance). A form added to the vocabulary reaches both."""

from __future__ import annotations

import pytest
from clause_texts import clauses_of

from ingest import act_vocab as v
from ingest.stance import classify


def test_verb_forms_from_stem_and_endings() -> None:
    assert v.BEVILJA.finite == "beviljar|beviljade"
    assert v.AVSÄTTA.forms("past", "passive") == "avsatte|avsätts|avsättes"
    assert v.BESLUTA.finite == "beslutar|beslutade|beslöt"
    assert v.VÄNTA.passive == ""  # no such form


# Each deciding verb with the act its forms take, on an object of its own.
ACTS = [
    (v.BEVILJA, "300 tkr till Jobbspåret", "granted"),
    (v.TILLDELA, "Jobbspåret 300 tkr", "granted"),
    (v.AVSLÅ, "ansökan", "rejected"),
    (v.GODKÄNNA, "avtalet", "approved"),
    (v.FASTSTÄLLA, "budgeten för 2025", "approved"),
    (v.ANTA, "verksamhetsplanen", "approved"),
    (v.ÅTERREMITTERA, "ärendet till kansliet", "referred_back"),
    (v.BORDLÄGGA, "ärendet", "tabled"),
    (v.DELEGERA, "beslutet till ordföranden", "delegated"),
    (v.NOTERA, "informationen", "noted"),
    (v.TILLSTYRKA, "NNS förslag", "approved"),
    (v.AVSTYRKA, "NNS förslag", "rejected"),
    (v.GODTA, "NNS förslag", "approved"),
    (v.UTNÄMNA, "Eva Ek till ny förbundschef", "appointed"),
    (v.FÖRNYA, "förordnandet för förbundschefen Eva Ek", "appointed"),
    (v.FÖRORDA, "NNS förslag", "approved"),
]


@pytest.mark.parametrize(("verb", "rest", "want"), ACTS)
def test_each_finite_form_decides_without_heading_and_takes_its_act(
    verb: v.Verb, rest: str, want: str
) -> None:
    for form in verb.finite.split("|"):
        sentence = f"Styrelsen {form} {rest}"
        assert clauses_of("Förbundschefen föredrar ärendet.", sentence) == [sentence]
        assert classify(sentence).act == want, sentence


@pytest.mark.parametrize(
    ("verb", "subject", "want"),
    [
        (v.AVSLÅ, "Ansökan", "rejected"),
        (v.BEVILJA, "Ansökan", "granted"),
        (v.BORDLÄGGA, "Ärendet", "tabled"),
        (v.ÅTERREMITTERA, "Ärendet", "referred_back"),
        (v.FASTSTÄLLA, "Budgeten", "approved"),
        (v.UTNÄMNA, "Eva Ek", "appointed"),
        (v.FÖRNYA, "Förordnandet för förbundschefen", "appointed"),
    ],
)
def test_each_present_passive_decides_without_heading(
    verb: v.Verb, subject: str, want: str
) -> None:
    for form in verb.passive.split("|"):
        sentence = f"{subject} {form}"
        assert clauses_of("Förbundschefen föredrar ärendet.", sentence) == [sentence]
        assert classify(sentence).act == want, sentence


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("Styrelsen ställer sig bakom NNS förslag", "approved"),
        ("Styrelsen ansluter sig till NNS förslag", "approved"),
        ("Styrelsen instämmer i NNS förslag", "approved"),
        ("Styrelsen skjuter upp beslutet till mars", "tabled"),
        ("Styrelsen skickar ärendet tillbaka till kansliet", "referred_back"),
        ("Styrelsen sände tillbaka ärendet till kansliet", "referred_back"),
        ("Styrelsen tar upp frågan igen i mars", "tabled"),
        ("Styrelsen väntar med beslutet till mars", "tabled"),
        ("Styrelsen kan inte tillstyrka ansökan", "rejected"),
        ("Frågan får vänta till mars", "tabled"),
        ("Ärendet återgår till beredningsgruppen", "referred_back"),
        ("Ärendet tas upp på nytt i mars", "tabled"),
    ],
)
def test_phrases_of_the_vocabulary_read_by_both(sentence: str, want: str) -> None:
    assert clauses_of("Förbundschefen föredrar ärendet.", sentence) == [sentence]
    assert classify(sentence).act == want


@pytest.mark.parametrize(
    "sentence",
    [
        "Förbundschefen informerar om att insatsen utökas med två platser",
        "Deltagarna får vänta på besked",
    ],
)
def test_not_a_decision_without_heading(sentence: str) -> None:
    assert clauses_of(sentence) == []
