"""Segmentation of constructed documents in layouts the samples do not show.

Other förbund, "Ärende 3", "Punkt 7", "§ 7" at a line start versus references in running
text, "Beslut:" on the clause's line, clauses without "Att", numbered clauses, one-sentence
decisions, agenda proposals, attachments after a notice, notes split by headings.
"""

from __future__ import annotations

from corpus.model import (
    ARENDE,
    BESLUTANDE,
    ERSATTARE,
    KALLELSE,
    MINNESANTECKNINGAR,
    OVRIGA,
    PARAGRAF,
    PROTOKOLL,
    PUNKT,
    SEKTION,
    TJANSTGORANDE_ERSATTARE,
    Document,
    Item,
    Page,
    make_item_id,
)
from ingest.clean import clean
from ingest.segment import header_lines, segment


def seg(*texts: str) -> Document:
    pages = clean([Page(n, t) for n, t in enumerate(texts, start=1)])
    return segment(pages, doc_id="doc", source="test.txt")


def item(d: Document, label: str) -> Item:
    found = [it for it in d.items if it.label == label]
    assert found, f"no item {label!r} in {[it.label for it in d.items]}"
    return found[0]


ARENDE_PROTOCOL = """\
Samordningsförbundet Gävleborg
PROTOKOLL
Styrelsemöte

Datum: 10 november 2023
Tid: 13.00–15.30
Plats: Regionhuset, Gävle

Närvarande ledamöter:
Maria Lindqvist (ordförande), Region Gävleborg
Johan Ek, Försäkringskassan
Sara Holm, Arbetsförmedlingen
Tjänstgörande ersättare:
Per Nyström, Gävle kommun

Sekreterare: Anna Sjöberg
Justerare: Johan Ek

Ärende 1 Mötets öppnande
Ordföranden öppnade mötet.

Ärende 2 Val av justerare
Beslut: Styrelsen utser Johan Ek att justera protokollet.

Ärende 3 NNS förslag om höjd serviceavgift 2024
NNS föreslår att serviceavgiften höjs från 2 promille till 3,5 promille. Enligt § 7 i
stadgarna fastställer medlemsmötet avgiften.
Beslut: Styrelsen beslutar att rösta nej till NNS förslag om höjd serviceavgift vid
medlemsmötet den 24 november 2023.

Ärende 4 Ansökan om medel – Projekt Nya vägar
Handlingar: Ansökan 2023-10-01; Budget för projektet
Gävle kommun ansöker om 450 000 kronor för projektet.
Beslut: Styrelsen beviljar 450 000 kronor till projektet Nya vägar för 2024.
Kopia till: Gävle kommun, revisorerna

Ärende 5 Mötets avslutande
Ordföranden avslutade mötet.
"""


def test_arende_layout_with_inline_one_sentence_decisions() -> None:
    d = seg(ARENDE_PROTOCOL)
    assert d.kind == PROTOKOLL
    assert [(it.label, it.number, it.kind) for it in d.items] == [
        (f"Ärende {n}", n, ARENDE) for n in range(1, 6)
    ]
    assert item(d, "Ärende 2").decisions == ("Styrelsen utser Johan Ek att justera protokollet.",)
    assert item(d, "Ärende 3").decisions == (
        "Styrelsen beslutar att rösta nej till NNS förslag om höjd serviceavgift vid "
        "medlemsmötet den 24 november 2023.",
    )
    four = item(d, "Ärende 4")
    assert four.title == "Ansökan om medel – Projekt Nya vägar"
    assert four.handlingar == ("Ansökan 2023-10-01", "Budget för projektet")
    assert four.copy_to == ("Gävle kommun", "revisorerna")
    assert 450000.0 in four.amounts_kr
    assert item(d, "Ärende 1").decisions == ()  # "öppnade mötet" is no decision
    assert [it.procedural for it in d.items] == [True, True, False, False, True]


