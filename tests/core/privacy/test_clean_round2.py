"""General knowledge and technical text pass the gate untouched; personal data around them does not.

Written for round 2 of the privacy gate, before the gate was run on them. ``CLEAN`` are prompts
with no personal data at all, in eight languages and the shapes people send: questions about
famous people, places, firms, works and their characters; requests that open with a capitalised
verb or a word that is also a name; stack traces, shell sessions, configuration, SQL and code.
Every one must come back with no finding. ``PERSONAL`` are prompts of the same shapes that do
hold personal data (the author's own town, a private person next to a famous one, a name in a
string literal of code), which must still be caught. Every name, number and address is invented.
"""

from __future__ import annotations

import re

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from tests.core.privacy.helpers import marked, shown

C = tuple[str, str, str]  # (language, shape, text)

CLEAN: list[C] = [
    # --- English: famous people, works, characters, places, firms
    ("en", "famous", "Why does Raskolnikov finally confess in Crime and Punishment?"),
    ("en", "famous", "Summarise Kurosawa's Seven Samurai in five bullet points."),
    ("en", "famous", "Compare the foreign policies of Bismarck and Metternich."),
    ("en", "famous", "What did Marie Curie discover, and why did she win two Nobel prizes?"),
    ("en", "famous", "Is Hamlet's madness real or feigned? Give arguments from Act 2."),
    ("en", "famous", "Write a short essay on how Frida Kahlo's paintings deal with pain."),
    ("en", "famous", "Who was older, Mozart or Haydn, and did they ever meet?"),
    ("en", "famous", "Explain Ramanujan's work on partitions for a high-school student."),
    ("en", "famous", "What is the relationship between Sherlock Holmes and Professor Moriarty?"),
    ("en", "famous", "Why did Napoleon invade Russia in 1812, and why did it fail?"),
    ("en", "famous", "Rank the Godfather films directed by Francis Ford Coppola."),
    ("en", "famous", "What themes does Toni Morrison explore in Beloved?"),
    ("en", "famous", "Describe Elizabeth Bennet's first impression of Mr Darcy."),
    ("en", "famous", "Explain how Hitchcock builds suspense in Psycho and Vertigo."),
    (
        "en",
        "famous",
        "Which books did Gabriel García Márquez write after One Hundred Years of Solitude?",
    ),
    ("en", "famous", "How tall is Mount Kilimanjaro, and which country is it in?"),
    ("en", "famous", "What is the population of Birmingham compared to Manchester?"),
    ("en", "famous", "Describe the architecture of the Sagrada Família in Barcelona."),
    ("en", "famous", "Explain the rivalry between Samsung and Apple in the smartphone market."),
    ("en", "famous", "Why is Gandalf so reluctant to take the Ring from Frodo?"),
    ("en", "famous", "Who was Ada Lovelace, and what did she write about Babbage's engine?"),
    ("en", "famous", "What makes Jay Gatsby a tragic figure?"),
    ("en", "famous", "Explain the ending of Christopher Nolan's Inception."),
    ("en", "famous", "Compare Churchill's and Roosevelt's leadership during the war."),
    ("en", "famous", "Give me a timeline of Nelson Mandela's life."),
    ("en", "famous", "What did Darwin observe on the Galápagos Islands?"),
    ("en", "famous", "Is Lady Macbeth more ambitious than her husband?"),
    ("en", "famous", "How did Toyota's production system influence lean manufacturing?"),
    ("en", "famous", "What is the best time of year to visit Kyoto and Osaka?"),
    ("en", "famous", "Why did Anna Karenina throw herself under the train?"),
    # --- English: capitalised verbs, question words and words that are also names
    ("en", "sentence_start", "Will this work if the list is empty?"),
    ("en", "sentence_start", "Format this date as ISO 8601: 3 March 2021."),
    ("en", "sentence_start", "Grant me ten synonyms for 'happy', please."),
    ("en", "sentence_start", "Rewrite this paragraph so it sounds less formal."),
    ("en", "sentence_start", "Translate 'good morning' into Japanese and Korean."),
    (
        "en",
        "sentence_start",
        "Mark all the adjectives in: the quick brown fox jumps over the lazy dog.",
    ),
    ("en", "sentence_start", "Draft a polite out-of-office reply for the holidays."),
    ("en", "sentence_start", "Add a column for totals and sort by the second column."),
    ("en", "sentence_start", "Hope this makes sense: how do I split a string on commas?"),
    ("en", "sentence_start", "Chase down the root cause: why would a cron job run twice?"),
    ("en", "sentence_start", "Convert 72 degrees Fahrenheit to Celsius."),
    ("en", "sentence_start", "Sort these words alphabetically: pear, apple, fig, banana."),
    ("en", "sentence_start", "Bill or invoice: which word is more common in British English?"),
    ("en", "sentence_start", "Rose, lily or tulip: which is easiest to grow indoors?"),
    ("en", "sentence_start", "Frank feedback is hard to give. How do I phrase criticism kindly?"),
    (
        "en",
        "sentence_start",
        "Say it in fewer words:\nWe would like to inform you that the office is closed.",
    ),
    ("en", "sentence_start", "Can you check my grammar? 'Their going to the park tomorrow.'"),
    ("en", "sentence_start", "Pick three colours that go with navy blue."),
    # --- English: general
    ("en", "general", "How do vaccines train the immune system?"),
    ("en", "general", "What's the difference between a Roth IRA and a traditional IRA?"),
    ("en", "general", "Give me a beginner's three-day workout plan."),
    ("en", "general", "How long should I boil an egg for a runny yolk?"),
    ("en", "general", "Explain compound interest with a simple example."),
    # --- German
    ("de", "famous", "Wie viele Einwohner hat Köln?"),
    ("de", "famous", "Warum hat Goethe den Faust in zwei Teilen geschrieben?"),
    ("de", "famous", "Vergleiche Bismarck und Cavour als Staatsmänner."),
    ("de", "famous", "Wie weit ist es von München nach Nürnberg mit dem Zug?"),
    ("de", "famous", "Erkläre die Relativitätstheorie von Einstein in einfachen Worten."),
    ("de", "famous", "Welche Sehenswürdigkeiten gibt es in Heidelberg und Freiburg?"),
    ("de", "famous", "Was wollte Kafka mit der Verwandlung von Gregor Samsa zeigen?"),
    ("de", "famous", "Wer war Rosa Luxemburg und wofür setzte sie sich ein?"),
    ("de", "sentence_start", "Formuliere diesen Satz höflicher: Das geht so nicht."),
    ("de", "sentence_start", "Übersetze bitte ins Englische: Der Zug hat Verspätung."),
    ("de", "sentence_start", "Kannst du mir erklären, wie Zinseszins funktioniert?"),
    ("de", "sentence_start", "Wird das funktionieren, wenn die Liste leer ist?"),
    ("de", "sentence_start", "Schreibe eine kurze Absage für eine Einladung zum Abendessen."),
    ("de", "general", "Was ist der Unterschied zwischen Brutto und Netto beim Gehalt?"),
    # --- French
    ("fr", "famous", "Pourquoi Emma Bovary s'empoisonne-t-elle à la fin du roman ?"),
    ("fr", "famous", "Résume la pièce Le Misanthrope de Molière."),
    ("fr", "famous", "Quelle est la population de Lyon par rapport à Marseille ?"),
    ("fr", "famous", "Compare Victor Hugo et Émile Zola sur la question sociale."),
    ("fr", "famous", "Que voir à Bordeaux en un week-end ?"),
    ("fr", "famous", "Pourquoi Jean Valjean vole-t-il les chandeliers de l'évêque ?"),
    ("fr", "sentence_start", "Traduis cette phrase en anglais : le chat dort sur le canapé."),
    ("fr", "sentence_start", "Explique-moi la différence entre l'imparfait et le passé composé."),
    ("fr", "sentence_start", "Rédige un court poème sur l'automne."),
    ("fr", "sentence_start", "Corrige les fautes : les enfants a mangé des pommes."),
    ("fr", "general", "Comment fonctionne une pompe à chaleur ?"),
    # --- Spanish
    ("es", "famous", "¿Cuántos habitantes tiene Sevilla?"),
    ("es", "famous", "Resume el Quijote de Cervantes en un párrafo."),
    ("es", "famous", "¿Por qué Bernarda Alba encierra a sus hijas?"),
    ("es", "famous", "Compara a Picasso y Dalí como pintores."),
    ("es", "famous", "Explica qué hizo Simón Bolívar por la independencia de Venezuela."),
    ("es", "famous", "¿Qué platos típicos hay que probar en Valencia?"),
    ("es", "famous", "¿Por qué Frida Kahlo pintó tantos autorretratos?"),
    ("es", "famous", "¿Cómo se va de Madrid a Toledo en tren?"),
    ("es", "sentence_start", "Escribe un correo formal para pedir información sobre un curso."),
    ("es", "sentence_start", "Traduce al inglés: mañana lloverá en el norte."),
    ("es", "sentence_start", "Corrige la ortografía: ayer fuimos a la playa y hacia mucho calor."),
    ("es", "sentence_start", "¿Funcionará esto si la lista está vacía?"),
    ("es", "sentence_start", "Dame tres ideas para una fiesta de cumpleaños infantil."),
    ("es", "general", "¿Cuál es la diferencia entre una hipoteca fija y una variable?"),
    # --- Portuguese
    ("pt", "famous", "Qual é a população de Curitiba?"),
    ("pt", "famous", "Quem escreveu Os Lusíadas e qual é o tema principal?"),
    ("pt", "famous", "Resuma Dom Casmurro: Capitu traiu Bentinho ou não?"),
    ("pt", "famous", "Compare Pelé e Maradona como jogadores."),
    ("pt", "famous", "Explique a importância de Santos Dumont para a aviação."),
    ("pt", "famous", "Quais são os pontos turísticos de Salvador e de Recife?"),
    ("pt", "famous", "Como ir de Lisboa ao Porto de comboio?"),
    ("pt", "sentence_start", "Escreva um e-mail formal pedindo um orçamento."),
    ("pt", "sentence_start", "Traduza para o inglês: o ônibus atrasou outra vez."),
    ("pt", "sentence_start", "Corrija este texto: fazem dois anos que isso aconteceu."),
    ("pt", "sentence_start", "Funciona se a lista estiver vazia?"),
    ("pt", "general", "Qual é a diferença entre juros simples e compostos?"),
    # --- Dutch
    ("nl", "famous", "Hoeveel inwoners heeft Utrecht?"),
    ("nl", "famous", "Waarom sneed Van Gogh een stuk van zijn oor af?"),
    ("nl", "famous", "Vergelijk Rembrandt en Vermeer als schilders."),
    ("nl", "famous", "Vat het verhaal van Max Havelaar samen."),
    ("nl", "famous", "Wat kun je in een dag zien in Maastricht?"),
    ("nl", "famous", "Wie was Willem van Oranje en waarom is hij belangrijk?"),
    ("nl", "sentence_start", "Schrijf een korte e-mail om een afspraak te verzetten."),
    ("nl", "sentence_start", "Vertaal naar het Engels: de trein is vertraagd."),
    ("nl", "sentence_start", "Leg uit hoe een hypotheek werkt."),
    ("nl", "sentence_start", "Werkt dit ook als de lijst leeg is?"),
    ("nl", "general", "Hoe lang moet een ei koken voor een zachte dooier?"),
    # --- Polish
    ("pl", "famous", "Ilu mieszkańców ma Kraków?"),
    ("pl", "famous", "Dlaczego Kopernik jest tak ważny dla astronomii?"),
    ("pl", "famous", "Porównaj twórczość Mickiewicza i Słowackiego."),
    ("pl", "famous", "Streść Lalkę Bolesława Prusa w kilku zdaniach."),
    ("pl", "famous", "Co warto zobaczyć w Gdańsku w dwa dni?"),
    ("pl", "famous", "Jak długo jedzie się pociągiem z Warszawy do Wrocławia?"),
    ("pl", "sentence_start", "Napisz krótki e-mail z prośbą o przesunięcie spotkania."),
    ("pl", "sentence_start", "Przetłumacz na angielski: pociąg jest opóźniony."),
    ("pl", "sentence_start", "Wyjaśnij, jak działa procent składany."),
    ("pl", "sentence_start", "Czy to zadziała, jeśli lista jest pusta?"),
    ("pl", "general", "Jaka jest różnica między kredytem a pożyczką?"),
    # --- Italian
    ("it", "famous", "Quanti abitanti ha Modena?"),
    ("it", "famous", "Perché Dante mette Ulisse all'Inferno?"),
    ("it", "famous", "Confronta Garibaldi e Mazzini nel Risorgimento."),
    ("it", "famous", "Riassumi I promessi sposi: perché Renzo e Lucia non possono sposarsi?"),
    ("it", "famous", "Cosa vedere a Bergamo in un giorno?"),
    ("it", "famous", "Come si arriva da Milano a Torino in treno?"),
    ("it", "sentence_start", "Scrivi una breve email per disdire un appuntamento."),
    ("it", "sentence_start", "Traduci in inglese: il treno è in ritardo."),
    ("it", "sentence_start", "Spiega come funziona un mutuo a tasso fisso."),
    ("it", "sentence_start", "Funzionerà se la lista è vuota?"),
    ("it", "general", "Qual è la differenza tra IVA e IRPEF?"),
    # --- stack traces
    (
        "en",
        "stacktrace",
        'Exception in thread "main" java.lang.NullPointerException\n'
        "\tat com.example.billing.InvoiceService.total(InvoiceService.java:42)\n"
        "\tat com.example.billing.Main.main(Main.java:12)",
    ),
    (
        "en",
        "stacktrace",
        "TypeError: Cannot read properties of undefined (reading 'map')\n"
        "    at Object.<anonymous> (/app/src/index.js:10:5)\n"
        "    at Module._compile (node:internal/modules/cjs/loader:1105:14)\n"
        "    at node:internal/main/run_main_module:17:47",
    ),
    (
        "en",
        "stacktrace",
        "panic: runtime error: index out of range [3] with length 3\n\n"
        "goroutine 1 [running]:\nmain.main()\n\t/go/src/app/main.go:14 +0x1d\nexit status 2",
    ),
    (
        "en",
        "stacktrace",
        "Unhandled exception. System.InvalidOperationException: Sequence contains no elements\n"
        "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
        "   at Contoso.Orders.OrderService.GetLatest() in C:\\src\\Contoso\\Orders\\OrderService.cs:line 42\n"
        "   at Contoso.Orders.Program.Main(String[] args) in C:\\src\\Contoso\\Program.cs:line 9",
    ),
    (
        "en",
        "stacktrace",
        "---------------------------------------------------------------------------\n"
        "KeyError                                  Traceback (most recent call last)\n"
        "Cell In[3], line 2\n"
        "      1 df = pd.read_csv('sales.csv')\n"
        "----> 2 df['Revenue'].sum()\n\n"
        "KeyError: 'Revenue'",
    ),
    (
        "en",
        "stacktrace",
        "thread 'main' panicked at src/main.rs:5:18:\n"
        "called `Option::unwrap()` on a `None` value\n"
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
    ),
    (
        "en",
        "stacktrace",
        "Why do I get this?\n"
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3.11/site-packages/flask/app.py", line 1498, in __call__\n'
        "    return self.wsgi_app(environ, start_response)\n"
        '  File "/srv/shop/views.py", line 27, in checkout\n'
        "    total = cart.total()\n"
        "jinja2.exceptions.TemplateNotFound: checkout.html",
    ),
    (
        "en",
        "stacktrace",
        "app/models/user.rb:12:in `full_name': undefined method `upcase' for nil:NilClass "
        "(NoMethodError)\n\tfrom app/controllers/users_controller.rb:8:in `show'",
    ),
    (
        "en",
        "stacktrace",
        "PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() "
        "in /var/www/html/index.php:7\nStack trace:\n#0 {main}\n  thrown in "
        "/var/www/html/index.php on line 7",
    ),
    (
        "de",
        "stacktrace",
        "Warum bekomme ich diesen Fehler?\n"
        "Traceback (most recent call last):\n"
        '  File "main.py", line 4, in <module>\n'
        "    import pandas as pd\n"
        "ModuleNotFoundError: No module named 'pandas'",
    ),
    (
        "es",
        "stacktrace",
        "¿Qué significa este error?\n"
        "django.core.exceptions.ImproperlyConfigured: Requested setting INSTALLED_APPS, "
        "but settings are not configured.",
    ),
    (
        "fr",
        "stacktrace",
        "Pourquoi ce message ?\n"
        "[2024-05-02 10:15:01,123: ERROR/MainProcess] Received unregistered task of type "
        "'tasks.send_invoice'.\nThe message has been ignored and discarded.",
    ),
    (
        "en",
        "stacktrace",
        "web_1  | [2024-03-01 12:00:00 +0000] [1] [INFO] Starting gunicorn 21.2.0\n"
        "web_1  | [2024-03-01 12:00:00 +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)\n"
        "web_1  | [2024-03-01 12:00:01 +0000] [7] [ERROR] Exception in worker process",
    ),
    (
        "en",
        "stacktrace",
        "$ kubectl get pods -n billing\n"
        "NAME                          READY   STATUS             RESTARTS   AGE\n"
        "invoice-api-7d9f8c6b5-x2kqp   0/1     CrashLoopBackOff   5          3m12s\n"
        "worker-celery-5c8d7f-abcde    1/1     Running            0          2d",
    ),
    # --- shell
    (
        "en",
        "shell",
        "$ pip install flask jinja2 marshmallow celery\n"
        "Collecting flask\n"
        "  Downloading flask-3.0.2-py3-none-any.whl (101 kB)\n"
        "Successfully installed Jinja2-3.1.3 MarkupSafe-2.1.5 celery-5.3.6 flask-3.0.2 "
        "marshmallow-3.21.0",
    ),
    (
        "en",
        "shell",
        "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\n"
        "npm ERR! Found: react@18.2.0\nnpm ERR! Could not resolve dependency:\n"
        'npm ERR! peer react@"^17.0.0" from react-dom@17.0.2',
    ),
    (
        "en",
        "shell",
        "PS C:\\Users\\Public> Get-ChildItem -Path C:\\Projects -Recurse -Filter *.log | Remove-Item",
    ),
    (
        "en",
        "shell",
        "make: *** [Makefile:23: build] Error 1\nWhat does this mean and how do I debug it?",
    ),
    ("en", "shell", "sudo systemctl restart nginx && journalctl -u nginx --since today"),
    (
        "en",
        "shell",
        "Django==4.2.11\ndjango-crispy-forms==2.1\nmarshmallow==3.21.0\npandas==2.2.1\n"
        "sherlock==0.4.1\ncelery==5.3.6\nWhich of these pins are outdated?",
    ),
    (
        "en",
        "shell",
        "$ git log --oneline -3\na1b2c3d Fix login redirect\n9f8e7d6 Bump pandas to 2.2\n"
        "4c5d6e7 Merge branch 'feature/search-page'",
    ),
    (
        "nl",
        "shell",
        "Waarom faalt dit commando?\n$ docker run -p 8080:80 -v $(pwd)/site:/usr/share/nginx/html nginx:1.25",
    ),
    (
        "pl",
        "shell",
        "Co robi ta komenda?\nfind . -name '*.tmp' -mtime +7 -exec rm {} \\;",
    ),
    (
        "it",
        "shell",
        "Perché pip dice questo?\n"
        "ERROR: Could not find a version that satisfies the requirement tensorflow==2.3.0",
    ),
    # --- configuration
    (
        "en",
        "config",
        'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs-prod"\n  tags = {\n'
        '    Environment = "production"\n    Team        = "platform"\n  }\n}',
    ),
    (
        "en",
        "config",
        "build:\n\tgo build -o bin/server ./cmd/server\n\ntest:\n\tgo test ./...\n\n"
        ".PHONY: build test",
    ),
    (
        "en",
        "config",
        'services:\n  web:\n    image: nginx:1.25\n    ports:\n      - "8080:80"\n'
        "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: shop",
    ),
    (
        "en",
        "config",
        "[database]\nhost = localhost\nport = 5432\nname = inventory\n\n[cache]\nbackend = redis",
    ),
    (
        "en",
        "config",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders-api\n"
        "  namespace: production\nspec:\n  replicas: 3\n  template:\n    spec:\n"
        "      containers:\n        - name: orders\n          image: registry.local/orders:2.4.1",
    ),
    (
        "en",
        "config",
        "server {\n    listen 80;\n    server_name example.com;\n    location / {\n"
        "        proxy_pass http://127.0.0.1:8000;\n    }\n}",
    ),
    (
        "en",
        "config",
        '{\n  "name": "dashboard",\n  "version": "1.4.0",\n  "scripts": {\n'
        '    "build": "vite build",\n    "test": "vitest"\n  }\n}',
    ),
    (
        "de",
        "config",
        'Stimmt diese Konfiguration?\n[tool.poetry]\nname = "rechnungen"\n'
        'version = "0.3.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3.0"',
    ),
    (
        "pt",
        "config",
        "O que está errado neste workflow?\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - run: pytest -q",
    ),
    # --- SQL
    (
        "en",
        "sql",
        "SELECT c.name, SUM(o.total) AS revenue\nFROM customers c\n"
        "JOIN orders o ON o.customer_id = c.id\nGROUP BY c.name\nORDER BY revenue DESC;",
    ),
    (
        "en",
        "sql",
        "CREATE TABLE employees (\n  id SERIAL PRIMARY KEY,\n  first_name TEXT NOT NULL,\n"
        "  last_name TEXT NOT NULL,\n  hired_on DATE\n);",
    ),
    (
        "en",
        "sql",
        "UPDATE accounts SET status = 'closed' WHERE last_login < NOW() - INTERVAL '2 years';",
    ),
    (
        "en",
        "sql",
        "WITH ranked AS (\n  SELECT s.*, ROW_NUMBER() OVER (PARTITION BY region ORDER BY sales DESC) "
        "AS rn\n  FROM stores s\n)\nSELECT * FROM ranked WHERE rn = 1;",
    ),
    (
        "de",
        "sql",
        "Warum ist diese Abfrage langsam?\nSELECT * FROM bestellungen b\n"
        "LEFT JOIN kunden k ON k.id = b.kunde_id\nWHERE k.land = 'DE';",
    ),
    (
        "es",
        "sql",
        "¿Cómo optimizo esto?\nSELECT ciudad, COUNT(*) FROM clientes GROUP BY ciudad "
        "HAVING COUNT(*) > 10;",
    ),
    (
        "pl",
        "sql",
        "Dlaczego to zwraca błąd?\nINSERT INTO produkty (nazwa, cena) VALUES ('krzesło', 199.99);",
    ),
    # --- code
    (
        "en",
        "code",
        "from sympy import symbols, solve\nx = symbols('x')\nprint(solve(x**2 - 4, x))",
    ),
    (
        "en",
        "code",
        "class Sherlock:\n    def __init__(self, case):\n        self.case = case\n\n"
        "    def deduce(self):\n        return self.case.clues[-1]",
    ),
    (
        "en",
        "code",
        "Why is this slow?\n```js\nconst active = users.filter(u => u.active).map(u => u.email);\n```",
    ),
    (
        "en",
        "code",
        "public class Person {\n    private String name;\n    public String getName() { "
        "return name; }\n}",
    ),
    (
        "en",
        "code",
        'func main() {\n\tr := gin.Default()\n\tr.GET("/ping", handler)\n\tr.Run()\n}',
    ),
    (
        "en",
        "code",
        "var adults = people.Where(p => p.Age >= 18).OrderBy(p => p.LastName).ToList();",
    ),
    (
        "en",
        "code",
        "library(dplyr)\nmtcars %>% group_by(cyl) %>% summarise(mpg = mean(mpg))",
    ),
    (
        "en",
        "code",
        "Why does `Decimal('1.1') + 1.1` raise a TypeError?",
    ),
    (
        "fr",
        "code",
        "Pourquoi ce code plante ?\n```python\nimport pandas as pd\ndf = pd.read_csv('ventes.csv')\n"
        "print(df.groupby('ville')['montant'].sum())\n```",
    ),
    (
        "it",
        "code",
        "Come posso semplificare questa funzione?\n```python\ndef media(valori):\n"
        "    return sum(valori) / len(valori) if valori else 0\n```",
    ),
    (
        "nl",
        "code",
        "Wat doet deze regel?\n`const totaal = items.reduce((a, b) => a + b.prijs, 0);`",
    ),
    (
        "pt",
        "code",
        "Por que isso não compila?\n```rust\nfn main() {\n    let v = vec![1, 2, 3];\n"
        '    let x: i32 = v.iter().sum();\n    println!("{}", x);\n}\n```',
    ),
]

