"""Round 3 secrets and login names: realistic prompts with credentials in every shape people paste
(chat, e-mail, JSON with escapes, YAML, .env, INI, shell history, docker/kubectl, CI logs, code in
several languages, SQL, curl, URLs, notes; eight languages), usernames in log lines and home-folder
paths, and negatives (code identifiers, placeholders, docs, hashes, UUIDs, public keys) that must
stay untouched. Checked through the gate: the value must not occur in the redacted text."""

from __future__ import annotations

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from hybrid_desktop.core.privacy.gate import PrivacyGate
from hybrid_desktop.core.privacy.recognizers.secret_shapes import random_looking

#: (language, shape, prompt, secret values that must not reach the redacted text)
SECRETS: list[tuple[str, str, str, list[str]]] = [
    (
        "en",
        "chat",
        "here it is:\nQm7xT2vLp9RkZ4wNc8Hy3bFd6JsA1eUo",
        ["Qm7xT2vLp9RkZ4wNc8Hy3bFd6JsA1eUo"],
    ),
    (
        "en",
        "chat",
        "use this one: Vx9pL2mQ7rT4zK8wB3nY6cH1dF5gJ0sA and tell me if the API answers",
        ["Vx9pL2mQ7rT4zK8wB3nY6cH1dF5gJ0sA"],
    ),
    (
        "en",
        "code",
        'client = Client("Zr4Kp8Ln2Wq6Xt9Vb3Mc7Hd1Fs5Gj0Ya")\nprint(client.status())',
        ["Zr4Kp8Ln2Wq6Xt9Vb3Mc7Hd1Fs5Gj0Ya"],
    ),
    (
        "en",
        "code",
        'const sdk = new Mailer("Tq3vB8nL5kW2xR7zP4mY9cJ6hD1fG0sE", { region: "eu" });',
        ["Tq3vB8nL5kW2xR7zP4mY9cJ6hD1fG0sE"],
    ),
    (
        "en",
        "notes",
        "keys for the staging box:\n- Hb7Kq2Lm9Xz4Wn8Rt3Vy6Pc1Dj5Fg0Sa\n- Nw4Zx8Qp2Lk6Rv9Tm3Bh7Jc1Fd5Gy0Su",
        ["Hb7Kq2Lm9Xz4Wn8Rt3Vy6Pc1Dj5Fg0Sa", "Nw4Zx8Qp2Lk6Rv9Tm3Bh7Jc1Fd5Gy0Su"],
    ),
    (
        "en",
        "curl",
        'curl -H "X-Auth: Lp8Wq3Zr6Tk1Vn9Xm4Bc7Hd2Fs5Gj0Ya" https://api.shipfast.io/v2/orders',
        ["Lp8Wq3Zr6Tk1Vn9Xm4Bc7Hd2Fs5Gj0Ya"],
    ),
    (
        "en",
        "curl",
        "curl https://api.weatherly.io/v1/forecast?q=Lyon&appid=7f3c9a1e5b2d8f4a6c0e9b7d3a1f5c8e",
        ["7f3c9a1e5b2d8f4a6c0e9b7d3a1f5c8e"],
    ),
    ("en", "chat", "connect as svc_billing with password Copper9Lantern!", ["Copper9Lantern!"]),
    ("en", "chat", "the db login is reports / Sunny2024# if you need it", ["Sunny2024#"]),
    ("en", "chat", "and the password is tulipfield88, please change it after", ["tulipfield88"]),
    ("en", "chat", "pw: k8#Lm2", ["k8#Lm2"]),
    ("en", "chat", "user: mhalvorsen pass: Fjord!77", ["Fjord!77"]),
    ("en", "chat", "I set the router password (Otter#5521) last night", ["Otter#5521"]),
    ("en", "chat", 'the password "maple-Leaf-42" stopped working', ["maple-Leaf-42"]),
    (
        "en",
        "email",
        "Hi Tom,\nYour temporary password is Rq7!vTz2 — you'll be asked to change it.\nBest, IT",
        ["Rq7!vTz2"],
    ),
    (
        "en",
        "email",
        "Recovery codes for your account:\n4f7k-2m9q\n8x3p-6w1z\n5n2r-9t4b\nKeep them safe.",
        ["4f7k-2m9q", "8x3p-6w1z", "5n2r-9t4b"],
    ),
    (
        "en",
        "chat",
        "my backup codes: 7391-0482, 5528-1937, 6604-2219",
        ["7391-0482", "5528-1937", "6604-2219"],
    ),
    ("en", "chat", "TOTP secret: JBSWY3DPEHPK3PXPQ7RT4LMN", ["JBSWY3DPEHPK3PXPQ7RT4LMN"]),
    (
        "en",
        "url",
        "otpauth://totp/Acme:dana@acme.io?secret=GEZDGNBVGY3TQOJQGEZDGNBV&issuer=Acme",
        ["GEZDGNBVGY3TQOJQGEZDGNBV"],
    ),
    ("en", "chat", "the card PIN is 4417", ["4417"]),
    (
        "en",
        "json",
        '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\nBKcwggSjAgEAAoIBAQC7Vx9pL2mQ7rT4\\n-----END PRIVATE KEY-----\\n", "client_email": "x@proj.iam.gserviceaccount.com"}',
        ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "BKcwggSjAgEAAoIBAQC7Vx9pL2mQ7rT4"],
    ),
    (
        "en",
        "json",
        '{"ssh_key": "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE\\nbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\n-----END OPENSSH PRIVATE KEY-----"}',
        ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE", "bm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"],
    ),
    (
        "en",
        "notes",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGN2xk8BCADK7vQ3pL9mZ2wX\n=Ab3d\n-----END PGP PRIVATE KEY BLOCK-----",
        ["lQOYBGN2xk8BCADK7vQ3pL9mZ2wX"],
    ),
    (
        "en",
        "env",
        "DATABASE_URL=postgres://app:W1nter%21Sky@db.internal:5432/shop",
        ["W1nter%21Sky"],
    ),
    ("en", "env", "MYSQL_URL=mysql://root:Tr0ub4dor3@10.0.0.12:3306/crm", ["Tr0ub4dor3"]),
    (
        "en",
        "code",
        'MONGO = "mongodb+srv://analytics:Pq7xLm2Rt9@cluster0.ab1cd.mongodb.net/prod?retryWrites=true"',
        ["Pq7xLm2Rt9"],
    ),
    ("en", "env", "REDIS_URL=redis://:Kx82mPq9zL@cache.internal:6379/0", ["Kx82mPq9zL"]),
    ("en", "env", "BROKER=amqp://worker:Rabb1tHole!@mq.internal:5672/vhost", ["Rabb1tHole!"]),
    (
        "en",
        "code",
        'var cs = "Server=tcp:sql01.corp.local,1433;Database=Sales;User Id=svc_sales;Password=Gr4nite$Peak;Encrypt=True;";',
        ["Gr4nite$Peak"],
    ),
    (
        "en",
        "code",
        'String url = "jdbc:postgresql://db:5432/hr?user=hr_app&password=Birch7Canyon";',
        ["Birch7Canyon"],
    ),
    (
        "en",
        "code",
        'ds.setUrl("jdbc:mysql://db:3306/x"); ds.setPassword("Saffron#2023");',
        ["Saffron#2023"],
    ),
    (
        "en",
        "ini",
        "; .npmrc\n//registry.npmjs.org/:_authToken=npm_Qz8Lk2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0YaKe\nalways-auth=true",
        ["npm_Qz8Lk2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0YaKe"],
    ),
    (
        "en",
        "ini",
        "//npm.pkg.github.com/:_authToken=Lp9Wq3Zr6Tk1Vn8Xm4Bc7Hd2Fs5Gj0Ya",
        ["Lp9Wq3Zr6Tk1Vn8Xm4Bc7Hd2Fs5Gj0Ya"],
    ),
    (
        "en",
        "ini",
        "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJGQ4ZjE5YmM3LTk0ZDEtNGE2Yi1hYmMzLWVmMDEyMzQ1Njc4OQ",
        ["pypi-AgEIcHlwaS5vcmcCJGQ4ZjE5YmM3LTk0ZDEtNGE2Yi1hYmMzLWVmMDEyMzQ1Njc4OQ"],
    ),
    (
        "en",
        "ini",
        "machine api.heroku.com\n  login dana@fastmail.com\n  password 6f1e2c3d-Heroku-Tok9",
        ["6f1e2c3d-Heroku-Tok9"],
    ),
    ("en", "ini", "db.internal:5432:billing:billing_rw:Quartz!Moon8", ["Quartz!Moon8"]),
    (
        "en",
        "xml",
        "<server>\n  <id>nexus</id>\n  <username>deploy</username>\n  <password>Nexus#Deploy2024</password>\n</server>",
        ["Nexus#Deploy2024"],
    ),
    (
        "en",
        "shell",
        "$ export OPENAI_API_KEY=sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG\n$ python run.py",
        ["sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG"],
    ),
    ("en", "shell", "docker login -u ci-bot -p Dk8Rq2Lm7Xz4 registry.gitlab.com", ["Dk8Rq2Lm7Xz4"]),
    (
        "en",
        "shell",
        "docker run -e POSTGRES_PASSWORD=Harbor!Light9 -d postgres:16",
        ["Harbor!Light9"],
    ),
    (
        "en",
        "shell",
        "kubectl create secret generic api --from-literal=token=Wm3Zq8Lp2Rt6Xv9Kb4Nc7Hd1Fs5Gj0Ya",
        ["Wm3Zq8Lp2Rt6Xv9Kb4Nc7Hd1Fs5Gj0Ya"],
    ),
    (
        "en",
        "shell",
        "kubectl create secret docker-registry regcred --docker-username=ci --docker-password=Rg7Vx2Pl9Qz4",
        ["Rg7Vx2Pl9Qz4"],
    ),
    (
        "en",
        "ci",
        "Run ./deploy.sh\n+ curl -s -u deploy:Xk9mQ2vL7pT4 https://artifacts.corp.local/upload\n  % Total",
        ["Xk9mQ2vL7pT4"],
    ),
    (
        "en",
        "ci",
        "2024-05-02T10:11:12Z [info] using token glpat-Hq8Zx2Lm6Vw4Rt9Kb3Nc",
        ["glpat-Hq8Zx2Lm6Vw4Rt9Kb3Nc"],
    ),
    (
        "en",
        "code",
        'headers = {"Authorization": "Bearer 9hQx2LmZ7pRt4VwKb8NcJ3dF6sGy1AeU"}',
        ["9hQx2LmZ7pRt4VwKb8NcJ3dF6sGy1AeU"],
    ),
    (
        "en",
        "code",
        'req.Header.Set("X-Api-Key", "Bz5Qn8Wk2Lx7Rt4Vm9Hc3Jd6Fs1Gp0Ya")',
        ["Bz5Qn8Wk2Lx7Rt4Vm9Hc3Jd6Fs1Gp0Ya"],
    ),
    (
        "en",
        "code",
        'conn = psycopg2.connect(host="db", user="etl", password="Cedar#Falls12")',
        ["Cedar#Falls12"],
    ),
    (
        "en",
        "code",
        'var client = new SmtpClient("smtp.corp.local") { Credentials = new NetworkCredential("mailer", "Postm4n!Rings") };',
        ["Postm4n!Rings"],
    ),
    (
        "en",
        "code",
        'db, _ := sql.Open("mysql", "app:Gopher!Run42@tcp(10.1.2.3:3306)/orders")',
        ["Gopher!Run42"],
    ),
    ("en", "sql", "CREATE USER 'report'@'%' IDENTIFIED BY 'Lilac7Stone!';", ["Lilac7Stone!"]),
    ("en", "sql", "ALTER ROLE analytics WITH LOGIN PASSWORD 'Ember#Glow55';", ["Ember#Glow55"]),
    (
        "en",
        "url",
        "https://hooks.slack.com/services/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",
        ["Xq8Lm2Vw6Rt4Zn9Kb3Hc7Jd1"],
    ),
    (
        "en",
        "url",
        "webhook: https://discord.com/api/webhooks/1187654321098765432/aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU",
        ["aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU"],
    ),
    (
        "en",
        "headers",
        "Cookie: sessionid=8f2kq9x7lmz3v1t5rb6nw4yc0hd; csrftoken=Zq7Lm3Xv9Rt2Kb8Nc4Hd6Fs1Gp5Ya0We",
        ["8f2kq9x7lmz3v1t5rb6nw4yc0hd", "Zq7Lm3Xv9Rt2Kb8Nc4Hd6Fs1Gp5Ya0We"],
    ),
    (
        "en",
        "headers",
        "Set-Cookie: JSESSIONID=A7F3C91E5B2D8F4A6C0E9B7D3A1F5C8E; Path=/; HttpOnly",
        ["A7F3C91E5B2D8F4A6C0E9B7D3A1F5C8E"],
    ),
    (
        "en",
        "chat",
        "my PHPSESSID is q3v8k2m9lz7x4t1r6b5n0wyc if that helps debugging",
        ["q3v8k2m9lz7x4t1r6b5n0wyc"],
    ),
    (
        "en",
        "yaml",
        "spring:\n  datasource:\n    url: jdbc:postgresql://db:5432/app\n    username: app\n    password: Rowan!Tree31",
        ["Rowan!Tree31"],
    ),
    (
        "en",
        "yaml",
        "aws:\n  access_key_id: AKIAZ7QX2LM9RT4VWKB8\n  secret_access_key: hQx2LmZ7pRt4VwKb8NcJ3dF6sGy1AeUo5Ti9Pq0R",
        ["AKIAZ7QX2LM9RT4VWKB8", "hQx2LmZ7pRt4VwKb8NcJ3dF6sGy1AeUo5Ti9Pq0R"],
    ),
    (
        "en",
        "env",
        "ANTHROPIC_API_KEY=sk-ant-api03-Qz8Lk2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0YaKeRt7Lm2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0YaKeRt7Lm2Vw6Xr4Tn9Bm-AbCdEfAA",
        [
            "sk-ant-api03-Qz8Lk2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0YaKeRt7Lm2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0YaKeRt7Lm2Vw6Xr4Tn9Bm-AbCdEfAA"
        ],
    ),
    (
        "en",
        "env",
        "HF_TOKEN=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",
        ["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"],
    ),
    (
        "en",
        "env",
        "GOOGLE_API_KEY=AIzaSyD3x8Lm2Vw6Rt4Zn9Kb3Hc7Jd1Fs5Gp0Ya",
        ["AIzaSyD3x8Lm2Vw6Rt4Zn9Kb3Hc7Jd1Fs5Gp0Ya"],
    ),
    (
        "en",
        "env",
        "SENDGRID_API_KEY=SG.Qz8Lk2Vw6Xr4Tn9Bm3Hc7J.d1Fs5Gp0YaKeRt7Lm2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0Ya",
        ["SG.Qz8Lk2Vw6Xr4Tn9Bm3Hc7J.d1Fs5Gp0YaKeRt7Lm2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0Ya"],
    ),
    (
        "en",
        "env",
        "TWILIO_AUTH_TOKEN=4f9c2a7e1b8d3f6a0c5e9b2d7a4f1c8e",
        ["4f9c2a7e1b8d3f6a0c5e9b2d7a4f1c8e"],
    ),
    (
        "en",
        "env",
        "DD_API_KEY=3b9f7c1e5a2d8f4b6c0e9a7d3b1f5c8e",
        ["3b9f7c1e5a2d8f4b6c0e9a7d3b1f5c8e"],
    ),
    (
        "en",
        "env",
        "SHOPIFY_ACCESS_TOKEN=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",
        ["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"],
    ),
    (
        "en",
        "chat",
        "the Vault token hvs.CAESIJq8Lm2Vw6Rt4Zn9Kb3Hc7Jd1Fs5Gp0YaKeRt7Lm2Vw6 expires tomorrow",
        ["hvs.CAESIJq8Lm2Vw6Rt4Zn9Kb3Hc7Jd1Fs5Gp0YaKeRt7Lm2Vw6"],
    ),
    (
        "en",
        "chat",
        "I rotated it, new one is dop_v1_4f9c2a7e1b8d3f6a0c5e9b2d7a4f1c8e4f9c2a7e1b8d3f6a0c5e9b2d7a4f1c8e",
        ["dop_v1_4f9c2a7e1b8d3f6a0c5e9b2d7a4f1c8e4f9c2a7e1b8d3f6a0c5e9b2d7a4f1c8e"],
    ),
    (
        "en",
        "code",
        "stripe.api_key = 'rk_live_51Hx8Lm2Vw6Rt4Zn9Kb3Hc7Jd1'",
        ["rk_live_51Hx8Lm2Vw6Rt4Zn9Kb3Hc7Jd1"],
    ),
    (
        "en",
        "python",
        'openai.OpenAI(api_key="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")',
        ["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"],
    ),
    (
        "en",
        "chat",
        "Token for the bot: 7123456789:AAHq8Lm2Vw6Rt4Zn9Kb3Hc7Jd1Fs5Gp0YaK",
        ["7123456789:AAHq8Lm2Vw6Rt4Zn9Kb3Hc7Jd1Fs5Gp0YaK"],
    ),
    (
        "de",
        "chat",
        "Das Kennwort für den Server lautet Tanne#2024, bitte nicht weitergeben.",
        ["Tanne#2024"],
    ),
    ("de", "chat", "Benutzer: kschmidt, Passwort: Sommer!19", ["Sommer!19"]),
    (
        "de",
        "email",
        "Hallo Jan,\nhier der API-Schlüssel, den du wolltest:\nRt5Vx9Lp2Qz7Km4Wb8Nc3Hd6Fs1Gj0Ya\nGruß, Petra",
        ["Rt5Vx9Lp2Qz7Km4Wb8Nc3Hd6Fs1Gj0Ya"],
    ),
    ("de", "chat", "mein PW ist Kuckuck77! – kannst du dich einloggen?", ["Kuckuck77!"]),
    ("de", "notes", "WLAN: Gast-Netz / Schlüssel: Apfelbaum2023", ["Apfelbaum2023"]),
    (
        "de",
        "chat",
        "Die Wiederherstellungscodes: 8841-2290 und 1173-5566",
        ["8841-2290", "1173-5566"],
    ),
    ("fr", "chat", "le mdp c'est Lavande!88, change-le après", ["Lavande!88"]),
    (
        "fr",
        "email",
        "Bonjour,\nVoici vos identifiants : jmartin / Chene#4512\nCordialement",
        ["Chene#4512"],
    ),
    (
        "fr",
        "chat",
        "voici la clé : Mq8Zx3Lp7Rt2Vw9Kb4Nc6Hd1Fs5Gj0Ya",
        ["Mq8Zx3Lp7Rt2Vw9Kb4Nc6Hd1Fs5Gj0Ya"],
    ),
    ("fr", "chat", 'Le mot de passe du wifi est "Soleil-Levant-7"', ["Soleil-Levant-7"]),
    ("fr", "yaml", "base:\n  utilisateur: compta\n  mot_de_passe: Cerise2024!", ["Cerise2024!"]),
    ("es", "chat", "la clave es Naranja#77 y el usuario es lgarcia", ["Naranja#77"]),
    (
        "es",
        "chat",
        "te paso el token: Pk7Lm2Xz9Rt4Vw8Qb3Nc6Hd1Fs5Gj0Ya",
        ["Pk7Lm2Xz9Rt4Vw8Qb3Nc6Hd1Fs5Gj0Ya"],
    ),
    ("es", "email", "Hola Marta,\nla contraseña nueva: Olivo.2023\nSaludos", ["Olivo.2023"]),
    ("es", "chat", "usuario rperez y contraseña Pino!4455 para el FTP", ["Pino!4455"]),
    ("it", "chat", "la password del router è Girasole!9", ["Girasole!9"]),
    (
        "it",
        "chat",
        "ecco il token, usalo solo in staging: Hk8Qz2Lm7Xv4Rt9Wb3Nc6Jd1Fs5Gp0Ya",
        ["Hk8Qz2Lm7Xv4Rt9Wb3Nc6Jd1Fs5Gp0Ya"],
    ),
    (
        "it",
        "email",
        "Ciao,\ncredenziali: utente gbianchi, password Ulivo#2024\nGrazie",
        ["Ulivo#2024"],
    ),
    ("pl", "chat", "hasło do bazy to Jesien#2023", ["Jesien#2023"]),
    ("pl", "chat", "haslo: Kasztan77!", ["Kasztan77!"]),
    ("pl", "chat", "login anowak, haslo Brzoza!12", ["Brzoza!12"]),
    (
        "pl",
        "chat",
        "tu jest klucz API: Wz4Qp8Lk2Rv6Tm9Xb3Nc7Hd1Fs5Gj0Ya",
        ["Wz4Qp8Lk2Rv6Tm9Xb3Nc7Hd1Fs5Gj0Ya"],
    ),
    ("nl", "chat", "het wachtwoord is Tulp#2024, niet doorsturen", ["Tulp#2024"]),
    ("nl", "chat", "gebruiker: pdevries wachtwoord: Molen!88", ["Molen!88"]),
    (
        "nl",
        "chat",
        "hier is de sleutel: Vb6Qz2Lm8Xt4Rk9Wn3Hc7Jd1Fs5Gp0Ya",
        ["Vb6Qz2Lm8Xt4Rk9Wn3Hc7Jd1Fs5Gp0Ya"],
    ),
    ("pt", "chat", "a senha é Caju!2024 e o usuário é fsilva", ["Caju!2024"]),
    (
        "pt",
        "chat",
        "segue o token: Xn3Qp7Lk2Rv9Tm4Wb8Hc6Jd1Fs5Gz0Ya",
        ["Xn3Qp7Lk2Rv9Tm4Wb8Hc6Jd1Fs5Gz0Ya"],
    ),
    ("pt", "email", "Olá,\nlogin: mcosta / senha: Ipe#Roxo9\nAbraços", ["Ipe#Roxo9"]),
    (
        "en",
        "json",
        '{"auth": {"user": "svc", "pass": "Gl4cier!Blue"}, "retries": 3}',
        ["Gl4cier!Blue"],
    ),
    (
        "en",
        "json",
        '{"message": "login ok", "session_token": "Qm7xT2vLp9RkZ4wNc8Hy3bFd6JsA1eUoPq"}',
        ["Qm7xT2vLp9RkZ4wNc8Hy3bFd6JsA1eUoPq"],
    ),
    (
        "en",
        "ini",
        "[database]\nhost = db.local\nuser = crm\npasswd = Falcon#Ridge4",
        ["Falcon#Ridge4"],
    ),
    (
        "en",
        "log",
        "2024-03-01 12:00:01 DEBUG auth: request headers={'x-api-key': 'Nc7Hd1Fs5Gj0YaWz4Qp8Lk2Rv6Tm9Xb3'}",
        ["Nc7Hd1Fs5Gj0YaWz4Qp8Lk2Rv6Tm9Xb3"],
    ),
    ("en", "shell", "mysql -h db -u etl -pQuiet#River8 sales < dump.sql", ["Quiet#River8"]),
    ("en", "shell", "PGPASSWORD='Aspen!Trail5' psql -h db -U analyst warehouse", ["Aspen!Trail5"]),
    (
        "en",
        "shell",
        "az login --service-principal -u 1b2c3d4e-0000-4a5b-9c8d-112233445566 -p 'Qz8~Lk2Vw6.Xr4Tn9Bm3Hc7Jd1Fs5Gp0Ya' --tenant corp",
        ["Qz8~Lk2Vw6.Xr4Tn9Bm3Hc7Jd1Fs5Gp0Ya"],
    ),
    (
        "en",
        "chat",
        "If it asks for the secret, it's Hx4Lm9Qz2Rt7Vw3Kb8Nc6Jd1Fs5Gp0Ya",
        ["Hx4Lm9Qz2Rt7Vw3Kb8Nc6Jd1Fs5Gp0Ya"],
    ),
    (
        "en",
        "code",
        'AUTH = ("admin", "Marble!Arch2")\nrequests.get(url, auth=AUTH)',
        ["Marble!Arch2"],
    ),
    ("en", "chat", "My Netflix login is dana.k@mail.com and pass Peach2021", ["Peach2021"]),
]

