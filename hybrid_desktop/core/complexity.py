"""How hard a request is, estimated on the device in well under a millisecond.

The router asks :func:`estimate` whether a prompt needs the large cloud model. The answer is a
:class:`Complexity`: a score in 0..1, the verdict (``score >= CLOUD_THRESHOLD``), a short phrase
for the decision sentence ("multi-step maths", "code", "long document", "quick everyday task"),
the names of every signal that fired, and token estimates for the cost line.

It is a hand-set linear model over cheap features: regular expressions and phrase lexicons for
maths, code, long documents, long answers, expert domains, reasoning, planning, data and
constraints (evidence for the cloud), and for greetings, short facts, definitions, rewrites,
phrase translations, conversions and quick lists (evidence for the device). The evidence is
summed and squashed with a logistic, so each weight reads as "how much this signal moves the
odds". Only the standard library is used: no model, no network, nothing slow to import.

Very long prompts are scanned in part (the head and the tail, where the instruction usually is);
their length alone is already the strongest signal. The weights were set by hand against
``tests/data/routing/labelled.jsonl``; ``tests/data/routing/heldout.jsonl`` measures them honestly
(``tests/benchmarks/bench_router.py``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

__all__ = ["CLOUD_THRESHOLD", "Complexity", "estimate"]

#: Scores at or above this go to the cloud (when the router may send them there at all).
CLOUD_THRESHOLD = 0.5

# Evidence before any signal: an unremarkable request stays on the device.
_BIAS = -1.0
# Characters scanned for cues: the head and the tail of a long prompt.
_HEAD_CHARS = 1500
_TAIL_CHARS = 500
# Characters used to estimate the tokens of a long prompt (then scaled to its full length).
_TOKEN_SAMPLE_CHARS = 4000

# Cues are matched against the lower-cased text: case-insensitive matching is about four times
# slower in ``re``. Only the code and error patterns look at the original case.
_F = 0
_M = re.IGNORECASE | re.MULTILINE


@dataclass(frozen=True)
class Complexity:
    score: float
    needs_cloud: bool
    category: str
    signals: tuple[str, ...]
    prompt_tokens: int
    est_output_tokens: int

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["signals"] = list(self.signals)
        return data


_PLAIN_WORD = re.compile(r"[a-z0-9'-]+")
_PLURAL_WORD = re.compile(r"([a-z0-9'-]+)s\?")
_WORD = re.compile(r"\w+")
_HYPHENATED = re.compile(r"(?<!\w)\w+(?:-\w+)+")


class _Lexicon:
    """Comma-separated words or phrases, each matched as a whole word, case-insensitively.

    Plain words are looked up in the prompt's set of words (one pass over the text, however
    long the lexicon); entries with spaces or regex syntax (``equations?`` is still plain) are
    joined into one regular expression. Chinese and Japanese entries match anywhere.
    """

    def __init__(self, lexicon: str) -> None:
        plain: set[str] = set()
        bounded: list[str] = []
        unbounded: list[str] = []
        for entry in (e.strip() for e in lexicon.split(",")):
            if not entry:
                continue
            entry = entry.lower()
            plural = _PLURAL_WORD.fullmatch(entry)
            if _PLAIN_WORD.fullmatch(entry):
                plain.add(entry)
            elif plural:
                plain.update((plural.group(1), plural.group(1) + "s"))
            elif re.search(r"[\u3040-\u9fff]", entry):
                unbounded.append(entry)
            else:
                bounded.append(entry)
        self.words = frozenset(plain)
        parts = [r"(?<!\w)(?:" + "|".join(bounded) + r")(?!\w)"] if bounded else []
        parts += unbounded
        self.pattern = re.compile("|".join(parts), _F) if parts else None

    def found(self, words: _Words) -> set[str]:
        """The distinct entries present (plain words as written, phrases as matched)."""
        hits = set(self.words.intersection(words.counts))
        if self.pattern is not None:
            hits.update(m.lower() for m in self.pattern.findall(words.text))
        return hits

    def count(self, words: _Words) -> int:
        """How many times entries occur, repeats included."""
        n = sum(words.counts[w] for w in self.words.intersection(words.counts))
        return n + (len(self.pattern.findall(words.text)) if self.pattern is not None else 0)


class _Words:
    """The scanned text, lower-cased, with its words counted once for every lexicon."""

    def __init__(self, text: str) -> None:
        low = text.lower()
        self.text = low
        self.counts = Counter(_WORD.findall(low))
        self.counts.update(_HYPHENATED.findall(low))


_rx = _Lexicon


# ---- tokens -------------------------------------------------------------------------------
_ALPHA = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"\d")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_PUNCT = re.compile(r"[!-/:-@\[-`{-~]")


def _count_tokens(text: str) -> int:
    """Tokens as SmolLM2's tokenizer counts them, within about 15% (fitted on the labelled set)."""
    sample = text if len(text) <= _TOKEN_SAMPLE_CHARS else text[:_TOKEN_SAMPLE_CHARS]
    raw = (
        1.2 * len(_ALPHA.findall(sample))
        + len(_DIGIT.findall(sample))
        + 1.2 * len(_NON_ASCII.findall(sample))
        + 0.8 * len(_PUNCT.findall(sample))
    )
    # Long runs without spaces or punctuation (hashes, base64) are still several tokens.
    raw = max(raw, len(sample) / 6)
    if len(sample) < len(text):
        raw *= len(text) / len(sample)
    return max(1, round(raw)) if text.strip() else 0