P = tuple[str, str, str, tuple[str, ...]]  # (language, shape, text, values to catch)

PERSONAL: list[P] = [
    # the author's own town, home, work or travel
    ("en", "general", "I live in Bremen and need a dentist who speaks English.", ("Bremen",)),
    (
        "en",
        "general",
        "My daughter goes to school in Modena; help me write to her teacher.",
        ("Modena",),
    ),
    (
        "en",
        "general",
        "I'm moving from Leeds to Utrecht in May. What paperwork do I need?",
        ("Leeds", "Utrecht"),
    ),
    (
        "en",
        "general",
        "We work at Brightwater Analytics in Slough; draft our job ad.",
        ("Brightwater Analytics",),
    ),
    ("fr", "general", "Je m'appelle Camille Roussel et j'habite à Nantes.", ("Camille Roussel",)),
    (
        "it",
        "general",
        "Mi chiamo Giulia Ferraro e abito in via Emilia 14, Modena.",
        ("Giulia Ferraro", "via Emilia 14"),
    ),
    (
        "pt",
        "general",
        "Meu nome é João Pedro Albuquerque e meu telefone é +55 41 99876-5432.",
        ("João Pedro Albuquerque", "+55 41 99876-5432"),
    ),
    (
        "nl",
        "general",
        "Mijn naam is Sanne Verhoeven, bel me op 06 12345678.",
        ("Sanne Verhoeven", "06 12345678"),
    ),
    (
        "pl",
        "general",
        "Nazywam się Agnieszka Zielińska, mój e-mail to a.zielinska@poczta.pl.",
        ("Agnieszka Zielińska", "a.zielinska@poczta.pl"),
    ),
    (
        "de",
        "general",
        "Ich heiße Friedrich Holzapfel und wohne in der Lindenstraße 8, 89073 Ulm.",
        ("Friedrich Holzapfel", "Lindenstraße 8"),
    ),
    (
        "es",
        "general",
        "Me llamo Lucía Ferrández y vivo en la calle Mayor 23, Zaragoza.",
        ("Lucía Ferrández", "calle Mayor 23"),
    ),
    # a private person next to a famous one
    (
        "en",
        "famous",
        "Write a birthday card for my colleague Tomasz Wiśniewski, who loves Chopin.",
        ("Tomasz Wiśniewski",),
    ),
    (
        "en",
        "famous",
        "My neighbour Gerald Pinkney claims he has disproved Einstein. How do I reply?",
        ("Gerald Pinkney",),
    ),
    (
        "en",
        "famous",
        "Summarise Hamlet for my student Rory Blackwood, who has an exam on Friday.",
        ("Rory Blackwood",),
    ),
    (
        "en",
        "famous",
        "Tell Hannah Whitcombe that the Picasso print arrived damaged.",
        ("Hannah Whitcombe",),
    ),
    (
        "en",
        "famous",
        "Compare Napoleon with my boss, Derek Falconbridge, in a funny toast.",
        ("Derek Falconbridge",),
    ),
    (
        "de",
        "famous",
        "Schreib an Frau Ingrid Kästner, dass das Goethe-Seminar ausfällt.",
        ("Ingrid Kästner",),
    ),
    (
        "es",
        "famous",
        "Mi compañera Marisol Etxeberria quiere un resumen del Quijote.",
        ("Marisol Etxeberria",),
    ),
    (
        "fr",
        "famous",
        "Envoie à Mme Solène Marchetti un résumé des Misérables.",
        ("Solène Marchetti",),
    ),
    # names and data in code and technical text
    (
        "en",
        "code",
        'send_mail(to="marta.kowalska@example.com", subject="Hi Marta Kowalska")',
        ("marta.kowalska@example.com", "Marta Kowalska"),
    ),
    (
        "en",
        "code",
        'greeting = "Dear Oluwaseun Adebayo, your order has shipped"',
        ("Oluwaseun Adebayo",),
    ),
    (
        "en",
        "sql",
        "SELECT * FROM patients WHERE full_name = 'Ingrid Solberg';",
        ("Ingrid Solberg",),
    ),
    (
        "en",
        "sql",
        "INSERT INTO contacts (name, phone) VALUES ('Kwame Mensah', '+44 7700 900481');",
        ("Kwame Mensah", "+44 7700 900481"),
    ),
    (
        "en",
        "stacktrace",
        "ValueError: invalid address 'j.novak@firma.cz' for user 4821",
        ("j.novak@firma.cz",),
    ),
    (
        "en",
        "config",
        "DB_HOST=db.internal\nDB_USER=reports\nDB_PASSWORD=Hx7!pLq92zR",
        ("Hx7!pLq92zR",),
    ),
    (
        "en",
        "code",
        "# TODO: ask Bartholomew Quigley why the retry loop is here\nfor i in range(3):\n    retry()",
        ("Bartholomew Quigley",),
    ),
    (
        "en",
        "stacktrace",
        'Traceback (most recent call last):\n  File "/home/kwasniewski/app/run.py", line 3, in <module>\nKeyError: 1',
        ("kwasniewski",),
    ),
    (
        "en",
        "shell",
        "$ git commit -m 'fix' --author='Priyanka Raghunathan <priyanka.r@example.org>'",
        ("priyanka.r@example.org",),
    ),
    (
        "de",
        "code",
        'Warum klappt das nicht?\n```python\nkunde = {"name": "Jürgen Weißmüller", "iban": "DE89370400440532013000"}\n```',
        ("Jürgen Weißmüller", "DE89370400440532013000"),
    ),
    (
        "en",
        "config",
        "author: Siobhan Gallagher\nemail: siobhan.g@example.ie\nversion: 1.0",
        ("Siobhan Gallagher", "siobhan.g@example.ie"),
    ),
    # sentences that start with a word that is a name, used as a name
    (
        "en",
        "sentence_start",
        "Grant Holloway called about the invoice; call him back at 07700 900123.",
        ("Grant Holloway", "07700 900123"),
    ),
    (
        "en",
        "sentence_start",
        "Will Okafor is joining the team on Monday, write him a welcome note.",
        ("Will Okafor",),
    ),
    (
        "en",
        "sentence_start",
        "Hope Mensah and I need a room for Thursday, book it please.",
        ("Hope Mensah",),
    ),
    # contact details in other languages
    (
        "de",
        "general",
        "Bitte ruf Herrn Klaus Dietrich unter 0151 23456789 an.",
        ("Klaus Dietrich", "0151 23456789"),
    ),
    (
        "it",
        "general",
        "Manda la fattura a Lorenzo Bianchi, lorenzo.bianchi@esempio.it.",
        ("Lorenzo Bianchi", "lorenzo.bianchi@esempio.it"),
    ),
    (
        "pl",
        "general",
        "Proszę zadzwonić do pana Krzysztofa Wójcika, tel. 601 234 567.",
        ("601 234 567",),
    ),
    (
        "nl",
        "general",
        "Stuur de offerte naar Pieter Janssen, Keizersgracht 112, Amsterdam.",
        ("Pieter Janssen", "Keizersgracht 112"),
    ),
    (
        "es",
        "general",
        "Llama a Andrés Villanueva al 612 345 678 mañana.",
        ("Andrés Villanueva", "612 345 678"),
    ),
    (
        "pt",
        "general",
        "Envie o contrato para Beatriz Moreira, beatriz.moreira@exemplo.pt.",
        ("Beatriz Moreira", "beatriz.moreira@exemplo.pt"),
    ),
    (
        "fr",
        "general",
        "Rappelle Étienne Lavoisier au 06 12 34 56 78 avant midi.",
        ("Étienne Lavoisier", "06 12 34 56 78"),
    ),
]


