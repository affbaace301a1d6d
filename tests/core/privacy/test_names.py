"""Person names as real users write them: classes of text, several cultures and languages.

Each class has varied positive examples and negatives that must stay untouched. The examples are
written for these tests (no benchmark sentence): full names of many cultures after a request
cue, labelled lists ("First Last - vote"), lower-case names in chat notes, names that are also
words, CSV/TSV columns headed surname / first name, and general knowledge (famous characters,
directors, capitalised verbs that open a sentence) that must not be masked.
"""

from __future__ import annotations

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from hybrid_desktop.domain import Finding


def _covered(findings: list[Finding], text: str, value: str) -> bool:
    start = text.index(value)
    end = start + len(value)
    return any(f.start <= start and f.end >= end and f.type == "PERSON" for f in findings)


def _assert_caught(detector: Detector, text: str, values: tuple[str, ...]) -> None:
    findings = detector.detect(text)
    for value in values:
        assert _covered(findings, text, value), (value, [(f.type, f.text) for f in findings])


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "Please write a reference letter for Karthika Venkataraman, our QA lead.",
            ("Karthika Venkataraman",),
        ),
        (
            "Draft a recommendation letter for Lakshmi Subramanian who interned with us last summer",
            ("Lakshmi Subramanian",),
        ),
        (
            "Can you write an email to Nguyễn Thị Hương about the late invoice?",
            ("Nguyễn Thị Hương",),
        ),
        ("write a short note to Pham Minh Tuan thanking him for the referral", ("Pham Minh Tuan",)),
        (
            "I need a cover letter for Chukwuemeka Okonkwo, he is applying to a bank",
            ("Chukwuemeka Okonkwo",),
        ),
        ("Please email Adebayo Ogunleye the signed contract", ("Adebayo Ogunleye",)),
        (
            "Draft a message to Khalid Al-Mansouri about his visa appointment",
            ("Khalid Al-Mansouri",),
        ),
        ("Reply to Fatima Haddad and say the room is booked", ("Fatima Haddad",)),
        ("Ask Małgorzata Wiśniewska to review the pull request", ("Małgorzata Wiśniewska",)),
        (
            "Write to Grzegorz Brzęczyszczykiewicz about the delayed shipment",
            ("Grzegorz Brzęczyszczykiewicz",),
        ),
        ("Schreib eine E-Mail an Jürgen Großmann wegen der offenen Rechnung", ("Jürgen Großmann",)),
        ("Bonjour Amélie, merci pour ton aide hier", ("Amélie",)),
        ("Hola Ximena, ¿puedes revisar el informe?", ("Ximena",)),
        ("Ciao Giulia, ci vediamo domani alle 10", ("Giulia",)),
        ("Hoi Sanne, kun je de notulen sturen?", ("Sanne",)),
        ("Cześć Kasia, dzięki za pomoc", ("Kasia",)),
        ("Olá João, tudo bem? Pode enviar o relatório?", ("João",)),
        (
            "name,email,team\nPriya Raman,priya@example.com,QA\nOlusegun Bakare,ob@example.com,Ops",
            ("Priya Raman", "Olusegun Bakare"),
        ),
        ("Could you write a recommendation letter for Senthil Kumaravel?", ("Senthil Kumaravel",)),
    ],
)
def test_full_names_of_many_cultures_after_a_request_cue(
    detector: Detector, text: str, values: tuple[str, ...]
) -> None:
    _assert_caught(detector, text, values)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "Team vote on the offsite:\nKarthika Venkataraman - yes\nTomasz Wójcik - no\nAisha Bello - yes\nLiam O'Brien - abstain",
            ("Karthika Venkataraman", "Tomasz Wójcik", "Aisha Bello", "Liam O'Brien"),
        ),
        (
            "Wyniki głosowania:\nAnna Nowak: za\nPiotr Zieliński: przeciw\nOluwadamilare Eze: za",
            ("Anna Nowak", "Piotr Zieliński", "Oluwadamilare Eze"),
        ),
        (
            "Standup notes\n- Sipho Ndlovu: done with the migration\n- Mei Ling Tan: blocked on review\n- Rangi Parata: on leave",
            ("Sipho Ndlovu", "Mei Ling Tan", "Rangi Parata"),
        ),
        ("Send an email to Trần Quốc Bảo about the refund", ("Trần Quốc Bảo",)),
        (
            "Poll results\nJuan Pérez - sí\nLucía Fernández - no\nAlejandro Ruiz - sí",
            ("Juan Pérez", "Lucía Fernández", "Alejandro Ruiz"),
        ),
    ],
)
def test_every_member_of_a_labelled_list(
    detector: Detector, text: str, values: tuple[str, ...]
) -> None:
    _assert_caught(detector, text, values)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("ping marta and dev ravi about the release", ("marta", "ravi")),
        ("cc: tomasz, can you check the logs", ("tomasz",)),
        ("@anika can you review my branch?", ("anika",)),
        (
            "Deploy is done, thanks siddharth! ping ingrid if the dashboard breaks",
            ("siddharth", "ingrid"),
        ),
        ("ask kwame and yusuf whether the build is green", ("kwame", "yusuf")),
        ("Abstimmung:\nLena Fischer – ja\nKemal Aydın – nein", ("Lena Fischer", "Kemal Aydın")),
    ],
)
def test_lower_case_names_in_chat_notes(
    detector: Detector, text: str, values: tuple[str, ...]
) -> None:
    _assert_caught(detector, text, values)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Hope Mensah is joining the team on Monday", ("Hope Mensah",)),
        ("ask Grant about the invoice before Friday", ("Grant",)),
        ("thanks Will, that fixed it", ("Will",)),
        ("Please cc Joy Adeyemi on the thread", ("Joy Adeyemi",)),
        ("Dear Faith, thank you for the flowers", ("Faith",)),
        ("thx joanna, merging now", ("joanna",)),
        ("Dear Grace, the parcel arrived today", ("Grace",)),
    ],
)
def test_names_that_are_also_words_when_they_name_a_person(
    detector: Detector, text: str, values: tuple[str, ...]
) -> None:
    _assert_caught(detector, text, values)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "surname,first_name,team\nVenkataraman,Karthika,QA\nNowak,Anna,Payments",
            ("Venkataraman", "Karthika", "Nowak", "Anna"),
        ),
        (
            "Nachname\tVorname\tAbteilung\nMüller\tJürgen\tVertrieb\nŞahin\tElif\tIT",
            ("Müller", "Jürgen", "Şahin", "Elif"),
        ),
        (
            "nom;prénom;ville\nDupont;Amélie;Lyon\nN'Diaye;Moussa;Lille",
            ("Dupont", "Amélie", "N'Diaye", "Moussa"),
        ),
        ("apellido,nombre,ciudad\nQuispe Mamani,Ximena,Cusco", ("Quispe Mamani", "Ximena")),
        ("cognome,nome\nEsposito,Giulia\nRusso,Marco", ("Esposito", "Giulia", "Russo", "Marco")),
        (
            "achternaam,voornaam\nde Vries,Sanne\nBakker,Daan",
            ("de Vries", "Sanne", "Bakker", "Daan"),
        ),
        (
            "nazwisko;imię;dział\nWiśniewska;Małgorzata;HR\nKowalczyk;Bartosz;IT",
            ("Wiśniewska", "Małgorzata", "Kowalczyk", "Bartosz"),
        ),
        ("apelido,nome\nSilva,João\nFerreira,Inês", ("Silva", "João", "Ferreira", "Inês")),
    ],
)
def test_csv_columns_headed_surname_or_first_name(
    detector: Detector, text: str, values: tuple[str, ...]
) -> None:
    findings = detector.detect(text)
    for value in values:
        start = text.index(value)
        assert any(f.start <= start and f.end >= start + len(value) for f in findings), (
            value,
            [(f.type, f.text) for f in findings],
        )
    assert any(f.type == "PERSON" for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "Will this work on Windows 11?",
        "I hope Grant funding arrives before the deadline",
        "Mark the email as read and archive it",
        "Grace periods for loans are usually 15 days",
        "Will you help me plan a trip to Portugal?",
        "Hope this helps!",
        "Grant access to the S3 bucket for the CI role",
        "Mark all notifications as read",
        "ping me when the build is done",
        "cc all on the release notes",
        "dev server is down again, ping ops",
        "thanks, that works now",
        "Monday - gym\nTuesday - swim\nWednesday - rest",
        "Python: 3.12\nDjango: 5.0\nPostgres: 16",
        "Paris - 3 nights\nLyon - 2 nights\nNice - 4 nights",
        "Budget: approved\nTimeline: Q3\nOwner: TBD",
        "name,version\nnumpy,1.26\npandas,2.2",
        "product;price\nWidget;9.99\nGadget;19.99",
        "name,price\nCoffee,3.50\nTea,2.80\nCroissant,2.10",
        "Name;Stock\nApples;12\nPears;4",
        "name\tsize\nreport.pdf\t2MB\nsetup.exe\t10MB",
        "nom,prix\nBaguette,1.20\nCroissant,1.10",
        "Convert this CSV to JSON: name,qty\nbolts,40\nnuts,35",
    ],
)
def test_words_lists_and_tables_without_people_stay_untouched(
    detector: Detector, text: str
) -> None:
    assert [(f.type, f.text) for f in detector.detect(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        "Format the date column as ISO 8601.",
        "Sort the list by surname, then by first name.",
        "Draft a polite reply declining the invitation.",
        "Merge these two paragraphs into one.",
        "Parse this JSON and return the keys.",
    ],
)
def test_capitalised_verb_opening_a_sentence_is_not_a_place(detector: Detector, text: str) -> None:
    assert [(f.type, f.text) for f in detector.detect(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        "Why does Hamlet hesitate to kill Claudius?",
        "Is Atticus Finch a good father in To Kill a Mockingbird?",
        "Explain the ending of Christopher Nolan's Inception",
        "Compare Elizabeth Bennet and Jane Eyre as heroines",
        "Write an essay on Frodo Baggins and Samwise Gamgee",
        "What are Quentin Tarantino's best films?",
        "Was Jay Gatsby really in love with Daisy Buchanan?",
        "Analyse Raskolnikov's guilt in Crime and Punishment",
        "Who is Darth Vader's father? Is it Anakin Skywalker?",
        "Why did Akira Kurosawa make Rashomon?",
        "Summarise the relationship between Harry Potter and Hermione Granger",
        "How does Sherlock Holmes outwit Professor Moriarty?",
        "Was Lady Macbeth more ambitious than Macbeth?",
        "What does Don Quixote represent?",
        "Describe Greta Gerwig's style as a director",
    ],
)
def test_famous_characters_and_directors_are_general_knowledge(
    detector: Detector, text: str
) -> None:
    assert [(f.type, f.text) for f in detector.detect(text)] == []


