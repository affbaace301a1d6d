"""People, employers, places and postcodes in the shapes users paste, in eight languages.

Written before the gate was run on them (round 2, R4). Each case is (language, shape, text,
values that must be covered): chat lines, e-mail signatures, notes, CSV/TSV tables, JSON and
YAML values under a name/company/city/postcode key, log lines, forms ("Name: ...", "Nom : ...",
"Nachname: ..."), names with particles and Polish case endings, employers and home towns in
first-person sentences ("ich arbeite bei ...", "j'habite à ...", "pracuję w ..."), and postal
address blocks whose street has no street-type word. The negatives are the same shapes with no
personal data: they must stay untouched.
"""

from __future__ import annotations

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from tests.core.privacy.helpers import covered

C = tuple[str, str, str, tuple[str, ...]]
CASES: list[C] = [
    # ---------------------------------------------------------------- key/value: JSON, YAML
    ("en", "json", '{"name": "Jan Kowalski", "role": "admin"}', ("Jan Kowalski",)),
    ("en", "json", '{"full_name": "Oluwaseun Adeyemi", "plan": "pro"}', ("Oluwaseun Adeyemi",)),
    ("en", "json", '{"customer": "Mariana Figueira", "total": 129.5}', ("Mariana Figueira",)),
    ("en", "json", '{"to": "Henrik Lindqvist", "subject": "Invoice 4471"}', ("Henrik Lindqvist",)),
    (
        "en",
        "json",
        '[{"contact": "Aoife Brennan", "company": "Brennan Joinery Ltd", "city": "Galway"}]',
        ("Aoife Brennan", "Brennan Joinery Ltd", "Galway"),
    ),
    (
        "en",
        "json",
        '{"author": "Tomasz Wiśniewski", "reviewer": "Kateryna Bondar"}',
        ("Tomasz Wiśniewski", "Kateryna Bondar"),
    ),
    (
        "fr",
        "json",
        '{"nom": "Lemaire", "prénom": "Solène", "ville": "Angers", "code_postal": "49100"}',
        ("Lemaire", "Solène", "Angers", "49100"),
    ),
    (
        "de",
        "json",
        '{"Nachname": "Brandstätter", "Vorname": "Jörg", "Ort": "Regensburg", "PLZ": "93047"}',
        ("Brandstätter", "Jörg", "Regensburg", "93047"),
    ),
    (
        "es",
        "json",
        '{"nombre": "Inmaculada de la Fuente", "empresa": "Talleres Ortuño S.L."}',
        ("Inmaculada de la Fuente", "Talleres Ortuño S.L."),
    ),
    (
        "it",
        "json",
        '{"nome": "Gianluca Ferraresi", "azienda": "Ferraresi Impianti S.r.l.", "cap": "40121"}',
        ("Gianluca Ferraresi", "Ferraresi Impianti S.r.l.", "40121"),
    ),
    (
        "nl",
        "json",
        '{"naam": "Pieter van der Berg", "woonplaats": "Apeldoorn", "postcode": "7311 KZ"}',
        ("Pieter van der Berg", "Apeldoorn", "7311 KZ"),
    ),
    (
        "pl",
        "json",
        '{"imię i nazwisko": "Agnieszka Wróblewska", "miasto": "Bydgoszcz", "kod": "85-001"}',
        ("Agnieszka Wróblewska", "Bydgoszcz"),
    ),
    (
        "pt",
        "json",
        '{"nome": "Joana dos Santos", "cidade": "Braga", "codigo_postal": "4700-320"}',
        ("Joana dos Santos", "Braga", "4700-320"),
    ),
    (
        "en",
        "json",
        '{"from": "Rui Albuquerque", "cc": "Leilani Kahale", "body": "see attached"}',
        ("Rui Albuquerque", "Leilani Kahale"),
    ),
    (
        "en",
        "json",
        '{"employer": "Quillfeather Analytics", "zip": "60614", "name": "Dana Whitcombe"}',
        ("Quillfeather Analytics", "60614", "Dana Whitcombe"),
    ),
    (
        "en",
        "yaml",
        "owner:\n  name: Siobhan Gallagher\n  email_opt_in: true\n  city: Limerick\n",
        ("Siobhan Gallagher", "Limerick"),
    ),
    (
        "de",
        "yaml",
        "kunde:\n  name: Ulrike Hofstätter\n  firma: Hofstätter Bau GmbH\n  plz: 4020\n",
        ("Ulrike Hofstätter", "Hofstätter Bau GmbH"),
    ),
    ("en", "json", '{"postal_code": "SW1A 2AA", "country": "UK"}', ("SW1A 2AA",)),
    ("en", "json", '{"zipCode": "94110", "state": "CA"}', ("94110",)),
    ("fr", "json", '{"client": "Maëlle Kerjean", "montant": 82}', ("Maëlle Kerjean",)),
    # ---------------------------------------------------------------- forms
    (
        "en",
        "form",
        "Name: Ebony Castellanos\nDate: 12 March\nReason: refund",
        ("Ebony Castellanos",),
    ),
    (
        "en",
        "form",
        "Full name: Rajesh Narayanan\nCompany: Narayanan Textiles",
        ("Rajesh Narayanan", "Narayanan Textiles"),
    ),
    (
        "en",
        "form",
        "Customer: Bronwyn Tregear\nOrder: 55120\nCity: Truro",
        ("Bronwyn Tregear", "Truro"),
    ),
    (
        "fr",
        "form",
        "Nom : Pelletier\nPrénom : Anaïs\nVille : Valence",
        ("Pelletier", "Anaïs", "Valence"),
    ),
    (
        "fr",
        "form",
        "Nom complet : Grégoire Vasseur\nSociété : Vasseur Frères SARL",
        ("Grégoire Vasseur", "Vasseur Frères SARL"),
    ),
    (
        "de",
        "form",
        "Nachname: Oberhuber\nVorname: Wolfgang\nWohnort: Passau",
        ("Oberhuber", "Wolfgang", "Passau"),
    ),
    (
        "de",
        "form",
        "Name: Kerstin Lindemann\nArbeitgeber: Lindemann & Söhne KG",
        ("Kerstin Lindemann", "Lindemann & Söhne KG"),
    ),
    (
        "es",
        "form",
        "Nombre: Begoña Etxeberria\nCiudad: Vitoria\nCódigo postal: 01001",
        ("Begoña Etxeberria", "Vitoria", "01001"),
    ),
    (
        "es",
        "form",
        "Apellidos: García Villanueva\nNombre: Remedios",
        ("García Villanueva", "Remedios"),
    ),
    (
        "it",
        "form",
        "Cognome: Zanetti\nNome: Ludovica\nCittà: Treviso\nCAP: 31100",
        ("Zanetti", "Ludovica", "Treviso", "31100"),
    ),
    (
        "nl",
        "form",
        "Naam: Sanne Hoekstra\nWoonplaats: Leeuwarden\nWerkgever: Hoekstra Transport B.V.",
        ("Sanne Hoekstra", "Leeuwarden", "Hoekstra Transport B.V."),
    ),
    ("nl", "form", "Achternaam: de Vries\nVoornaam: Maarten", ("de Vries", "Maarten")),
    (
        "pl",
        "form",
        "Imię i nazwisko: Krzysztof Zieliński\nMiasto: Toruń\nKod pocztowy: 87-100",
        ("Krzysztof Zieliński", "Toruń", "87-100"),
    ),
    (
        "pl",
        "form",
        "Nazwisko: Jabłońska\nImię: Halina\nPracodawca: Jabłoński Meble Sp. z o.o.",
        ("Jabłońska", "Halina", "Jabłoński Meble Sp. z o.o."),
    ),
    (
        "pt",
        "form",
        "Nome: Tiago Gonçalves\nCidade: Coimbra\nEmpresa: Gonçalves & Filhos Lda",
        ("Tiago Gonçalves", "Coimbra", "Gonçalves & Filhos Lda"),
    ),
    (
        "pt",
        "form",
        "Nome completo: Luíza Carvalho Moreira\nCEP: 30130-010",
        ("Luíza Carvalho Moreira", "30130-010"),
    ),
    (
        "en",
        "form",
        "Applicant: Temitope Balogun\nEmployer: Harbourview Dental\nTown: Whitby",
        ("Temitope Balogun", "Harbourview Dental", "Whitby"),
    ),
    ("en", "form", "Contact: Mirela Dragomir, Zip: 30309", ("Mirela Dragomir", "30309")),
    (
        "it",
        "form",
        "Nominativo: Salvatore Caruso\nDitta: Caruso Trasporti S.p.A.",
        ("Salvatore Caruso", "Caruso Trasporti S.p.A."),
    ),
    (
        "fr",
        "form",
        "Destinataire : Yannick Le Goff\nCode postal : 29200",
        ("Yannick Le Goff", "29200"),
    ),
    # ---------------------------------------------------------------- CSV / TSV
    (
        "en",
        "csv",
        "name,company,city\nDarius Farahani,Farahani Rugs,Leeds\nMeera Pillai,Pillai Foods,Leicester\n",
        ("Darius Farahani", "Farahani Rugs", "Leeds", "Meera Pillai", "Pillai Foods", "Leicester"),
    ),
    (
        "en",
        "csv",
        "id;customer;zip\n1;Lorenzo Bassi;02139\n2;Akua Mensah;10027\n",
        ("Lorenzo Bassi", "02139", "Akua Mensah", "10027"),
    ),
    (
        "de",
        "csv",
        "Nachname;Vorname;Ort;PLZ\nKraus;Sabine;Ulm;89073\nYilmaz;Emre;Hagen;58095\n",
        ("Kraus", "Sabine", "Ulm", "89073", "Yilmaz", "Emre", "Hagen", "58095"),
    ),
    (
        "fr",
        "csv",
        "nom,prénom,ville\nMoreau,Chloé,Nancy\nBenali,Karim,Rouen\n",
        ("Moreau", "Chloé", "Nancy", "Benali", "Karim", "Rouen"),
    ),
    (
        "es",
        "csv",
        "nombre\tciudad\tempresa\nLucía Ferrándiz\tAlicante\tFerrándiz Hermanos\nXabier Goikoetxea\tBilbao\tGoiko Maderas\n",
        ("Lucía Ferrándiz", "Alicante", "Xabier Goikoetxea", "Bilbao"),
    ),
    (
        "it",
        "csv",
        "cognome,nome,città\nRinaldi,Ottavia,Lecce\nDe Luca,Matteo,Pescara\n",
        ("Rinaldi", "Ottavia", "Lecce", "De Luca", "Matteo", "Pescara"),
    ),
    (
        "nl",
        "csv",
        "naam;plaats\nFemke de Jong;Zwolle\nBram van Dijk;Haarlem\n",
        ("Femke de Jong", "Zwolle", "Bram van Dijk", "Haarlem"),
    ),
    (
        "pl",
        "csv",
        "nazwisko,imię,miasto\nKaczmarek,Dorota,Opole\nWójcik,Marek,Kielce\n",
        ("Kaczmarek", "Dorota", "Opole", "Wójcik", "Marek", "Kielce"),
    ),
    (
        "pt",
        "csv",
        "nome;cidade;cep\nRenata Albuquerque;Recife;50030-230\nCaio Menezes;Natal;59010-000\n",
        ("Renata Albuquerque", "Recife", "50030-230", "Caio Menezes", "Natal"),
    ),
    (
        "en",
        "csv",
        "employee\temployer\nGrainne Walsh\tCorrib Software\nTunde Bakare\tLagoon Logistics\n",
        ("Grainne Walsh", "Corrib Software", "Tunde Bakare", "Lagoon Logistics"),
    ),
    (
        "en",
        "csv",
        "first_name,last_name,postcode\nIsla,MacLeod,EH8 9YL\nRory,Fitzgerald,BT7 1NN\n",
        ("Isla", "MacLeod", "EH8 9YL", "Rory", "Fitzgerald", "BT7 1NN"),
    ),
    # ---------------------------------------------------------------- log lines
    (
        "en",
        "log",
        "2024-05-02 10:14:07 INFO user Jan Kowalski logged in from 10.0.0.12",
        ("Jan Kowalski",),
    ),
    (
        "en",
        "log",
        "[warn] password reset requested by Ingrid Solberg (id 8812)",
        ("Ingrid Solberg",),
    ),
    ("en", "log", "12:01:33 order 5531 shipped to Precious Ndlovu, Durban", ("Precious Ndlovu",)),
    (
        "de",
        "log",
        "2024-06-11 08:00:01 Benutzer Heinrich Albers hat sich angemeldet",
        ("Heinrich Albers",),
    ),
    (
        "fr",
        "log",
        "ERREUR 14:22 : échec de connexion pour l'utilisateur Thibault Marchand",
        ("Thibault Marchand",),
    ),
    ("es", "log", "INFO pedido 7781 creado por Rocío Valdivia desde Sevilla", ("Rocío Valdivia",)),
    (
        "en",
        "log",
        'level=info msg="profile updated" name="Ayesha Siddiqui" city="Karachi"',
        ("Ayesha Siddiqui", "Karachi"),
    ),
    ("en", "log", "audit: record 3321 edited by author=Bartosz Michalski", ("Bartosz Michalski",)),
    # ---------------------------------------------------------------- e-mail signatures
    (
        "en",
        "signature",
        "Thanks,\nCallum Rennie\nSenior Planner\nBrackenridge Surveying\nInverness",
        ("Callum Rennie", "Brackenridge Surveying", "Inverness"),
    ),
    (
        "de",
        "signature",
        "Viele Grüße\nAnnika Wendt\nTeamleitung Einkauf\nWendt Logistik GmbH\nBielefeld",
        ("Annika Wendt", "Wendt Logistik GmbH", "Bielefeld"),
    ),
    (
        "fr",
        "signature",
        "Cordialement,\nBérénice Fauchard\nResponsable RH\nFauchard Conseil\nRennes",
        ("Bérénice Fauchard", "Fauchard Conseil", "Rennes"),
    ),
    (
        "es",
        "signature",
        "Un saludo,\nÁlvaro Castañeda\nDirector comercial\nCastañeda Vinos S.A.\nLogroño",
        ("Álvaro Castañeda", "Castañeda Vinos S.A.", "Logroño"),
    ),
    (
        "it",
        "signature",
        "Cordiali saluti,\nBeatrice Lombardo\nUfficio acquisti\nLombardo Ceramiche\nFaenza",
        ("Beatrice Lombardo", "Lombardo Ceramiche", "Faenza"),
    ),
    (
        "nl",
        "signature",
        "Met vriendelijke groet,\nJoost Verhoeven\nAccountmanager\nVerhoeven Installatietechniek\nTilburg",
        ("Joost Verhoeven", "Verhoeven Installatietechniek", "Tilburg"),
    ),
    (
        "pl",
        "signature",
        "Pozdrawiam,\nMagdalena Kowalczyk\nSpecjalista ds. kadr\nKowalczyk Transport\nLublin",
        ("Magdalena Kowalczyk", "Kowalczyk Transport", "Lublin"),
    ),
    (
        "pt",
        "signature",
        "Atenciosamente,\nRodrigo Bastos\nGerente de projetos\nBastos Engenharia Ltda\nCuritiba",
        ("Rodrigo Bastos", "Bastos Engenharia Ltda", "Curitiba"),
    ),
    (
        "en",
        "signature",
        "--\nPriyanka Raghunathan | Head of Data | Tidewater Health | Norfolk, VA",
        ("Priyanka Raghunathan", "Tidewater Health"),
    ),
    (
        "en",
        "signature",
        "Best regards,\nMateus Oyelaran\nOperations, Kestrel Freight Ltd.\nTel: +44 20 7946 0321",
        ("Mateus Oyelaran", "Kestrel Freight Ltd"),
    ),
    # ---------------------------------------------------------------- employers in personal sentences
    (
        "en",
        "chat",
        "I work at Ravenshaw Biotech and my manager wants a summary by Friday",
        ("Ravenshaw Biotech",),
    ),
    ("en", "chat", "I'm based in Dundee and I commute to Perth twice a week", ("Dundee",)),
    (
        "en",
        "chat",
        "we moved to Tauranga last year, can you help me find a dentist?",
        ("Tauranga",),
    ),
    (
        "en",
        "notes",
        "Started my new job at Greyfriars Insurance today, still learning the systems",
        ("Greyfriars Insurance",),
    ),
    (
        "de",
        "chat",
        "Ich arbeite bei Sandmeier Elektrotechnik und brauche ein Arbeitszeugnis.",
        ("Sandmeier Elektrotechnik",),
    ),
    (
        "de",
        "chat",
        "Ich wohne in Gelsenkirchen und suche eine Wohnung in der Nähe.",
        ("Gelsenkirchen",),
    ),
    (
        "de",
        "chat",
        "Seit März arbeite ich bei der Brückner Maschinenbau GmbH als Konstrukteur.",
        ("Brückner Maschinenbau GmbH",),
    ),
    (
        "de",
        "chat",
        "Wir wohnen seit 2019 in Radebeul, meine Frau arbeitet bei Elbflorenz Reisen.",
        ("Radebeul", "Elbflorenz Reisen"),
    ),
    (
        "fr",
        "chat",
        "Je travaille chez Boulangerie Marchetti depuis trois ans, comment demander une augmentation ?",
        ("Boulangerie Marchetti",),
    ),
    ("fr", "chat", "J'habite à Villeurbanne et je cherche une crèche.", ("Villeurbanne",)),
    (
        "fr",
        "chat",
        "Mon mari travaille chez Transports Gaudin à Cholet.",
        ("Transports Gaudin", "Cholet"),
    ),
    ("fr", "chat", "Nous habitons à Saint-Brieuc depuis l'an dernier.", ("Saint-Brieuc",)),
    (
        "es",
        "chat",
        "Trabajo en Conservas Arrieta y necesito redactar mi carta de renuncia.",
        ("Conservas Arrieta",),
    ),
    ("es", "chat", "Vivo en Albacete con mi pareja y buscamos piso.", ("Albacete",)),
    (
        "es",
        "chat",
        "Mi hermana trabaja para Ópticas Berrocal en Cáceres.",
        ("Ópticas Berrocal", "Cáceres"),
    ),
    (
        "it",
        "chat",
        "Lavoro presso Officine Brambilla e vorrei chiedere un aumento.",
        ("Officine Brambilla",),
    ),
    ("it", "chat", "Abito a Vicenza da cinque anni, mi consigli un buon medico?", ("Vicenza",)),
    (
        "it",
        "chat",
        "Mia moglie lavora per Sartoria Gennari a Biella.",
        ("Sartoria Gennari", "Biella"),
    ),
    (
        "nl",
        "chat",
        "Ik werk bij Van Leeuwen Bouw en wil een sollicitatiebrief schrijven.",
        ("Van Leeuwen Bouw",),
    ),
    ("nl", "chat", "Ik woon in Amersfoort en zoek een huisarts.", ("Amersfoort",)),
    (
        "nl",
        "chat",
        "Mijn broer werkt bij Drukkerij Smit in Zaandam.",
        ("Drukkerij Smit", "Zaandam"),
    ),
    (
        "pl",
        "chat",
        "Pracuję w firmie Drewpol Stolarstwo i potrzebuję napisać wypowiedzenie.",
        ("Drewpol Stolarstwo",),
    ),
    ("pl", "chat", "Mieszkam w Gliwicach od dwóch lat.", ("Gliwicach",)),
    (
        "pl",
        "chat",
        "Mój mąż pracuje w Hurtowni Nowaczyk w Kaliszu.",
        ("Hurtowni Nowaczyk", "Kaliszu"),
    ),
    (
        "pt",
        "chat",
        "Trabalho na Padaria Bragança e preciso de uma carta de demissão.",
        ("Padaria Bragança",),
    ),
    ("pt", "chat", "Moro em Niterói com a minha família.", ("Niterói",)),
    (
        "pt",
        "chat",
        "O meu pai trabalha na Cortiças Almeida em Aveiro.",
        ("Cortiças Almeida", "Aveiro"),
    ),
    (
        "en",
        "chat",
        "my sister lives in Ballarat and works for Goldfields Veterinary",
        ("Ballarat", "Goldfields Veterinary"),
    ),
    (
        "en",
        "email",
        "Hi team, I've just joined Larkspur Robotics as a firmware engineer in Eindhoven.",
        ("Larkspur Robotics",),
    ),
    # ---------------------------------------------------------------- names with particles, inflection
    (
        "nl",
        "chat",
        "Kun je een mail schrijven aan Pieter van der Berg over de factuur?",
        ("Pieter van der Berg",),
    ),
    (
        "es",
        "chat",
        "Escribe un correo a Inmaculada de la Fuente sobre la reunión del lunes.",
        ("Inmaculada de la Fuente",),
    ),
    (
        "pt",
        "chat",
        "Escreva um e-mail para Joana dos Santos a confirmar a entrega.",
        ("Joana dos Santos",),
    ),
    (
        "pl",
        "chat",
        "Napisz maila do Agnieszki Kowalskiej w sprawie urlopu.",
        ("Agnieszki Kowalskiej",),
    ),
    (
        "pl",
        "chat",
        "Przekaż dokumenty panu Kowalskiemu i zapytaj Piotra Nowaka o termin.",
        ("Kowalskiemu", "Piotra Nowaka"),
    ),
    (
        "pl",
        "chat",
        "Spotkanie z Tomaszem Lewandowskim przesunięto na czwartek.",
        ("Tomaszem Lewandowskim",),
    ),
    (
        "it",
        "chat",
        "Scrivi una mail a Giulia Di Stefano per confermare l'appuntamento.",
        ("Giulia Di Stefano",),
    ),
    (
        "de",
        "chat",
        "Schreib bitte eine E-Mail an Friedrich von Hohenau wegen der Rechnung.",
        ("Friedrich von Hohenau",),
    ),
    (
        "fr",
        "chat",
        "Écris à Marie-Claire de Saint-Aubin pour confirmer le rendez-vous.",
        ("Marie-Claire de Saint-Aubin",),
    ),
    (
        "nl",
        "notes",
        "notulen: Anouk de Wit en Ruud van den Heuvel waren afwezig",
        ("Anouk de Wit", "Ruud van den Heuvel"),
    ),
    # ---------------------------------------------------------------- chat and notes
    (
        "en",
        "chat",
        "can you remind me what Olamide Ajayi said about the budget?",
        ("Olamide Ajayi",),
    ),
    (
        "en",
        "notes",
        "- call back Zainab Qureshi re: tenancy deposit\n- book MOT",
        ("Zainab Qureshi",),
    ),
    ("de", "notes", "TODO: Rückruf bei Frau Schwarzenbacher wegen Kaution", ("Schwarzenbacher",)),
    ("fr", "notes", "À faire : rappeler M. Guillemot pour le devis", ("Guillemot",)),
    ("es", "notes", "Pendiente: llamar a la señora Oyarzábal por el presupuesto", ("Oyarzábal",)),
    ("it", "notes", "Da fare: richiamare il sig. Bellandi per il preventivo", ("Bellandi",)),
    # ---------------------------------------------------------------- postal address blocks
    (
        "en",
        "address",
        "Ship to:\nKeziah Ombati\n48 Kingfisher Crescent\nApt 3\nNairobi\nKenya 00100",
        ("Keziah Ombati", "48 Kingfisher Crescent"),
    ),
    (
        "en",
        "address",
        "> Lorcan Devlin\n> 17 Ardmore Park\n> Bray\n> Ireland A98 X2Y4",
        ("17 Ardmore Park",),
    ),
    ("en", "address", "Please send it to 214 Akti Miaouli, Piraeus, Greece", ("214 Akti Miaouli",)),
    (
        "en",
        "address",
        "Invoice address:\n| Ragnhild Sæther\n| 35 Bygdøy allé 12\n| Suite 4\n| Oslo\n| Norway 0262",
        ("Bygdøy allé 12",),
    ),
    (
        "en",
        "address",
        "Our office: 1250 Ridgecrest Pkwy Ste 210, Boulder, CO 80301",
        ("1250 Ridgecrest Pkwy Ste 210", "80301"),
    ),
    (
        "en",
        "address",
        "He lives at the far end of Cloverdale Terrace 9, near the park.",
        ("Cloverdale Terrace 9",),
    ),
    (
        "en",
        "address",
        "Mailing address: 88 Quarry Bnd, Unit 5B, Asheville, NC 28801",
        ("88 Quarry Bnd", "28801"),
    ),
    (
        "en",
        "address",
        "Deliver to 402 Juniper Holw, Lot 7, Pineville, LA 71360",
        ("402 Juniper Holw", "71360"),
    ),
    ("en", "address", "Send the keys to 9 Harcourt Mnr, Flat 2, Sligo", ("9 Harcourt Mnr",)),
    (
        "de",
        "address",
        "Lieferadresse: Lindenhof 7a, 88131 Lindau",
        ("Lindenhof 7a", "88131 Lindau"),
    ),
]

