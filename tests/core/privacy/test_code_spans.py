"""Code, SQL, shell commands, configuration and stack traces pass the gate unchanged.

Unless they hold personal data or secrets: then only the literal, comment or token that holds it
is replaced, and the code still parses. The first tests exercise :func:`code_map` alone (no
Presidio); the rest use the real detector and the real gate.
"""

from __future__ import annotations

import ast
import re

import pytest

from hybrid_desktop.core.privacy.candidates import Candidate, outside_code
from hybrid_desktop.core.privacy.code_spans import CodeMap, code_map
from hybrid_desktop.core.privacy.detector import Detector
from hybrid_desktop.core.privacy.gate import PrivacyGate

# -- code_map alone ----------------------------------------------------------------------------


def _code(text: str, value: str) -> bool:
    """Whether every character of the first ``value`` in ``text`` is code."""
    start = text.index(value)
    parts = code_map(text).code_parts(start, start + len(value))
    return sum(e - s for s, e in parts) == len(value)


def _free(text: str, value: str) -> bool:
    """Whether no character of the first ``value`` in ``text`` is code."""
    start = text.index(value)
    return not code_map(text).code_parts(start, start + len(value))


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
@pytest.mark.parametrize("lang", ["python", "", "py"])
def test_fenced_blocks_are_code_with_or_without_a_language(fence: str, lang: str) -> None:
    text = f"Why is this slow?\n\n{fence}{lang}\nresult = session.query(Grant).all()\n{fence}\n"
    assert _code(text, "session.query(Grant)")
    assert _free(text, "Why is this slow?")


def test_an_unclosed_fence_runs_to_the_end() -> None:
    text = "Fix this please:\n```sql\nSELECT name FROM Victoria_staff\nWHERE id = 4"
    assert _code(text, "Victoria_staff")
    assert _code(text, "WHERE id = 4")


def test_literals_and_comments_are_free_text_identifiers_are_not() -> None:
    text = (
        "```python\n"
        "def greet(customer):  # written for Jonas Berger's team\n"
        '    return f"Dear {customer.name}, from Anna Kowalska"\n'
        "```"
    )
    assert _code(text, "def greet(customer)")
    assert _free(text, "written for Jonas Berger's team")
    assert _free(text, "Dear ")
    assert _free(text, ", from Anna Kowalska")
    assert _code(text, "{customer.name}")  # an interpolation is code inside the literal


def test_literals_that_are_one_code_token_stay_code() -> None:
    text = 'df = pd.read_csv("data/sales_2024.csv")\nimg = "nginx:1.25"\n'
    assert _code(text, "data/sales_2024.csv")
    assert _code(text, "nginx:1.25")


def test_sql_comments_and_block_comments_are_free_text() -> None:
    text = (
        "SELECT e.first_name -- ask Marta Nowak about this column\n"
        "FROM employees e /* legacy table, owner: Jonas Berger */\n"
        "WHERE e.active = 1;"
    )
    assert _code(text, "SELECT e.first_name")
    assert _free(text, "ask Marta Nowak about this column")
    assert _free(text, "legacy table, owner: Jonas Berger")
    assert _code(text, "FROM employees e")


def test_the_user_segment_of_a_home_path_is_free_text() -> None:
    text = (
        "Traceback (most recent call last):\n"
        '  File "/home/akowalska/src/app.py", line 3, in <module>\n'
        "    main()\n"
        '  File "C:\\Users\\Jonas Berger\\proj\\run.py", line 9, in main\n'
        "ValueError: bad input"
    )
    assert _free(text, "akowalska")
    assert _code(text, "/src/app.py")
    assert _free(text, "Jonas Berger")


def test_inline_backticks_hold_code_but_not_phrases() -> None:
    text = "Should I use `Jackson` or `Gson`? The label says `Anna Kowalska` in the preview."
    assert _code(text, "Jackson")
    assert _code(text, "Gson")
    assert _free(text, "Anna Kowalska")