# ---- cues for the cloud -------------------------------------------------------------------
_CODE_FENCE = re.compile(r"```|~~~")
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from \w[\w.]* import |return\b|#include|public |private |"
    r"function\b|const |let |var |for \(|for \w+ in .*:|while .*:|if .*[:{]\s*$|elif |else:|"
    r"try:|except\b|print\(|console\.|(?-i:SELECT |FROM |WHERE |JOIN |GROUP BY )|apiVersion:|kind: |"
    r"\$\(|echo |sudo |pip |npm |git )|[;{}]\s*$|=>|\w\[[^\]]*\]\s*=|(?<!\w)\w+\.\w+\(.*\)|"
    r"(?<!\w)\w+\([^()\n]*\)\s*;|\[\s*\w+ for \w+ in |\(\?[=!:]|\\d[+*{]|\[A-Z|"
    r"\bselect\s+[\w\s]{0,80}[*,(][\w*,\s()]{0,200}\s+from\s+\w+",
    _M,
)
_ERROR_CASED = re.compile(
    r"Traceback \(most recent|[a-z](?:Error|Exception)\b|npm ERR|ERESOLVE|CrashLoopBackOff|"
    r"\bCORS\b|\b(?:TypeError|ValueError|KeyError|IndexError|NameError|OSError)\b"
)
_ERROR = re.compile(
    r"\b(?:\w+error|\w+exception):|segmentation fault|segfault|"
    r"stack ?trace|exit(?:s|ed)? (?:immediately )?with (?:code|status) \d+|\bfatal:|"
    r"cannot read propert|is not defined|undefined is not|"
    r"(?:won'?t|doesn'?t|does not|can'?t) compile|borrowed value|null ?pointer|"
    r"unresolved reference|syntax error|stack overflow|memory leak|core dumped|"
    r"what'?s wrong with (?:my|this) (?:code|sql|query|script|function|regex|program)",
    _F,
)
_LANG = _rx(
    r"""
    python\d?, javascript, js, typescript, ts, java, c\+\+, c#, rust, golang, kotlin, swift,
    php, sql, postgres(?:ql)?, mysql, sqlite, bash, shell script, powershell, vba, html,
    css, react, vue, svelte, angular, flask, django, express, node(?:\.js)?, pandas, numpy,
    jquery, docker, dockerfile, kubernetes, kubectl, k8s, git, github actions, npm, pip,
    pygame, regex, regexp, cron, excel formula, vlookup, json, yaml, api, graphql, pycharm,
    vscode, linux, terraform, aws lambda, lambda, nginx, apache2?, ssl, tls, https?, redis,
    kafka, webpack, vite, next\.js, spring boot, \.net, tensorflow, pytorch, jupyter,
    ubuntu, systemd, ssh, mongodb, elasticsearch, s3, ec2, azure, gcp, android studio, xcode
    """
)
_CODE_WORD = _rx(
    r"""
    function, functions, script, code, coding, program, class, method, query, queries,
    loop, variable, compile, compiler, debug, debugging, bug, refactor, endpoint,
    component, module, library, framework, algorithm, one[- ]liner, snippet, macro,
    formula, implement, implementation, unit tests?, type hints, dataclass(?:es)?,
    async, await, callback, closure, recursion, array, dict(?:ionary)?, string,
    integer, stack, heap, binary search, big-o, time complexity, thread-safe, thread,
    threads, process, deploy, container, pod, repo, commit, merge, rebase, pull
    request, workflow, useeffect, usestate, gil, leak\w*, memory, server, database,
    proxy, reverse proxy, backend, frontend, cache, config(?:uration)?,
    env(?:ironment)? var\w*, strings, arrays, integers, hash ?maps?, linked list, data
    structures?, efficient(?:ly)?, optimi[sz]e, performance, runtime, exception,
    compiler, undefined, returns? (?:null|none|nan|undefined), handler, event listener,
    función, funktion, fonction, código, codice, скрипт, функци\w*, 代码, 函数, 程序, 脚本,
    コード, 関数
    """
)
# Chinese and Japanese words sit between other word characters: no \b around them.
_CODE_CJK = re.compile(r"代码|函数|程序|脚本|编程|コード|関数|プログラム", _F)
_CODE_CJK_ASK = re.compile(
    r"(?:写|寫|編写|编写|書いて|作成).{0,8}(?:python|java|c\+\+|js|sql|代码|函数|程序|脚本|コード|関数)",
    _F,
)
_CODE_ASK = re.compile(
    r"\b(?:write|make|create|generate|implement|code|build|port|convert|add|design)\b"
    r"[^.?!\n]{0,50}\b(?:function|script|class|program|method|query|regex|endpoint|api|"
    r"component|dockerfile|workflow|macro|formula|one[- ]liner|cron|game|app|html|unit tests?|"
    r"type hints|server|parser)\b|\b(?:escribe|écris|schreib\w*|写)\b.{0,30}(?:función|"
    r"fonction|funktion|函数|python|javascript|代码)|用\s*(?:python|java|c\+\+|js)",
    _F,
)