NEGATIVES: list[tuple[str, str, str]] = [
    ("en", "json", '{"name": "my-service", "version": "1.2.0", "private": true}'),
    ("en", "json", '{"name": "Default Profile", "theme": "dark"}'),
    ("en", "yaml", "name: build\non:\n  push:\n    branches: [main]\n"),
    ("en", "form", "Name: (required)\nCity: (optional)"),
    ("en", "csv", "name,price,stock\nWidget,4.50,12\nGadget,7.25,3\n"),
    ("en", "log", "2024-05-02 10:14:07 INFO user session expired, logged out"),
    ("en", "chat", "What companies are based in Zurich besides Nestlé?"),
    ("en", "chat", "Compare the cost of living in Lisbon and Porto."),
    ("de", "chat", "Welche Sehenswürdigkeiten gibt es in Dresden?"),
    ("de", "chat", "Wie funktioniert die Mülltrennung in Deutschland?"),
    ("fr", "chat", "Quels sont les meilleurs musées à Paris ?"),
    ("fr", "chat", "Comment fonctionne la garantie décennale en France ?"),
    ("es", "chat", "¿Qué tiempo hace en Madrid en abril?"),
    ("es", "chat", "Explícame cómo funciona el IVA en España."),
    ("it", "chat", "Quali sono i piatti tipici di Bologna?"),
    ("it", "chat", "Come si calcola l'IMU sulla seconda casa?"),
    ("nl", "chat", "Wat is de beste tijd om Amsterdam te bezoeken?"),
    ("nl", "chat", "Hoe werkt de huurtoeslag in Nederland?"),
    ("pl", "chat", "Jakie są najciekawsze zabytki w Krakowie?"),
    ("pl", "chat", "Jak działa podatek od nieruchomości w Polsce?"),
    ("pt", "chat", "Quais são as praias mais bonitas do Algarve?"),
    ("pt", "chat", "Como funciona o IRS em Portugal?"),
    ("en", "code", 'config = {"name": "worker", "city": None, "zip": ""}'),
    ("en", "chat", "I work at a bakery and want to learn bookkeeping. Where do I start?"),
    ("en", "chat", "Format the output as a table with the columns Name, City and Company."),
]


