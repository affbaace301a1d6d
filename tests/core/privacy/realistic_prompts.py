"""Hand-written realistic prompts for the privacy gate, as users really type them.

``PII_PROMPTS`` carry the values that must be caught (each occurrence of each value is located in
the text and must be covered at least half by findings); ``CLEAN_PROMPTS`` must produce no
findings at all. Every name, number and key below is invented; card numbers pass Luhn, IBANs pass
mod 97 and keys have the right shape so that the checksums are exercised, but none is real
(AWS's and Stripe's documented example keys are used where a provider publishes one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    """A prompt and the values in it that the gate must catch."""

    text: str
    expected: tuple[str, ...]
    kind: str = ""


def locate(text: str, value: str) -> list[tuple[int, int]]:
    """Every occurrence of ``value`` in ``text`` as (start, end)."""
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(value), text)]
    if not spans:
        raise ValueError(f"{value!r} not in {text!r}")
    return spans


P = Prompt
PII_PROMPTS: list[Prompt] = [
    # --- names, many cultures and cases
    P(
        "my colleague Priya said the report is late, can you help me write a polite reminder to her?",
        ("Priya",),
        "name",
    ),
    P(
        "tell Ahmed that the meeting moved to 3pm and ask him to bring the slides",
        ("Ahmed",),
        "name",
    ),
    P(
        "Write a birthday message for my sister Ngozi Okonkwo, she's turning 30",
        ("Ngozi Okonkwo",),
        "name",
    ),
    P("can you draft an email to wei zhang about the delayed shipment", ("wei zhang",), "name"),
    P(
        "PLEASE SUMMARISE THIS COMPLAINT FROM DMITRI IVANOV ABOUT HIS BILL",
        ("DMITRI IVANOV",),
        "name",
    ),
    P(
        "My manager Nguyen Van Minh wants the Q3 numbers by Friday. How do I phrase a request for more time?",
        ("Nguyen Van Minh",),
        "name",
    ),
    P(
        "Dear Siobhan, thanks for the lovely dinner. Could you rewrite this to sound warmer?",
        ("Siobhan",),
        "name",
    ),
    P(
        "I need a reference letter for Oluwaseun Adeyemi who worked with me for 3 years",
        ("Oluwaseun Adeyemi",),
        "name",
    ),
    P(
        "translate to spanish: Hi Carmen, María José will pick you up at the airport",
        ("Carmen", "María José"),
        "name",
    ),
    P(
        "rajesh kumar and fatima begum are my new team members, suggest an icebreaker",
        ("rajesh kumar", "fatima begum"),
        "name",
    ),
    P(
        "How should I reply to Mohammed Al-Farsi who asked for a refund twice?",
        ("Mohammed Al-Farsi",),
        "name",
    ),
    P(
        "Olga Petrovna Smirnova is my landlord and she won't return the deposit. What are my rights?",
        ("Olga Petrovna Smirnova",),
        "name",
    ),
    P("ask Chen Jing if she can cover my shift on saturday", ("Chen Jing",), "name"),
    P(
        "Write a LinkedIn recommendation for Sebastián Rodríguez, he was my intern",
        ("Sebastián Rodríguez",),
        "name",
    ),
    P("my son Kwame has a fever of 38.5, what should I do", ("Kwame",), "name"),
    P(
        "Rewrite: 'Hey Jurgen, Anneliese and I can't make it tonight.'",
        ("Jurgen", "Anneliese"),
        "name",
    ),
    P(
        "Patient: Tran Thi Mai, 54, presenting with chest pain. Draft a referral note.",
        ("Tran Thi Mai",),
        "name",
    ),
    P(
        "i'm writing a complaint about agnieszka kowalska from customer service",
        ("agnieszka kowalska",),
        "name",
    ),
    P(
        "Summarise this thread for Hiroshi Tanaka and Yuki Sato",
        ("Hiroshi Tanaka", "Yuki Sato"),
        "name",
    ),
    P("My name is Aarav Patel and I want to dispute a charge", ("Aarav Patel",), "name"),
    P(
        "Can you help me write a eulogy for my grandfather, Giuseppe Bianchi?",
        ("Giuseppe Bianchi",),
        "name",
    ),
    P(
        "Please proofread this: 'Jean-Pierre Dubois has been promoted to director.'",
        ("Jean-Pierre Dubois",),
        "name",
    ),
    P("email from SARAH O'CONNOR: 'running late, start without me'", ("SARAH O'CONNOR",), "name"),
    P(
        "Ivana Horvat and Lukas Becker are getting married, give me a toast idea",
        ("Ivana Horvat", "Lukas Becker"),
        "name",
    ),
    P("remind me to call amina yusuf tomorrow about the contract", ("amina yusuf",), "name"),
    # --- addresses, many countries
    P(
        "Please write a letter to my landlord, I live at 42 Maple Avenue, Springfield, IL 62704",
        ("42 Maple Avenue, Springfield, IL 62704",),
        "address",
    ),
    P(
        "Ship it to 10 Downing Street, London SW1A 2AA please",
        ("10 Downing Street, London SW1A 2AA",),
        "address",
    ),
    P(
        "My new address is 24 Sussex Drive, Ottawa, ON K1M 1M4",
        ("24 Sussex Drive, Ottawa, ON K1M 1M4",),
        "address",
    ),
    P(
        "Wir wohnen jetzt in der Hauptstraße 5, 10115 Berlin. Can you translate our moving notice?",
        ("Hauptstraße 5, 10115 Berlin",),
        "address",
    ),
    P(
        "Send the invoice to 12 rue de la Paix, 75002 Paris",
        ("12 rue de la Paix, 75002 Paris",),
        "address",
    ),
    P(
        "our office: Keizersgracht 123, 1015 CJ Amsterdam",
        ("Keizersgracht 123, 1015 CJ Amsterdam",),
        "address",
    ),
    P("My address in Japan is 〒100-0001 Tokyo, Chiyoda-ku", ("〒100-0001",), "address"),
    P(
        "Deliver to Flat 3B, 221B Baker Street, London NW1 6XE",
        ("Flat 3B, 221B Baker Street, London NW1 6XE",),
        "address",
    ),
    P(
        "I moved to Calle Mayor 15, 28013 Madrid last month, how do I register?",
        ("Calle Mayor 15, 28013 Madrid",),
        "address",
    ),
    P(
        "Write a complaint to the council about potholes outside 7 Elm Grove, Leeds LS6 2AP",
        ("7 Elm Grove, Leeds LS6 2AP",),
        "address",
    ),
    P("my flat is at Via Roma 10, 00184 Roma", ("Via Roma 10, 00184 Roma",), "address"),
    P(
        "Rua Augusta 100, 01305-000 São Paulo is where the package should go",
        ("Rua Augusta 100, 01305-000",),
        "address",
    ),
    P(
        "The apartment is at 15 Collins Street, Melbourne VIC 3000",
        ("15 Collins Street, Melbourne VIC 3000",),
        "address",
    ),
    P("address: Flat 12, MG Road, Bengaluru 560001", ("Flat 12",), "address"),
    P(
        "I'm at ul. Marszałkowska 84, 00-514 Warszawa, can a courier pick up from there?",
        ("ul. Marszałkowska 84",),
        "address",
    ),
    P(
        "Our cabin is at Storgatan 12, 111 23 Stockholm",
        ("Storgatan 12, 111 23 Stockholm",),
        "address",
    ),
    P("postcode SW1A 1AA - is that in zone 1?", ("SW1A 1AA",), "address"),
    P("my zip code is 94105, which county is that", ("94105",), "address"),
    P(
        "1600 Pennsylvania Avenue NW, Washington, DC 20500 — write directions from the airport",
        ("1600 Pennsylvania Avenue NW, Washington, DC 20500",),
        "address",
    ),
    # --- phones
    P("call me on +44 20 7946 0958 after six", ("+44 20 7946 0958",), "phone"),
    P("My number is (555) 123-4567, text me when you arrive", ("(555) 123-4567",), "phone"),
    P("Berlin office: +49 30 901820, ask for reception", ("+49 30 901820",), "phone"),
    P("my mobile is 07700 900123 if the delivery driver needs it", ("07700 900123",), "phone"),
    P("Reach Anil on +91 98765 43210 for the keys", ("+91 98765 43210", "Anil"), "phone"),
    P("phone: 555-867-5309", ("555-867-5309",), "phone"),
    P("whatsapp me at +33 6 12 34 56 78", ("+33 6 12 34 56 78",), "phone"),
    P("Tel. +61 2 9374 4000", ("+61 2 9374 4000",), "phone"),
    # --- email, cards, IBAN, IDs
    P(
        "Forward the draft to j.martinez84@gmail.com and cc me",
        ("j.martinez84@gmail.com",),
        "email",
    ),
    P(
        "My card 4111 1111 1111 1111 was charged twice, write a dispute letter",
        ("4111 1111 1111 1111",),
        "card",
    ),
    P("card number 5500-0000-0000-0004 exp 12/27", ("5500-0000-0000-0004",), "card"),
    P(
        "Please pay the deposit to IBAN DE89 3704 0044 0532 0130 00",
        ("DE89 3704 0044 0532 0130 00",),
        "iban",
    ),
    P("my iban is GB29NWBK60161331926819", ("GB29NWBK60161331926819",), "iban"),
    P("My SSN is 078-05-1120, is it safe to give it to my employer?", ("078-05-1120",), "id"),
    P("NI number JG 10 37 23 A, how do I get a replacement card?", ("JG 10 37 23 A",), "id"),
    P("My Aadhaar is 2345 6789 0124, the bank says it doesn't match", ("2345 6789 0124",), "id"),
    P("PAN card ABCPE1234F was rejected by the portal", ("ABCPE1234F",), "id"),
    P("DNI 12345678Z - ¿cómo renuevo mi pasaporte?", ("12345678Z",), "id"),
    P("codice fiscale RSSMRA85T10A562S, serve per il contratto", ("RSSMRA85T10A562S",), "id"),
    P("My SIN is 046 454 286 and the CRA letter says it's wrong", ("046 454 286",), "id"),
    P("passport number X12345678 expires next month, how do I renew?", ("X12345678",), "passport"),
    P("My driver's licence number is MORGA753116SM9IJ", ("MORGA753116SM9IJ",), "licence"),
    P("driving license no. D1234567 got suspended", ("D1234567",), "licence"),
    P("Why can't I reach 192.168.1.42 from my laptop?", ("192.168.1.42",), "ip"),
    P(
        "the server at 2001:db8:85a3::8a2e:370:7334 refuses ssh",
        ("2001:db8:85a3::8a2e:370:7334",),
        "ip",
    ),
    # --- secrets in code and logs
    P(
        'Why does this fail?\n\nimport boto3\ns3 = boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")',
        ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        "secret",
    ),
    P(
        "my .env:\nDATABASE_URL=postgres://admin:S3cr3tPass@db.internal:5432/app\nSTRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\nDEBUG=true",
        ("S3cr3tPass", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        "secret",
    ),
    P(
        'Traceback (most recent call last):\n  File "client.py", line 12, in fetch\nrequests.exceptions.HTTPError: 401 for url https://api.internal/v1/me\nheaders={"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}',
        (
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        ),
        "secret",
    ),
    P(
        "git remote add origin https://ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8@github.com/acme/app.git — why does push fail?",
        ("ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",),
        "secret",
    ),
    P(
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----\nwhat format is this key in?",
        ("MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",),
        "secret",
    ),
    P(
        "slack bot token xoxb-2048-4096-AbCdEfGhIjKlMnOpQrStUv stopped working",
        ("xoxb-2048-4096-AbCdEfGhIjKlMnOpQrStUv",),
        "secret",
    ),
    P(
        'client = OpenAI(api_key="sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z") # why 401?',
        ("sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",),
        "secret",
    ),
    P(
        "maps key AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q is restricted to my domain?",
        ("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",),
        "secret",
    ),
    P(
        'config.json has {"username": "deploy", "password": "Tr0ub4dor&3"} is that ok?',
        ("Tr0ub4dor&3",),
        "secret",
    ),
    P("my password is hunter2, is that strong enough?", ("hunter2",), "secret"),
    P(
        "ANTHROPIC_API_KEY=sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        ("sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",),
        "secret",
    ),
    P("redis://:p4ssw0rdXYZ@cache.example.net:6379/0 times out", ("p4ssw0rdXYZ",), "secret"),
    P("db_password = 'kL9#mQ2!vX'\nconnect()", ("kL9#mQ2!vX",), "secret"),
    # --- mixed, personal context for places and organisations
    P(
        "I work at Siemens in Munich and my boss Klaus Weber wants a summary of this",
        ("Siemens", "Munich", "Klaus Weber"),
        "context",
    ),
    P(
        "I was born in Lagos and moved to Toronto in 2015, help me write my bio",
        ("Lagos", "Toronto"),
        "context",
    ),
    P(
        "Hi, I'm Sofia Andersson from Ericsson, please rewrite my out-of-office reply",
        ("Sofia Andersson", "Ericsson"),
        "context",
    ),
    P(
        "I live in Lyon, which neighbourhoods are good for families near my office?",
        ("Lyon",),
        "context",
    ),
    P(
        "My name is Lucas Silva, I live at Rua das Flores 45, Porto. Phone 912 345 678.",
        ("Lucas Silva", "Rua das Flores 45, Porto", "912 345 678"),
        "context",
    ),
    # --- added with the recall work: surname shapes, dialogue, military and corner addresses,
    # --- non-Latin streets, contact blocks, untagged places after a personal cue
    P(
        "My colleague Dmitri Usamov keeps missing standups, how do I raise it with him?",
        ("Dmitri Usamov",),
        "name",
    ),
    P(
        "Anna: are you coming tonight?\nBorislav: yes, after work\nAnna: great",
        ("Anna", "Borislav"),
        "name",
    ),
    P(
        "Write a thank-you note to Kowalska and Horvatić for hosting us",
        ("Kowalska", "Horvatić"),
        "name",
    ),
    P(
        "my maiden name is Sandgreen, how do I change it back on my passport?",
        ("Sandgreen",),
        "name",
    ),
    P(
        "everyone calls me višeslav, can you suggest an English nickname?",
        ("višeslav",),
        "name",
    ),
    P(
        "Please return the parcel to Unit 4719 Box 7394, DPO AP 70942",
        ("Unit 4719 Box 7394, DPO AP 70942",),
        "address",
    ),
    P(
        "my son is stationed at PSC 1234, Box 5678\nAPO AE 09012 - how long does a parcel take?",
        ("PSC 1234, Box 5678\nAPO AE 09012",),
        "address",
    ),
    P(
        "We live at the corner of Maple Street and 5th Avenue, is that in the school district?",
        ("the corner of Maple Street and 5th Avenue",),
        "address",
    ),
    P(
        "Send it to Király u. 15, 1075 Budapest please",
        ("Király u. 15, 1075 Budapest",),
        "address",
    ),
    P(
        "My flat: Trenerys gate 23, 0450 Oslo",
        ("Trenerys gate 23",),
        "address",
    ),
    P(
        "I moved to Οδός Ερμού 25, Αθήνα last year, how do I register my car?",
        ("Οδός Ερμού 25",),
        "address",
    ),
    P(
        "Jana Nováková\nAcme Analytics\nDlouhá 12\n110 00 Praha\nMobile: +420 601 123 456",
        ("Jana Nováková", "Acme Analytics", "Dlouhá 12", "+420 601 123 456"),
        "address",
    ),
    P(
        "my address: 6614 Luite tee 87\nApt. 931\nTallinn\nEstonia 10115",
        ("6614 Luite tee 87\nApt. 931\nTallinn\nEstonia 10115",),
        "address",
    ),
    P(
        "I flew to TROMSØ last week and lost my bag, help me write to the airline",
        ("TROMSØ",),
        "context",
    ),
    P(
        "I grew up in Kędzierzyn-Koźle and want to write a short memoir about it",
        ("Kędzierzyn-Koźle",),
        "context",
    ),
    P(
        "Estonia was amazing to visit with my parents, write a travel blog intro",
        ("Estonia",),
        "context",
    ),
    P(
        "I used to work for Socrata as an analyst, help me describe it on my CV",
        ("Socrata",),
        "context",
    ),
    P(
        "Write a toast: Ingrid Mahler and Tom are getting married next month",
        ("Ingrid Mahler", "Tom"),
        "name",
    ),
    P(
        "Reply to Miklós Hajdu, who says the invoice is wrong",
        ("Miklós Hajdu",),
        "name",
    ),
    P(
        "What's your last name? Boyle. OK, and the booking reference is for two adults",
        ("Boyle",),
        "name",
    ),
    P(
        "I'm originally from ΑΛΑΣΣΑ, a village in Cyprus, help me describe it for my bio",
        ("ΑΛΑΣΣΑ",),
        "context",
    ),
]

CLEAN_PROMPTS: list[str] = [
    "What is the capital of France?",
    "Explain Python decorators",
    "How do I sort a list in JavaScript?",
    "Summarise the history of the Roman Empire",
    "Compare AWS and Azure pricing",
    "Write a haiku about autumn in Kyoto",
    "What's 15% of 240?",
    "How many people live in Tokyo?",
    "What is the difference between a list and a tuple in Python?",
    "Give me a recipe for banana bread without eggs",
    "Which is better for a beginner, Java or Kotlin?",
    "Explain how Google's PageRank algorithm works",
    "What time zone is Sydney in?",
    "Translate 'good morning' into German, French and Japanese",
    "def add(a, b):\n    return a + b\n\nWhy does add('1', 2) raise a TypeError?",
    "Why did the Berlin Wall fall in 1989?",
    "Write a SQL query that counts orders per customer per month",
    "What are the main causes of inflation?",
    "Compare the iPhone 15 and the Pixel 8 cameras",
    "How do I set up a virtual environment with venv?",
    "Plan a 5-day itinerary for Lisbon and Porto",
    "What's the boiling point of water at the top of Mount Everest?",
    "Explain the difference between TCP and UDP",
    "How does the Amazon River compare in length to the Nile?",
    "Write a limerick about a cat who loves lasagna",
    "const x = arr.map(n => n * 2).filter(Boolean); what does this return for [0, 1, 2]?",
    "Is Microsoft Teams or Slack better for a 20-person startup?",
    "What did the Treaty of Versailles decide?",
    "Solve 3x + 7 = 22",
    "How do I convert a pandas DataFrame to JSON?",
    "Recommend three novels set in India",
    "What's the weather usually like in Iceland in March?",
    "Explain Kubernetes pods vs deployments",
    "Why is the sky blue?",
    "Give me 10 interview questions for a data analyst role",
    "How do vaccines train the immune system?",
    "for i in range(10):\n    print(i ** 2)\nmake this a list comprehension",
    "What is the population of Canada and how has it grown since 2000?",
    "Summarise the plot of Pride and Prejudice",
    "How long should I boil an egg for a runny yolk?",
    "What are the pros and cons of Rust vs Go for a web backend?",
    "Write a short poem about the sea at night",
    # --- general knowledge about famous people, places and organisations, code with
    # --- capitalised identifiers, product comparisons: none of it is about the user
    "Who was Albert Einstein?",
    "Summarise Dostoevsky's Crime and Punishment in five sentences",
    "What did Napoleon do in Egypt?",
    "Explain Newton's laws of motion with everyday examples",
    "Compare Morgan Stanley and Goldman Sachs as employers for graduates",
    "Write an essay on Shakespeare's Hamlet and the theme of revenge",
    "What is Tchaikovsky's most famous ballet?",
    "Tell me about Marie Curie's discoveries",
    "Who were the Beatles and why were they so influential?",
    "What are Tolstoy's best novels?",
    "Give me a biography of Nelson Mandela in 200 words",
    "Is Berlin or Munich better for a weekend trip in December?",
    "Which European cities have the best public transport?",
    "What is the tallest building in Dubai?",
    "How did the Ottoman Empire collapse?",
    "Plan a three-day itinerary for Rome on a budget",
    "Why is Venice sinking?",
    "Compare Netflix, Disney+ and HBO Max subscription prices",
    "Is a MacBook Air or a Dell XPS better for programming?",
    "What does Deloitte do and how is it different from McKinsey?",
    "Explain how Spotify recommends songs",
    "Compare Toyota Corolla and Honda Civic reliability",
    "Should a small team use GitHub Actions or GitLab CI?",
    "What is the history of the Hudson's Bay Company?",
    "class UserService:\n    def __init__(self, repo: UserRepository):\n        self.repo = repo\nHow do I mock UserRepository in pytest?",
    "const App = () => <Router><HomePage /></Router>; why does HomePage render twice?",
    "SELECT CustomerName, OrderDate FROM Orders JOIN Customers ON Orders.CustomerID = Customers.ID; how can I make this faster?",
    "What does @Override mean in Java and when should SpringBoot apps use it?",
    "In Django, what's the difference between ForeignKey and ManyToManyField?",
    "How do I call the OpenAI API from Node.js with streaming?",
    "Why does my Docker container exit immediately on Ubuntu?",
    "What was the Marshall Plan?",
    "Explain the causes of the Great Depression",
    "Write a short story about a lighthouse keeper in Norway",
    "What language do people speak in Brazil, and why?",
    "Recommend hiking trails near Lake Como",
    "How does the Federal Reserve set interest rates?",
    "What is Lagos known for?",
    "Tell me about Lagos",
    "Show me the best restaurants in Lisbon",
    "Help us compare Toyota and Honda",
    "Give me a summary of Microsoft's history",
    "Frontend: React\nBackend: Flask\nDatabase: Postgres",
    "Explain Dijkstra's algorithm",
    "Was Ivan the Terrible a good ruler?",
    "Who is the CEO of Tesla?",
    "Q: What is 2+2?\nA: 4",
    "Who was Pablo Escobar?",
    "What did Gorbachev change in the Soviet Union?",
    "Describe the architecture of the Sagrada Familia by Gaudí",
    "Moscow: population 13 million\nSaint Petersburg: 5 million",
    "Backend: handles the API calls\nFrontend: renders the views",
]
