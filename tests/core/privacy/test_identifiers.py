"""Phone numbers of many regions, national IDs, dates of birth and labelled ID numbers.

Real detector (Presidio + spaCy), built once for the module. Positives in several languages;
negatives from code, SQL, logs, configuration, prices and history that must stay untouched.
"""

from __future__ import annotations

import time

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from hybrid_desktop.core.privacy.recognizers._base import elfproef_ok, nif_pt_ok, nir_ok
from hybrid_desktop.core.privacy.recognizers.phones import PhoneNumberRecognizer
from hybrid_desktop.domain import Finding

#: The types this file is about; negatives assert that none of them is reported.
_TYPES = frozenset({"PHONE_NUMBER", "NATIONAL_ID", "DATE_OF_BIRTH", "ID_NUMBER"})


def _finds(findings: list[Finding], text: str, value: str, entity: str) -> bool:
    """Whether a finding of type ``entity`` covers ``value`` in ``text`` (at least all of it).

    The detector trims edge punctuation from every finding, so an opening bracket is not asked.
    """
    start = text.index(value)
    end = start + len(value)
    start += len(value) - len(value.lstrip("("))
    return any(f.type == entity and f.start <= start and f.end >= end for f in findings)


def _ours(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.type, f.text) for f in findings if f.type in _TYPES]


# -- phone numbers ----------------------------------------------------------------------------

PHONES = [
    # German landline and mobile, with and without a phone word
    ("Ruf mich an unter 030 1234567, danke!", "030 1234567"),
    ("Meine Handynummer ist 0171 2345678.", "0171 2345678"),
    ("Büro: 089 2716630 (Zentrale), mobil 0160 5520917", "0160 5520917"),
    ("Erreichbar unter 030/12345678 ab 9 Uhr.", "030/12345678"),
    # UK
    ("You can text me on 07700 900481 after six.", "07700 900481"),
    ("Our office number is 020 7946 0958.", "020 7946 0958"),
    ("Please call 0161 496 0000 to rebook.", "0161 496 0000"),
    # French, Spanish, Italian, Dutch, Polish, Portuguese
    ("Mon portable : 06 12 34 56 78, rappelle-moi.", "06 12 34 56 78"),
    ("Vous pouvez me joindre au 01.23.45.67.89", "01.23.45.67.89"),
    ("Mi móvil es 612 34 56 78, llámame.", "612 34 56 78"),
    ("Il mio cellulare è 333 123 4567.", "333 123 4567"),
    ("Bel me op 06-12345678 als het uitkomt.", "06-12345678"),
    ("Mój numer: 512 345 678, dzwoń po 17.", "512 345 678"),
    ("O meu telemóvel é 912 345 678.", "912 345 678"),
    # US, India, Japan
    ("Call me at (212) 555-0143 tomorrow.", "(212) 555-0143"),
    ("Ring the clinic on 415-555-2671 ext. 204", "415-555-2671 ext. 204"),
    ("My number is 98765 43210, WhatsApp works too.", "98765 43210"),
    ("Tokyo office: 03-1234-5678", "03-1234-5678"),
    # international formats
    ("Reach Marta on +49 30 1234567 or +44 20 7946 0958.", "+49 30 1234567"),
    ("Reach Marta on +49 30 1234567 or +44 20 7946 0958.", "+44 20 7946 0958"),
    ("Switchboard 0041 44 668 18 00", "0041 44 668 18 00"),
    ("Phone: +33 (0)1 23 45 67 89", "+33 (0)1 23 45 67 89"),
    ("Telefon komórkowy +48 512 345 678", "+48 512 345 678"),
    # a label after the number, a run of digits after a label
    ("0171 2345678 (mobile)", "0171 2345678"),
    ("Fax: 4402079460958", "4402079460958"),
    # a valid number followed by a stray digit group or glued to a word
    ("Handy 0171 2345678 2x probiert, keiner ging ran", "0171 2345678"),
    ("Tried +49 30 1234567 3 times today", "+49 30 1234567"),
    ("Tél. 06 12 34 56 78 0", "06 12 34 56 78"),
    # two numbers in one run of digit groups
    ("Tel 030 1234567 0171 2345678", "030 1234567"),
    ("Tel 030 1234567 0171 2345678", "0171 2345678"),
    # CSV fields
    ("name,phone,dob\nAnna Nowak,512 345 678,1987-02-14", "512 345 678"),
    ("name;tel\nJan Kowalski;+48 601 234 567;1975-11-03", "+48 601 234 567"),
]