_MATH_WORD = _rx(
    r"""
    solve, solving, equations?, integrals?, integrate, derivative, differentiate,
    limit, matrix, matrices, eigen\w*, probability, expected value, factori[sz]e,
    factor, expand, series, modulo, mod, sqrt, square root of \d{3}\d*, log\d*,
    theorem, permutations?, combinations?, how many ways, standard deviation, variance,
    quadratic, polynomial, complex numbers, inequalit(?:y|ies), taylor
    (?:series|expansion), how many (?:different|distinct|possible|unique), fourier,
    differential equation, subsets?, primes, fibonacci, irrational, calculus, algebra,
    bayes\w*, frequentist, statistics, statistical, hypothesis test\w*, confidence
    interval, p-value, \d+(?:st|nd|rd|th) term, geometry, trigonometry, vector, area
    between, résous, équation, berechne, gleichung, integral, resuelve, ecuación, 计算,
    方程, 积分, 求解, 証明, 解く, уравнени\w*
    """
)
_PROOF = re.compile(
    r"\b(?:prove|proof|show that|demonstrate that|rigorous(?:ly)?|demuestra|démontre|beweise?n?|"
    r"dimostra|докажи)\b|证明|証明",
    _F,
)
_MATH_EXPR = re.compile(
    r"\d\s*[\^*/×÷]\s*\(?\d|\b[a-z]\s*\^\s*\d|\d[a-z]\b|[a-z]\(x\)|\b\d+!|[=<>]\s*-?\d|"
    r"\d\s*[+\-]\s*\d{1,12}\s*[=<>]|\bx\s*[+\-*/=]|\|[^|]+\|\s*[<>]",
    _F,
)
_NUMBER = re.compile(r"(?<![\w.,])[$£€]?\d[\d,]{0,12}(?:\.\d+)?%?(?!st\b|nd\b|rd\b|th\b)")
_RATIO_WORDS = _rx(
    r"""
    twice, half, third, quarter, double, triple, thrice
    """
)
_NUMBER_WORDS = _rx(
    r"""
    two, three, four, five, six, seven, eight, nine, ten, twelve, twenty, hundred
    """
)
_QUANTITY_Q = re.compile(
    r"\b(?:how (?:many|much|long|far|old|fast)|what(?:'s| is| was| will)? (?:the )?(?:total|"
    r"price|cost|average|area|capacity|profit|speed|original)|what do i pay|find the|"
    r"calculate|compute|work(?:ed)? out|how do i (?:split|divide)|what(?:'s| is| will be| do i| do we)"
    r" (?:my |our |the |i |we )?(?:\w+ )?(?:pay|owe|earn|save|total|cost|bill|change)|"
    r"when (?:does|do|will|did) |what time (?:does|do|will)|wie viele?|wann|wie lange|combien|"
    r"cu[aá]nt[oa]s?|quant[oa]s?|quand)\b|多少|几",
    _F,
)
_STEP_WORD = _rx(
    r"""
    then, rest, remaining, remainder, left, each, per, total, together, twice, half,
    discount, tax, interest, compounded, profit, change, average, after, more than,
    less than, older, younger, times as
    """
)
_PRIME_Q = re.compile(r"\bis\s+([\d^*+\-\s]{2,})\s+(?:a\s+)?prime\b", _F)
_HARD_FACT = re.compile(
    r"\b(?:day of the week (?:was|is|will)|trailing zeros|how many primes|clock hands|"
    r"monty hall|big-?o|halting problem|p\s*=\s*np|floating point|incompleteness|"
    r"how does rsa|time complexity)\b",
    _F,
)

_LONG_OUT_NOUN = _rx(
    r"""
    essays?, reports?, articles?, blog post, chapter, chapters, novel, novella,
    research paper, paper, dissertation, thesis, handbook, manual, user manual,
    proposal, business plan, screenplay, script for, lesson plan, curriculum,
    requirements document, prd, white ?paper, guide, ebook, full story, short
    story, cover letter, speech, personal statement, eulogy, dissertation
    """
)
_LONG_OUT_ADJ = _rx(
    r"""
    detailed, in-depth, in depth, comprehensive, thorough, complete, full, long,
    extensive, step[- ]by[- ]step, section by section, from scratch
    """
)
_WORDS_ASKED = re.compile(
    r"(?<![\d,])(\d[\d,]{0,8})\s*(?:-|\s)?\s*(words?|pages?|paragraphs?|mots|wörter|palabras|字)",
    _F,
)
_ITEMS_ASKED = re.compile(
    r"\b(\d{1,3}|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+)?(?:ideas|items|bullets?|"
    r"bullet points|tips|things|names|examples|questions|reasons|steps)\b",
    _F,
)