@pytest.mark.parametrize(("lang", "shape", "text", "values"), CASES, ids=lambda v: str(v)[:40])
def test_people_places_and_employers_are_caught(
    detector: Detector, lang: str, shape: str, text: str, values: tuple[str, ...]
) -> None:
    findings = detector.detect(text)
    for value in values:
        start = text.index(value)
        end = start + len(value)
        assert covered(findings, start, end) * 10 >= 9 * (end - start), (
            f"{lang}/{shape}: {value!r} not covered in {text!r}: "
            f"{[(f.type, f.text) for f in findings]}"
        )


@pytest.mark.parametrize(("lang", "shape", "text"), NEGATIVES, ids=lambda v: str(v)[:40])
def test_same_shapes_without_personal_data_stay_untouched(
    detector: Detector, lang: str, shape: str, text: str
) -> None:
    findings = detector.detect(text)
    assert findings == [], f"{lang}/{shape}: {[(f.type, f.text, f.source) for f in findings]}"


def test_the_examples_cover_eight_languages_and_many_shapes() -> None:
    assert len(CASES) >= 120
    assert {c[0] for c in CASES} >= {"en", "fr", "de", "es", "it", "nl", "pl", "pt"}
    assert {c[1] for c in CASES} >= {"json", "form", "csv", "log", "signature", "chat", "notes"}
