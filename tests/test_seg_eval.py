"""The segmentation evaluation: its metrics on hand-made documents with known answers, and the
`finsam eval-segmentation` command on a real ingested file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.model import PARAGRAF, PUNKT, SEKTION, Document, Item, Meeting
from ingest.seg_agreement import agreement
from ingest.seg_eval import canonical, evaluate, load_gold, same_text, score_document, total
from search_app.cli import cli


def item(label: str, kind: str, n: int | None, title: str, *decisions: str, **kw) -> Item:
    return Item(f"id-{label}", label, n, kind, title, "", decisions=decisions, **kw)


def document(items: list[Item], **meeting) -> Document:
    return Document(
        "d",
        "x.pdf",
        "/x.pdf",
        meeting.pop("kind", "protokoll"),
        Meeting(**meeting),
        tuple(items),
        1,
    )


GOLD = {
    "kind": "protokoll",
    "forbund": "Samordningsförbundet Göteborg",
    "date": "2023-11-16",
    "organ": "styrelse",
    "chair": "Helena Strand",
    "secretary": None,
    "items": [
        {"n": 1, "label": "§ 1", "title": "Val av justerare", "decisions": ["Jonas utses"]},
        {
            "n": 2,
            "label": "§ 2",
            "title": "Budget 2024",
            "decisions": [
                "att fastställa budget 2024 med en ram om 9,6 mnkr",
                "att ge förbundschefen i uppdrag att ta fram en verksamhetsplan för 2024 till nästa möte",
            ],
        },
        {"n": 3, "label": "§ 3", "title": "Tilläggsäskande", "decisions": ["Ansökan avslås"]},
        {"n": 4, "label": "§ 4", "title": "Övriga frågor", "decisions": []},
    ],
}


def test_metrics_on_a_document_with_known_errors() -> None:
    found = document(
        [
            item("§ 1", PARAGRAF, 1, "Val av justerare", "Jonas utses."),
            # right title, one clause whole (bullet, wrapped line, hyphenation) and one split
            item(
                "§ 2",
                PARAGRAF,
                2,
                "Budget 2024",
                "- Att fastställa budget 2024 med en ram\n om 9,6 mnkr",
                "att ge förbunds-\nchefen i uppdrag att ta fram en verksamhetsplan",
                "för 2024 till nästa möte",
            ),
            item("§ 3", PARAGRAF, 3, "Dnr 2023/41", "Ansökan avslås"),  # Dnr as title
            # § 4 missing; a signature box became an item with a "decision"
            item("Justerande", SEKTION, None, "Justerande", "Helena Strand"),
        ],
        forbund="Samordningsförbundet Göteborg",
        date="2023-11-16",
        chair="Helena Strand",
        secretary="Sofia Hägg",
        organ=None,
    )
    s = score_document("x.pdf", GOLD, found)
    # items: 3 of 4 found, 1 stray -> F1 = 6 / (6 + 1 + 1)
    assert (s.items_tp, s.items_fp, s.items_fn) == (3, 1, 1)
    assert s.item_f1 == pytest.approx(0.75)
    assert s.stray == ("Justerande",)
    # titles: § 1 and § 2 right; § 3 wrong; § 4 missed -> 2 / 4
    assert (s.titles_right, s.titles_total) == (2, 4)
    # clauses: gold 5; found right 3 (§1, §2 first, §3); § 2's second clause missed and its
    # two halves extra; the stray item's clause extra -> tp 3, fn 1, fp 3
    assert (s.clauses_tp, s.clauses_fn, s.clauses_fp) == (3, 1, 3)
    assert s.clause_f1 == pytest.approx(6 / 10)
    # metadata: kind, förbund, date, chair right; secretary invented (gold null) -> 4 / 5
    assert (s.meta_right, s.meta_total) == (4, 5)
    assert any(d.startswith("secretary: 'Sofia Hägg'") for d in s.differences)
    assert any("organ" in d and "not scored" in d for d in s.differences)
    assert any(d.startswith("§ 3 title: 'Dnr 2023/41'") for d in s.differences)


def test_a_perfect_document_scores_one_and_labels_must_agree() -> None:
    perfect = document(
        [item(g["label"], PARAGRAF, g["n"], g["title"], *g["decisions"]) for g in GOLD["items"]],
        forbund=GOLD["forbund"],
        date=GOLD["date"],
        chair=GOLD["chair"],
        organ="styrelse",
    )
    s = score_document("x.pdf", GOLD, perfect)
    assert (s.item_f1, s.title_accuracy, s.clause_f1, s.metadata_accuracy) == (1, 1, 1, 1)
    assert s.items_fp == 0 and not s.differences
    # "§ 4" found as "punkt 4" is not § 4: a missed item and a stray one
    relabelled = document(list(perfect.items[:3]) + [item("punkt 4", PUNKT, 4, "Övriga frågor")])
    r = score_document("x.pdf", GOLD, relabelled)
    assert (r.items_tp, r.items_fp, r.items_fn) == (3, 1, 1)
    assert "§ 4: found only as 'punkt 4'" in r.differences


def test_text_matching_tolerates_layout_noise_not_other_words_or_numbers() -> None:
    assert canonical("1. Att  bevilja\u00ad 200 000 kr.") == "att bevilja 200 000 kr"
    assert same_text("• Styrelsen god-\nkänner rapporten.", "Styrelsen godkänner rapporten")
    assert same_text("Delårsrapport januari – augusti", "Delårsrapport januari-augusti")
    assert not same_text("att bevilja 260 000 kr", "att bevilja 200 000 kr")  # digits differ
    assert not same_text("Val av justerare och justeringsdag", "Val av justerare")
    long = "att uppdra åt förbundschefen att ta fram en plan för insatsens fortsättning 2025"
    assert same_text(long.replace("fortsättning", "fortsattning"), long)  # 1 edit in 80 chars
    assert not same_text(long + " Justerandes sign", long)  # a footer glued on
    assert not same_text(long.replace(" för insatsens", ""), long)  # a lost phrase


def test_sections_partial_agenda_and_kallelse_points() -> None:
    notes = {"kind": "minnesanteckningar", "sections": ["Årsredovisning 2022", "Avslutning"]}
    d = document(
        [
            item("Närvarande", SEKTION, None, "Närvarande"),
            item("Årsredovisning 2022", SEKTION, None, "Årsredovisning 2022"),
            item("Avslutning", SEKTION, None, "Avslutning"),
        ],
        kind="minnesanteckningar",
    )
    s = score_document("n.pdf", notes, d)
    assert (s.items_tp, s.items_fp, s.items_fn, s.titles_right) == (2, 1, 0, 2)
    # the gold names a section by the first words of its heading, whole words only
    heads = {"kind": "minnesanteckningar", "sections": ["Medlemmarnas medskick", "Revision"]}
    d = document(
        [
            item("a", SEKTION, None, "Medlemmarnas medskick om prioriteringar"),
            item("b", SEKTION, None, "Revisionsberättelse"),
        ]
    )
    s = score_document("n.pdf", heads, d)
    assert (s.items_tp, s.items_fp, s.items_fn) == (1, 1, 1)
    # a kallelse whose gold lists 2 of 4 points: 2 unlisted points are not stray, a 5th is;
    # its points must carry no decisions, and the proposal is checked by containment
    kallelse = {
        "kind": "kallelse",
        "agenda_items": 4,
        "items": [
            {"n": 1, "title": "Mötets öppnande"},
            {"n": 3, "title": "Tilläggsäskande", "proposal": "Styrelsen beviljar 85 000 kr"},
        ],
    }
    points = [
        item(f"punkt {n}", PUNKT, n, t)
        for n, t in [
            (1, "Mötets öppnande"),
            (2, "Val av justerare"),
            (4, "Övrigt"),
            (5, "Avslutning"),
        ]
    ]
    points.insert(
        2,
        item(
            "punkt 3",
            PUNKT,
            3,
            "Tilläggsäskande",
            "Beslut",
            proposals=("Förbundschefen föreslår: Styrelsen beviljar 85 000 kr.",),
        ),
    )
    k = score_document("k.pdf", kallelse, document(points, kind="kallelse"))
    assert (k.items_tp, k.items_fp, k.items_fn) == (2, 1, 0)
    assert (k.proposals_right, k.proposals_total) == (1, 1)
    assert (k.clauses_tp, k.clauses_fp) == (0, 1)  # "Beslut" is no decision in a kallelse


def test_a_copy_is_scored_against_its_originals_segmentation() -> None:
    original = document(
        [
            item("§ 7", PARAGRAF, 7, "Val av justerare", "Eva Wik utses"),
            item("§ 8", PARAGRAF, 8, "Budget 2025", "att fastställa budgeten", "att ge uppdrag"),
            item("Punkt 9", PUNKT, 9, "Övriga frågor"),
            item("Bilaga 1", SEKTION, None, "Bilaga 1 Verksamhetsplan"),
        ],
        forbund="Samordningsförbundet Sala",
        date="2024-05-02",
        chair="Eva Wik",
    )
    same = agreement(original, original)
    assert (same.item_f1, same.title_accuracy, same.clause_f1, same.metadata_accuracy) == (
        1,
        1,
        1,
        1,
    )
    assert not same.differences
    # The copy: § 8's title read with a stray word and one clause lost, punkt 9 lost, a
    # signature box read as an item, and the date misread.
    copy = document(
        [
            item("§ 7", PARAGRAF, 7, "Val av justerare", "Eva Wik utses."),
            item("§ 8", PARAGRAF, 8, "Budget 2025 forts", "att fastställa budgeten"),
            item("Bilaga 1", SEKTION, None, "Bilaga 1 Verksamhetsplan"),
            item("Justerande", SEKTION, None, "Justerande"),
        ],
        forbund="Samordningsförbundet Sala",
        date="2024-05-08",
        chair="Eva Wik",
    )
    s = agreement(original, copy)
    assert (s.items_tp, s.items_fp, s.items_fn) == (3, 1, 1)
    assert (s.titles_right, s.titles_total) == (2, 4)
    assert (s.clauses_tp, s.clauses_fp, s.clauses_fn) == (2, 0, 1)
    meta = {field: (want, got) for field, want, got in s.meta}
    assert meta["date"] == ("2024-05-02", "2024-05-08")
    assert meta["forbund"] == ("Samordningsförbundet Sala",) * 2
    assert meta["secretary"] == (None, None)  # null in the original: must stay null
    assert (s.meta_right, s.meta_total) == (4, 5)
    # an item of the copy with a decision the original's item does not have is an extra clause
    extra = document([item("§ 7", PARAGRAF, 7, "Val av justerare", "Eva Wik utses", "Beslut")])
    e = agreement(document([original.items[0]]), extra)
    assert (e.clauses_tp, e.clauses_fp) == (1, 1)


def test_missing_documents_are_reported_and_left_out_of_the_total() -> None:
    ok = document([item("§ 1", PARAGRAF, 1, "Val av justerare", "Jonas utses")])
    gold = {"a.pdf": {"items": GOLD["items"][:1]}, "b.pdf": GOLD}
    scores = evaluate(gold, {"a.pdf": ok})
    assert [s.missing for s in scores] == [None, "not in the corpus"]
    overall = total(scores)
    assert (overall.items_tp, overall.items_fn, overall.clauses_tp) == (1, 0, 1)


def test_a_bad_gold_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "gold.json"
    bad.write_text('{"documents": {"a.pdf": {"items": [{"label": "X 1", "n": 1}]}}}', "utf-8")
    code, out = _run("eval-segmentation", str(bad), "--db", str(tmp_path / "none.db"))
    assert code == 1 and out.startswith("finsam: ") and "gold.json" in out
    assert len(out.strip().splitlines()) == 1
    with pytest.raises(Exception, match="unknown label"):
        load_gold(bad)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"FINSAM_MODEL": "hash"})
    return result.exit_code, result.stdout + result.stderr


PROTOCOL = """Samordningsförbundet Gävleborg
PROTOKOLL
Styrelsemöte 10 november 2023