@pytest.mark.parametrize(("text", "value"), PHONES, ids=lambda v: str(v)[:30])
def test_phone_numbers_of_many_regions_are_found(detector: Detector, text: str, value: str) -> None:
    findings = detector.detect(text)
    assert _finds(findings, text, value, "PHONE_NUMBER"), _ours(findings)


NOT_PHONES = [
    "app.listen(8080); server.port = 5432",
    "SELECT * FROM orders WHERE customer_id = 123456789 AND status = 2;",
    "Upgrade to version 10.0.19045 or 2.14.1 before 2024-01-15T10:30:00Z.",
    "The order total is $1,234.56 (EUR 1 234 567 in the other ledger).",
    "ts=1700000000123 level=INFO epoch 1700000000 took 1234567 us",
    "Ping 192.168.1.10 and 10.0.0.1 from the build agent.",
    "ISBN 978-3-16-148410-0 was printed in 1998.",
    "There were 12 345 678 visitors; the next values are 20 30 40 50 60.",
    "Der Umsatz lag bei 12.500.000 Euro im Jahr 2023.",
    "Fixed in commit 3f2a1b4, see issue #4521 and PR 1234.",
    "Meeting on 14.02.2025 at 10:30, room 0042.",
    "uuid 550e8400-e29b-41d4-a716-446655440000 and row 0012345678",
    "Coordinates: 52.520008, 13.404954",
    "Bestellnummer 1234 5678 9012 3456 ist unterwegs",
]


@pytest.mark.parametrize("text", NOT_PHONES, ids=lambda t: t[:30])
def test_numbers_in_code_and_data_are_not_phones(detector: Detector, text: str) -> None:
    assert _ours(detector.detect(text)) == []


