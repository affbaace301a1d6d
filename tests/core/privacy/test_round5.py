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
