"""Structured personal data in the shapes people paste, with the real detector.

Labels as JSON keys, CSV/TSV headers, YAML keys, form fields and log fields; login names in
system logs, chat and commands; passports and driving licences with their labels in eight
languages; dates of birth written every way people write them; secrets wherever they sit in
pasted text (headers, cookies, ``.netrc``, ``.pgpass``, Kubernetes secrets, webhooks, query
strings, prose, PINs, one-time codes); personal web sites. Each class has negatives that must
stay untouched: code identifiers, documentation, hashes, dates without a birth cue, issue
numbers, versions, local URLs and public sites.
"""

from __future__ import annotations

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from hybrid_desktop.domain import Finding
from tests.core.privacy.helpers import shown

#: Types that may stand for one another when a value is masked: a number the text labels as a
#: passport is still masked if the national-ID rule takes it, a credential in a URL may be masked
#: with the URL.
_EQUIVALENT = {
    "ID_NUMBER": {"ID_NUMBER", "NATIONAL_ID"},
    "NATIONAL_ID": {"NATIONAL_ID", "ID_NUMBER"},
    "PASSPORT": {"PASSPORT", "NATIONAL_ID", "ID_NUMBER"},
    "DRIVER_LICENSE": {"DRIVER_LICENSE", "NATIONAL_ID", "ID_NUMBER"},
    "SECRET": {"SECRET"},
    "USERNAME": {"USERNAME"},
    "DATE_OF_BIRTH": {"DATE_OF_BIRTH"},
    "POSTCODE": {"POSTCODE", "STREET_ADDRESS"},
    "DOMAIN_NAME": {"DOMAIN_NAME"},
}


def _covered(findings: list[Finding], text: str, value: str, entity: str) -> bool:
    start = text.index(value)
    end = start + len(value)
    ok = _EQUIVALENT[entity]
    return any(f.type in ok and f.start <= start and f.end >= end for f in findings)


# -- labels in key and header positions -------------------------------------------------------