#: (shape, log line or path, login name that must be reported)
USERNAMES: list[tuple[str, str, str]] = [
    (
        "sshd",
        "Mar  3 10:12:01 web1 sshd[2211]: Failed password for invalid user tkowalczyk from 203.0.113.9 port 52144 ssh2",
        "tkowalczyk",
    ),
    (
        "sshd",
        "Mar  3 10:12:05 web1 sshd[2214]: Accepted publickey for mbrandt from 198.51.100.7 port 40022 ssh2: ED25519 SHA256:abc",
        "mbrandt",
    ),
    (
        "sudo",
        "Mar  3 10:15:00 web1 sudo:   lgarcia : TTY=pts/0 ; PWD=/home/lgarcia ; USER=root ; COMMAND=/bin/systemctl restart nginx",
        "lgarcia",
    ),
    (
        "pam",
        "pam_unix(sshd:session): session opened for user okonkwo(uid=1003) by (uid=0)",
        "okonkwo",
    ),
    (
        "pam",
        "pam_unix(sudo:auth): authentication failure; logname=rsingh uid=1001 euid=0 tty=/dev/pts/1 ruser=rsingh rhost=  user=rsingh",
        "rsingh",
    ),
    ("systemd", "systemd-logind[812]: New session 42 of user fdubois.", "fdubois"),
    ("systemd", "systemd[1]: Started Session 7 of User akimura.", "akimura"),
    (
        "win",
        "An account was successfully logged on.\nSubject:\n\tSecurity ID:\t\tSYSTEM\nNew Logon:\n\tAccount Name:\t\tjvanderberg\n\tAccount Domain:\t\tCORP",
        "jvanderberg",
    ),
    (
        "win",
        "EventID 4625 Logon failure. Account For Which Logon Failed: Account Name: pnowicka Account Domain: CONTOSO",
        "pnowicka",
    ),
    (
        "access",
        '203.0.113.5 - hmueller [10/Oct/2024:13:55:36 +0200] "GET /admin HTTP/1.1" 401 512',
        "hmueller",
    ),
    ("app", "2024-06-01T08:00:00Z INFO login ok user=dsantos ip=10.0.0.4", "dsantos"),
    ("app", 'level=warn msg="token expired" uid=ewilliams service=billing', "ewilliams"),
    ("app", "[auth] login=gferrari result=denied reason=bad_password", "gferrari"),
    ("app", "WARN Permission denied for principal svc-kbauer@CORP.LOCAL on /data", "svc-kbauer"),
    ("app", "audit: actor=nlindqvist action=delete_repo repo=infra/terraform", "nlindqvist"),
    ("app", "Job 4412 cancelled by user hpatel at 12:01", "hpatel"),
    ("app", "Received request from user jmorales to reset MFA", "jmorales"),
    ("app", "ERROR Login failed for user 'wzhang'. Reason: Password did not match.", "wzhang"),
    ("app", "account: bkowalski locked after 5 attempts", "bkowalski"),
    ("app", "Utilisateur mlefevre connecté depuis 10.2.3.4", "mlefevre"),
    ("app", "Anmeldung fehlgeschlagen für Benutzer kschulz", "kschulz"),
    ("app", "Accesso negato per l'utente grossi", "grossi"),
    ("app", "Error de autenticación para el usuario ajimenez", "ajimenez"),
    ("app", "Nieudane logowanie użytkownika pwisniewski z adresu 10.0.0.8", "pwisniewski"),
    ("path", 'File "/Users/skumar/dev/api/main.py", line 40, in handler', "skumar"),
    ("path", "C:\\Users\\mrossi\\AppData\\Local\\Temp\\build.log not found", "mrossi"),
    ("path", '{"path": "C:\\\\Users\\\\ahansen\\\\Documents\\\\report.xlsx"}', "ahansen"),
    ("path", "cp /home/dkovacs/.bashrc /tmp/", "dkovacs"),
]

