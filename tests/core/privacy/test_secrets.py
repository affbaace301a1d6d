"""Secrets (detect-secrets formats, assignments, prose passwords) and login names, with the real
detector: what must be masked, exactly, and what code, hashes and docs must keep untouched."""

from __future__ import annotations

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from hybrid_desktop.domain import Finding


def _covering(findings: list[Finding], text: str, value: str) -> list[Finding]:
    start = text.index(value)
    return [f for f in findings if f.start <= start and f.end >= start + len(value)]


def _assert_found(detector: Detector, text: str, value: str, entity: str) -> None:
    findings = detector.detect(text)
    hits = _covering(findings, text, value)
    assert hits, f"{value!r} not caught in {text!r}: {[(f.type, f.text) for f in findings]}"
    # A credential in a URL's user part is masked with the whole ``user:pw@host`` e-mail shape.
    allowed = (entity, "EMAIL_ADDRESS") if "@" in text else (entity,)
    assert hits[0].type in allowed, [(f.type, f.text) for f in findings]


def _types(detector: Detector, text: str, types: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(f.type, f.text) for f in detector.detect(text) if f.type in types]


# -- token formats (detect-secrets plugins and the formats it lacks) ----------------------------

TOKENS = [
    ('aws_access_key_id = "AKIAQX4RT7ZB2MNC9PLK"', "AKIAQX4RT7ZB2MNC9PLK"),
    (
        's3 = boto3.client("s3", aws_secret_access_key="kR9vXq2LmN8pT4wZ7yB1cD5fG3hJ6kM0nQ2sU4vW")',
        "kR9vXq2LmN8pT4wZ7yB1cD5fG3hJ6kM0nQ2sU4vW",
    ),
    (
        "git remote set-url origin https://ghp_Zq8Lm2Nx4Vb6Cd1Ef3Gh5Jk7Lp9Qr0St2Uv@github.com/a/b.git",
        "ghp_Zq8Lm2Nx4Vb6Cd1Ef3Gh5Jk7Lp9Qr0St2Uv",
    ),
    (
        "GH_TOKEN=gho_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        "gho_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    ),
    (
        "fine-grained: github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789abcdefghijKLMNOPQRSTU",
        "github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789abcdefghijKLMNOPQRSTU",
    ),
    ("CI uses glpat-x9Yz8Wv7Ut6Sr5Qp4On3 to pull", "glpat-x9Yz8Wv7Ut6Sr5Qp4On3"),
    ("SLACK_BOT_TOKEN: xoxb-2048-4096-Kd8sLq2ZmX7", "xoxb-2048-4096-Kd8sLq2ZmX7"),
    (
        "Stripe live key sk_live_51HxQ2bL8kT9vR3mN7pW4zY6c in prod",
        "sk_live_51HxQ2bL8kT9vR3mN7pW4zY6c",
    ),
    ("restricted rk_live_9sDf8Gh7Jk6Lz5Xc4Vb3Nm2Q", "rk_live_9sDf8Gh7Jk6Lz5Xc4Vb3Nm2Q"),
    ("maps: AIzaSyD9x8W7v6U5t4S3r2Q1p0O9n8M7l6K5j4I", "AIzaSyD9x8W7v6U5t4S3r2Q1p0O9n8M7l6K5j4I"),
    ("twilio sid AC8f2b6d1e9c4a7b3f5d0e2c8a6b4d1f9e", "AC8f2b6d1e9c4a7b3f5d0e2c8a6b4d1f9e"),
    (
        "SENDGRID_API_KEY=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",
        "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",
    ),
    (
        "//registry.npmjs.org/:_authToken=npm_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2",
        "npm_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2",
    ),
    (
        "client = OpenAI(api_key='sk-proj-Q1w2E3r4T5y6U7i8O9p0A1s2D3f4')",
        "sk-proj-Q1w2E3r4T5y6U7i8O9p0A1s2D3f4",
    ),
    (
        "export ANTHROPIC_API_KEY=sk-ant-api03-Zx9Cv8Bn7Mm6Ll5Kk4Jj3Hh2Gg1Ff0",
        "sk-ant-api03-Zx9Cv8Bn7Mm6Ll5Kk4Jj3Hh2Gg1Ff0",
    ),
    (
        "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsIm5hbWUiOiJ4In0.Qm9ndXNTaWduYXR1cmVWYWx1ZTEyMzQ'",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsIm5hbWUiOiJ4In0.Qm9ndXNTaWduYXR1cmVWYWx1ZTEyMzQ",
    ),
    ("X-Api-Key: 7fK2mQ9xL4pR8vT1zW6yB3nC5", "7fK2mQ9xL4pR8vT1zW6yB3nC5"),
    ("Authorization: Basic ZGV2b3BzOlN1cGVyU2VjcmV0OTk=", "ZGV2b3BzOlN1cGVyU2VjcmV0OTk="),
]