Sekreterare: Anna Sjöberg

§ 1 Val av justerare
Beslut: Styrelsen utser Johan Ek att justera protokollet.

§ 2 Budget 2024
Styrelsen beslutar
att fastställa budget 2024,
att uppdra åt förbundschefen att redovisa utfallet.
"""


def test_command_on_the_corpus_and_on_files(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "gavle.txt").write_text(PROTOCOL, "utf-8")
    gold = {
        "documents": {
            "gavle.txt": {
                "kind": "protokoll",
                "forbund": "Samordningsförbundet Gävleborg",
                "date": "2023-11-10",
                "secretary": "Anna Sjöberg",
                "items": [
                    {
                        "n": 1,
                        "label": "§ 1",
                        "title": "Val av justerare",
                        "decisions": ["Styrelsen utser Johan Ek att justera protokollet"],
                    },
                    {
                        "n": 2,
                        "label": "§ 2",
                        "title": "Budget 2024",
                        "decisions": [
                            "att fastställa budget 2024",
                            "att uppdra åt förbundschefen att redovisa utfallet",
                        ],
                    },
                ],
            },
            "absent.pdf": GOLD,
        }
    }
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    db = tmp_path / "c.db"
    code, out = _run("ingest", str(src), "--db", str(db), "--no-index")
    assert code == 0, out
    code, out = _run("eval-segmentation", str(gold_path), "--db", str(db), "--json")
    assert code == 0, out
    report = json.loads(out)
    (doc,) = report["documents"]
    assert doc["source"] == "gavle.txt"
    assert (doc["item_f1"], doc["title_accuracy"], doc["clause_f1"]) == (1.0, 1.0, 1.0)
    assert doc["metadata_accuracy"] == 1.0 and doc["stray_items"] == 0
    assert report["not_evaluated"] == [{"source": "absent.pdf", "reason": "not in the corpus"}]
    code, text = _run("eval-segmentation", str(gold_path), "--files", str(src))
    assert code == 0, text
    assert "gavle.txt" in text and "NOT EVALUATED  absent.pdf: not among the files given" in text
    assert "2/2 1.00" in text.split("overall")[1].splitlines()[0]
