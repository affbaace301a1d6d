"""General knowledge and technical text pass the gate untouched, round 3; personal data still does not.

Written for round 3 of the privacy gate before the gate was run on them. ``CLEAN`` are prompts
with no personal data: famous people of many fields and eras with their works, fictional
characters by first name in a question that names the work, capitalised words that open a
sentence (imperatives, question words, words that are also given names), stack traces, shell
sessions and code of many ecosystems. Every one must come back with no finding. ``PERSONAL``
mix the same general knowledge with invented personal data, which must still be caught.
"""

from __future__ import annotations

import re

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from tests.core.privacy.helpers import marked, shown

C = tuple[str, str, str]  # (language, shape, text)

CLEAN: list[C] = [
    # --- English: famous people and works
    ("en", "famous", "Compare Kurosawa and Ozu as directors of family drama."),
    ("en", "famous", "What did Rosalind Franklin contribute to the discovery of DNA's structure?"),
    ("en", "famous", "Summarise Tolstoy's War and Peace in ten sentences."),
    ("en", "famous", "How did Beethoven keep composing after he went deaf?"),
    ("en", "famous", "Explain Alan Turing's halting problem in plain words."),
    ("en", "famous", "Why is Leonardo da Vinci's Last Supper so badly damaged?"),
    ("en", "famous", "What did Galileo see through his telescope in 1610?"),
    ("en", "famous", "Contrast the philosophies of Kant and Hume on causation."),
    ("en", "famous", "Which Miyazaki film should a child watch first?"),
    ("en", "famous", "What is Serena Williams' record at Wimbledon?"),
    ("en", "famous", "How did Steve Jobs and Steve Wozniak found Apple?"),
    ("en", "famous", "Explain Keynes's argument in The General Theory."),
    ("en", "famous", "Why did Van Gogh cut off his ear?"),
    ("en", "famous", "What was Confucius's view of filial piety?"),
    ("en", "famous", "List the main voyages of Magellan and Vasco da Gama."),
    # fictional characters by first name, the work named
    ("en", "famous", "In Pride and Prejudice, why does Elizabeth refuse Darcy's first proposal?"),
    ("en", "famous", "In Little Women, why does Jo turn down Laurie?"),
    ("en", "famous", "In The Great Gatsby, what does Daisy's green light stand for?"),
    ("en", "famous", "Why does Holden hate phonies in The Catcher in the Rye?"),
    ("en", "famous", "In Breaking Bad, when does Walter become Heisenberg?"),
    ("en", "famous", "Does Harry forgive Snape at the end of Harry Potter?"),
    # words that open a sentence
    ("en", "sentence_start", "Frank question: is Rust harder to learn than Go?"),
    ("en", "sentence_start", "Grant access to the bucket only for read operations, how?"),
    ("en", "sentence_start", "Bill shock: why does my cloud invoice double every March?"),
    ("en", "sentence_start", "Mark the correct answer and explain the others."),
    ("en", "sentence_start", "Will the meeting notes template work in Notion?"),
    ("en", "sentence_start", "Faith and reason: how did Aquinas reconcile them?"),
    ("en", "sentence_start", "Summarize the following email thread in three bullets."),
    ("en", "sentence_start", "Refactor this function to avoid the nested loops."),
    ("en", "sentence_start", "Pat the dough flat before folding, or roll it?"),
    ("en", "sentence_start", "Sterling silver or white gold for a ring that lasts?"),
    ("en", "sentence_start", "Rose water or orange blossom water in baklava?"),
    ("en", "sentence_start", "Hope is a thing with feathers: who wrote that line?"),
    ("en", "sentence_start", "Carol singing traditions in Wales, where did they start?"),
    ("en", "sentence_start", "Ask the user for confirmation before deleting files, in bash."),
    ("en", "famous", "In Moby-Dick, why is Ahab obsessed with the whale?"),
    ("en", "famous", "Who painted Girl with a Pearl Earring, Vermeer or Rembrandt?"),
    ("de", "famous", "In Kafkas Verwandlung: Warum kümmert sich Grete um Gregor?"),
    ("es", "famous", "En La casa de Bernarda Alba, ¿por qué se rebela Adela?"),
    # stack traces and shell sessions
    (
        "en",
        "stacktrace",
        'Traceback (most recent call last):\n  File "/app/main.py", line 12, in <module>\n'
        '    run()\n  File "/app/main.py", line 8, in run\n    data = json.loads(raw)\n'
        "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)",
    ),
    (
        "en",
        "stacktrace",
        'Exception in thread "main" java.lang.NullPointerException: Cannot invoke '
        '"String.length()" because "name" is null\n\tat com.acme.billing.Invoice.total'
        "(Invoice.java:42)\n\tat com.acme.billing.Main.main(Main.java:10)",
    ),
    (
        "en",
        "stacktrace",
        "Unhandled exception. System.InvalidOperationException: Sequence contains no elements\n"
        "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
        "   at Shop.Orders.OrderService.GetLatest() in /src/Shop/Orders/OrderService.cs:line 57",
    ),
    (
        "en",
        "stacktrace",
        "TypeError: Cannot read properties of undefined (reading 'map')\n"
        "    at renderList (/srv/web/src/components/List.jsx:14:23)\n"
        "    at processChild (/srv/web/node_modules/react-dom/cjs/react-dom.development.js:3991:14)",
    ),
    (
        "en",
        "stacktrace",
        "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\n"
        "main.parseHeader(...)\n\t/go/src/server/cmd/main.go:27\nmain.main()\n"
        "\t/go/src/server/cmd/main.go:14 +0x1d\nexit status 2",
    ),
    (
        "en",
        "stacktrace",
        "thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', "
        "src/config.rs:31:40\nnote: run with `RUST_BACKTRACE=1` environment variable to display "
        "a backtrace",
    ),
    (
        "en",
        "stacktrace",
        "NoMethodError: undefined method `each' for nil:NilClass\n"
        "  app/controllers/orders_controller.rb:18:in `index'\n"
        "  actionpack (7.1.2) lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'",
    ),
    (
        "en",
        "stacktrace",
        "PHP Fatal error:  Uncaught Error: Call to undefined function mb_strlen() in "
        "/var/www/html/index.php:9\nStack trace:\n#0 {main}\n  thrown in /var/www/html/index.php "
        "on line 9",
    ),
    (
        "en",
        "shell",
        "$ ./gradlew build\n> Task :app:compileKotlin FAILED\ne: file:///work/app/src/main/kotlin/"
        "Main.kt:5:17 Unresolved reference: Greeting\nFAILURE: Build failed with an exception.",
    ),
    (
        "en",
        "shell",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile"
        " (default-compile) on project inventory: Compilation failure\n[ERROR] /build/src/main/java/"
        "org/shop/Stock.java:[23,9] cannot find symbol",
    ),
    (
        "en",
        "shell",
        "$ pip install numpy==1.21\nERROR: Could not find a version that satisfies the requirement "
        "numpy==1.21 (from versions: 1.26.0, 1.26.1)\nERROR: No matching distribution found for "
        "numpy==1.21",
    ),
    (
        "en",
        "shell",
        "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\nnpm ERR! "
        'Found: react@18.2.0\nnpm ERR! Could not resolve dependency:\nnpm ERR! peer react@"^17.0.0"'
        " from react-beautiful-dnd@13.1.1",
    ),
    (
        "en",
        "shell",
        "error[E0382]: borrow of moved value: `config`\n --> src/main.rs:9:20\n  |\n7 |     let "
        "handle = start(config);\n  |                     ------ value moved here",
    ),
    (
        "en",
        "shell",
        "$ docker compose up\nError response from daemon: driver failed programming external "
        "connectivity on endpoint web-1: Bind for 0.0.0.0:5432 failed: port is already allocated",
    ),
    (
        "en",
        "shell",
        "$ kubectl get pods -n payments\nNAME                        READY   STATUS             "
        "RESTARTS   AGE\napi-7d9f8c6b5-x2kqp         0/1     CrashLoopBackOff   12         40m",
    ),
    (
        "en",
        "shell",
        "│ Error: Error creating S3 bucket: BucketAlreadyExists\n│\n│   with aws_s3_bucket.logs,\n"
        '│   on main.tf line 14, in resource "aws_s3_bucket" "logs":\n│   14: resource '
        '"aws_s3_bucket" "logs" {',
    ),
    (
        "en",
        "shell",
        'TASK [nginx : install packages] ****\nfatal: [web01]: FAILED! => {"changed": false, '
        '"msg": "No package matching \'nginx-full\' is available"}',
    ),
    (
        "en",
        "shell",
        "$ git push origin main\n! [rejected]        main -> main (non-fast-forward)\nerror: "
        "failed to push some refs to 'github.com:acme/website.git'",
    ),
    # code
    (
        "en",
        "code",
        'def greet(name: str) -> str:\n    return f"Hello, {name}!"\n\nprint(greet("world"))',
    ),
    (
        "en",
        "code",
        "data class User(val id: Long, val firstName: String, val lastName: String)\n"
        "val sorted = users.sortedBy { it.lastName }",
    ),
    (
        "en",
        "code",
        "SELECT e.last_name, d.dept_name FROM employees e INNER JOIN departments d ON "
        "e.dept_id = d.id WHERE d.city = 'Boston';",
    ),
    (
        "en",
        "code",
        "fn area(r: f64) -> f64 {\n    std::f64::consts::PI * r * r\n}",
    ),
    # --- German
    ("de", "famous", "Was hat Humboldt auf seiner Südamerika-Reise entdeckt?"),
    ("de", "famous", "Warum verlässt Effi Briest ihren Mann in Fontanes Roman?"),
    ("de", "famous", "Vergleiche Thomas Manns Zauberberg mit Hesses Steppenwolf."),
    ("de", "famous", "Wer war Hildegard von Bingen und was hat sie komponiert?"),
    ("de", "famous", "Erkläre Einsteins Relativitätstheorie einfach."),
    ("de", "famous", "In Goethes Faust: Warum schließt Faust den Pakt mit Mephisto?"),
    ("de", "sentence_start", "Schreibe eine kurze Zusammenfassung dieses Artikels."),
    ("de", "sentence_start", "Erstelle eine Tabelle mit den Hauptstädten Europas."),
    ("de", "sentence_start", "Kannst du diesen Satz ins Englische übersetzen?"),
    (
        "de",
        "stacktrace",
        'Warum kommt dieser Fehler?\nTraceback (most recent call last):\n  File "rechner.py", '
        "line 3, in <module>\n    print(1/0)\nZeroDivisionError: division by zero",
    ),
    (
        "de",
        "shell",
        'Was bedeutet das?\n$ cargo build\nerror: could not compile `lager` (bin "lager") due to '
        "2 previous errors",
    ),
    # --- French
    ("fr", "famous", "Pourquoi Victor Hugo a-t-il écrit Les Misérables en exil ?"),
    ("fr", "famous", "Dans Madame Bovary, pourquoi Emma s'ennuie-t-elle autant ?"),
    ("fr", "famous", "Compare la peinture de Monet et celle de Cézanne."),
    ("fr", "famous", "Qu'a découvert Pasteur sur la fermentation ?"),
    ("fr", "famous", "Explique la pensée de Simone de Beauvoir dans Le Deuxième Sexe."),
    ("fr", "sentence_start", "Rédige un courriel pour décliner poliment une invitation."),
    ("fr", "sentence_start", "Donne-moi trois idées de recettes végétariennes."),
    ("fr", "sentence_start", "Corrige les fautes de ce paragraphe, s'il te plaît."),
    (
        "fr",
        "stacktrace",
        'Que signifie cette erreur ?\nException in thread "main" java.lang.ArrayIndexOutOfBounds'
        "Exception: Index 5 out of bounds for length 5\n\tat fr.exemple.Tableau.main(Tableau.java:8)",
    ),
    (
        "fr",
        "shell",
        "Pourquoi ça échoue ?\n$ terraform apply\nError: Invalid provider configuration\n"
        'Provider "registry.terraform.io/hashicorp/aws" requires explicit configuration.',
    ),
    # --- Spanish
    ("es", "famous", "¿Por qué Cervantes hace que Don Quijote ataque los molinos?"),
    ("es", "famous", "Compara la pintura de Velázquez y Goya."),
    ("es", "famous", "¿Qué descubrió Ramón y Cajal sobre las neuronas?"),
    ("es", "famous", "En Cien años de soledad, ¿por qué Úrsula vive tanto?"),
    ("es", "famous", "Resume la vida de Frida Kahlo y Diego Rivera."),
    ("es", "famous", "¿Qué papel tuvo Simón Bolívar en la independencia de Venezuela?"),
    ("es", "sentence_start", "Escribe un poema corto sobre el mar."),
    ("es", "sentence_start", "Explica la diferencia entre ser y estar."),
    ("es", "sentence_start", "Dame una lista de verbos irregulares en pasado."),
    (
        "es",
        "stacktrace",
        '¿Qué significa esto?\nTraceback (most recent call last):\n  File "app.py", line 5, in '
        "<module>\n    import requests\nModuleNotFoundError: No module named 'requests'",
    ),
    (
        "es",
        "shell",
        "¿Cómo lo arreglo?\n$ docker build -t tienda .\nERROR: failed to solve: process "
        '"/bin/sh -c npm ci" did not complete successfully: exit code: 1',
    ),
    # --- Italian
    ("it", "famous", "Perché Dante mette Ulisse all'Inferno?"),
    ("it", "famous", "Che cosa ha scoperto Galileo Galilei con il cannocchiale?"),
    ("it", "famous", "Nei Promessi sposi, perché Don Abbondio non vuole sposare Renzo e Lucia?"),
    ("it", "famous", "Confronta Machiavelli e Guicciardini come storici."),
    ("it", "famous", "Chi era Rita Levi-Montalcini e cosa ha scoperto?"),
    ("it", "sentence_start", "Scrivi una lettera formale per chiedere un rimborso."),
    ("it", "sentence_start", "Spiega la differenza tra passato prossimo e remoto."),
    ("it", "sentence_start", "Traduci questa frase in inglese, per favore."),
    (
        "it",
        "stacktrace",
        "Cosa vuol dire?\nUncaught TypeError: x.toFixed is not a function\n"
        "    at calcola (script.js:12:9)\n    at HTMLButtonElement.onclick (index.html:20:40)",
    ),
    (
        "it",
        "shell",
        "Perché non parte?\n$ npm start\nError: Cannot find module 'express'\nRequire stack:\n"
        "- /home/app/server.js",
    ),
    # --- Dutch
    ("nl", "famous", "Waarom schilderde Rembrandt De Nachtwacht zo donker?"),
    ("nl", "famous", "Wat ontdekte Antoni van Leeuwenhoek met zijn microscoop?"),
    ("nl", "famous", "Vergelijk Erasmus en Luther over de vrije wil."),
    ("nl", "sentence_start", "Schrijf een korte samenvatting van dit artikel."),
    ("nl", "sentence_start", "Leg uit hoe een hypotheek werkt."),
    (
        "nl",
        "stacktrace",
        'Wat betekent deze fout?\nTraceback (most recent call last):\n  File "main.py", line 2, '
        "in <module>\n    x = int('abc')\nValueError: invalid literal for int() with base 10: 'abc'",
    ),
    (
        "nl",
        "shell",
        "Hoe los ik dit op?\n$ ansible-playbook site.yml\nERROR! the role 'webserver' was not "
        "found in /etc/ansible/roles",
    ),
    # --- Polish
    ("pl", "famous", "Co odkryła Maria Skłodowska-Curie?"),
    ("pl", "famous", "Dlaczego Kopernik opóźniał publikację swojego dzieła?"),
    ("pl", "famous", "W Lalce Prusa, dlaczego Wokulski kocha Izabelę?"),
    ("pl", "sentence_start", "Napisz krótki wiersz o jesieni."),
    ("pl", "sentence_start", "Wyjaśnij, jak działa fotosynteza."),
    (
        "pl",
        "shell",
        "Co znaczy ten błąd?\n$ go run .\n./main.go:8:2: undefined: fmt.Printl",
    ),
    # --- Portuguese
    ("pt", "famous", "Por que Machado de Assis é considerado o maior escritor brasileiro?"),
    ("pt", "famous", "O que Santos Dumont inventou?"),
    ("pt", "famous", "Em Os Lusíadas, quem é Vasco da Gama para Camões?"),
    ("pt", "famous", "Compare a música de Tom Jobim e Caetano Veloso."),
    ("pt", "sentence_start", "Escreva um e-mail formal pedindo férias."),
    ("pt", "sentence_start", "Explique a diferença entre juros simples e compostos."),
    (
        "pt",
        "stacktrace",
        'O que significa?\nException in thread "main" java.lang.NumberFormatException: For input '
        'string: "abc"\n\tat java.base/java.lang.Integer.parseInt(Integer.java:652)',
    ),
    (
        "pt",
        "shell",
        "Como resolvo?\n$ bundle install\nCould not find gem 'rails (~> 7.1)' in locally installed "
        "gems.",
    ),
]

