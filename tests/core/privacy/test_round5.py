"""Privacy gate, round 5: shapes the development sets showed, one rule each, tested on invented
examples of the same shape (not the development prompts themselves).

- Credentials given as positional arguments of well-known calls (``new PDO``, ``ldap_bind``,
  ``server.login``, ``auth=(...)``, ``new Sequelize``), from ``data/secrets_calls.txt``;
  variables in those places are not secrets.
- Gift-card and voucher codes in groups of capitals and digits; "2FA codes" in more word
  orders; "adminlösen"; "memorable word"; words joined by a symbol after "hasło admina"; a
  password that mixes case, digits and a symbol at the end of a labelled line.
- Webhook URLs are secrets whole.
- Address labels in more languages ("Adresa:", "Adres:", "osoite:", "woont op").
- A capitalised word that opens a sentence is no person when the text also writes it in lower
  case as an ordinary word ("Jack ... a car jack").
"""

from __future__ import annotations

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from tests.core.privacy.helpers import covers, shown


@pytest.mark.parametrize(
    ("text", "secret", "user"),
    [
        (
            "$db = new PDO('pgsql:host=db;dbname=crm', 'crm_web', 'Tulpe#Regen44');",
            "Tulpe#Regen44",
            "crm_web",
        ),
        (
            "$ok = ldap_bind($ds, 'uid=svc,ou=apps,dc=firma,dc=de', 'Lind3nbaum!');",
            "Lind3nbaum!",
            None,
        ),
        ('smtp.login("alerts.bot", "Qx7-harbour-Lamp")', "Qx7-harbour-Lamp", "alerts.bot"),
        (
            'resp = requests.get(url, auth = ("billing_ro", "p4ss-Wurst"))',
            "p4ss-Wurst",
            "billing_ro",
        ),
        (
            'const db = new Sequelize("shop", "shop_rw", "Zq8!mango", { dialect: "mysql" });',
            "Zq8!mango",
            "shop_rw",
        ),
        (
            'Connection c = DriverManager.getConnection(url, "hr_app", "Kw9_zebra");',
            "Kw9_zebra",
            "hr_app",
        ),
        (
            "$link = mysqli_connect('10.0.3.7', 'magazyn', 'Pierogi2024', 'sklep');",
            "Pierogi2024",
            "magazyn",
        ),
    ],
)
def test_credentials_in_positional_arguments(
    detector: Detector, text: str, secret: str, user: str | None
) -> None:
    findings = detector.detect(text)
    assert covers(findings, text, secret, frozenset({"SECRET"})), shown(findings)
    if user is not None:
        assert covers(findings, text, user, frozenset({"USERNAME"})), shown(findings)


@pytest.mark.parametrize(
    "text",
    [
        "$db = new PDO($dsn, $user, $password);",
        'conn = sqlite3.connect("inventory.db")',
        "server.login(os.environ['SMTP_USER'], os.environ['SMTP_PASS'])",
        'ldap_bind($ds, $dn, "<password>");',
    ],
)
def test_variables_and_placeholders_in_those_calls_are_no_secret(
    detector: Detector, text: str
) -> None:
    assert not [f for f in detector.detect(text) if f.type == "SECRET"], shown(
        detector.detect(text)
    )


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (
            "I bought a Steam gift card code QW7R-94TZ-K2LP for my nephew, is it used?",
            "QW7R-94TZ-K2LP",
        ),
        ("Der Gutschein: voucher code 8HJ2-KK41-ZP9Q gilt bis März?", "8HJ2-KK41-ZP9Q"),
        ("mes codes 2FA de Dropbox :\na81c2-77e0f\n3bb90-c4d12\nmerci", "a81c2-77e0f"),
        ("- Skrivarens adminlösen: Tallbacken-99\n- IP: skrivaren", "Tallbacken-99"),
        ("login to the bank: memorable word: hedgehog", "hedgehog"),
        ("- Synology: hasło admina Kawa&Rogal\n- drukarka w pokoju 2", "Kawa&Rogal"),
        (
            "Übergabe an die neue Kollegin:\n- Shopify @gartenladen_lutz: Kürbis!Feld88\n- Drucker",
            "Kürbis!Feld88",
        ),
        (
            'hook = "https://discord.com/api/webhooks/1234567890123456789/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMnOp"',
            "https://discord.com/api/webhooks/1234567890123456789/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMnOp",
        ),
    ],
)
def test_more_secret_shapes(detector: Detector, text: str, secret: str) -> None:
    findings = detector.detect(text)
    assert covers(findings, text, secret, frozenset({"SECRET"})), shown(findings)


@pytest.mark.parametrize(
    "text",
    [
        "What does error code 0x80070005 mean in Windows Update?",
        "The product code is AB-1234 in the catalogue, is it discontinued?",
        "Versions:\n- Python: 3.11.7\n- Node: v20.11.1",
    ],
)
def test_codes_and_versions_that_are_no_secret(detector: Detector, text: str) -> None:
    assert not [f for f in detector.detect(text) if f.type == "SECRET"], shown(
        detector.detect(text)
    )


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Přihláška:\nJméno: Lenka Horáková\nAdresa: Husova 118/7, 779 00 Olomouc", "Husova 118/7"),
        ("Gegevens:\nNaam: Sanne Bos\nAdres: Dorpsweg 12, 7441 AB Nijverdal", "Dorpsweg 12"),
    ],
)
def test_address_labels_in_more_languages(detector: Detector, text: str, address: str) -> None:
    findings = detector.detect(text)
    assert covers(findings, text, address, frozenset({"STREET_ADDRESS"})), shown(findings)