KEYED = [
    # JSON
    ('{"name": "Kate Foster", "dob": "1987-02-14", "plan": "pro"}', "1987-02-14", "DATE_OF_BIRTH"),
    ('{"passport_no": "X1234567", "nationality": "GB"}', "X1234567", "PASSPORT"),
    ('{"username": "kfoster", "role": "editor"}', "kfoster", "USERNAME"),
    ('{"employeeId": "E-40217", "team": "QA"}', "E-40217", "ID_NUMBER"),
    ('{"patient_id": 884221, "ward": 4}', "884221", "ID_NUMBER"),
    ('{"dateOfBirth":"03/11/1975","city":"Lyon"}', "03/11/1975", "DATE_OF_BIRTH"),
    ('{"birth_date": "1990-05-03T00:00:00Z"}', "1990-05-03", "DATE_OF_BIRTH"),
    ('{"geburtsdatum": "14.02.1987", "wohnort": "Köln"}', "14.02.1987", "DATE_OF_BIRTH"),
    ('{"fecha_nacimiento": "1992-07-21", "ciudad": "Sevilla"}', "1992-07-21", "DATE_OF_BIRTH"),
    ('{"numero_passaporto": "YA1234567"}', "YA1234567", "PASSPORT"),
    ('{"driverLicense": "D1234-56789-01234"}', "D1234-56789-01234", "DRIVER_LICENSE"),
    ('{"ssn": "853-37-1694", "state": "OH"}', "853-37-1694", "NATIONAL_ID"),
    ('{"pesel": "44051401359", "miasto": "Kraków"}', "44051401359", "NATIONAL_ID"),
    ('{"customer_no": "C-558120"}', "C-558120", "ID_NUMBER"),
    ('{"zip": "94107", "country": "US"}', "94107", "POSTCODE"),
    ('{"plz": "50667", "ort": "Köln"}', "50667", "POSTCODE"),
    # JSON pasted as an escaped string
    ('"{\\"user\\": \\"mbrzezinski\\", \\"dob\\": \\"1987-02-14\\"}"', "mbrzezinski", "USERNAME"),
    (
        '"{\\"user\\": \\"mbrzezinski\\", \\"dob\\": \\"1987-02-14\\"}"',
        "1987-02-14",
        "DATE_OF_BIRTH",
    ),
    # YAML
    ("employee:\n  staff_id: E40217\n  date_of_birth: 1984-09-30\n", "E40217", "ID_NUMBER"),
    ("employee:\n  staff_id: E40217\n  date_of_birth: 1984-09-30\n", "1984-09-30", "DATE_OF_BIRTH"),
    ("persona:\n  pasaporte: PAA123456\n  nacimiento: 1979-12-01\n", "PAA123456", "PASSPORT"),
    (
        "klant:\n  klantnummer: 99812344\n  geboortedatum: 12-05-1992\n",
        "12-05-1992",
        "DATE_OF_BIRTH",
    ),
    # log lines and key=value
    ("2024-03-01 10:02:11 INFO patient_id=884221 action=view", "884221", "ID_NUMBER"),
    ('level=warn msg="login failed" username=jnowak ip=10.0.0.4', "jnowak", "USERNAME"),
    ("audit: member-id=M-77120 exported report", "M-77120", "ID_NUMBER"),
    # form lines, in several languages
    ("Reisepass-Nr.: C01X00T47\nGültig bis: 2031-05-01", "C01X00T47", "PASSPORT"),
    ("N° de passeport : 18AB12345", "18AB12345", "PASSPORT"),
    ("Número de pasaporte: PAA123456", "PAA123456", "PASSPORT"),
    ("Numero passaporto: YA1234567", "YA1234567", "PASSPORT"),
    ("Paspoortnummer: NW1234567", "NW1234567", "PASSPORT"),
    ("Numer paszportu: EA1234567", "EA1234567", "PASSPORT"),
    ("Número do passaporte: CA123456", "CA123456", "PASSPORT"),
    ("mein Reisepass hat die Nummer C01X00T47", "C01X00T47", "PASSPORT"),
    ("Führerscheinnummer: B072RRE2I55", "B072RRE2I55", "DRIVER_LICENSE"),
    ("Permis de conduire n° 123456789012", "123456789012", "DRIVER_LICENSE"),
    ("Permiso de conducir: 12345678Z", "12345678Z", "DRIVER_LICENSE"),
    ("Numero patente: MI1234567X", "MI1234567X", "DRIVER_LICENSE"),
    ("Rijbewijsnummer 5123456789", "5123456789", "DRIVER_LICENSE"),
    ("Numer prawa jazdy: 01234/12/1234", "01234/12/1234", "DRIVER_LICENSE"),
    ("Carta de condução n.º L-1234567", "L-1234567", "DRIVER_LICENSE"),
    ("My driving licence number is MORGA753116SM9IJ", "MORGA753116SM9IJ", "DRIVER_LICENSE"),
]


@pytest.mark.parametrize(("text", "value", "entity"), KEYED, ids=lambda v: str(v)[:40])
def test_values_under_a_known_key_or_label(
    detector: Detector, text: str, value: str, entity: str
) -> None:
    findings = detector.detect(text)
    assert _covered(findings, text, value, entity), shown(findings)


# -- CSV, TSV and tables: the column header labels every cell ---------------------------------