@pytest.mark.parametrize(("text", "value"), TOKENS, ids=lambda v: str(v)[:30])
def test_token_formats_are_secrets(detector: Detector, text: str, value: str) -> None:
    _assert_found(detector, text, value, "SECRET")


@pytest.mark.parametrize(
    "header",
    ["RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"],
)
def test_private_key_blocks_are_masked_whole(detector: Detector, header: str) -> None:
    body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACBk3v8R2pXzqL7mN4kT0wYcJ5hA9sE6uF1iG3oB8dK2fQAAAJh"
    text = f"is this key ok?\n-----BEGIN {header}-----\n{body}\n-----END {header}-----\nthanks"
    findings = detector.detect(text)
    block = _covering(findings, text, body)
    assert block and block[0].type == "SECRET"
    assert text[block[0].start : block[0].end].endswith(f"-----END {header}-----")
    assert "thanks" not in block[0].text and "is this key ok?" not in block[0].text


# -- assignments in config, code and shells ---------------------------------------------------

ASSIGNMENTS = [
    ("DB_PASSWORD=Wint3r!sComing", "Wint3r!sComing"),
    ("PGPASSWORD='n0rth#Star' psql -h db.internal app", "n0rth#Star"),
    ('{"user": "x", "password": "c0rrect-h0rse"}', "c0rrect-h0rse"),
    ('{"api_key": "Zm9vYmFyYmF6cXV4MTIzNDU2"}', "Zm9vYmFyYmF6cXV4MTIzNDU2"),
    ("database:\n  host: db\n  password: Qu4ntum-Leap\n", "Qu4ntum-Leap"),
    ("smtp:\n  passwd: 'Tr!ckyOne'\n", "Tr!ckyOne"),
    ("mysql --user=app --password=Gr33nTea# mydb", "Gr33nTea#"),
    ('db_pass := "gopher7Run"', "gopher7Run"),
    ("client_secret: GOCSPX-7hT2kL9mQ4xR1vZ8", "GOCSPX-7hT2kL9mQ4xR1vZ8"),
    ('const stripeSecret = "whsec_Lk8Jh7Gf6Ds5Aq4Wz3Xc2Vb1"', "whsec_Lk8Jh7Gf6Ds5Aq4Wz3Xc2Vb1"),
    ("session_id=5f4dcc3b5aa765d61d8327deb882cf99", "5f4dcc3b5aa765d61d8327deb882cf99"),
    ("REDIS_URL=redis://:Hx7pQ2mZ@cache.internal:6379/0", "Hx7pQ2mZ"),
    ("postgres://svc_app:Pa%24%24w0rd!@10.1.2.3:5432/app", "Pa%24%24w0rd!"),
    ("Passwort: Sommer#2024", "Sommer#2024"),
    ("contraseña=Lluvia.77", "Lluvia.77"),
    ("DB_PASSWORD=Fr0g.Pond", "Fr0g.Pond"),
]


@pytest.mark.parametrize(("text", "value"), ASSIGNMENTS, ids=lambda v: str(v)[:30])
def test_secret_assignments(detector: Detector, text: str, value: str) -> None:
    _assert_found(detector, text, value, "SECRET")


def test_assigned_value_is_exactly_the_secret(detector: Detector) -> None:
    text = 'password = "kL9#mQ2!vX";  // temporary'
    secrets = [f.text for f in detector.detect(text) if f.type == "SECRET"]
    assert secrets == ["kL9#mQ2!vX"]


# -- passwords in prose, several languages ------------------------------------------------------