@pytest.mark.parametrize(
    "text",
    [
        "Rosa eller vit? Vilken rosa nyans passar bäst till ett sovrum?",
        "Jack stands are cheap. Which jack should I buy for a small car?",
    ],
)
def test_a_word_written_lower_case_elsewhere_is_no_person(detector: Detector, text: str) -> None:
    assert not [f for f in detector.detect(text) if f.type == "PERSON"], shown(
        detector.detect(text)
    )


def test_a_name_written_lower_case_in_a_chat_cue_stays_a_person(detector: Detector) -> None:
    text = "Marta wrote the draft. ping marta about the budget"
    findings = detector.detect(text)
    assert covers(findings, text, "Marta", frozenset({"PERSON"})), shown(findings)


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        (
            "Het wachtwoord van de gastenwifi is sinds vandaag Tulpenveld-Lisse-48, handig?",
            ["Tulpenveld-Lisse-48"],
        ),
        (
            "La contraseña del router, que cambié ayer, ahora es Churros#Madrid7.",
            ["Churros#Madrid7"],
        ),
        (
            "Parola de la contul de admin este acum Mamaliga-Cluj-2025. Cum o schimb?",
            ["Mamaliga-Cluj-2025"],
        ),
        (
            "A jelszó a vendég wifihez Langos-Szeged-31, a kapukód 7261.",
            ["Langos-Szeged-31", "7261"],
        ),
        ("Die Geräte-PIN ist 905113 und die SIM-PIN 4720.", ["905113", "4720"]),
        ("le code du local à vélos est le 6148, merci", ["6148"]),
        (
            "Backupkoderna är 3310 8825, 1047 6692 och 5518 2039.",
            ["3310 8825", "1047 6692", "5518 2039"],
        ),
        ("- shed padlock 2-9-4-1\n- alarm 1987 then OK", ["2-9-4-1", "1987"]),
        ("is Falcon7-Meadow!3 a good enough password for a bank?", ["Falcon7-Meadow!3"]),
        ("$ redis-cli -h cache01 -p 6380 -a 'Kebab-Ist_Gece4' ping", ["Kebab-Ist_Gece4"]),
        ("mysqldump --password=Bl4ck-Forest! shop > shop.sql", ["Bl4ck-Forest!"]),
        (
            "old recovery codes:\n\n4e1a9-0c2f7\n9b3d1-77ae0\nc0ffe-12ab3\n",
            ["4e1a9-0c2f7", "c0ffe-12ab3"],
        ),
        (
            "curl https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Calls.json",
            ["AC0123456789abcdef0123456789abcdef"],
        ),
        (
            "PADDLE_KEY=pdl_live_3f9a0c1d2e3b4a5968778695a4b3c2d1e0f1",
            ["pdl_live_3f9a0c1d2e3b4a5968778695a4b3c2d1e0f1"],
        ),
    ],
)
def test_passwords_and_codes_a_few_words_after_their_cue(
    detector: Detector, text: str, secrets: list[str]
) -> None:
    findings = detector.detect(text)
    for secret in secrets:
        assert covers(findings, text, secret, frozenset({"SECRET"})), (secret, shown(findings))


@pytest.mark.parametrize(
    "text",
    [
        "The error code 1603 appears when the installer fails, what does it mean?",
        "My code runs 2000 iterations, in 2019 it took 40 ms. Why so slow now?",
        "How do I reset the admin password on a Synology DS920+ since 2021?",
        "interface User { username: string; password: string; }",
        "DATABASE_PASSWORD: '%env(DB_PASSWORD)%'",
        'password: "${DB_PASSWORD:?DB_PASSWORD must be set}"',
        "'password' => ['required', Password::min(12)->mixedCase()->numbers()],",
        "Compare Mistral-7B-Instruct and Qwen2.5-7B-Instruct for summarising.",
    ],
)
def test_no_secret_in_these(detector: Detector, text: str) -> None:
    assert not [f for f in detector.detect(text) if f.type == "SECRET"], shown(
        detector.detect(text)
    )


@pytest.mark.parametrize(
    "text",
    [
        "Care sunt cele mai frumoase orașe medievale din Transilvania și ce să vizitez acolo?",
        "Mikor érdemes elutazni a Balatonhoz, és melyik part a legszebb családoknak?",
        "Apa bedanya nasi uduk dan nasi kuning, dan bagaimana cara memasaknya di rumah?",
    ],
)
def test_the_english_model_is_not_trusted_on_languages_the_gate_does_not_know(
    detector: Detector, text: str
) -> None:
    assert not [f for f in detector.detect(text) if f.type in ("PERSON", "ORGANIZATION")], shown(
        detector.detect(text)
    )


@pytest.mark.parametrize(
    "text",
    [
        "surname,first_name,team\nVenkataraman,Karthika,QA\nNowak,Anna,Payments",
        "Oluwaseun Adeyemi, Rajesh Narayanan, Nguyen Van An",
    ],
)
def test_names_alone_are_no_unknown_language(text: str) -> None:
    from hybrid_desktop.core.privacy.language import other_language

    assert other_language(text) == ""


def test_prose_in_a_language_the_gate_does_not_know_is_marked() -> None:
    from hybrid_desktop.core.privacy.language import other_language

    assert other_language("Care sunt cele mai frumoase orașe medievale și ce să vizitez acolo?")