def test_code_tokens_in_prose() -> None:
    text = (
        "Why does Victoria.refresh() fail when sympy.solvers.ode is imported, and not first_name?"
    )
    assert _code(text, "Victoria.refresh()")
    assert _code(text, "sympy.solvers.ode")
    assert _code(text, "first_name")
    assert _free(text, "Why does")


@pytest.mark.parametrize(
    "text",
    [
        "Return the book to Anna Kowalska tomorrow, please.",
        "Select Anna Kowalska and Marta Nowak from the team for the project.",
        "ON Monday, Anna Kowalska and I went to the zoo.",
        "From Anna Kowalska: please see the attached file.",
        "make sure Anna Kowalska gets the keys to /home before Friday",
        "Anna: see you at eight\nMarta: sure, at the station",
        "- Anna Kowalska\n- Marta Nowak\n- Jonas Berger",
        "Bitte schreib an Frau Anna Kowalska: Termin am Montag um 10 Uhr.",
        "Pour Jean Dupont : merci de rappeler Mme Lefèvre avant vendredi.",
        "Proszę przekazać Annie Kowalskiej, że spotkanie jest w piątek.",
        "$ 500 for Anna Kowalska's birthday gift, is that too much?",
    ],
)
def test_prose_that_starts_like_code_is_not_code(text: str) -> None:
    assert not code_map(text).regions


@pytest.mark.parametrize(
    "text",
    [
        "```\nHi Anna,\nthanks for the help with the move last week.\nMarta Nowak\n```",
        "```\nfirst_name,last_name,email\nAnna,Kowalska,anna@example.pl\n```",
        "Dear Jonas,\n\n    I hope this finds you well. Anna asked me to write.\n    Best, Marta",
        "```text\nMeeting with Jonas Berger and Anna Kowalska on Tuesday\n```",
    ],
)
def test_fenced_or_indented_prose_and_csv_are_not_code(text: str) -> None:
    """People fence letters and CSV too: untagged blocks are judged line by line."""
    cmap = code_map(text)
    for name in ("Anna", "Marta", "Jonas"):
        for m in re.finditer(name, text):
            assert not cmap.code_parts(m.start(), m.end())


def test_names_are_cut_to_free_text_and_structured_types_widen_to_tokens() -> None:
    text = "INSERT INTO users VALUES ('Anna', 'Kowalska', sk_live_key_4eC39HqLy);"
    cmap = code_map(text)
    name = Candidate("PERSON", text.index("Anna"), text.index("Kowalska") + 8, 0.8, "test")
    table = Candidate("ORGANIZATION", text.index("users"), text.index("users") + 5, 0.8, "test")
    secret_start = text.index("4eC39")
    secret = Candidate("SECRET", secret_start, secret_start + 9, 0.9, "test")
    out = outside_code(text, [name, table, secret], cmap)
    assert [(c.type, text[c.start : c.end]) for c in out] == [
        ("PERSON", "Anna"),
        ("PERSON", "Kowalska"),
        ("SECRET", "sk_live_key_4eC39HqLy"),
    ]


def test_no_code_no_change() -> None:
    cands = [Candidate("PERSON", 0, 4, 0.9, "test")]
    assert outside_code("Anna is here", cands, CodeMap()) is cands


# -- the real detector and gate -----------------------------------------------------------------


@pytest.fixture(scope="module")
def gate(detector: Detector) -> PrivacyGate:
    return PrivacyGate(detector_factory=lambda: detector)


def _sent(gate: PrivacyGate, text: str) -> str:
    verdict = gate.check(text)
    assert verdict.redacted is not None
    return verdict.redacted.text


def _fenced(text: str) -> str:
    m = re.search(r"```\w*\n(.*?)(?:```|$)", text, re.S)
    return m.group(1) if m else text


SYMPY = """Why does solve return an empty list here?

```python
from sympy import symbols, Eq, solve, Matrix, Rational
x, y = symbols("x y")
eq1 = Eq(2*x + y, Rational(7, 2))
eq2 = Eq(x - y, 1)
M = Matrix([[2, 1], [1, -1]])
print(solve((eq1, eq2), (x, y)), M.det())
```"""