P = tuple[str, str, str, tuple[str, ...]]  # (language, shape, text, values to catch)

PERSONAL: list[P] = [
    (
        "en",
        "general",
        "My colleague Priyanka Raghunathan loves Kurosawa; suggest a film for her birthday.",
        ("Priyanka Raghunathan",),
    ),
    (
        "en",
        "general",
        "Write to Dmitri Volkonsky at dvolkonsky@fastmail.com about our Tolstoy reading group.",
        ("Dmitri Volkonsky", "dvolkonsky@fastmail.com"),
    ),
    (
        "en",
        "general",
        "Remind Grant Whitfield to bring the Beethoven scores; his number is +44 7700 900123.",
        ("Grant Whitfield", "+44 7700 900123"),
    ),
    (
        "en",
        "general",
        "Hope Mensah is presenting on Darwin tomorrow, book room 4 for her.",
        ("Hope Mensah",),
    ),
    (
        "en",
        "stacktrace",
        'Traceback (most recent call last):\n  File "/home/app/run.py", line 3, in <module>\n'
        "ValueError: bad address for user: oliver.brandt@quickmail.net",
        ("oliver.brandt@quickmail.net",),
    ),
    (
        "en",
        "shell",
        "$ curl -u admin:Xq7vPl2mZr9!kT https://api.example.com/v1/orders",
        ("Xq7vPl2mZr9!kT",),
    ),
    (
        "en",
        "code",
        'customer = {"name": "Marisol Echeverría", "phone": "+34 612 345 678"}',
        ("Marisol Echeverría", "+34 612 345 678"),
    ),
    (
        "en",
        "general",
        "I live at 42 Larchmont Avenue, Stamford; is it far from where Mark Twain lived?",
        ("42 Larchmont Avenue",),
    ),
    (
        "en",
        "general",
        "Compare Napoleon's tactics with those of my coach, Barnaby Oyelaran.",
        ("Barnaby Oyelaran",),
    ),
    (
        "en",
        "general",
        "Frank Delacourt-Mbeki asked me for a summary of Dante's Inferno by Friday.",
        ("Delacourt-Mbeki",),
    ),
    (
        "en",
        "general",
        "My IBAN is GB33BUKB20201555555555; can I pay for the Louvre tickets with it?",
        ("GB33BUKB20201555555555",),
    ),
    (
        "en",
        "general",
        "Our tutor Lakshmi Subramaniam compares Hamlet and Macbeth every term.",
        ("Lakshmi Subramaniam",),
    ),
    (
        "de",
        "general",
        "Mein Kollege Jürgen Hässelbarth hält einen Vortrag über Humboldt, Tel. 0171 2345678.",
        ("Jürgen Hässelbarth", "0171 2345678"),
    ),
    (
        "de",
        "general",
        "Schreibe an Frau Annegret Wollschläger, Lindenstraße 12, 10115 Berlin, über Goethe.",
        ("Annegret Wollschläger", "Lindenstraße 12"),
    ),
    (
        "de",
        "stacktrace",
        "Fehler beim Login:\nERROR auth failed for user k.hoffmann@firma-mail.de from 198.51.100.23",
        ("k.hoffmann@firma-mail.de", "198.51.100.23"),
    ),
    (
        "fr",
        "general",
        "Ma voisine Ségolène Raffarin-Dupuis adore Monet ; son numéro est le 06 12 34 56 78.",
        ("Raffarin-Dupuis", "06 12 34 56 78"),
    ),
    (
        "fr",
        "general",
        "Envoie le résumé de Madame Bovary à Thibault Lemarchand, thibault.lemarchand@orange.fr.",
        ("Thibault Lemarchand", "thibault.lemarchand@orange.fr"),
    ),
    (
        "es",
        "general",
        "Mi profesora Remedios Castañeda Villalobos explica a Cervantes; llámala al 612 345 678.",
        ("Remedios Castañeda Villalobos", "612 345 678"),
    ),
    (
        "es",
        "general",
        "Vivo en la calle de Alcalá 123, Madrid, cerca del museo donde está Velázquez.",
        ("calle de Alcalá 123",),
    ),
    (
        "es",
        "code",
        'cliente = {"nombre": "Eustaquio Barrientos", "email": "ebarrientos@correo.es"}',
        ("Eustaquio Barrientos", "ebarrientos@correo.es"),
    ),
    (
        "it",
        "general",
        "La mia amica Ludovica Santangelo studia Dante; scrivile a ludo.santangelo@libero.it.",
        ("Ludovica Santangelo", "ludo.santangelo@libero.it"),
    ),
    (
        "it",
        "general",
        "Abito in via Garibaldi 27, Torino: quanto dista dal museo di Leonardo?",
        ("via Garibaldi 27",),
    ),
    (
        "nl",
        "general",
        "Mijn buurman Joost Verschuuren houdt van Rembrandt, bel hem op 06 87654321.",
        ("Joost Verschuuren", "06 87654321"),
    ),
    (
        "pl",
        "general",
        "Moja koleżanka Bożena Szczepańska-Kwiatkowska pisze o Koperniku, tel. 512 345 678.",
        ("Szczepańska-Kwiatkowska", "512 345 678"),
    ),
    (
        "pt",
        "general",
        "Meu primo Anderson Figueiredo Bastos adora Machado de Assis; e-mail andfb@uol.com.br.",
        ("Anderson Figueiredo Bastos", "andfb@uol.com.br"),
    ),
    (
        "en",
        "shell",
        "$ ssh deploy@203.0.113.54\nPermission denied (publickey).",
        ("203.0.113.54",),
    ),
    (
        "en",
        "code",
        'const DB_URL = "postgres://reports:T4ngerine!Owl@db.internal:5432/sales";',
        ("T4ngerine!Owl",),
    ),
    (
        "en",
        "general",
        "Will Ashcombe-Nwosu join the Shakespeare reading on Monday? Email will.an@protonmail.com.",
        ("Ashcombe-Nwosu", "will.an@protonmail.com"),
    ),
    (
        "en",
        "general",
        "Rose Okonkwo-Adeyemi wrote an essay on Jane Austen; her phone is (415) 555-0172.",
        ("Okonkwo-Adeyemi", "(415) 555-0172"),
    ),
    (
        "en",
        "general",
        "In Pride and Prejudice, is Elizabeth like my sister Henrietta Abernathy-Cole?",
        ("Abernathy-Cole",),
    ),
]