PROSE = [
    ("connect as svc_reports with password Blue7Harbor# and run the export", "Blue7Harbor#"),
    ("the password is Tr0ub4dor&3, is that strong enough?", "Tr0ub4dor&3"),
    ("My wifi password is 'purple monkey dishwasher'", "purple monkey dishwasher"),
    ("The password for the staging db is Xk9#mQ2.", "Xk9#mQ2"),
    ("pw: fjord88 (don't share)", "fjord88"),
    ("Das Passwort ist Sommer2024! – bitte ändern", "Sommer2024!"),
    ("Kennwort: Alpen-Blick9", "Alpen-Blick9"),
    ("le mot de passe : Soleil#2023, merci", "Soleil#2023"),
    ("Le mot de passe est Croissant42.", "Croissant42"),
    ("la contraseña es Gato.Negro99.", "Gato.Negro99"),
    ("la password è Pizza4Ever, non dirla a nessuno", "Pizza4Ever"),
    ("wachtwoord Fiets2020! werkt niet meer", "Fiets2020!"),
    ("hasło: Krakow!77", "Krakow!77"),
    ("hasło to Wisla#1928", "Wisla#1928"),
    ("a senha é Praia2022 e o usuário é rsilva", "Praia2022"),
]


@pytest.mark.parametrize(("text", "value"), PROSE, ids=lambda v: str(v)[:30])
def test_passwords_in_prose(detector: Detector, text: str, value: str) -> None:
    _assert_found(detector, text, value, "SECRET")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the password is Lato2024!.", "Lato2024!"),
        ("the password is Lato2024!, then log in", "Lato2024!"),
        ("the password is hash#tag#", "hash#tag#"),
        ("the password is Bang!!", "Bang!!"),
        ("password: Fr0g.Pond.", "Fr0g.Pond"),
    ],
)
def test_prose_password_keeps_its_own_punctuation(
    detector: Detector, text: str, value: str
) -> None:
    secrets = [f.text for f in detector.detect(text) if f.type == "SECRET"]
    assert secrets == [value]


# -- usernames ----------------------------------------------------------------------------------

USERNAMES = [
    ("auth failure for user mbrzezinski from 198.51.100.4", "mbrzezinski"),
    (
        "Jan 12 10:01:02 web01 sshd[2211]: Failed password for invalid user kpatel from 203.0.113.9 port 52211 ssh2",
        "kpatel",
    ),
    ("sshd[2212]: Accepted publickey for asmith from 203.0.113.9 port 52213 ssh2", "asmith"),
    ("sshd[90]: Failed password for jnowak from 203.0.113.7 port 4022 ssh2", "jnowak"),
    ("pam_unix(sshd:session): session opened for user lkowalski by (uid=0)", "lkowalski"),
    ("2024-03-01 09:12:44 INFO user jdoe42 logged in from 10.0.0.8", "jdoe42"),
    ("log in as jnowak / Lato2024! and check the queue", "jnowak"),
    ("login: mrossi", "mrossi"),
    ("username: t.nguyen", "t.nguyen"),
    ('{"login": "mkaur", "id": 5531}', "mkaur"),
    ("host=db user=okafor password=x9Kq2 dbname=app", "okafor"),
    ("POSTGRES_USER=vhansen", "vhansen"),
    ("mysql -u dbeck -p -h 10.0.0.3", "dbeck"),
    ("psql -h db.internal -U hmueller -d app", "hmueller"),
    ("sudo -u kwright vim /etc/hosts", "kwright"),
    ("ssh ravi.k@10.0.0.12 hangs after the banner", "ravi.k"),
    ("scp report.pdf fgarcia@build01:/tmp/", "fgarcia"),
    ("jnowak@devbox:~/src$ git status", "jnowak"),
    ("[pdupont@web02 ~]$ sudo systemctl restart nginx", "pdupont"),
    ("Der Benutzer tbauer hat sich angemeldet.", "tbauer"),
    ("Fehlgeschlagene Anmeldung für Benutzer tbauer", "tbauer"),
    ("l'utilisateur cmartin s'est connecté à 9h", "cmartin"),
    ("nom d'utilisateur : lbernard", "lbernard"),
    ("el usuario jgarcia inició sesión", "jgarcia"),
    ("l'utente gbianchi ha effettuato l'accesso", "gbianchi"),
    ("gebruiker pdevries is ingelogd", "pdevries"),
    ("użytkownik mnowak zalogował się", "mnowak"),
    ("o usuário rsilva fez login ontem", "rsilva"),
]


