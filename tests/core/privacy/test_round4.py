"""Privacy gate, round 4: what the second development sets showed, one rule each, tested on
invented examples of the same shape (not the development prompts themselves).

- Ordinary words of the prompt's language are no person: German nouns ("Personen"), Dutch
  phrases ("per klas"), from the word-frequency lists of ``data/common_words_<lang>.txt``;
  a cued surname that is also a word ("Herr Vogel") stays a person.
- Secrets in more shapes: BIP39 seed phrases, the text of an XML element named like a password,
  a CSV column whose header puts its adjective after the noun ("haslo_startowe"), an app
  password written with spaces in a config file, a list of recovery codes whose groups are all
  letters, and codes of key boxes, safes and alarms.
- A customer's ticket, order, invoice or booking with a number mark ("Ticket #CS-7712",
  "Reserva n.º 5531", "Zgłoszenie nr RK/2026/11/08") is an ID; a pull request or issue is not.
- Swedish, Danish, Finnish, Turkish and Czech prompts are told apart (py3langid) and get their
  stop words, common words and towns, so the English model's guesses stay off their words;
  their password and code words are known ("lösenordet är", "koden er", "heslo je").
- "Check my grammar: '...'" is no dialogue: lower-case words are no speaker in mixed-case text.
"""

from __future__ import annotations

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from tests.core.privacy.helpers import covered, covers, shown

SECRET = frozenset({"SECRET"})
PERSON = frozenset({"PERSON"})