#: Known gaps, expected to fail until the recognizers change (none left: "Abendessen", which
#: the surname-ending rule took for a surname, is a common German word since round 4).
_GAPS: dict[str, str] = {}


@pytest.mark.parametrize(
    ("lang", "shape", "text"),
    marked(CLEAN, 2, _GAPS),  # type: ignore[arg-type]
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CLEAN)],
)
def test_clean_prompts_are_untouched(detector: Detector, lang: str, shape: str, text: str) -> None:
    assert shown(detector.detect(text)) == []


@pytest.mark.parametrize(
    ("lang", "shape", "text", "values"),
    marked(PERSONAL, 2, _GAPS),  # type: ignore[arg-type]
    ids=[f"{p[0]}-{p[1]}-{i}" for i, p in enumerate(PERSONAL)],
)
def test_personal_data_around_general_knowledge_is_still_caught(
    detector: Detector, lang: str, shape: str, text: str, values: tuple[str, ...]
) -> None:
    findings = detector.detect(text)
    for value in values:
        for m in re.finditer(re.escape(value), text):
            covered = sum(max(0, min(f.end, m.end()) - max(f.start, m.start())) for f in findings)
            assert covered * 2 >= len(value), (value, shown(findings))


def test_the_sets_are_broad() -> None:
    """At least 150 clean prompts and 40 personal ones, every language and shape represented."""
    assert len(CLEAN) >= 150
    assert len(PERSONAL) >= 40
    assert {c[0] for c in CLEAN} == {"en", "de", "fr", "es", "pt", "nl", "pl", "it"}
    assert {
        "famous",
        "sentence_start",
        "stacktrace",
        "code",
        "config",
        "shell",
        "sql",
        "general",
    } <= {c[1] for c in CLEAN}