#: Known gaps, each with its reason: xfail (not strict) until a general rule covers the class.
_GAPS: dict[str, str] = {
    "Pourquoi ça échoue ?\n$ terraform apply\nError: Invalid provider configuration\n"
    'Provider "registry.terraform.io/hashicorp/aws" requires explicit configuration.': (
        "a registry address with a path in a tool's error message is reported as a domain"
    ),
}


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
    """At least 120 clean prompts and 30 personal ones, every language represented."""
    assert len(CLEAN) >= 120
    assert len(PERSONAL) >= 30
    assert {c[0] for c in CLEAN} == {"en", "de", "fr", "es", "pt", "nl", "pl", "it"}


# -- the rules behind the sets, each with cases that must stay caught ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In Jane Eyre, why does Adele live at Thornfield?",
        "In War and Peace, does Natasha really love Andrei?",
        "Dans Les Misérables, pourquoi Fantine vend-elle ses cheveux ?",
        "In Der Zauberberg: Warum bleibt Hans so lange im Sanatorium?",
        "En Don Quijote de la Mancha, ¿quién es Dulcinea?",
        "Nella Divina Commedia, chi accompagna Dante dopo Virgilio?",
    ],
)
def test_a_lone_given_name_in_a_sentence_about_a_famous_work_is_a_character(
    detector: Detector, text: str
) -> None:
    assert [k for k, _ in shown(detector.detect(text)) if k == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a work in another sentence, a first-person sentence, a cue, a full name
        ("Natasha called about the rota. We are reading War and Peace.", "Natasha"),
        ("My sister Fantine loves Les Misérables.", "Fantine"),
        ("Please ask Hans Oberreiter whether he has read Der Zauberberg.", "Oberreiter"),
        ("Zeg tegen Joost Verschuuren dat Max Havelaar uit is.", "Verschuuren"),
    ],
)
def test_a_person_next_to_a_famous_work_is_still_found(
    detector: Detector, text: str, name: str
) -> None:
    found = shown(detector.detect(text))
    assert any(kind == "PERSON" and name in value for kind, value in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Compare Kant and Hume on causation.",
        "¿Qué descubrió Ramón y Cajal sobre las neuronas?",
        "Wat ontdekte Antoni van Leeuwenhoek?",
        "Vergleiche Thomas Manns Zauberberg mit Hesses Steppenwolf.",
        "Compara la pintura de Velázquez y Goya.",
    ],
)
def test_every_capitalised_word_of_a_famous_name_or_title(detector: Detector, text: str) -> None:
    """Genitives, particles and names joined by "and" / "y" are read as the famous names."""
    assert shown(detector.detect(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Frank question: is Rust harder to learn than Go?",
        "Bill shock: why does my phone bill double in March?",
        "Mark scheme for this essay, please: five criteria.",
    ],
)
def test_a_name_that_is_a_word_before_a_bare_noun_is_the_word(
    detector: Detector, text: str
) -> None:
    assert shown(detector.detect(text)) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Frank called twice about the invoice.", "Frank"),
        ("Bill Hargreaves sent the contract.", "Bill Hargreaves"),
        ("Grant Holloway question: can he start Monday?", "Grant Holloway"),
    ],
)
def test_a_name_that_is_a_word_before_a_verb_or_surname_is_a_name(
    detector: Detector, text: str, name: str
) -> None:
    found = shown(detector.detect(text))
    assert any(kind == "PERSON" and name in value for kind, value in found), found