TABLES = [
    (
        "employee_id,name,team\nE40217,Kate Foster,QA\nE40218,Ravi Menon,Dev\n",
        ["E40217", "E40218"],
        "ID_NUMBER",
    ),
    (
        "Name;Geburtsdatum;Ort\nMüller;14.02.1987;Köln\nSchmidt;03.11.1975;Bonn\n",
        ["14.02.1987", "03.11.1975"],
        "DATE_OF_BIRTH",
    ),
    (
        "username\tlast_login\tstatus\nkfoster\t2024-02-01\tactive\nrmenon\t2024-02-03\tlocked\n",
        ["kfoster", "rmenon"],
        "USERNAME",
    ),
    (
        "| user | password |\n|------|----------|\n| jnowak | Lato2024! |\n| afigo | sunflower |\n",
        ["Lato2024!", "sunflower"],
        "SECRET",
    ),
    (
        "nom,prénom,date_naissance,n_passeport\nDurand,Léa,1990-05-03,18AB12345\n",
        ["1990-05-03"],
        "DATE_OF_BIRTH",
    ),
    (
        "n_passeport;nom;ville\n18AB12345;Durand;Lyon\n19CD67890;Martin;Nantes\n",
        ["18AB12345", "19CD67890"],
        "PASSPORT",
    ),
    (
        "login,hasło\nkowalski.j,Wiosna#2023\nnowak_a,Lipiec77\n",
        ["Wiosna#2023", "Lipiec77"],
        "SECRET",
    ),
    (
        "codice_fiscale;nome\nRSSMRA85T10A562S;Mario\n",
        ["RSSMRA85T10A562S"],
        "NATIONAL_ID",
    ),
    (
        "id_cliente,cp,provincia\n558120,28013,Madrid\n",
        ["28013"],
        "POSTCODE",
    ),
]


@pytest.mark.parametrize(("text", "values", "entity"), TABLES, ids=lambda v: str(v)[:40])
def test_cells_under_a_known_header(
    detector: Detector, text: str, values: list[str], entity: str
) -> None:
    findings = detector.detect(text)
    for value in values:
        # Neighbouring cells may merge into one finding of another type: masked all the same.
        start = text.index(value)
        assert any(f.start <= start and f.end >= start + len(value) for f in findings), (
            value,
            shown(findings),
        )
    assert any(f.type in _EQUIVALENT[entity] for f in findings), shown(findings)


# -- usernames in logs, commands and chat -----------------------------------------------------

USERNAMES = [
    (
        "Mar  3 10:15:01 web1 sshd[2211]: Accepted publickey for kfoster from 198.51.100.4 port 52211",
        "kfoster",
    ),
    (
        "sshd[91]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
        "ruser= rhost=203.0.113.9  user=mbrzezinski",
        "mbrzezinski",
    ),
    (
        "Mar  3 10:20:44 web1 sudo:   jnowak : TTY=pts/0 ; PWD=/home/jnowak ; USER=root ; "
        "COMMAND=/bin/systemctl restart nginx",
        "jnowak",
    ),
    ("sudo: rmenon : 3 incorrect password attempts ; TTY=pts/1", "rmenon"),
    (
        '203.0.113.5 - afigueroa [10/Oct/2023:13:55:36 +0000] "GET /admin HTTP/1.1" 401 512',
        "afigueroa",
    ),
    (
        "An account failed to log on.\n  Account Name:\t\tlvandenberg\n  Account Domain: CORP",
        "lvandenberg",
    ),
    ("Login attempt from CORP\\ksato failed (0xC000006A)", "ksato"),
    ("commit 9fceb02\nAuthor: dkowalczyk <dkowalczyk@users.noreply.github.com>", "dkowalczyk"),
    ("ldapsearch -b 'uid=pmartins,ou=people,dc=corp,dc=local'", "pmartins"),
    ("GET /api/session?login=tbauer&lang=de", "tbauer"),
    ("ssh -l mrossi bastion.internal", "mrossi"),
    ("@mbrzezinski can you review my PR before lunch?", "mbrzezinski"),
    ("thanks @ravi.menon, merged!", "ravi.menon"),
    ("Le compte utilisateur fdupont a été verrouillé après 5 tentatives.", "fdupont"),
    ("Benutzerkonto hmueller wurde gesperrt.", "hmueller"),
    ("El usuario jgarcia92 no puede iniciar sesión.", "jgarcia92"),
    ("L'utente lbianchi ha effettuato l'accesso alle 9:00.", "lbianchi"),
    ("Gebruiker pjansen kan niet inloggen sinds gisteren.", "pjansen"),
    ("Konto użytkownika akowalska zostało zablokowane.", "akowalska"),
    ("O utilizador rsantos não consegue entrar na VPN.", "rsantos"),
    ("Login: kfoster\nPassword: Blue7Harbor#", "kfoster"),
]