def test_a_famous_name_next_to_personal_data_is_still_masked(detector: Detector) -> None:
    text = "My colleague Harry Potter (harry.potter@example.com) needs the report"
    found = [(f.type, f.text) for f in detector.detect(text)]
    assert ("PERSON", "Harry Potter") in found


def test_the_recognizers_keep_no_state_between_calls(detector: Detector) -> None:
    recognizers = [
        r
        for r in detector._analyzer.registry.recognizers
        if type(r).__name__ in ("PersonRecognizer", "PersonalPlaceRecognizer")
    ]
    assert len(recognizers) == 2
    before = [dict(vars(r)) for r in recognizers]
    for text in ("PLEASE EMAIL DMITRI IVANOV", "ping marta about it", "I live in Lyon"):
        detector.detect(text)
    assert [dict(vars(r)) for r in recognizers] == before


def test_cue_words_come_from_data_files() -> None:
    from hybrid_desktop.core.privacy.recognizers import name_lexicon

    kinds = name_lexicon.CUE_KINDS
    for greeting in ("dear", "hallo", "bonjour", "hola", "ciao", "hoi", "cześć", "olá"):
        assert kinds[greeting] == name_lexicon.STRONG
    assert kinds["my name is"] == kinds["je m'appelle"] == name_lexicon.NAMING
    assert kinds["with"] == name_lexicon.WEAK
    assert "ping" in name_lexicon.CHAT_CUES
    assert "nazwisko" in name_lexicon.CSV_SURNAME_HEADERS
