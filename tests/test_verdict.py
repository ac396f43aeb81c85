"""The item-level verdict: act and stance apart, proposals never decisions (constructed items)."""

from __future__ import annotations

import pytest

from corpus.model import DECIDED, KALLELSE, ON_AGENDA, PROPOSED, PROTOKOLL, Item
from ingest.stance import classify_item
from ingest.stance_words import ACT_PRECEDENCE
from ingest.verdict import (
    decided_act,
    item_act,
    names_external_proposal,
    requested_amounts,
    verdict,
)


def item(
    title: str,
    decisions: tuple[str, ...] = (),
    proposals: tuple[str, ...] = (),
    body: str = "",
    organisations: tuple[str, ...] = (),
) -> Item:
    return Item(
        item_id="x",
        label="§ 1",
        number=1,
        kind="paragraf",
        title=title,
        body=body,
        decisions=decisions,
        proposals=proposals,
        organisations=organisations,
        records=classify_item(decisions, proposals),
    )


NNS = ("Nationella Nätverket för Samordningsförbund",)


@pytest.mark.parametrize(
    ("title", "decisions", "orgs", "act", "stance"),
    [
        # a plain act on someone else's proposal takes the position it implies
        (
            "NNS förslag om höjd avgift",
            ("Styrelsen avslår förslaget.",),
            NNS,
            "rejected",
            "against",
        ),
        ("NNS förslag om höjd avgift", ("Förslaget godkänns.",), NNS, "approved", "for"),
        (
            "Information om NNS förslag",
            ("Informationen läggs till handlingarna.",),
            NNS,
            "noted",
            "noted",
        ),
        (
            "Remiss om ny avgiftsmodell",
            ("Frågan bordläggs till nästa möte.",),
            (),
            "tabled",
            "tabled",
        ),
        # an explicit position wins over the act
        (
            "Avgift till nätverket",
            ("Styrelsen ställer sig bakom NNS förslag.",),
            NNS,
            "approved",
            "for",
        ),
        (
            "Avgift",
            ("Ombudet utses.", "Ombudet ges fria händer."),
            NNS,
            "delegated",
            "free_mandate",
        ),
        # the board's own preparation is no one else's proposal: an act, no stance
        ("Sammanträdesplan 2025", ("Planen fastställs enligt förslaget.",), (), "approved", None),
        (
            "Budget 2025",
            ("Budgeten fastställs enligt förbundschefens förslag.",),
            ("Region Halland",),
            "approved",
            None,
        ),
        (
            "Ny insats – Jobbspår",
            ("Styrelsen beviljar 300 tkr till Jobbspår.",),
            (),
            "granted",
            None,
        ),
    ],
)
def test_act_and_stance(title, decisions, orgs, act, stance) -> None:
    v = verdict(item(title, decisions, organisations=orgs), PROTOKOLL)
    assert (v.status, v.act, v.stance) == (DECIDED, act, stance)


def test_a_grant_below_the_request_is_partial() -> None:
    body = "Styrgruppen har i en skrivelse begärt 400 tkr i tilläggsanslag för 2025."
    v = verdict(item("Tilläggsanslag Jobbspår", ("Att bevilja 250 tkr.",), body=body), PROTOKOLL)
    assert (v.act, v.requested_kr, v.amounts_kr) == ("partly_granted", (400000.0,), (250000.0,))
    full = "Styrgruppen ansöker om 250 000 kronor."
    assert (
        verdict(item("Ansökan", ("Att bevilja 250 tkr.",), body=full), PROTOKOLL).act == "granted"
    )


def test_a_grant_beside_a_rejection_of_the_rest_is_partial() -> None:
    decisions = ("att bevilja 100 000 kr för 2025,", "att i övrigt avslå ansökan.")
    assert verdict(item("Ansökan om medel", decisions), PROTOKOLL).act == "partly_granted"


def test_the_act_from_acts_alone_is_the_act_of_the_records() -> None:
    """Re-ranking reads only the records' acts (decided_act): for every mix of acts (two
    of them), with amounts and none asked for, it gives what item_act gives the records."""
    from itertools import combinations_with_replacement

    from corpus.model import Decision

    acts = [None, *ACT_PRECEDENCE]
    seen = set()
    for mix in combinations_with_replacement(acts, 2):
        records = [Decision("att …", a, None, None, amounts_kr=(100_000.0,)) for a in mix]
        assert decided_act([r.act for r in records]) == item_act(records)
        seen.add(decided_act(list(mix)))
    assert "partly_granted" in seen and None in seen


def test_amounts_asked_and_given_in_one_clause() -> None:
    clause = ("Styrelsen beviljar 0,5 mnkr av begärda 0,9 mnkr.",)
    v = verdict(item("Utökad ram", clause), PROTOKOLL)
    assert v.act == "partly_granted"
    assert requested_amounts(clause[0]) == (900000.0,)


def test_adopting_the_proposal_takes_its_act() -> None:
    it = item(
        "Ansökan om medel – Steget",
        ("Styrelsen beslutar i enlighet med förslaget.",),
        ("Styrelsen beviljar Steget 640 000 kr för 2026.",),
    )
    v = verdict(it, PROTOKOLL)
    assert (v.status, v.act, v.stance, v.amounts_kr) == (DECIDED, "granted", "for", (640000.0,))


def test_a_notice_proposes_and_never_decides() -> None:
    it = item(
        "NNS förslag om avgift", ("Styrelsen ställer sig bakom NNS förslag.",), organisations=NNS
    )
    v = verdict(it, KALLELSE)
    assert (v.status, v.act, v.stance) == (PROPOSED, None, None)
    assert (v.proposed_act, v.proposed_stance) == ("approved", "for")
    silent = item("NNS avgift", (), ("Inget beslutsförslag läggs.",), organisations=NNS)
    assert verdict(silent, KALLELSE).status == ON_AGENDA
    assert verdict(silent, PROTOKOLL).status == ON_AGENDA


def test_a_protocol_item_with_only_a_proposal_is_not_decided() -> None:
    it = item("Tilläggsäskande", (), ("Förbundschefen föreslår att 80 tkr beviljas.",))
    v = verdict(it, PROTOKOLL)
    assert (v.status, v.act, v.proposed_act) == (PROPOSED, None, "granted")


def test_external_proposal_words() -> None:
    assert names_external_proposal(["Ansökan om medel – Steget"])
    assert names_external_proposal(["Remiss: ny förordning"])
    assert names_external_proposal(["NNS förslag om avgift"], other_parties=True)
    assert not names_external_proposal(["NNS förslag om avgift"], other_parties=False)
    assert not names_external_proposal(["enligt förbundschefens förslag"], other_parties=True)
    assert not names_external_proposal(["Förslag till beslut"], other_parties=True)
