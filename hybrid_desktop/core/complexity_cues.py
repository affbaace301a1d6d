"""The complexity estimator's cues, as data: what in a prompt points to the cloud (code, maths,
proofs, long outputs, specialist domains) and what keeps it on the device (greetings, short
rewrites, definitions). ``core.complexity`` weighs them.

The cue lists are to be replaced by a fitted model (issue 13); this module only holds them.
"""

from __future__ import annotations

import re

from hybrid_desktop.core.complexity_lexicon import _F, _M, _Lexicon, _rx

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