@pytest.mark.parametrize(("text", "value"), USERNAMES, ids=lambda v: str(v)[:40])
def test_usernames_in_log_and_chat_shapes(detector: Detector, text: str, value: str) -> None:
    findings = detector.detect(text)
    if text.startswith("@"):
        # A mention of letters only may be a first name: masked as a person all the same.
        start = text.index(value)
        assert any(f.start <= start and f.end >= start + len(value) for f in findings)
        return
    assert _covered(findings, text, value, "USERNAME"), shown(findings)


NOT_USERNAMES = [
    "Mar  3 10:20:44 web1 sudo:   root : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/bin/ls",
    "sshd[2211]: Accepted publickey for ubuntu from 198.51.100.4 port 52211",
    "@dataclass\nclass Config:\n    user: str\n",
    "@pytest.fixture(scope='module')\ndef db(): ...",
    "npm install @types/node @angular/core",
    "Use @media queries and @import in the stylesheet.",
    "/**\n * @param user the user to check\n * @return true when valid\n */",
    "Please ping @here and @channel about the outage.",
    "user = args.user\nlogin = request.form['login']",
    "Set the username in config.yaml, then restart.",
    '127.0.0.1 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 612',
    "Author: Kate Foster wrote this chapter in 2019.",
]


@pytest.mark.parametrize("text", NOT_USERNAMES, ids=lambda t: t[:40])
def test_code_system_accounts_and_docs_are_not_usernames(detector: Detector, text: str) -> None:
    assert [f for f in shown(detector.detect(text)) if f[0] == "USERNAME"] == []


# -- dates of birth ---------------------------------------------------------------------------

BIRTH_DATES = [
    ("Kate Foster (b. 1987-02-14) joined in 2015.", "1987-02-14"),
    ("Johann Weber *14.02.1987 in Kassel", "14.02.1987"),
    ("Anna Schulz (*3. Mai 1990), Lehrerin", "3. Mai 1990"),
    ("Name: Lea Durand | DOB: 02/14/1987 | Sex: F", "02/14/1987"),
    ("He was born on the 3rd of May 1990 in Cork.", "3rd of May 1990"),
    ("Birthday: 5 June 1988, so she turns 36 this year.", "5 June 1988"),
    ("date_of_birth=1979-12-01 patient_id=884221", "1979-12-01"),
    ("Date de naiss. : 03/11/1975", "03/11/1975"),
    ("Fecha nac.: 21/07/1992", "21/07/1992"),
    ("Nascita: 14/02/1987, Roma", "14/02/1987"),
    ("Geb.-Datum: 14.02.1987", "14.02.1987"),
    ("geb. 03.11.1975 in Bonn", "03.11.1975"),
    ("Data ur.: 14.02.1987", "14.02.1987"),
    ("Nasceu a 7 de julho de 1983 em Braga.", "7 de julho de 1983"),
]


@pytest.mark.parametrize(("text", "value"), BIRTH_DATES, ids=lambda v: str(v)[:40])
def test_dates_of_birth_written_every_way(detector: Detector, text: str, value: str) -> None:
    findings = detector.detect(text)
    assert _covered(findings, text, value, "DATE_OF_BIRTH"), shown(findings)