def test_meeting_header_of_another_forbund() -> None:
    m = seg(ARENDE_PROTOCOL).meeting
    assert m.forbund == "Samordningsförbundet Gävleborg"
    assert (m.date, m.time, m.place, m.organ) == (
        "2023-11-10",
        "13:00-15:30",
        "Regionhuset, Gävle",
        "styrelse",
    )
    assert (m.chair, m.secretary, m.adjusters) == ("Maria Lindqvist", "Anna Sjöberg", ("Johan Ek",))
    people = {p.name: p for p in m.participants}
    assert people["Maria Lindqvist"].organisation == "Region Gävleborg"
    assert people["Maria Lindqvist"].role == BESLUTANDE
    assert people["Johan Ek"].organisation == "Försäkringskassan"
    assert people["Per Nyström"].role == TJANSTGORANDE_ERSATTARE


PARAGRAPH_PROTOCOL = """\
Samordningsförbundet Centrala Östergötland
Sammanträdesprotokoll
Styrelsen

Sammanträdesdatum 2023-11-15
Plats och tid: Linköping, Stadshuset, kl. 09.00–11.00

Beslutande
Karin Berg, ordförande, Linköpings kommun
Olof Strand, Region Östergötland
Ersättare
Lina Dahl, Försäkringskassan (ej tjänstgörande)

Paragrafer 12-15

§ 12 Serviceavgift till NNS 2024
Förbundet har fått NNS förslag. Enligt 18 § lagen ska styrelsen informera medlemmarna, se
även § 14 nedan och (§ 9).
Beslut
1. Att avstå från att ta ställning till NNS förslag om höjd serviceavgift.
2. Att uppdra åt förbundschefen att återrapportera utfallet.

§ 13 Tilläggsäskande Samordningsteam Norrköping
Samordningsteam Norrköping har inkommit med ett tilläggsäskande om 85 tkr för 2023.
§ 7 i förbundsordningen anger att styrelsen beslutar om medel.
Beslut: Att avslå tilläggsäskandet om 85 tkr.

§ 14 Rekrytering av förbundschef
Beslut
Styrelsen beslutar
att ge presidiet i uppdrag att rekrytera en ny förbundschef,
att rekryteringen ska vara klar före sommaren.

§ 15 Information
Rapporten läggs till handlingarna.

Anslaget publiceras 2023-11-20
"""


def test_paragraph_labels_at_line_start_versus_references_in_running_text() -> None:
    d = seg(PARAGRAPH_PROTOCOL)
    assert [it.label for it in d.items] == ["§ 12", "§ 13", "§ 14", "§ 15"]
    assert all(it.kind == PARAGRAF for it in d.items)
    # "§ 7 i förbundsordningen" starts a line but breaks the sequence: it stays in § 13
    assert "§ 7 i förbundsordningen anger" in item(d, "§ 13").body


def test_numbered_and_inline_and_intro_clauses() -> None:
    d = seg(PARAGRAPH_PROTOCOL)
    assert item(d, "§ 12").decisions == (
        "Att avstå från att ta ställning till NNS förslag om höjd serviceavgift.",
        "Att uppdra åt förbundschefen att återrapportera utfallet.",
    )
    assert item(d, "§ 13").decisions == ("Att avslå tilläggsäskandet om 85 tkr.",)
    assert item(d, "§ 14").decisions == (
        "att ge presidiet i uppdrag att rekrytera en ny förbundschef,",
        "att rekryteringen ska vara klar före sommaren.",
    )
    # without a Beslut heading a one-sentence decision of a protocol still counts
    assert item(d, "§ 15").decisions == ("Rapporten läggs till handlingarna.",)
    for it in d.items:
        assert len(it.records) == len(it.decisions)


def test_meeting_date_never_comes_from_an_anslag_line_and_chair_from_participants() -> None:
    m = seg(PARAGRAPH_PROTOCOL).meeting
    assert m.date == "2023-11-15"
    assert m.chair == "Karin Berg"
    assert m.place == "Linköping, Stadshuset"
    people = {p.name: p for p in m.participants}
    assert people["Lina Dahl"].role == ERSATTARE
    assert people["Olof Strand"].organisation == "Region Östergötland"