#: Text with no secret and no personal login: nothing may be reported as SECRET or USERNAME.
NEGATIVES: list[str] = [
    "def check_password(password: str) -> bool:\n    return bcrypt.checkpw(password.encode(), stored_hash)",
    "const token = await getAccessToken(clientId, { scope: 'read' });",
    "if (!token) { throw new Error('missing token'); }",
    "API_KEY=${API_KEY}\nDB_PASSWORD=<your-password>\nSECRET=changeme",
    "Set OPENAI_API_KEY=<your-token> in your shell, then run make.",
    "password: xxxxxxxx\napi_key: XXXX-XXXX-XXXX",
    "commit 3f9a2c7e1b8d4f6a0c5e9b2d7a4f1c8e3b6d9a2f\nAuthor: CI <ci@example.com>",
    "sha256sum: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "request id 550e8400-e29b-41d4-a716-446655440000 failed with 502",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl dev@laptop",
    "curl https://example.com/api/v1/users?page=2&limit=50",
    "See https://docs.python.org/3/library/functools.html#functools.lru_cache for details",
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
    '"integrity": "sha512-Q8Lk2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0YaKeRt7Lm2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0YaKeRt7Lm2Vw6Xr4Tn9Bm3Hc=="',
    "encoded = 'SGVsbG8gV29ybGQsIHRoaXMgaXMgYSB0ZXN0IG1lc3NhZ2U='  # base64 of a greeting",
    "Upgrade from 2.14.3-rc1 to 3.0.0b2 broke the build on Python 3.11.4",
    "class HttpRequestHandlerFactory2Impl extends AbstractBaseHandler {}",
    "getUserAccountSettingsV2ById(userId42, includeDeletedItems)",
    "The file is at /var/lib/docker/overlay2/9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c/merged",
    "YouTube video: https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "Error in S3ObjectStorageClientV2 while calling PutObjectAclRequest2",
    "Sessions use the `sessionid` cookie; rotate SECRET_KEY on every release.",
    "Mar  3 10:12:01 web1 sshd[2211]: Accepted publickey for root from 10.0.0.2 port 22 ssh2",
    "Use Authorization: Bearer <token> with the token from the dashboard.",
    "docker pull ghcr.io/acme/api:sha-4f9c2a7 && kubectl rollout restart deploy/api",
    "My build number is 20240601T120000Z-b7 and artifact web-1.2.3-linux-x86_64.tar.gz",
    "ModuleNotFoundError: No module named 'google.cloud.bigquery_storage_v1beta2'",
    "Ο κωδικός πρόσβασης πρέπει να έχει 12 χαρακτήρες.",
    "Das Passwort muss mindestens 12 Zeichen lang sein.",
    "Le mot de passe est incorrect, réessayez.",
    "La contraseña debe tener al menos 8 caracteres.",
    "Il token è scaduto, rigeneralo dal pannello.",
    "Hasło jest nieprawidłowe.",
    'mypy says: Argument 1 to "X509CertificateBuilder" has incompatible type',
    "npm ERR! code E404 npm ERR! 404 Not Found - GET https://registry.npmjs.org/@acme%2fui-kit",
    "Set VITE_API_URL=https://api.example.com and NODE_ENV=production",
    "run: echo ${{ secrets.DEPLOY_TOKEN }} | docker login ghcr.io -u ${{ github.actor }} --password-stdin",
    "Mar  3 10:12:01 web1 sshd[2211]: Failed password for root from 203.0.113.9 port 52144 ssh2",
    "sudo -u postgres psql",
    "ls /home/ubuntu/app && cat /Users/Shared/readme.txt",
    "C:\\Users\\Public\\Desktop and C:\\Users\\Default\\AppData",
    "cd /home/$USER/projects",
    "cp config.yml /home/<user>/.config/",
    "The user=None check fails when login is empty.",
    "user = request.user\nif user.is_authenticated:\n    return redirect('/')",
    "systemd[1]: Started Session 3 of User root.",
    "uid=0(root) gid=0(root) groups=0(root)",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\nRTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD\n-----END CERTIFICATE-----",
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7Vx9pL2mQ7rT4zK8wB3nY6cH1dF5gJ0sA+Lp8Wq3Zr6Tk1Vn9Xm4Bc7Hd2Fs5Gj0Ya/Qz8Lk2Vw6Xr4Tn9Bm3Hc7Jd1Fs5Gp0YaKe dev@host",
    "kubectl get pods\napi-7d9f8b6c5d-x2k4z   1/1  Running",
    "Image digest sha256:4f9c2a7e1b8d3f6a0c5e9b2d7a4f1c8e4f9c2a7e1b8d3f6a0c5e9b2d7a4f1c8e",
    "x-amz-request-id: 4442587FB7D0A2F9 x-amz-id-2: vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=",
    "Sentry event id 9a1f3e2b4c5d6e7f8a9b0c1d2e3f4a5b",
    "Google Drive: https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit",
    "at com.example.OrderService$$EnhancerBySpringCGLIB$$8a7b6c5d.process(<generated>)",
    "Mongo ObjectId('507f1f77bcf86cd799439011')",
    "Firebase messaging token? No, the project id is my-app-4f2a1, and the sender id is 123456789012",
]