NOT_BIRTH_DATES = [
    '{"created_at": "2024-02-14T10:00:00Z", "updated_at": "2024-02-15"}',
    "date,amount,currency\n2024-02-14,19.99,EUR\n2024-02-15,5.00,EUR\n",
    "* 14.02.2025 Team-Meeting\n* 03.11.2025 Release",
    "Release 1.4.2 was published on 2024-02-14; see issue #1987.",
    "The price went from 14.02 to 19.87 on 03.11.2024.",
    "Die Bestellung vom 14.02.2024 ist noch nicht angekommen.",
]


@pytest.mark.parametrize("text", NOT_BIRTH_DATES, ids=lambda t: t[:40])
def test_dates_without_birth_cue_stay(detector: Detector, text: str) -> None:
    assert [f for f in shown(detector.detect(text)) if f[0] == "DATE_OF_BIRTH"] == []


# -- secrets wherever they sit ----------------------------------------------------------------

SECRETS = [
    ('"{\\"password\\":\\"Hx7!kq92Lm\\",\\"user\\":\\"svc\\"}"', "Hx7!kq92Lm"),
    ("Authorization: Basic a2Zvc3RlcjpIYXJib3I3", "a2Zvc3RlcjpIYXJib3I3"),
    (
        "curl -H 'Authorization: Basic am5vd2FrOkxhdG8yMDI0' https://api.internal",
        "am5vd2FrOkxhdG8yMDI0",
    ),
    ("Cookie: sessionid=8f3k2j5h7g9d1s4a6q8w0e2r4t; theme=dark", "8f3k2j5h7g9d1s4a6q8w0e2r4t"),
    ("machine api.heroku.com login kfoster@mail.com password hunter22", "hunter22"),
    ("machine ftp.intra login jnowak password sunflower", "sunflower"),
    ("db.internal:5432:orders:reporting:Blue7Harbor", "Blue7Harbor"),
    ("*:*:*:postgres:kotek2019", "kotek2019"),
    ("docker run -e POSTGRES_PASSWORD=Zielony.Las9 -d postgres:16", "Zielony.Las9"),
    (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  DB_URL: cG9zdGdyZXM6Ly9hOmJAYy9k\n"
        "  admin: aHVudGVyMjI=\n",
        "cG9zdGdyZXM6Ly9hOmJAYy9k",
    ),
    (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  DB_URL: cG9zdGdyZXM6Ly9hOmJAYy9k\n"
        "  admin: aHVudGVyMjI=\n",
        "aHVudGVyMjI=",
    ),
    ("git clone https://kfoster:Harbor7x@git.corp.local/team/app.git", "Harbor7x"),
    (
        '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n'
        '-----END PRIVATE KEY-----\\n", "client_email": "x@y.iam"}',
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    ),
    (
        "SLACK_URL=https://hooks.slack.com/services/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",
        "T024BE7LD/B01ABCD2EFG/aB3dE5gH7jK9mN1pQ3sT5vX7",
    ),
    (
        "webhook: https://discord.com/api/webhooks/1187456323487654321/Xy9_aB3dE5gH7jK9mN1pQ3sT5vX7zC1eG3iK5mO7qS9",
        "1187456323487654321/Xy9_aB3dE5gH7jK9mN1pQ3sT5vX7zC1eG3iK5mO7qS9",
    ),
    (
        "GET https://api.weather.io/v1/forecast?city=Lyon&api_key=3f9a7c2e5b8d1f4a6c9e&units=metric",
        "3f9a7c2e5b8d1f4a6c9e",
    ),
    ("the wifi password is sunflower, the network is HomeNet", "sunflower"),
    ("Das WLAN-Passwort lautet Sonnenblume", "Sonnenblume"),
    ("le mot de passe du wifi est tournesol.", "tournesol"),
    ("La contraseña del wifi es girasol2020", "girasol2020"),
    ("la password del wifi è girasole", "girasole"),
    ("het wachtwoord van de wifi is zonnebloem", "zonnebloem"),
    ("hasło do wifi to slonecznik", "slonecznik"),
    ("a senha do wifi é girassol", "girassol"),
    ("My card PIN is 4821, please don't share it.", "4821"),
    ("Mein PIN ist 4821.", "4821"),
    ("PIN: 902311", "902311"),
    ("code PIN : 4821", "4821"),
    ("el PIN de la tarjeta es 7730", "7730"),
    ("Il PIN del bancomat è 1947", "1947"),
    ("pincode 5521", "5521"),
    ("Your verification code is 482913.", "482913"),
    ("OTP: 771204", "771204"),
    ("Ihr Bestätigungscode lautet 530118.", "530118"),
    ("Votre code de vérification : 661093", "661093"),
    ("Tu código de verificación es 448120", "448120"),
    ("Kod weryfikacyjny: 902114", "902114"),
    ("username: kfoster  password: Harbor-Lights", "Harbor-Lights"),
    ("user kfoster pass hunter22", "hunter22"),
    ("Benutzer: hmueller / Kennwort: Sommer2024", "Sommer2024"),
    ("identifiant : fdupont, mot de passe : soleil", "soleil"),
]