SYMPY_UNFENCED = """from sympy import symbols, Eq, solve, Rational
import sympy.solvers.ode as ode
x = symbols('x')
sol = solve(Eq(x**2 - Rational(9, 4), 0), x)
print(sympy.latex(sol), ode.classify_ode)
"""

PANDAS = """import pandas as pd
import numpy as np

df = pd.read_csv("sales.csv")
df["total"] = df["price"] * df["quantity"]
summary = df.groupby(["region", "month"]).agg({"total": np.sum})
print(summary.sort_values("total", ascending=False).head(10))
"""

CLASSES = """class Victoria(BaseModel):
    grant: Grant
    session: Session

    def refresh(self, Jackson=None):
        return Session(grant=self.grant)


class Grant(Victoria):
    pass
"""

PYTHON_CLEAN = [SYMPY, SYMPY_UNFENCED, PANDAS, CLASSES]

OTHER_CLEAN = [
    """This query is slow on Postgres, any idea?

SELECT c.first_name, c.last_name, SUM(o.amount) AS total
FROM customers c
JOIN orders o ON o.customer_id = c.id
LEFT JOIN employees e ON e.id = o.sales_rep_id
WHERE o.created_at >= '2024-01-01'
GROUP BY c.first_name, c.last_name
ORDER BY total DESC;""",
    """WITH recent AS (
  SELECT customer_id, MAX(created_at) AS last_order FROM orders GROUP BY customer_id
)
SELECT e.first_name, e.manager_id, r.last_order
FROM employees e
INNER JOIN recent r ON r.customer_id = e.id
WHERE e.department = 'Sales';
Warum ist diese Abfrage so langsam?""",
    "select first_name, last_name from customers where country = 'PL' order by last_name;",
    """Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()"
\tat com.acme.billing.InvoiceService.render(InvoiceService.java:88)
\tat com.acme.billing.InvoiceController.show(InvoiceController.java:41)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)
\tat com.fasterxml.jackson.databind.ObjectMapper.readValue(ObjectMapper.java:3629)
what is null here?""",
    """Traceback (most recent call last):
  File "/usr/lib/python3.11/site-packages/flask/app.py", line 2190, in wsgi_app
    response = self.full_dispatch_request()
  File "/srv/app/views/orders.py", line 57, in checkout
    total = Decimal(cart.total) * Rational
NameError: name 'Rational' is not defined""",
    """$ git commit -m "Fix parser"
$ docker run --rm -p 8080:80 -v /srv/data:/data nginx:1.25
$ kubectl get pods -n payments
$ pip install --upgrade sympy pandas
error: failed to push some refs""",
    "kubectl logs deploy/checkout -n payments --since=1h | grep -i timeout",
    """package main

import (
\t"fmt"
\t"net/http"
)

func handler(w http.ResponseWriter, r *http.Request) {
\tname := r.URL.Query().Get("name")
\tfmt.Fprintf(w, "Hello, %s", name)
}

func main() {
\thttp.HandleFunc("/", handler)
\thttp.ListenAndServe(":8080", nil)
}
why does it return 404 on /favicon.ico?""",
    """use std::collections::HashMap;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Config {
    host: String,
    port: u16,
}

fn main() {
    let mut cache: HashMap<String, u32> = HashMap::new();
    let cfg: Config = toml::from_str(&std::fs::read_to_string("cfg.toml").unwrap()).unwrap();
    println!("{:?} {:?}", cfg, cache);
}""",
    """ObjectMapper mapper = new ObjectMapper();
Victoria v = mapper.readValue(json, Victoria.class);
Grant grant = GrantRepository.findByOwner(v.getOwner());
Why is owner null after Victoria.getOwner() here?""",
    "Should I parse this with `Jackson` or `Gson`, and is `ObjectMapper.readValue()` thread-safe?",
    """services:
  web:
    image: "nginx:1.25"
    ports:
      - "8080:80"
    environment:
      LOG_LEVEL: debug
      TZ: Europe/Berlin
  worker:
    command: celery -A tasks worker --loglevel=info
    depends_on: [redis]
Why does worker start before redis?""",
    """```yaml
spring:
  datasource:
    url: jdbc:postgresql://db:5432/orders
  jackson:
    default-property-inclusion: non_null
```
Pourquoi Spring ignore cette propriété ?""",
]