def test_undated_protocol_has_no_date() -> None:
    text = "Protokoll styrelsemöte\nAnslaget publiceras 2023-11-20\n§ 1 Öppnande\n§ 2 Avslut\n"
    d = seg(text)
    assert d.meeting.date is None
    assert d.meeting.date_window is None


PUNKT_PROTOCOL = """\
Sjuhärads Samordningsförbund

Protokoll från styrelsemöte 2021-11-25

Plats: Borås, Navet
Närvarande: Lars Ström (ordförande, Borås stad), Eva Wik (Västra Götalandsregionen),
Nils Ring (Försäkringskassan)
Sekreterare: Ingrid Ek

Punkt 1. Val av justerare
Eva Wik valdes att justera protokollet.

Punkt 2. Verksamhetsplan 2022
Beslut
Verksamhetsplanen fastställs.
Budgeten fastställs med en omslutning om 14 mkr.
Ordföranden tackar för arbetet.

Punkt 3. Övriga frågor
Inga övriga frågor.
"""


def test_punkt_labels_and_one_sentence_decisions() -> None:
    d = seg(PUNKT_PROTOCOL)
    assert [(it.label, it.kind) for it in d.items] == [
        ("punkt 1", PUNKT),
        ("punkt 2", PUNKT),
        ("punkt 3", PUNKT),
    ]
    assert item(d, "punkt 1").decisions == ("Eva Wik valdes att justera protokollet.",)
    assert item(d, "punkt 2").decisions == (
        "Verksamhetsplanen fastställs.",
        "Budgeten fastställs med en omslutning om 14 mkr.",
    )
    assert item(d, "punkt 3").procedural and item(d, "punkt 3").decisions == ()
    m = d.meeting
    assert (m.date, m.chair, m.secretary, m.adjusters) == (
        "2021-11-25",
        "Lars Ström",
        "Ingrid Ek",
        ("Eva Wik",),
    )
    assert {p.organisation for p in m.participants} == {
        "Borås stad",
        "Västra Götalandsregionen",
        "Försäkringskassan",
    }


def test_heading_decision_wins_over_quoted_inline_decisions() -> None:
    text = """\
Protokoll 2024-01-10
§ 3 Information om ordförandebeslut
Ett ordförandebeslut har fattats.
Beslut: Att godkänna delfinansiering med 7 500 kr.
Beslut
- Att godkänna ordförandebeslutet
"""
    assert item(seg(text), "§ 3").decisions == ("Att godkänna ordförandebeslutet",)


def test_table_of_contents_is_skipped_and_body_title_wins() -> None:
    text = """\
Protokoll 2024-03-01
Innehållsförteckning
§ 8 Val av protokolljusterare
§ 9 Budget 2025
§ 10 Övriga frågor
XSam § 8
Val av protokollsjusterare
Beslut
Att utse Bo Ek till justerare
XSam § 9
Beslut
Att fastställa budgeten
XSam § 10
Övriga frågor
Inga övriga frågor.
"""
    d = seg(text)
    assert [it.label for it in d.items] == ["§ 8", "§ 9", "§ 10"]
    assert item(d, "§ 8").title == "Val av protokollsjusterare"  # body wins
    assert item(d, "§ 9").title == "Budget 2025"  # no body title: the table of contents
    assert d.meeting.adjusters == ("Bo Ek",)
    assert "Innehållsförteckning" in header_lines(clean([Page(1, text)]))


AGENDA = """\
Kallelse till styrelsemöte
Samordningsförbundet Sundsvall
Styrelsens sammanträde 2024-02-15 klockan 13.00-16.00
Lokal: Stadshuset

1. Mötets öppnande
2. Val av justerare
3. Budget 2024 – beslut (bilaga 1)
Förbundschefen redovisar förslaget.
Förslag till beslut
Styrelsen föreslås besluta
att fastställa budgeten för 2024
att uppdra åt förbundschefen att informera medlemmarna
4. Verksamhetsberättelse – information
Styrelsen föreslås att lägga informationen till handlingarna.
5. Ombud till NNS årsmöte
Förslag till beslut
Inget beslutsförslag läggs.
6. Mötets avslutande
\f
Tjänsteskrivelse
Dnr 2024/12
Budget 2024
Bakgrund
Förbundets budget för 2024 omfattar 12 mkr.
Ekonomi
Kostnaderna fördelas enligt § 7 Medlemsavgifter i förbundsordningen.
"""