@pytest.mark.parametrize(("text", "value"), SECRETS, ids=lambda v: str(v)[:40])
def test_secrets_wherever_they_sit(detector: Detector, text: str, value: str) -> None:
    findings = detector.detect(text)
    start = text.index(value)
    end = start + len(value)
    covered = set()
    for f in findings:
        covered.update(range(max(f.start, start), min(f.end, end)))
    assert covered == set(range(start, end)), shown(findings)
    # A password in a URL's user part is masked with the whole ``user:pw@host`` e-mail shape.
    allowed = {"SECRET", "EMAIL_ADDRESS"} if "@" in text else {"SECRET"}
    assert any(f.type in allowed for f in findings if f.start < end and f.end > start)


NOT_SECRETS = [
    "Set DB_PASSWORD in your .env file, then run docker compose up.",
    "password_field = forms.CharField(widget=forms.PasswordInput)",
    "if user.password == form.password: login(user)",
    "The password is wrong, try again.",
    "The password is required and must be 12 characters long.",
    "Das Passwort ist falsch.",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b",
    "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "request_id=9b2f4c1e-7a3d-4e8b-b6f0-2d5c8a1e3f7b",
    "Connect the LED to pin 13 and the sensor to pin 2.",
    "The PIN must have 4 to 6 digits.",
    "GET http://localhost:8000/api/items?page=2&limit=50",
    "curl https://api.github.com/repos/psf/requests/issues?state=open",
    "Enter the verification code we sent you.",
    "PIN code length: 6, retries: 3",
    "kind: ConfigMap\ndata:\n  LOG_LEVEL: debug\n  FEATURE_X: 'true'\n",
    "https://hooks.slack.com/services/T000/B000/XXXX is the format of a webhook URL.",
    "The default pgpass line is hostname:port:database:username:password",
]


@pytest.mark.parametrize("text", NOT_SECRETS, ids=lambda t: t[:40])
def test_docs_code_and_hashes_are_not_secrets(detector: Detector, text: str) -> None:
    assert [f for f in shown(detector.detect(text)) if f[0] == "SECRET"] == []


# -- postcodes and personal web sites ---------------------------------------------------------

PLACES_AND_SITES = [
    ("my site kowalska-design.pl has the whole portfolio", "kowalska-design.pl", "DOMAIN_NAME"),
    ("portfolio at jdoe.dev, CV attached", "jdoe.dev", "DOMAIN_NAME"),
    (
        "--\nMarta Rossi\nFotografa\nwww.martarossi.photography",
        "martarossi.photography",
        "DOMAIN_NAME",
    ),
    ("Besuchen Sie meinen Blog: weber-kocht.de", "weber-kocht.de", "DOMAIN_NAME"),
    ("Mon site perso : lea-durand.fr", "lea-durand.fr", "DOMAIN_NAME"),
    ("Mi web es https://carlosgil.es/sobre-mi", "carlosgil.es", "DOMAIN_NAME"),
    ("Postcode: SW1A 1AA", "SW1A 1AA", "POSTCODE"),
    ('{"postal_code": "H2X 1Y4", "city": "Montréal"}', "H2X 1Y4", "POSTCODE"),
    ("Kod pocztowy: 00-950", "00-950", "POSTCODE"),
    ("Código postal: 1000-001", "1000-001", "POSTCODE"),
    ("CAP 20121", "20121", "POSTCODE"),
    ("Postcode: 1012 AB", "1012 AB", "POSTCODE"),
]