@pytest.mark.parametrize("text", PYTHON_CLEAN, ids=lambda t: t[:30])
def test_python_without_personal_data_passes_unchanged_and_parses(
    detector: Detector, gate: PrivacyGate, text: str
) -> None:
    assert [(f.type, f.text) for f in detector.detect(text)] == []
    sent = _sent(gate, text)
    assert sent == text
    ast.parse(_fenced(sent))


@pytest.mark.parametrize("text", OTHER_CLEAN, ids=lambda t: t[:30])
def test_sql_traces_commands_and_config_have_no_findings(
    detector: Detector, gate: PrivacyGate, text: str
) -> None:
    assert [(f.type, f.text) for f in detector.detect(text)] == []
    assert _sent(gate, text) == text


# Personal data and secrets in code are still replaced, in the literal or comment that holds them.
PYTHON_PERSONAL = [
    (
        'import stripe\n\nAPI_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dcXy"\nstripe.api_key = API_KEY\n',
        ["sk_live_4eC39HqLyjWDarjtT1zdp7dcXy"],
    ),
    (
        'def greet(order):\n    return f"Dear Anna Kowalska, your order {order.id} has shipped."\n',
        ["Anna Kowalska"],
    ),
    (
        "def refund(order):\n    # ask Jonas Berger before changing this\n    return order.total * 0.9\n",
        ["Jonas Berger"],
    ),
    (
        "Kannst du das prüfen?\n```python\n"
        'customers = [{"name": "Anna Kowalska", "email": "anna.kowalska@example.pl"}]\n'
        "for c in customers:\n    send(c)\n```",
        ["Anna Kowalska", "anna.kowalska@example.pl"],
    ),
]


@pytest.mark.parametrize(("text", "values"), PYTHON_PERSONAL, ids=lambda t: str(t)[:30])
def test_personal_data_in_python_literals_and_comments_is_replaced_and_code_parses(
    gate: PrivacyGate, text: str, values: list[str]
) -> None:
    sent = _sent(gate, text)
    for value in values:
        assert value not in sent
    ast.parse(_fenced(sent))
    # Only the values changed: every identifier of the original is still there.
    for ident in set(re.findall(r"[A-Za-z_]\w*", _fenced(text))) - {"sk_live_"}:
        if not any(ident in v for v in values):
            assert re.search(rf"\b{ident}\b", sent), ident


def test_email_and_names_in_an_sql_insert_are_replaced_inside_the_literals(
    detector: Detector, gate: PrivacyGate
) -> None:
    text = (
        "INSERT INTO customers (first_name, last_name, email)\n"
        "VALUES ('Anna', 'Kowalska', 'anna.kowalska@example.pl');"
    )
    found = {f.text for f in detector.detect(text)}
    assert "anna.kowalska@example.pl" in found
    sent = _sent(gate, text)
    assert "anna.kowalska@example.pl" not in sent
    assert sent.startswith("INSERT INTO customers (first_name, last_name, email)\nVALUES ('")
    assert re.fullmatch(r"VALUES \('[^']+', '[^']+', '<EMAIL_ADDRESS_1>'\);", sent.splitlines()[1])


def test_a_name_in_a_java_string_is_found_the_class_names_are_not(detector: Detector) -> None:
    text = (
        'Grant grant = new Grant();\ngrant.setOwner("Karolina Wiśniewska");\nVictoria.save(grant);'
    )
    findings = detector.detect(text)
    literal = text.index("Karolina"), text.index("Wiśniewska") + len("Wiśniewska")
    assert findings, "the name in the string literal was not found"
    assert all(literal[0] <= f.start and f.end <= literal[1] for f in findings), findings