# -- the rules behind the sets, each with cases that must stay caught ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Vergleiche Bismarck und Cavour als Staatsmänner.",
        "Résume la pièce Le Misanthrope de Molière.",
        "Porównaj twórczość Mickiewicza i Słowackiego.",
        "Resuma Dom Casmurro: Capitu traiu Bentinho ou não?",
        "¿Qué significa este error?",
        "Wat doet deze functie precies?",
        "Mark all the adjectives in this sentence.",
    ],
)
def test_an_ordinary_word_that_opens_a_sentence_is_not_a_name(
    detector: Detector, text: str
) -> None:
    """Imperatives, question words and stop words of the text's language open requests."""
    assert shown(detector.detect(text)) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Will Okafor is joining on Monday.", "Will Okafor"),
        ("Grant Holloway called about the invoice.", "Grant Holloway"),
        ("Wie geht es Anna Kowalska?", "Anna Kowalska"),
        ("Was hat Sabine Krüger gesagt?", "Sabine Krüger"),
        ("Dove abita Giulia Ferraro?", "Giulia Ferraro"),
        ("Pourquoi Camille Roussel est absente ?", "Camille Roussel"),
        ("Why is Tomasz Wiśniewski late again?", "Tomasz Wiśniewski"),
        # after a title or an initial, and as a labelled value: not a sentence opening
        ("À faire : rappeler M. Guillemot pour le devis", "Guillemot"),
        ("Nazwisko: Jabłońska\nImię: Halina", "Jabłońska"),
    ],
)
def test_a_name_after_an_opening_word_or_at_the_start_is_still_found(
    detector: Detector, text: str, name: str
) -> None:
    found = shown(detector.detect(text))
    assert any(kind == "PERSON" and name.split()[-1] in value for kind, value in found), found