@pytest.mark.parametrize(("text", "value", "entity"), PLACES_AND_SITES, ids=lambda v: str(v)[:40])
def test_postcodes_and_personal_sites(
    detector: Detector, text: str, value: str, entity: str
) -> None:
    findings = detector.detect(text)
    assert _covered(findings, text, value, entity), shown(findings)


NOT_PERSONAL = [
    "See https://docs.python.org/3/library/json.html and stackoverflow.com for help.",
    "Run it at http://localhost:3000/dashboard and open 127.0.0.1:8080.",
    "Upgrade requests to 2.31.0 and numpy to 1.26.4; fixes issue #4521.",
    "It costs 19.99 EUR, shipping 4.50 EUR, total 24.49 EUR.",
    "The meeting is on 2024-02-14 at 10:30 in room 4.12.",
    "Fixed in PR #1234, closes JIRA-5678 and ticket 998.",
    "zip_code = request.args.get('zip')\nuser_id = session['uid']",
    "CSV columns: employee_id, name, dob, passport_no (see the schema doc).",
    '{"id": 42, "version": "1.4.2", "count": 17, "total": 1987}',
    "id,price,qty\n1001,19.99,2\n1002,5.00,10\n",
    "Files: config.json, main.py, README.md, setup.cfg",
    "Der Parameter pin_code muss gesetzt sein.",
]


@pytest.mark.parametrize("text", NOT_PERSONAL, ids=lambda t: t[:40])
def test_code_docs_prices_versions_and_public_sites_stay(detector: Detector, text: str) -> None:
    types = {
        "SECRET",
        "USERNAME",
        "ID_NUMBER",
        "NATIONAL_ID",
        "PASSPORT",
        "DRIVER_LICENSE",
        "DATE_OF_BIRTH",
        "POSTCODE",
        "DOMAIN_NAME",
        "PHONE_NUMBER",
    }
    assert [f for f in shown(detector.detect(text)) if f[0] in types] == []


# -- key normalisation and cost -----------------------------------------------------------------


def test_keys_are_compared_word_by_word() -> None:
    from hybrid_desktop.core.privacy.recognizers.cue_lists import key_tokens

    assert key_tokens("dateOfBirth") == key_tokens("date_of_birth") == key_tokens("Date of birth")
    assert key_tokens("n_passeport") == key_tokens("N° de passeport")
    assert key_tokens("fecha_nacimiento") == key_tokens("Fecha de nacimiento")
    assert key_tokens("passportNumber") == key_tokens("passport-no") == ("passport", "no")
    assert key_tokens("Número do passaporte") == ("no", "passaporte")


def test_field_recognizer_is_fast_on_a_long_text() -> None:
    import time

    from hybrid_desktop.core.privacy.recognizers.labelled_ids import FieldRecognizer

    chunk = "\n".join(t for t, _, _ in KEYED) + "\n" + "\n".join(t for t, _, _ in TABLES)
    text = (chunk * (10_000 // len(chunk) + 1))[:10_000]
    recognizer = FieldRecognizer()
    recognizer.analyze(text, [])
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        results = recognizer.analyze(text + " ", [])
        best = min(best, time.perf_counter() - t0)
    assert results
    assert best < 0.05, f"{best * 1000:.1f} ms"