#: Known leaks: each names the class of text it belongs to.
_GAPS: dict[str, str] = {
    "7f3c9a1e5b2d8f4a6c0e9b7d3a1f5c8e": "a hex API key under a query key (appid) that names no secret; hex alone is also how hashes look",
    "q3v8k2m9lz7x4t1r6b5n0wyc": "a lower-case session id named only in prose ('my PHPSESSID is ...'); no upper case, so the keyword-free rule does not take it",
    "bkowalski": "'account:' before a login is also a label of many non-login fields",
}


@pytest.fixture(scope="module")
def gate(detector: Detector) -> PrivacyGate:
    return PrivacyGate(detector_factory=lambda: detector)


def _cases() -> list[object]:
    out: list[object] = []
    for lang, shape, text, values in SECRETS:
        for value in values:
            marks = [pytest.mark.xfail(reason=_GAPS[value], strict=True)] if value in _GAPS else []
            out.append(pytest.param(text, value, marks=marks, id=f"{lang}-{shape}-{value[:12]}"))
    return out


def test_the_set_is_large_and_varied() -> None:
    assert len(SECRETS) >= 100
    assert {lang for lang, *_ in SECRETS} >= {"en", "de", "fr", "es", "it", "pl", "nl", "pt"}


@pytest.mark.parametrize(("text", "value"), _cases())
def test_no_secret_reaches_the_redacted_text(gate: PrivacyGate, text: str, value: str) -> None:
    redacted = gate.check(text).redacted.text
    assert value not in redacted, redacted