def test_a_famous_name_is_kept_only_when_a_personal_cue_makes_it_someone_the_user_knows(
    detector: Detector,
) -> None:
    found = shown(detector.detect("My friend Tom Hanks (not the actor) is visiting next week."))
    assert ("PERSON", "Tom Hanks") in found
    found = shown(detector.detect("Compare Napoleon with my boss, Derek Falconbridge."))
    assert ("PERSON", "Derek Falconbridge") in found
    assert all(text != "Napoleon" for _, text in found)


def test_loopback_and_unspecified_addresses_belong_to_no_one(detector: Detector) -> None:
    found = shown(detector.detect("ssh to 203.0.113.7 fails but curl http://127.0.0.1:8080 works"))
    assert found == [("IP_ADDRESS", "203.0.113.7")]
    assert shown(detector.detect("gunicorn is listening at http://0.0.0.0:8000")) == []


@pytest.mark.parametrize(
    "text",
    [
        "Wie viele Einwohner hat Köln?",
        "Quanti abitanti ha Modena?",
        "Hoeveel inwoners heeft Utrecht?",
        "Ilu mieszkańców ma Kraków?",
    ],
)
def test_short_questions_in_other_languages_are_not_read_with_the_english_model(
    detector: Detector, text: str
) -> None:
    """Too few words for the language router: the English model's guesses are not trusted."""
    assert shown(detector.detect(text)) == []


def test_a_short_text_in_english_with_a_foreign_address_keeps_its_name(detector: Detector) -> None:
    text = "Invoice to: Kasia Nowak\nul. Piękna 24/3\n00-549 Warszawa\nPoland"
    found = shown(detector.detect(text))
    assert ("PERSON", "Kasia Nowak") in found