# Each expert domain: (strong terms, weak terms). A strong term alone names expert ground
# ("warfarin", "capital gains"); a weak one needs company ("doctor", "tax", "loan").
_DOMAINS: dict[str, tuple[_Lexicon, _Lexicon]] = {
    "law": (
        _rx(
            r"""
            lawyer, lawsuit, sue, suing, liable, liability, clause, tenant, landlord, evict\w*,
            custody, probate, without a will, valid will, statute, gdpr, copyright, fair use,
            trademark, patent, non-compete, enforceable, constructive dismissal, unfair dismissal,
            tribunal, llc, s-corp, indemni\w*, nda, jurisdiction, lawful(?:ly)?, legally binding,
            statically link, alimony, power of attorney, negligence, defamation, breach of contract,
            legal rights, solicitor, small claims
            """
        ),
        _rx(
            r"""
            legal(?:ly)?, laws?, contract(?:or)?s?, court, compliance, dismissal, binding, fire me,
            employer, deposit, obligations, licen[cs]e, proprietary, terms, lease, divorce,
            immigration, visa, harassment, discrimination, breach, my rights, attorney, settlement,
            warranty claim
            """
        ),
    ),
    "medicine": (
        _rx(
            r"""
            symptoms?, diagnos\w*, dosage, \d+ ?mg, prescribed, medication, ibuprofen, paracetamol,
            acetaminophen, warfarin, sertraline, tramadol, metoprolol, amlodipine, ppi, statins?,
            metformin, insulin, glp-1, blood tests?, blood pressure, tsh, hba1c, alt, ast, ggt, t3,
            t4, chest pain, mri, pacemaker, side effects, contraindications?, tumou?r, atrial
            fibrillation, diabetes, thyroid, discharge summary, antibiotics?, asthma, cholesterol,
            ecg, ekg, biopsy, chemo\w*, dementia, prescription, antidepressants?, blood sugar,
            numbness, resting heart rate, ultrasound, x-ray, scan results, blurry vision, grapefruit
            juice
            """
        ),
        _rx(
            r"""
            dose, fever, patient, heart rate, cancer, pregnan\w*, rash, fatigue, joint pain,
            supplements?, immune, vaccines?, covid, infection, surgery, migraines?, lump, dizz\w*,
            headaches?, vision, swelling, bleeding, vomit\w*, nausea, \w+ pain, doctor, gp, see a
            doctor, be worried, medicine, pills?
            """
        ),
    ),
    "tax": (
        _rx(
            r"""
            taxed, taxation, deduct\w*, irs, hmrc, vat, capital gains, inheritance tax, 401k, ira,
            roth, rsus?, tax return, wash sale, payments on account, pay (?:tax|taxes), tax
            residen\w*, double tax\w*, 1099, w-2, self assessment, tax bracket, estate tax, stamp
            duty, withholding
            """
        ),
        _rx(
            r"""
            tax, taxes, dividends?, self[- ]employed, payroll, write[- ]off
            """
        ),
    ),
    "finance": (
        _rx(
            r"""
            portfolio, index funds?, interest rate, annuity, dcf, valuation, wacc, irr, npv, sharpe,
            greeks, iron condor, cash flow, ebitda, rebalanc\w*, lump sum, amorti[sz]\w*, runway,
            etfs?, refinanc\w*, credit score, compound interest, net worth
            """
        ),
        _rx(
            r"""
            invest\w*, mortgage, pension, revenue, stocks, bonds, burn, equity, credit cards?, debt,
            retirement, savings, loan, apr, yield
            """
        ),
    ),
    "engineering": (
        _rx(
            r"""
            kn/m2?, kn, deflection, inductor, capacitor, pid, heat loss, cantilever, joists?, rate
            limiter, requests per second, load[- ]bearing, structural, hvac, psi, mpa, kwh, finite
            element, microcontroller, pcb, fatigue life, tcp, quic, throughput
            """
        ),
        _rx(
            r"""
            beam, gauge, amps?, circuit, voltage, converter, concrete, slab, torque, stress, strain,
            load, scaling, at scale, architect\w*, latency, schema, indexing, solar panels?,
            inverter, breaker, tolerances?, wiring
            """
        ),
    ),
    "science": (
        _rx(
            r"""
            crispr\S*, mrna, quantum, entropy, dark matter, cosmolog\w*, hubble, krebs,
            epigenetic\w*, protein folding, alphafold, first principles, schwarzschild,
            thermodynamic\w*, hypothes[ie]s, open problems, tunnel(?:l)?ing, double strand, genome,
            relativity, meta-analysis, spectroscopy, superconduct\w*, higgs, gravitational waves,
            peer[- ]reviewed, carnot
            """
        ),
        _rx(
            r"""
            mechanism, derive, evidence, fusion, black holes?, enzymes?, catalysts?, neurons?,
            literature
            """
        ),
    ),
}
_PERSONAL = re.compile(r"\b(?:my|i'm|i am|i have|i've|can i|should i|do i|am i|we|our|us)\b", _F)