@pytest.mark.parametrize(
    ("shape", "text", "user"),
    [
        pytest.param(*u, marks=[pytest.mark.xfail(reason=_GAPS[u[2]], strict=True)])
        if u[2] in _GAPS
        else u
        for u in USERNAMES
    ],
    ids=[f"{u[0]}-{u[2]}" for u in USERNAMES],
)
def test_login_names_in_logs_and_home_paths(
    detector: Detector, shape: str, text: str, user: str
) -> None:
    start = text.index(user)
    found = [(f.type, f.text) for f in detector.detect(text)]
    assert any(
        f.start <= start
        and f.end >= start + len(user)
        and f.type in ("USERNAME", "PERSON", "EMAIL_ADDRESS")
        for f in detector.detect(text)
    ), found


@pytest.mark.parametrize("text", NEGATIVES, ids=lambda t: t[:40])
def test_code_docs_hashes_and_placeholders_stay(detector: Detector, text: str) -> None:
    found = [(f.type, f.text) for f in detector.detect(text) if f.type in ("SECRET", "USERNAME")]
    assert found == []


@pytest.mark.parametrize(
    "value",
    [
        "Qm7xT2vLp9RkZ4wNc8Hy3bFd6JsA1eUo",
        "Hb7Kq2Lm9Xz4Wn8Rt3Vy6Pc1Dj5Fg0Sa",
        "9hQx2LmZ7pRt4VwKb8NcJ3dF6sGy1AeU",
    ],
)
def test_random_tokens_are_random_looking(value: str) -> None:
    assert random_looking(value)


@pytest.mark.parametrize(
    "value",
    [
        "S3ObjectStorageClientV2",
        "HttpRequestHandlerFactory2Impl",
        "getUserAccountSettingsV2ById",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",  # hex: a hash
        "550e8400-e29b-41d4-a716-446655440000",  # a UUID
        "SGVsbG8gV29ybGQsIHRoaXMgaXMgYSB0ZXN0IG1lc3NhZ2U=",  # base64 of plain text
        "bigquery_storage_v1beta2",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
    ],
)
def test_identifiers_hashes_and_encoded_text_are_not(value: str) -> None:
    assert not random_looking(value)