def test_agenda_points_proposals_and_attachments() -> None:
    d = seg(*AGENDA.split("\f"))
    assert d.kind == KALLELSE
    points = [it for it in d.items if it.kind == PUNKT]
    assert [it.label for it in points] == [f"punkt {n}" for n in range(1, 7)]
    three = item(d, "punkt 3")
    assert three.title == "Budget 2024"
    assert three.proposals == (
        "att fastställa budgeten för 2024",
        "att uppdra åt förbundschefen att informera medlemmarna",
    )
    assert all(r.from_proposal for r in three.records)
    assert item(d, "punkt 4").proposals == (
        "Styrelsen föreslås att lägga informationen till handlingarna.",
    )
    assert item(d, "punkt 5").proposals == ("Inget beslutsförslag läggs.",)
    assert d.attachments == ("Budget 2024",)  # the subject, after the memo lines
    sections = [it for it in d.items if it.kind == SEKTION]
    assert {it.attachment for it in sections} == {"Budget 2024"}
    assert [it.title for it in sections][-2:] == ["Bakgrund", "Ekonomi"]
    assert all(it.pages == (2,) for it in sections)
    assert not any(it.kind == PARAGRAF for it in d.items)  # "§ 7 Medlemsavgifter" is quoted
    m = d.meeting
    assert (m.date, m.time, m.place, m.organ) == (
        "2024-02-15",
        "13:00-16:00",
        "Stadshuset",
        "styrelse",
    )


NOTES = """\
Minnesanteckningar från medlemssamråd
Närvarande:
Eva Lund, Region Jämtland Härjedalen
Ola Berg, Östersunds kommun

Ekonomi
Förbundets resultat godkändes av styrelsen den 12 februari 2024 och redovisades.
Eget kapital är 2 mkr.

Aktuella insatser
Insatsen Steget fortsätter under året.

Ekonomi
Nästa medlemssamråd hålls den 3 april.
"""


def test_notes_are_split_into_sections_with_unique_labels() -> None:
    d = seg(NOTES)
    assert d.kind == MINNESANTECKNINGAR
    assert [(it.label, it.kind) for it in d.items] == [
        ("Ekonomi", SEKTION),
        ("Aktuella insatser", SEKTION),
        ("Ekonomi (2)", SEKTION),
    ]
    assert d.items[0].item_id == make_item_id("doc", "Ekonomi")
    assert d.items[2].item_id == make_item_id("doc", "Ekonomi (2)")
    m = d.meeting
    assert m.date is None
    assert m.date_window == ("2024-02-12", "2024-04-03")
    assert m.organ == "medlemssamråd"
    assert [p.role for p in m.participants] == [OVRIGA, OVRIGA]  # present, but no decisions


def test_flattened_participant_cell_is_split() -> None:
    text = (
        "Protokoll 2023-09-26\n"
        "Beslutande <p>Anna Ek, Sala kommun Bo Berg, Region Västmanland Cia Lind, "
        "Norbergs kommun, Tjänstgörande §§ 2-3 Dan Ros, Försäkringskassan</p>\n"
        "Övriga deltagande <p>Eva Al, NSPH (kl 9.00-9.30) Fia Holm, Norra Västmanlands "
        "Samordningsförbund</p>\n"
        "§ 1 Öppnande\n§ 2 Avslut\n"
    )
    people = [(p.name, p.organisation, p.role) for p in seg(text).meeting.participants]
    assert people == [
        ("Anna Ek", "Sala kommun", BESLUTANDE),
        ("Bo Berg", "Region Västmanland", BESLUTANDE),
        ("Cia Lind", "Norbergs kommun", TJANSTGORANDE_ERSATTARE),
        ("Dan Ros", "Försäkringskassan", BESLUTANDE),
        ("Eva Al", "NSPH", OVRIGA),
        ("Fia Holm", "Norra Västmanlands Samordningsförbund", OVRIGA),
    ]