@pytest.mark.parametrize(
    "text",
    [
        "Wie viele Eier brauche ich für einen Apfelstrudel für sechs Personen?",
        "Die Tabelle Kunden hat 40 Millionen Zeilen, wie baue ich einen Index?",
        "Hoe bereken ik het gemiddelde cijfer per klas in Excel?",
        "Ile kosztuje bilet miesięczny w Krakowie dla studentów?",
        "Quanto tempo serve per cuocere le lasagne in forno ventilato?",
    ],
)
def test_common_words_of_the_prompts_language_are_no_person(detector: Detector, text: str) -> None:
    assert not [f for f in detector.detect(text) if f.type == "PERSON"], shown(
        detector.detect(text)
    )


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("Date of birth: 11/23/1990", "11/23/1990", "DATE_OF_BIRTH"),
        ("Födelsedatum: 1988-04-09, ort: Västerås", "1988-04-09", "DATE_OF_BIRTH"),
        ("Doğum tarihi: 02.07.1991", "02.07.1991", "DATE_OF_BIRTH"),
        ("Datum narození: 4. 11. 1979", "4. 11. 1979", "DATE_OF_BIRTH"),
        ("Hur byter jag lösenord? Användarnamnet är lager.holm2", "lager.holm2", "USERNAME"),
        ("2026-11-30 08:01:12 logowanie kadry.nowicka z 10.2.0.14", "kadry.nowicka", "USERNAME"),
        ('Failed login for username "shop_admin7" from 203.0.113.9', "shop_admin7", "USERNAME"),
    ],
)
def test_births_and_logins_in_more_languages(
    detector: Detector, text: str, value: str, kind: str
) -> None:
    assert covers(detector.detect(text), text, value, frozenset({kind})), shown(
        detector.detect(text)
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("first,last,grade\nTobiah,Wennerstrand,7B\n", "Wennerstrand"),
        (
            "navn;by;telefon\nHalvdan Grøntved;Aalborg;20 11 33 44\nSigne Dahl;Odense;30 22 11 00\n",
            "Halvdan Grøntved",
        ),
        ("ad;soyad;sehir\nEmre;Karagözoğlu;Bursa\n", "Karagözoğlu"),
        ("Next of kin: Oluwaseun Adebanjo (brother), 07700 900418", "Oluwaseun Adebanjo"),
    ],
)
def test_name_columns_and_labels_in_more_languages(
    detector: Detector, text: str, value: str
) -> None:
    assert covers(detector.detect(text), text, value, PERSON), shown(detector.detect(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sehr geehrter Herr Vogel, anbei die Unterlagen zur Sitzung.", "Vogel"),
        ("Bitte leite das an Frau Becker weiter, sie kennt die Personen.", "Becker"),
        ("Cześć Kasia, wysyłam ci listę zakupów na sobotę.", "Kasia"),
    ],
)
def test_a_cued_name_that_is_also_a_word_stays_a_person(
    detector: Detector, text: str, value: str
) -> None:
    assert covers(detector.detect(text), text, value, PERSON), shown(detector.detect(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Lösenordet till skrivaren är Hallon#Tak77 om någon frågar.", "Hallon#Tak77"),
        ("- Drucker: Admin-Kennwort Kranich2026, bitte ändern", "Kranich2026"),
        ("Routerpasswort: Nebelhorn!77", "Nebelhorn!77"),
        ('ssh-keygen -t ed25519 -f ~/.ssh/work -N "heather-moor-gate"', "heather-moor-gate"),
        (
            'curl -u "5f0c9a1be37d24c86a0f1e9b2d7c4a63:9e1d" https://api.mail.example/v3/send',
            "5f0c9a1be37d24c86a0f1e9b2d7c4a63",
        ),
        ("Die PUK steht auf dem Kartenbrief: 51820937", "51820937"),
        ("- serwer plików: hasło admina Pierogi#Ruskie9", "Pierogi#Ruskie9"),
        ("the shared inbox (pw Lantern!Moss31), and the CRM login", "Lantern!Moss31"),
        ("use the app password qwhd lmzk trvb pxon for the SMTP relay", "qwhd lmzk trvb pxon"),
        ("Adgangskoden til routeren er Snegl!Bro42, skift den senere.", "Snegl!Bro42"),
        ("Heslo k serveru je Pivo-Most-88, prosím nezapomeň.", "Pivo-Most-88"),
        ("Ofis yazıcısının şifresi: Lale!2026 ama değiştireceğiz.", "Lale!2026"),
        ("Portkoden till huset är 4471 och tvättstugan har 9902.", "4471"),
        ("Koden til porten ved garagen er 8830.", "8830"),
        ("the code for the side gate is 7319, please don't share it", "7319"),
        ("the padlock on the shed is 6-2-9-4, is that too easy to guess?", "6-2-9-4"),
        ("Alarm company verbal password: silver otter\nPlease update the sheet.", "silver otter"),
        ("DATABASE_URL=postgresql://app:Mo@nlight-77@db.internal.example:5432/app", "Mo@nlight-77"),
        (
            "Postman key PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01 leaked",
            "PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01",
        ),
        (
            "ffmpeg -i in.mp4 -f flv rtmp://a.rtmp.youtube.com/live2/abcd-1234-efgh-5678-ijkl",
            "abcd-1234-efgh-5678-ijkl",
        ),
    ],
)
def test_secrets_in_more_shapes_2(detector: Detector, text: str, value: str) -> None:
    # What counts is that no character of the secret leaves: a wider finding of another type
    # (an e-mail-like span around a URL password holding "@") covers it as well.
    found = detector.detect(text)
    start = text.index(value)
    assert covered(found, start, start + len(value)) == len(value), shown(found)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Is this a valid recovery phrase? ladder orbit quantum velvet canyon frozen "
            "humble pencil gravity shadow anchor mosquito",
            "ladder orbit quantum velvet canyon frozen humble pencil gravity shadow anchor "
            "mosquito",
        ),
        (
            "Ma phrase de récupération :\n1. abandon\n2. ability\n3. able\n4. about\n"
            "5. above\n6. absent\n7. absorb\n8. abstract\n9. absurd\n10. abuse\n11. access\n"
            "12. accident",
            "accident",
        ),
        (
            "<Server><User>scan_upload</User><Password>Ridge!Lantern42</Password></Server>",
            "Ridge!Lantern42",
        ),
        (
            '<Pass encoding="base64">UGFzc3dvcmQhMjAyNg==</Pass>',
            "UGFzc3dvcmQhMjAyNg==",
        ),
        (
            "imie;nazwisko;login;haslo_tymczasowe\nJan;Kowal;jkowal;Wiosna#2026\n",
            "Wiosna#2026",
        ),
        (
            "nom;mot_de_passe_initial\nclaire;Soleil!Mars7\n",
            "Soleil!Mars7",
        ),
        ("[smtp]\nuser = alerts@shop.example\npass = kqvz mwtr plod ysen\n", "kqvz mwtr plod ysen"),
        (
            "My backup codes, please store them:\n\nab12c-9f8e7\nfedcb-a9876\n4d3c2-1b0a9",
            "fedcb-a9876",
        ),
        ("Notes for the cleaner. The key box by the back door: 4471", "4471"),
        ("Code du coffre : 8806, ne le donne à personne.", "8806"),
        ("Der Schlüsseltresor am Gartentor: 3391", "3391"),
        ("Il PIN della carta di credito di mia madre è 5820, puoi aiutarla?", "5820"),
        ("La caja fuerte de la oficina de Marta: 19-44-07", "19-44-07"),
    ],
)
def test_secrets_in_more_shapes(detector: Detector, text: str, value: str) -> None:
    assert covers(detector.detect(text), text, value, SECRET), shown(detector.detect(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hello, about Ticket #HD-440917, the parcel never came.", "HD-440917"),
        ("Réclamation n° RC-20931 : le colis est arrivé abîmé.", "RC-20931"),
        ("Mi pedido n.º 7730219 llegó incompleto, ¿qué hago?", "7730219"),
        ("Zamówienie nr ZM/2026/10/5521 nadal nie dotarło.", "ZM/2026/10/5521"),
        ("la mia tessera fedeltà n. 0044718820 non funziona più", "0044718820"),
        ("Ich habe zur Rechnung Nr. 2026-4471 noch eine Frage.", "2026-4471"),
    ],
)
def test_customer_references_with_a_number_mark(detector: Detector, text: str, value: str) -> None:
    assert covers(detector.detect(text), text, value, frozenset({"ID_NUMBER"})), shown(
        detector.detect(text)
    )


@pytest.mark.parametrize(
    "text",
    [
        "Merge pull request #1288 from fix/ci-cache",
        "Is issue #4410 in the CPython tracker fixed in 3.13?",
        "Which movement of Symphony No. 9 has the choir?",
        "Är det bättre att ta tåget eller flyget från Stockholm till Kiruna i mars?",
        "Hvad er den bedste måde at se Nyhavn på en regnvejrsdag?",
        "Proč se Karlův most jmenuje po Karlu IV.?",
        "Kapadokya'da balon turu için en iyi ay hangisi?",
        "celery says 'invalid username-password pair' when it connects to the broker",
        "Storage Driver: overlay2\nLogging Driver: json-file\nCgroup Driver: systemd",
        "git clone git@github.com:acme/tools.git fails with 'Permission denied (publickey)'",
        "The error code 1603 appears when the installer fails, what does it mean?",
        "Check my grammar: 'Each of the students have their own laptop.'",
        "Fix the tone: 'We regret to inform you that your order is late.'",
        "The safe harbour rule: does it apply to small firms in 2026?",
        "Is the alarm clock app on Android reliable enough for 5 am?",
        "How do I pick a good combination of fonts for a poster?",
        "The seed phrase format: how many words does BIP39 use and why?",
    ],
)
def test_clean_prompts_stay_clean(detector: Detector, text: str) -> None:
    assert detector.detect(text) == [], shown(detector.detect(text))