def test_a_place_under_a_key_in_code_needs_a_person_beside_it(detector: Detector) -> None:
    assert shown(detector.detect("SELECT * FROM stores WHERE city = 'Lyon';")) == []
    assert shown(detector.detect('defaults = {"city": "Lyon", "currency": "EUR"}')) == []
    found = shown(detector.detect('row = {"name": "Jan Kowalczyk", "city": "Lyon"}'))
    assert ("PERSON", "Jan Kowalczyk") in found
    assert ("LOCATION", "Lyon") in found


@pytest.mark.parametrize(
    "text",
    [
        '│ Error: Unsupported argument\n│\n│   on variables.tf line 3, in variable "region":',
        'Error: Reference to undeclared resource\n\n  on network.tf line 22, in module "vpc":',
    ],
)
def test_terraform_diagnostics_are_code(detector: Detector, text: str) -> None:
    assert shown(detector.detect(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "What is the population of Chelsea, Massachusetts?",
        "How far is Florence, Alabama from Nashville?",
        "Quelle est la population de Victoria, Canada ?",
    ],
)
def test_a_name_followed_by_its_region_is_a_town(detector: Detector, text: str) -> None:
    assert [k for k, _ in shown(detector.detect(text)) if k == "PERSON"] == []


def test_a_person_before_a_region_is_kept_with_a_cue_or_in_first_person(
    detector: Detector,
) -> None:
    found = shown(detector.detect("Please ask Chelsea, Boston office, about the refund."))
    assert ("PERSON", "Chelsea") in found
    found = shown(detector.detect("I moved to Chelsea, Massachusetts last year."))
    assert any("Chelsea" in value for _, value in found), found