def test_item_pages_follow_the_input_pages_and_paragraphs_rejoin_across_them() -> None:
    d = seg(
        "Protokoll 2024-05-05\n§ 1 Budget\nStyrelsen diskuterade budgeten och ökningen med",
        "150 tkr för 2025.\nBeslut\nAtt fastställa budgeten\n§ 2 Avslutning",
    )
    one = item(d, "§ 1")
    assert one.pages == (1, 2)
    assert "ökningen med 150 tkr för 2025." in one.body
    assert item(d, "§ 2").pages == (2,)
    assert d.n_pages == 2


def test_documents_without_text_or_structure() -> None:
    empty = seg("")
    assert empty.items == () and empty.meeting.date is None and empty.kind == "okänd"
    loose = seg("Bara en rad utan struktur.")
    assert len(loose.items) == 1 and loose.items[0].kind == SEKTION


def test_title_followed_by_text_on_the_label_line() -> None:
    d = seg(
        "Protokoll 2024-06-01\n§ 5 Val av justerare. Till justerare valdes Anna Ek.\n§ 6 Avslut"
    )
    five = item(d, "§ 5")
    assert five.title == "Val av justerare"
    assert five.body.startswith("Till justerare valdes Anna Ek.")
    assert d.meeting.adjusters == ("Anna Ek",)


def test_repeated_decision_lines_are_not_taken_for_running_headers() -> None:
    text = "Protokoll 2024-06-01\n" + "".join(
        f"§ {n} Ärende {n}\nBeslut\nProtokollet läggs till handlingarna\n" for n in range(1, 5)
    )
    d = seg(text)
    assert [it.decisions for it in d.items] == [("Protokollet läggs till handlingarna",)] * 4


AU_PROTOCOL = """\
Protokoll
Arbetsutskottet, Samordningsförbundet Stockholms stad
Tid och plats: 2023-05-10 kl. 13.00–15.00, Förbundets kansli
Närvarande ledamöter
Anna Andersson (S), ordförande, Stockholms stad
Bo Berg (M), Region Stockholm
Frånvarande
Cecilia Ceder
Övriga närvarande
David Dahl, förbundschef
Justeras
Anna Andersson
Vid protokollet
David Dahl
§ 1 Mötets öppnande
Ordföranden förklarar mötet öppnat.
§ 2 Ekonomisk rapport
Förbundschefen redovisar ekonomin.
Arbetsutskottet beslutar
att lägga rapporten till handlingarna
"""


def test_working_committee_protocol_with_officers_below_their_labels() -> None:
    d = seg(AU_PROTOCOL)
    m = d.meeting
    assert (m.organ, m.date, m.time, m.place) == (
        "arbetsutskott",
        "2023-05-10",
        "13:00-15:00",
        "Förbundets kansli",
    )
    assert (m.chair, m.secretary, m.adjusters) == (
        "Anna Andersson",
        "David Dahl",
        ("Anna Andersson",),
    )
    assert [(p.name, p.role) for p in m.participants] == [
        ("Anna Andersson", BESLUTANDE),
        ("Bo Berg", BESLUTANDE),
        ("David Dahl", OVRIGA),
    ]  # "Frånvarande" are not participants
    assert item(d, "§ 2").decisions == ("att lägga rapporten till handlingarna",)


def test_agenda_without_dots_and_paragraphs_with_year_suffix() -> None:
    agenda = seg(
        "Kallelse till styrelsemöte 2024-09-12\n1 Mötets öppnande\n2 Val av justerare\n"
        "3 Ekonomisk rapport\nFörslag till beslut: Rapporten läggs till handlingarna.\n"
        "4 Mötets avslutande\n"
    )
    assert [it.label for it in agenda.items] == ["punkt 1", "punkt 2", "punkt 3", "punkt 4"]
    assert item(agenda, "punkt 3").proposals == ("Rapporten läggs till handlingarna.",)
    protocol = seg("Protokoll 2024-09-12\n§ 57/2024 Budget\nBeslut: Att fastställa budgeten.\n")
    assert [(it.label, it.number) for it in protocol.items] == [("§ 57/2024", 57)]