_COMPARE = re.compile(
    r"\b(?:compare|comparison|vs\.?|versus|pros and cons|trade-?offs?|weigh|which (?:one )?"
    r"(?:is better|to choose)|(?:should|do) (?:i|we) (?:buy|get|choose|pick|take|go with|use)"
    r"\b[^?]{1,60}\bor\b|which (?:one )?"
    r"(?:should|would) (?:i|we|you)|what would you (?:pick|choose)|better for|or should i)\b",
    _F,
)
_REASON = re.compile(
    r"\b(?:explain (?:why|how)|explain your reasoning|reason (?:it )?through|think (?:it )?"
    r"through|step[- ]by[- ]step|second[- ]order|knock-on|implications|evaluate|argument|"
    r"strategy|what would happen|why did|why does|why is|walk me through|can we conclude|"
    r"how do (?:i|you) (?:relabel|measure)|arrangements|labelled wrong|best strategy|"
    r"competing explanations|should we|all \w+ are|help me (?:weigh|think|decide)|"
    r"what could (?:explain|cause)|what are (?:my|the) options|options|justify|riddle|puzzle|"
    r"brain ?teaser|arguments? (?:for|against)|for and against|critique|critically|debate)\b|"
    r"\bexplain\W*$",
    _F,
)
_PLAN = re.compile(
    r"\b(?:plan|planning|itinerary|roadmap|schedule|timetable|timeline|curriculum|study plan|"
    r"training plan|meal plan|budget|design (?:a|an|the)|architect|strategy)\b",
    _F,
)
_DURATION = re.compile(r"\b\d+[- ](?:day|week|month|year)s?\b", _F)
_DATA = re.compile(
    r"\b(?:analy[sz]e|analysis|correlation|regression|statistically|significant(?:ly)?|"
    r"a/b test|forecast|trend|outliers?|survey results|bounce rate|conversion rate|conversions? "
    r"seasonality|pay gap|predicts?)\b",
    _F,
)
_CSV_LINE = re.compile(r"^[^,\n]*,[^,\n]*,[^\n]*\d[^\n]*$", re.MULTILINE)
_CONSTRAINT = re.compile(
    r"\b(?:must|exactly|no more than|at least|under \$?£?€?\d+|max(?:imum)?|only|can'?t|"
    r"cannot|don'?t|without|no \w+|budget|allerg\w*|vegan|vegetarian|coeliac|celiac|"
    r"gluten|mention|include|spelling|under \d+|every line|each line|rhyme|metre|meter|"
    r"can only|not next to|overlap|keeping|preserving|legally precise|formal tone|always|"
    r"never|more than|less than|fewer than)\b",
    _F,
)
_TRANSLATE = re.compile(
    r"\b(?:translate|translation|traduis|traduce|traduzir|übersetze?|how (?:do )?(?:you|i) say"
    r"|what(?:'s| is| does)\b.{0,30}\b(?:in|mean in) (?:\w+ish|french|german|spanish|italian|"
    r"japanese|korean|chinese|dutch|polish|portuguese|danish|english))\b|翻译|翻訳",
    _F,
)
_TRANSLATE_HARD = _rx(
    r"""
    contract, clause, legal\w*, medical, poem, rhyme, metre, whole, paragraph,
    document, section, nda, licen[cs]e, discharge, formal tone
    """
)

