"""Topics as subject + what is asked: concept vocabulary and requested acts/stances (pure)."""

from __future__ import annotations

import pytest

from index.topic import (
    named_otherwise,
    names_concept,
    occurs,
    parse_topic,
    phrase_stems,
    vocabulary,
    word_stems,
)


def names(topic: str) -> list[str]:
    return [c.name for c in parse_topic(topic).concepts]


@pytest.mark.parametrize(
    ("topic", "concepts"),
    [
        # one subject, many wordings: synonyms, inflections, English
        ("NNS serviceavgift", ["nns", "avgift"]),
        ("medlemsavgiften till Nationella nätverket för samordningsförbund", ["avgift", "nns"]),
        ("the NNS membership fee", ["nns", "avgift"]),
        ("tilläggsäskanden", ["extra_medel"]),
        ("utökade budgetar", ["extra_medel"]),
        ("extra medel", ["extra_medel"]),
        ("additional funding requests", ["extra_medel"]),
        ("nya insatser", ["ny_insats"]),
        ("new projects", ["ny_insats"]),
        ("projekt", ["insats"]),
        ("anställning av förbundschef", ["anstallning", "forbundschef"]),
        ("rekrytering av förbundschef", ["anstallning", "forbundschef"]),
        ("recruitment of a director", ["anstallning", "forbundschef"]),
        ("membership fee to the national network of coordination associations", ["avgift", "nns"]),
        # a hyphenated compound asks what its words ask
        ("vad har förbunden beslutat om NNS-avgiften", ["nns", "avgift"]),
        ("beslut om NNS-serviceavgift", ["nns", "avgift"]),
        ("SUS-licenser", ["ord:sus", "ord:licenser"]),
        # words the vocabulary lacks are concepts of their own; noise words are none
        ("alla beslut om lokalhyra", ["ord:lokalhyra"]),
    ],
)
def test_concepts(topic: str, concepts: list[str]) -> None:
    assert names(topic) == concepts


@pytest.mark.parametrize(
    ("topic", "acts", "stances"),
    [
        ("avslagna tilläggsäskanden", {"rejected"}, set()),
        ("rejected supplementary requests", {"rejected"}, set()),
        ("beviljade ansökningar om extra medel", {"granted", "partly_granted"}, set()),
        ("granted applications for new projects", {"granted", "partly_granted"}, set()),
        ("tilläggsäskanden som delvis beviljades", {"partly_granted"}, set()),
        # a full grant narrows a grant: not the partial ones
        ("tilläggsäskanden som beviljades i sin helhet", {"granted"}, set()),
        ("supplementary requests granted in full", {"granted"}, set()),
        ("ansökningar som beviljades fullt ut", {"granted"}, set()),
        ("återremitterade ärenden", {"referred_back"}, set()),
        ("bordlagda frågor om NNS avgift", {"tabled"}, set()),
        ("which boards voted against the NNS fee", set(), {"against"}),
        ("förbund som ställde sig bakom NNS förslag", set(), {"for"}),
        ("förbund som avstod i frågan om NNS avgift", set(), {"abstain"}),
        ("ombud med fria händer", set(), {"free_mandate"}),
        ("NNS serviceavgift", set(), set()),
    ],
)
def test_requested_act_or_stance(topic: str, acts: set[str], stances: set[str]) -> None:
    parsed = parse_topic(topic)
    assert (set(parsed.acts), set(parsed.stances)) == (acts, stances)


@pytest.mark.parametrize(
    ("supine", "act"),
    [
        ("beviljats", "granted"),
        ("bifallits", "granted"),
        ("godkänts", "approved"),
        ("antagits", "approved"),
        ("fastställts", "approved"),
        ("avslagits", "rejected"),
        ("nekats", "rejected"),
        ("återremitterats", "referred_back"),
        ("bordlagts", "tabled"),
        ("utsetts", "appointed"),
        ("valts", "appointed"),
        ("delegerats", "delegated"),
    ],
)
def test_a_question_in_the_perfect_asks_for_the_act(supine: str, act: str) -> None:
    """Questions ask "vilka ärenden har avslagits?" as often as for "avslagna ärenden": the
    perfect tense (passive and active supine) of every act verb is in the vocabulary."""
    assert act in parse_topic(f"vilka ärenden har {supine}?").acts
    active = supine[:-1] if supine.endswith("ts") else supine
    assert act in parse_topic(f"ärenden som styrelsen har {active}").acts


@pytest.mark.parametrize(
    ("phrase", "act"),
    [
        ("godkännande av delårsrapporten", "approved"),
        ("fastställande av budget", "approved"),
        ("antagande av verksamhetsplan", "approved"),
        ("approval of the annual report", "approved"),
        ("adoption of the budget", "approved"),
        ("beviljande av medel", "granted"),
        ("rejection of the request", "rejected"),
        ("bordläggning av frågan", "tabled"),
        ("postponement of the fee question", "tabled"),
        ("appointment of an auditor", "appointed"),
    ],
)
def test_the_act_noun_asks_for_the_act(phrase: str, act: str) -> None:
    """Topics name the act by its noun as often as by the verb ("godkännande av …")."""
    assert act in parse_topic(phrase).acts


def test_either_position_when_two_are_asked() -> None:
    assert set(parse_topic("förbund som röstade emot eller avstod om NNS avgift").stances) == {
        "against",
        "abstain",
    }


def test_phrases_match_inflected_and_compound_words() -> None:
    text = word_stems("Styrelsen avslår ansökan om utökade budgetar. Serviceavgiften höjs.")
    assert occurs(phrase_stems("utökad budget"), text)
    assert occurs(phrase_stems("avgift"), text)  # a part of "serviceavgiften"
    assert not occurs(phrase_stems("utökad avgift"), text)  # the words must follow each other


def test_vocabulary_is_consistent() -> None:
    vocab = vocabulary()
    for concept in vocab.concepts.values():
        assert concept.phrases, concept.name
        assert concept.unless_title is None or concept.unless_title in vocab.concepts


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("förbundet betalar deltagaravgiften för konferensen", False),
        ("kursavgift och anmälningsavgift för utbildningsdagen", False),
        ("NNS höjer serviceavgiften till 2,50 kr", True),
        ("avgiften till NNS", True),
        ("deltagaravgiften och medlemsavgiften", True),
    ],
)
def test_a_fee_of_another_kind_is_not_the_fee(text: str, named: bool) -> None:
    assert names_concept(vocabulary().concepts["avgift"], word_stems(text)) is named


def test_an_item_naming_another_fee_in_the_place_of_the_fee_is_named_otherwise() -> None:
    topic = parse_topic("NNS serviceavgift")
    conference = word_stems("Deltagande i NNS konferens. Förbundet betalar deltagaravgiften.")
    fee = word_stems("NNS föreslår höjd serviceavgift; deltagaravgiften till konferensen betalas.")
    assert named_otherwise(topic, conference)
    assert not named_otherwise(topic, fee)  # the fee itself is named too
    assert not named_otherwise(topic, word_stems("NNS nyhetsbrev"))  # nothing else named