def test_phone_recognizer_is_fast_on_a_long_text() -> None:
    """The regex prefilter keeps phonenumbers off most digit runs: 10,000 characters of mixed
    prose, code and phone numbers take well under 100 ms."""
    chunk = (
        "Call me on 0171 2345678 or +44 20 7946 0958. SELECT id, total FROM orders WHERE id = "
        "123456789 AND created > '2024-01-15'; port 8080, v2.14.1, 12 345 678 rows, "
        "ts=1700000000123, amount 1 234,56 EUR, ticket #4521, coords 52.52, 13.40.\n"
    )
    text = (chunk * (10_000 // len(chunk) + 1))[:10_000]
    recognizer = PhoneNumberRecognizer()
    recognizer.analyze(text, ["PHONE_NUMBER"])  # warm the numbering-plan metadata
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        results = recognizer.analyze(text + " ", ["PHONE_NUMBER"])
        best = min(best, time.perf_counter() - t0)
    assert results
    assert best < 0.1, f"{best * 1000:.1f} ms"


# -- national IDs -----------------------------------------------------------------------------

NATIONAL_IDS = [
    # valid check digits, with an identity word
    ("Mój PESEL to 44051401359.", "44051401359"),
    ("Meine Steuer-ID lautet 86095742719.", "86095742719"),
    ("Steueridentifikationsnummer: 47 036 892 816", "47 036 892 816"),
    ("BSN 123456782 staat op mijn paspoort", "123456782"),
    ("O meu NIF é 123456789.", "123456789"),
    ("SSN: 853-37-1694", "853-37-1694"),
    # valid check digits alone
    ("Please update the record for 02070803628 in the register.", "02070803628"),
    ("Numéro 1 85 03 75 116 238 81 à vérifier", "1 85 03 75 116 238 81"),
    ("Los datos: 12345678Z, Madrid", "12345678Z"),
    ("Residencia con X1234567L desde 2019", "X1234567L"),
    ("Il CF è RSSMRA85T10A562S, grazie", "RSSMRA85T10A562S"),
    ("NI: AB 12 34 56 C", "AB 12 34 56 C"),
    ("Aadhaar 2345 6789 0124 linked", "2345 6789 0124"),
    # labelled, check digit wrong: still the user's number
    ("PESEL: 85031512345", "85031512345"),
    ("n° de sécu 1 85 03 75 116 238 91", "1 85 03 75 116 238 91"),
    ("mi DNI es 12345678A", "12345678A"),
    ("codice fiscale: RSSMRA85T10A562X", "RSSMRA85T10A562X"),
]


@pytest.mark.parametrize(("text", "value"), NATIONAL_IDS, ids=lambda v: str(v)[:30])
def test_national_ids_are_found(detector: Detector, text: str, value: str) -> None:
    findings = detector.detect(text)
    assert _finds(findings, text, value, "NATIONAL_ID"), _ours(findings)


NOT_NATIONAL_IDS = [
    # weak-check formats without an identity word: plain numbers
    "INSERT INTO events VALUES (86095742719, 123456782, 'ok');",
    "The build 123456789 passed; artifact 47036892816 uploaded.",
    "SELECT * FROM users WHERE id = 123456;",
    "pan 2 eggs, then sin 30 minutes later",
]


@pytest.mark.parametrize("text", NOT_NATIONAL_IDS, ids=lambda t: t[:30])
def test_plain_numbers_are_not_national_ids(detector: Detector, text: str) -> None:
    assert [f for f in _ours(detector.detect(text)) if f[0] == "NATIONAL_ID"] == []


def test_check_digits() -> None:
    assert elfproef_ok("123456782") and not elfproef_ok("123456781")
    assert nif_pt_ok("123456789") and not nif_pt_ok("123456788")
    assert nir_ok("1 85 03 75 116 238 81") and not nir_ok("1 85 03 75 116 238 91")
    assert nir_ok("2 69 05 2A 588 157 " + f"{97 - int('2690519588157') % 97:02d}")


# -- dates of birth ---------------------------------------------------------------------------

BIRTH_DATES = [
    ("Patient DOB 14/02/1987, allergic to penicillin.", "14/02/1987"),
    ("Date of birth: February 14, 1987", "February 14, 1987"),
    ("I was born on 14th of February 1987 in Leeds.", "14th of February 1987"),
    ("Max Mustermann, geboren am 03.11.1975 in Köln", "03.11.1975"),
    ("Geburtsdatum: 1987-02-14", "1987-02-14"),
    ("Elle est née le 3 novembre 1975 à Lyon.", "3 novembre 1975"),
    ("Date de naissance : 03/11/1975", "03/11/1975"),
    ("Fecha de nacimiento: 14 de febrero de 1987", "14 de febrero de 1987"),
    ("nacido el 2 de marzo de 1990 en Sevilla", "2 de marzo de 1990"),
    ("Mario Rossi, nato a Roma il 3 novembre 1975", "3 novembre 1975"),
    ("data di nascita 14.02.1987", "14.02.1987"),
    ("Geboortedatum: 14-02-1987", "14-02-1987"),
    ("geboren op 5 mei 1992", "5 mei 1992"),
    ("Ich bin am 3. November 1975 in Köln geboren.", "3. November 1975"),
    ("Hij is op 12-05-1992 in Utrecht geboren", "12-05-1992"),
    ("Data urodzenia: 14 lutego 1987", "14 lutego 1987"),
    ("Jan Kowalski, ur. 03.11.1975", "03.11.1975"),
    ("Data de nascimento: 14/02/1987", "14/02/1987"),
    ("nascida em 7 de julho de 1983", "7 de julho de 1983"),
]


@pytest.mark.parametrize(("text", "value"), BIRTH_DATES, ids=lambda v: str(v)[:30])
def test_dates_of_birth_are_found(detector: Detector, text: str, value: str) -> None:
    findings = detector.detect(text)
    assert _finds(findings, text, value, "DATE_OF_BIRTH"), _ours(findings)


NOT_BIRTH_DATES = [
    "The release is planned for 14/02/2025.",
    "Das Treffen ist am 03.11.2024 um 10 Uhr.",
    "Most of our users were born in the 1990s.",
    "Mozart was born on 27 January 1756 in Salzburg.",
    "Barack Obama was born on 4 August 1961 in Honolulu.",
    "Albert Einstein est né le 14 mars 1879 à Ulm.",
    "Angela Merkel wurde am 17. Juli 1954 in Hamburg geboren; Emmanuel Macron est né le "
    "21 décembre 1977 à Amiens.",
    "created_at = '1987-02-14 10:30:00'",
    "Our startup was born out of a hackathon.",
]


@pytest.mark.parametrize("text", NOT_BIRTH_DATES, ids=lambda t: t[:30])
def test_other_dates_are_not_dates_of_birth(detector: Detector, text: str) -> None:
    assert [f for f in _ours(detector.detect(text)) if f[0] == "DATE_OF_BIRTH"] == []


# -- labelled ID numbers ----------------------------------------------------------------------

ID_NUMBERS = [
    ("Please reset the badge for staff no. E40217.", "E40217"),
    ("patient ID 884-221 was admitted on Monday", "884-221"),
    ("MRN 00412339, ward 4", "00412339"),
    ("Employee number: 55-1029", "55-1029"),
    ("customer # 4471203 called about the invoice", "4471203"),
    ("Meine Personalnummer ist 4711.", "4711"),
    ("Kundennummer: KD-204518", "KD-204518"),
    ("Mon n° client 558120 ne marche plus", "558120"),
    ("numéro de dossier : 2023-4471", "2023-4471"),
    ("Il mio numero cliente è 77812903", "77812903"),
    ("número de paciente 33-0912", "33-0912"),
    ("Mijn klantnummer is 99812344", "99812344"),
    ("Podaj numer klienta 55123 w zgłoszeniu", "55123"),
    ("O meu número de utente é 123 456 789", "123 456 789"),
]


@pytest.mark.parametrize(("text", "value"), ID_NUMBERS, ids=lambda v: str(v)[:30])
def test_labelled_id_numbers_are_found(detector: Detector, text: str, value: str) -> None:
    findings = detector.detect(text)
    assert _finds(findings, text, value, "ID_NUMBER"), _ours(findings)


NOT_ID_NUMBERS = [
    "Fixed issue #4521 and merged PR 1234; see JIRA-123.",
    "Ticket #998 is a duplicate of bug 4521.",
    "The number 4711 is famous for eau de Cologne.",
    "record_id = 88421; customerId: 1234; switch (x) { case 3: break; }",
    "Error on line number 1234 of build 5678.",
    "Set the port number to 8080 and the version number to 2.3.1.",
    "Fetch record id 4521 from the API, then rerun test case id 1234.",
]


@pytest.mark.parametrize("text", NOT_ID_NUMBERS, ids=lambda t: t[:30])
def test_software_and_bare_numbers_are_not_id_numbers(detector: Detector, text: str) -> None:
    assert [f for f in _ours(detector.detect(text)) if f[0] == "ID_NUMBER"] == []


# -- checked numbers followed by more digits --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        ("Karte 4111 1111 1111 1111 08/29 bitte belasten", "4111 1111 1111 1111", "CREDIT_CARD"),
        ("card 4111111111111111 3 installments", "4111111111111111", "CREDIT_CARD"),
        ("IBAN DE89 3704 0044 0532 0130 00 7 Tage", "DE89 3704 0044 0532 0130 00", "IBAN_CODE"),
        ("Tel 0171 2345678 4111111111111111", "0171 2345678", "PHONE_NUMBER"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_checked_numbers_followed_by_digits_are_found(
    detector: Detector, text: str, value: str, entity: str
) -> None:
    findings = detector.detect(text)
    assert _finds(findings, text, value, entity), [(f.type, f.text) for f in findings]