# ---- cues for the device -------------------------------------------------------------------
_GREETING = re.compile(
    r"^\W*(?:hi+|hello|hey|heya|hiya|yo|good (?:morning|afternoon|evening|night)|morning|"
    r"thanks?|thank you|thx|ty|cheers|bye|lol|ok(?:ay)?|cool|nice|sorry|never mind|"
    r"bonjour|hola|hallo|merci|ciao|salut|danke|gracias)\b",
    _F,
)
_CHAT = re.compile(
    r"\b(?:how are you|what'?s your name|are you a (?:robot|bot)|you'?re funny|i'?m bored|"
    r"your favou?rite|do you like|how'?s it going|rough day)\b",
    _F,
)
_QUESTION_START = re.compile(
    r"^\W*(?:who|what|when|where|which|whats|how (?:many|much|tall|far|old|long|big|often|hot)|"
    r"is|are|can|do|does|should|wie|was|wer|wo|quel\w*|qu'est|cu[aá]l|qu[eé]|dónde|quién|"
    r"cuántos?|como|come)\b",
    _F,
)
_DEFINE = re.compile(
    r"^\W*(?:what(?:'s| is| are| does)|whats|define|meaning of|synonym for|antonym of|"
    r"opposite of|qu'est-ce qu)",
    _F,
)
_HOWTO = re.compile(
    r"^\W*(?:how (?:do|can|should) (?:i|you|we)|how to|best way to|how often|how long (?:do|"
    r"should))\b",
    _F,
)
_LIST = re.compile(
    r"\b(?:give me|list|suggest|^\W*name|recommend|any (?:tips|ideas)|ideas for|some|a few|"
    r"what should i (?:pack|name)|things to do)\b",
    _F,
)
_SHORT_CREATIVE = _rx(
    r"""
    haiku, limerick, jokes?, knock knock, pun, caption, slogan, riddle, tweet,
    motto, message, note, toast, two[- ]line, one[- ]line, two-sentence, short
    poem, 4 lines, four lines, text for, gedicht, (?:birthday|greeting|thank
    you|get well|christmas) card, poème, poema
    """
)
_REWRITE = re.compile(
    r"^\W*(?:fix(?: my)?(?: the)? (?:grammar|spelling)|fix grammar|correct|proofread|rephrase|"
    r"reword|rewrite|paraphrase|shorten|spell ?check|make (?:this|it)|say this|turn this|"
    r"change (?:this )?to|is it '|which is correct|should there be|what'?s the plural|"
    r"is '?\w+'? a word)",
    _F,
)
_CONVERT = re.compile(
    r"\b(?:convert|in (?:km|miles|cm|feet|inches|pounds|kg|grams|liters|litres|celsius|"
    r"fahrenheit|km/h|mph)|how many (?:cups|grams|ounces|ml|teaspoons|tablespoons|feet|inches|"
    r"minutes|seconds|hours|days|liters|litres|pounds|kg)\s+(?:in|is|are))\b|"
    r"(?<!\d)\d+\s*(?:fahrenheit|celsius|°[cf])\b",
    _F,
)
_ARITHMETIC = re.compile(
    r"\d\s*(?:[-+*/x×÷]|times|plus|minus|divided by|squared|cubed|%\s*of|percent of)\s*\$?\d?|"
    r"(?:square root|half|double|(?<!\d)\d+%) of \$?\d|(?<!\d)\d+ (?:squared|cubed)|\d\s*/\s*\d|"
    r"to the power of|tip on",
    _F,
)
_SUMMARISE = re.compile(r"\b(?:summari[sz]e|sum (?:this|it) up|tl;?dr|gist|main point)\b", _F)
_BRIEF = re.compile(
    r"\b(?:in one sentence|one line|briefly|quick(?:ly)?|short|just|simple|in a sentence)\b", _F
)


@dataclass
class _Evidence:
    """The running sum of weights, and which groups of signals contributed to each side."""

    total: float = _BIAS
    cloud: dict[str, float] = field(default_factory=dict)
    local: dict[str, float] = field(default_factory=dict)
    signals: list[str] = field(default_factory=list)

    def add(self, signal: str, weight: float, group: str) -> None:
        self.total += weight
        self.signals.append(signal)
        side = self.cloud if weight > 0 else self.local
        side[group] = side.get(group, 0.0) + abs(weight)


def _scan_window(prompt: str) -> str:
    """The part of the prompt searched for cues: all of it, or the head and tail of a long one."""
    if len(prompt) <= _HEAD_CHARS + _TAIL_CHARS:
        return prompt
    return prompt[:_HEAD_CHARS] + "\n" + prompt[-_TAIL_CHARS:]


def _asked_output_tokens(text: str) -> int | None:
    """Tokens the user asked for explicitly ("in 1500 words", "5 pages", "3 paragraphs")."""
    best: int | None = None
    for number, unit in _WORDS_ASKED.findall(text):
        n = int(number.replace(",", "") or 0)
        unit = unit.lower()
        if unit.startswith(("page",)):
            tokens = n * 500 * 4 // 3
        elif unit.startswith(("paragraph",)):
            tokens = n * 120
        elif unit == "字":
            tokens = n
        else:
            tokens = n * 4 // 3
        if tokens > 0 and (best is None or tokens > best):
            best = tokens
    return None if best is None else min(best, 16000)


_OUTPUT_BY_CATEGORY = {
    "greeting": 20,
    "quick everyday task": 120,
    "short factual question": 50,
    "short definition": 70,
    "short translation": 30,
    "unit conversion": 30,
    "simple arithmetic": 20,
    "short creative task": 60,
    "short summary": 50,
    "multi-step maths": 300,
    "maths": 300,
    "proof": 400,
    "code": 450,
    "long document": 400,
    "long answer": 1500,
    "reasoning": 500,
    "comparison": 600,
    "planning": 900,
    "data analysis": 500,
    "several constraints": 450,
    "long translation": 0,  # the length of the text to translate
}