def test_prose_around_code_keeps_its_protection(detector: Detector) -> None:
    text = (
        "Mein Kollege Jonas Berger hat diesen Code geschrieben:\n"
        "```python\nclass Session:\n    pass\n```\n"
        "Please send the fix to anna.kowalska@example.pl"
    )
    found = {(f.type, f.text) for f in detector.detect(text)}
    assert any(t == "PERSON" and "Jonas Berger" in v for t, v in found), found
    assert ("EMAIL_ADDRESS", "anna.kowalska@example.pl") in found
    assert not any("Session" in v for _, v in found)


def test_the_user_name_in_a_traceback_home_path_is_found(detector: Detector) -> None:
    text = (
        "Traceback (most recent call last):\n"
        '  File "/home/jkowalski/projects/shop/app.py", line 12, in <module>\n'
        "    main()\n"
        "ValueError: bad input"
    )
    assert any(f.text == "jkowalski" for f in detector.detect(text))


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "```js\nconst user = { name: 'Marta Nowak', phone: '+48 601 234 567' };\n```",
            ["Marta Nowak", "+48 601 234 567"],
        ),
        (
            "```bash\nssh anna.kowalska@build.example.com -i ~/.ssh/id_ed25519\n"
            "curl -u admin:Hunter2Pass! https://api.example.com/v1/users\n```",
            ["anna.kowalska@build.example.com", "Hunter2Pass!"],
        ),
        ("```\nSELECT * FROM patients WHERE pesel = '85010112345';\n```", ["85010112345"]),
    ],
    ids=["js-object", "shell-credentials", "sql-national-id"],
)
def test_personal_data_in_other_code_is_replaced_the_code_around_it_is_not(
    gate: PrivacyGate, text: str, values: list[str]
) -> None:
    sent = _sent(gate, text)
    for value in values:
        assert value not in sent
    skeleton = text
    for value in values:
        skeleton = skeleton.replace(value, "\0")
    assert re.sub(r"<[A-Z_]+_\d+>", "\0", sent) == skeleton


# -- more shapes of pasted technical text (round 2) ------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "KeyError                                  Traceback (most recent call last)\n"
            "Cell In[3], line 2\n      1 df = pd.read_csv('sales.csv')\n"
            "----> 2 df['Revenue'].sum()\n",
            ["KeyError", "Cell In[3]", "----> 2"],
        ),
        (
            "PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in "
            "/var/www/html/index.php:7\nStack trace:\n#0 {main}",
            ["PHP Fatal error"],
        ),
        (
            "   at Contoso.Orders.OrderService.GetLatest() in "
            "C:\\src\\Contoso\\Orders\\OrderService.cs:line 42\n"
            "   at Contoso.Orders.Program.Main(String[] args)",
            ["Contoso.Orders.OrderService.GetLatest", "Contoso.Orders.Program.Main"],
        ),
        (
            "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree",
            ["npm ERR! code ERESOLVE", "npm ERR!"],
        ),
        (
            "[2024-05-02 10:15:01,123: ERROR/MainProcess] Received unregistered task\n"
            "web_1  | 2024-03-01 12:00:00 +0000 [INFO] Listening at: http://0.0.0.0:8000",
            ["ERROR/MainProcess", "web_1"],
        ),
    ],
)
def test_jupyter_php_dotnet_npm_and_log_lines_are_code(text: str, code: list[str]) -> None:
    for value in code:
        assert _code(text, value), value


def test_log_messages_keep_their_prose_free() -> None:
    """A log line is code, but its message is prose: names in it are still looked for."""
    text = "2024-05-02 10:15:01 INFO session opened for Marta Nowak from the mobile app\n"
    assert _code(text, "INFO")
    assert _free(text, "session opened for Marta Nowak from the mobile app")


def test_lower_case_names_of_resources_in_config_are_code() -> None:
    """``name: orders`` in a manifest names a service, and kebab-case values are identifiers."""
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders-api\n"
        "spec:\n  containers:\n    - name: orders\n      image: registry.local/orders:2.4.1\n"
        "author: Jane Roe"
    )
    assert _code(text, "orders-api")
    assert _code(text, "orders\n")
    assert _free(text, "Jane Roe")