@pytest.mark.parametrize(("text", "value"), USERNAMES, ids=lambda v: str(v)[:30])
def test_usernames_in_login_contexts(detector: Detector, text: str, value: str) -> None:
    findings = detector.detect(text)
    hits = _covering(findings, text, value)
    assert hits, f"{value!r} not caught in {text!r}: {[(f.type, f.text) for f in findings]}"
    # "name / password" may be masked as one span with the password next to it.
    allowed = ("USERNAME", "EMAIL_ADDRESS", "SECRET")
    assert hits[0].type in allowed, [(f.type, f.text) for f in findings]


@pytest.mark.parametrize(
    ("text", "user", "password"),
    [
        ("log in as jnowak / Lato2024!", "jnowak", "Lato2024!"),
        ("user: abarros pass: Praia#2021", "abarros", "Praia#2021"),
        ("curl -u bsmith:Hunter2pw https://api.internal/v1", "bsmith", "Hunter2pw"),
        ("connect as svc_reports with password Blue7Harbor#", "svc_reports", "Blue7Harbor#"),
    ],
)
def test_username_and_password_together(
    detector: Detector, text: str, user: str, password: str
) -> None:
    findings = detector.detect(text)
    for value in (user, password):
        hits = _covering(findings, text, value)
        assert hits and hits[0].type in ("USERNAME", "SECRET"), [(f.type, f.text) for f in findings]
    assert any(f.type == "SECRET" for f in _covering(findings, text, password))


# -- what stays untouched -----------------------------------------------------------------------

CLEAN = [
    "def check_password(password):\n    return bcrypt.checkpw(password.encode(), stored_hash)",
    "password: str = Field(..., min_length=12)",
    "class Settings(BaseSettings):\n    api_key: SecretStr\n    db_password: str | None = None",
    'import os\nkey = os.environ["API_KEY"]\npassword = getenv("DB_PASSWORD")\nprint(len(key))',
    "user = request.user\npassword = request.form['password']\nif not user.check(password): abort(401)",
    "Set your API key in the ANTHROPIC_API_KEY variable before running the script.",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b\nAuthor: CI <ci@example.invalid>",
    "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "sha1sum says da39a3ee5e6b4b0d3255bfef95601890afd80709 for the empty file",
    'id: 123e4567-e89b-12d3-a456-426614174000\nrequest_id = "9b2f4c1e-7a3d-4e8b-b6f0-2d5c8a1e3f7b"',
    '"integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs"',
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
    "DB_PASSWORD=${DB_PASSWORD}\nAPI_KEY=<your-key-here>\nSECRET_KEY=changeme\nTOKEN=xxxx",
    "password: {{ vault_db_password }}\napi_key: $API_KEY",
    "max_tokens=1024, temperature=0.2, top_p=0.9",
    "password = settings.DB_PASSWORD\nuser = args.user",
    "password_min_length: 12\nsecretName: db-credentials\ntoken_url: https://auth.example/token",
    "The password is required and must have at least 8 characters.",
    "Forgot your password? Click the reset link we sent.",
    "Das Passwort ist falsch, bitte erneut versuchen.",
    "the user clicks the button and the user gets an error",
    "User: how do I reset my password?\nAssistant: open the settings page.",
    "sudo -u postgres psql -c 'select 1'",
    "ssh ubuntu@ec2-203-0-113-25.compute-1.amazonaws.com",
    "git clone git@github.com:acme/app.git && git push -u origin main",
    "Jan 12 10:01:02 web01 sshd[2211]: Invalid user admin from 203.0.113.9 port 5122",
    "username: <username>\nuser=$USER\nlogin: {user}",
    "Log in as usual, then open the dashboard.",
    "python -u train.py --epochs 3",
]


@pytest.mark.parametrize("text", CLEAN, ids=lambda t: t[:40])
def test_code_hashes_docs_and_system_accounts_stay_untouched(detector: Detector, text: str) -> None:
    assert _types(detector, text, ("SECRET", "USERNAME")) == []