_CLOUD_CATEGORY = {
    "maths": "multi-step maths",
    "proof": "proof",
    "code": "code",
    "long_document": "long document",
    "long_answer": "long answer",
    "reasoning": "reasoning",
    "comparison": "comparison",
    "planning": "planning",
    "data": "data analysis",
    "constraints": "several constraints",
    "translation": "long translation",
}
_LOCAL_CATEGORY = {
    "greeting": "greeting",
    "factual": "short factual question",
    "definition": "short definition",
    "rewrite": "short rewrite",
    "translation": "short translation",
    "conversion": "unit conversion",
    "arithmetic": "simple arithmetic",
    "creative": "short creative task",
    "summary": "short summary",
    "everyday": "quick everyday task",
}


def estimate(prompt: str, history_tokens: int = 0) -> Complexity:
    """How hard ``prompt`` is for the on-device model, with the signals that say so."""
    text = _scan_window(prompt)
    request = text.strip()
    if not request:
        return Complexity(0.0, False, "quick everyday task", ("empty",), 0, 0)
    tokens = _count_tokens(prompt)
    words = len(request.split())  # of the scanned window: a long prompt is decided by `tokens`
    ev = _Evidence()
    words_in = _Words(text)
    low = words_in.text
    req_low = low.strip()

    # -- length of what was pasted ---------------------------------------------------------
    if tokens >= 700:
        ev.add("long_input", 5.0, "long_document")
    elif tokens >= 350:
        ev.add("long_input", 2.0, "long_document")
    elif words > 60:
        ev.add("medium_input", 0.3 + min(words, 250) / 250, "long_document")
    if history_tokens >= 3000:
        ev.add("long_history", 1.0, "long_document")

    # -- code ------------------------------------------------------------------------------
    code_lines = len(_CODE_LINE.findall(text))
    lang = bool(_LANG.found(words_in))
    code_words = len(_CODE_WORD.found(words_in))
    code_word = code_words > 0 or _CODE_CJK.search(low) is not None
    if _CODE_FENCE.search(text):
        ev.add("code_block", 3.0, "code")
    if code_lines >= 2:
        ev.add("code_syntax", min(1.5 + 0.5 * code_lines, 4.0), "code")
    elif code_lines == 1:
        ev.add("code_syntax", 1.0, "code")
    if _ERROR_CASED.search(text) or _ERROR.search(low):
        ev.add("error_message", 3.0, "code")
    if _CODE_ASK.search(low) or _CODE_CJK_ASK.search(low):
        ev.add("code_request", 3.0, "code")
    if (lang and code_word) or code_words >= 2:
        ev.add("programming_topic", 2.5, "code")
    elif lang or code_word:
        ev.add("tech_word", 0.6, "code")

    # -- maths -----------------------------------------------------------------------------
    numbers = _NUMBER.findall(low)
    n_numbers = len(numbers) + _RATIO_WORDS.count(words_in) + _NUMBER_WORDS.count(words_in) // 2
    math_words = len(_MATH_WORD.found(words_in))
    if _PROOF.search(low):
        ev.add("proof", 4.0, "proof")
    if math_words:
        ev.add("maths", min(1.5 + 1.0 * math_words, 3.5), "maths")
    if _MATH_EXPR.search(low):
        ev.add("math_expression", 1.5, "maths")
    quantity_q = _QUANTITY_Q.search(low) is not None
    steps = _STEP_WORD.count(words_in)
    if n_numbers >= 2 and (quantity_q or steps >= 2) and words >= 10:
        weight = 1.5 + 0.6 * min(n_numbers, 6) + 0.4 * min(steps, 4)
        ev.add("word_problem", min(weight, 5.0), "maths")
        if n_numbers >= 3 or steps >= 2:
            ev.add("multi_step", 1.0, "maths")
    elif n_numbers >= 3 and words < 12:
        ev.add("multi_step", 2.0, "maths")
    prime = _PRIME_Q.search(low)
    if prime and (
        any(c in prime.group(1) for c in "^*+-")
        or int(re.sub(r"\D", "", prime.group(1)) or 0) >= 50
    ):
        ev.add("hard_number_fact", 3.0, "maths")
    if _HARD_FACT.search(low):
        ev.add("hard_fact", 3.0, "reasoning")

    # -- long answers asked for ------------------------------------------------------------
    asked = _asked_output_tokens(low)
    if asked is not None and asked >= 400:
        ev.add("long_output_asked", 4.0, "long_answer")
    if _LONG_OUT_NOUN.found(words_in):
        ev.add("long_output_kind", 2.5, "long_answer")
    if _LONG_OUT_ADJ.found(words_in):
        ev.add("detail_asked", 1.0, "long_answer")

    # -- expert domains --------------------------------------------------------------------
    personal = _PERSONAL.search(low) is not None

    domain_weight = {
        name: 2.0 * len(strong.found(words_in)) + 0.8 * len(weak.found(words_in))
        for name, (strong, weak) in _DOMAINS.items()
    }
    top_domain = max(domain_weight, key=lambda k: domain_weight[k])
    if domain_weight[top_domain]:
        weight = min(domain_weight[top_domain], 3.5)
        if personal and words >= 8 and weight >= 2.0:
            weight += 0.6
        ev.add(f"domain_{top_domain}", weight, f"domain:{top_domain}")

    # -- reasoning, comparison, planning, data, constraints --------------------------------
    if _COMPARE.search(low):
        ev.add("comparison", 2.5, "comparison")
    if _REASON.search(low):
        ev.add("reasoning", 2.0, "reasoning")
    if _PLAN.search(low):
        ev.add("planning", 1.8 + (0.8 if _DURATION.search(low) else 0.0), "planning")
    if _DATA.search(low):
        ev.add("data_analysis", 2.0, "data")
    if len(_CSV_LINE.findall(low)) >= 3:
        ev.add("table_data", 2.5, "data")
    n_constraints = len({m.lower() for m in _CONSTRAINT.findall(low)})
    n_constraints += text.count(",") // 3
    if n_constraints >= 3:
        ev.add("several_constraints", min(1.0 + 0.6 * n_constraints, 3.5), "constraints")

    # -- translation -----------------------------------------------------------------------
    translation = _TRANSLATE.search(low) is not None
    if translation:
        if _TRANSLATE_HARD.found(words_in) or words > 40:
            ev.add("translate_long", 3.0, "translation")
        else:
            ev.add("translate_phrase", -3.0, "translation")

    # -- cues for the device (only while nothing strong says cloud) ------------------------
    strong = ev.total - _BIAS
    short = words <= 14
    # A "what is ..." that names maths or code is not a dictionary question.
    technical = bool(math_words) or "math_expression" in ev.signals or code_word or lang
    if _GREETING.search(req_low) and words <= 8:
        ev.add("greeting", -3.0, "greeting")
    if _CHAT.search(req_low) and words <= 14:
        ev.add("chit_chat", -2.5, "greeting")
    if _DEFINE.search(req_low) and words <= 8 and not technical:
        ev.add("definition", -2.5, "definition")
    if _REWRITE.search(req_low) and words <= 60 and code_lines < 2:
        ev.add("short_rewrite", -2.5, "rewrite")
    if _CONVERT.search(req_low) and words <= 14:
        ev.add("unit_conversion", -2.5, "conversion")
    if _SHORT_CREATIVE.found(words_in) and words <= 25:
        ev.add("short_creative", -2.0, "creative")
    if _SUMMARISE.search(req_low) and words <= 80:
        ev.add("short_summary", -2.0, "summary")
    if _HOWTO.search(req_low) and short:
        ev.add("everyday_howto", -1.0, "everyday")
    if _LIST.search(req_low) and words <= 14:
        ev.add("quick_list", -1.5, "everyday")
    if _QUESTION_START.search(req_low) and short and not technical:
        ev.add("short_question", -1.0, "factual")
    if short and len(numbers) <= 2 and not math_words and _ARITHMETIC.search(req_low):
        ev.add("simple_arithmetic", -1.0, "arithmetic")
    if _BRIEF.search(req_low) and words <= 40:
        ev.add("brief_answer", -1.0, "everyday")
    if short and strong < 1.0:
        ev.add("short_prompt", -0.5, "everyday")

    score = round(1.0 / (1.0 + math.exp(-ev.total)), 3)
    needs_cloud = score >= CLOUD_THRESHOLD
    category = _category(ev, needs_cloud)
    out = _asked_output_tokens(low)
    if out is None:
        out = _OUTPUT_BY_CATEGORY.get(category, 500 if needs_cloud else 80)
        if category in ("long translation", "short rewrite") or (
            category == "long document" and tokens < 1000
        ):
            out = max(out, round(tokens * 1.2) + 20)
        items = _ITEMS_ASKED.search(low)
        if items and not needs_cloud:
            out = max(out, 30 + 25 * _word_number(items.group(1)))
    return Complexity(
        score=score,
        needs_cloud=needs_cloud,
        category=category,
        signals=tuple(dict.fromkeys(ev.signals)),
        prompt_tokens=tokens,
        est_output_tokens=int(min(out, 16000)),
    )


_WORD_NUMBERS = {
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def _word_number(token: str) -> int:
    return int(token) if token.isdigit() else _WORD_NUMBERS.get(token.lower(), 3)


def _category(ev: _Evidence, needs_cloud: bool) -> str:
    """The phrase for the decision sentence: the group that moved the score most that way."""
    if needs_cloud:
        if not ev.cloud:
            return "reasoning"
        group = max(ev.cloud, key=ev.cloud.__getitem__)
        if group.startswith("domain:"):
            return "expert domain: " + group.split(":", 1)[1]
        if group == "maths" and not {"word_problem", "multi_step"} & set(ev.signals):
            return "maths"
        return _CLOUD_CATEGORY.get(group, "reasoning")
    if ev.local:
        return _LOCAL_CATEGORY.get(max(ev.local, key=ev.local.__getitem__), "quick everyday task")
    return "quick everyday task"
