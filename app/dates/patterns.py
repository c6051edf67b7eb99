"""The grammar of date expressions: one compiled regex per set of languages, plus lookups.

The regex is a single alternation scanned once over a text. Each alternative is wrapped in a
named group ``A_<form>`` so that ``match.lastgroup`` names the form that matched. A shared
optional preposition (``pre``) opens every form: it gives context (``in February``, ``since
2016``) and is cut from the evidence afterwards. Order matters: at one position the first
form that matches wins, so longer forms (ranges, dates with years) come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app.dates.lexicon import lexicon
from app.dates.names import casings, fold, names_for, unit_words

# Not inside a word, a number (1,235 / 3.5), an amount ($2020) or a model name (An-124).
LEAD = r"(?<![\w$€£#№/\\-])(?<!\d[.,:])"
YEAR = r"(?:1\d|20)\d\d"
DAY = r"(?:3[01]|[12]\d|0?[1-9])"
ORD = r"(?:st|nd|rd|th|er|re|e|ème|\.)?(?![^\W\d_])"
ORD_EN = r"(?:st|nd|rd|th)?(?![^\W\d_])"
_OFFSET_RX = r"(?:UTC|GMT)\s?[+−-]\s?\d{1,2}(?::?[0-5]\d)?"


def _zone_alternation() -> str:
    """Zones a time may carry, from data/zones.yaml: an offset, optionally after
    ``local time (``, a zone phrase (``Moscow time``, ``heure de Moscou``), an abbreviation."""
    import yaml

    from app.paths import DATA_DIR
    raw = yaml.safe_load((DATA_DIR / "zones.yaml").read_text(encoding="utf-8"))
    abbr = sorted((str(k) for k in raw["abbreviations"] if len(str(k)) >= 3), key=len, reverse=True)
    phrases = sorted((str(k) for k in raw["phrases"]), key=len, reverse=True)
    return (rf"(?:local time\s?\(\s?)?{_OFFSET_RX}"
            r"|(?i:" + "|".join(re.escape(w) for w in phrases) + r")"
            r"|" + "|".join(re.escape(a) for a in abbr) + r"|CST|CDT")


ZONES = _zone_alternation()
END = r"(?![^\W\d_])"
DIGIT_FORMS = ("iso", "isom", "num", "ryear", "rdmy", "dmy", "dec", "ago", "bc", "year", "time",
               "later", "yr2")
DIGIT_ONLY_FORMS = ("iso", "isom", "num", "ryear", "rdmy", "bc", "time", "yr2")


def _tokens(text: str) -> list[str]:
    """A phrase as regex tokens: any run of spaces matches any whitespace, either apostrophe."""
    out: list[str] = []
    for c in " ".join(text.split()):
        if c == " ":
            out.append(r"\s+")
        elif c in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(c))
    return out


def _trie_rx(node: dict) -> str:
    branches = [tok + _trie_rx(child) for tok, child in sorted(node.items()) if tok]
    if not branches:
        return ""
    optional = "" in node
    if len(branches) == 1 and not optional:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if optional else body


def _spellings(word: str) -> set[str]:
    """As written, lower case, Capitalised and UPPER."""
    return {word, word.lower(), word[:1].upper() + word[1:], word.upper()}


def _alt(words, exact: bool = True) -> str:
    """Alternation of phrases compiled as a trie (Python's engine tries branches one by one,
    so shared prefixes matter); longer phrases win ('last week' over 'last'). Unless
    ``exact``, lower-case, Capitalised and UPPER spellings are accepted too: explicit
    variants keep the literal fast path that case-insensitive matching loses."""
    forms = set()
    for w in words:
        if not w:
            continue
        forms.update(_spellings(w) if not exact else (w,))
    if not forms:
        return "(?!)"
    root: dict = {}
    for w in forms:
        node = root
        for tok in _tokens(w):
            node = node.setdefault(tok, {})
        node[""] = {}
    return f"(?:{_trie_rx(root)})"


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """Lookup key of a matched phrase: folded, one space, straight apostrophe."""
    return " ".join(fold(text.replace("’", "'")).split())


@dataclass
class Grammar:
    """A compiled finder for a set of languages and the tables to read its matches."""

    langs: tuple[str, ...]
    rx: re.Pattern[str]
    rx_digit: re.Pattern[str] | None = None  # the forms that can start at a digit
    rx_word: re.Pattern[str] | None = None  # ... at a letter that opens no preposition
    prep_words: frozenset[str] = frozenset()  # first words of the prepositions
    memo: dict = field(default_factory=dict)  # matched text -> piece (see finder._build_memo)
    months: dict[str, int] = field(default_factory=dict)
    full_months: set[str] = field(default_factory=set)
    weekdays: dict[str, int] = field(default_factory=dict)
    days: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # offset, lang, pod
    periods: dict[str, tuple[str, int]] = field(default_factory=dict)
    shift: dict[str, int] = field(default_factory=dict)
    pods: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    ago: dict[tuple[str, str, str], str] = field(default_factory=dict)
    since: set[str] = field(default_factory=set)
    after: set[str] = field(default_factory=set)  # since-words a future cue turns forward
    ambiguous: dict[str, str] = field(default_factory=dict)
    future_rx: re.Pattern[str] | None = None
    future_first: frozenset[str] = frozenset()  # first word (lower case) of each future cue
    past_rx: re.Pattern[str] | None = None
    stop_words: dict[str, frozenset[str]] = field(default_factory=dict)
    seasons: dict[str, str] = field(default_factory=dict)
    holidays: dict[str, str] = field(default_factory=dict)
    not_days: frozenset[str] = frozenset()
    next_day: dict[str, int] = field(default_factory=dict)
    present: frozenset[str] = frozenset()
    clock: frozenset[str] = frozenset()
    not_clock: frozenset[str] = frozenset()  # 'pendant 3 h': an amount of hours
    later_units: dict[str, str] = field(default_factory=dict)
    year_before: frozenset[str] = frozenset()  # 'die Wahlen 2014'
    year_after: frozenset[str] = frozenset()  # '2014 wurde er gewählt'
    counted: frozenset[str] = frozenset()  # '2000 soldiers': a count, not a year
    hour_minutes: bool = False  # clock hours valued T20:00 rather than T20


@lru_cache(maxsize=32)
def grammar(langs: tuple[str, ...]) -> Grammar:
    """Build (once) the grammar for ``langs`` (ISO 639-1 codes CLDR knows)."""
    g = Grammar(langs=langs, rx=re.compile("(?!)"))
    wide, abbr, wdays = set(), set(), set()
    preps, betweens, ands, range_to, mods = set(), set(), set(), set(), set()
    shift_b, shift_a, pods, nums, nows = set(), set(), set(), set(), set()
    rel_ci, rel_exact, ago_pre, ago_suf, units = set(), set(), set(), set(), set()
    future, past, past_suffix, stop = set(), set(), set(), {}
    seasons, holidays, bcs, laters, lunits = set(), set(), set(), set(), set()
    not_days, present, clock = set(), set(), set()
    for lang in langs:
        names = names_for(lang)
        lex = lexicon(lang)
        for name, num in names.months_wide.items():
            g.months[fold(name)] = num
            g.full_months.add(fold(name))
            wide.update(casings(name, lang))
        for name, num in names.months_abbr.items():
            g.months.setdefault(fold(name), num)
            abbr.update(casings(name, lang))
        for name, num in names.weekdays.items():
            g.weekdays[fold(name)] = num
            wdays.update(casings(name, lang))
        for before, after, unit in names.ago:
            g.ago[(key(before), key(after).split(" ")[0], key(" ".join(after.split()[1:])))] = unit
            if before:
                ago_pre.add(before)
            words = after.split()
            if words:
                units.add(words[0])
            if len(words) > 1:
                ago_suf.add(" ".join(words[1:]))
        preps.update(lex["preps"])
        betweens.update(lex["between"])
        ands.update(lex["and"])
        range_to.update(lex["range_to"])
        mods.update(lex["mods"])
        exact = {key(w) for w in lex["exact_case"]}
        for phrase, offset in lex["days"].items():
            offset, pod = offset if isinstance(offset, list) else (offset, "")
            g.days[key(phrase)] = (int(offset), lang, pod)
            (rel_exact if key(phrase) in exact else rel_ci).add(phrase)
        for phrase, offset in lex["next_day"].items():
            g.next_day[key(phrase)] = int(offset)
            rel_ci.add(phrase)
        for word, code in lex["seasons"].items():
            g.seasons[key(word)] = code
            seasons.update(_spellings(word))
        for name, rule in lex["holidays"].items():
            g.holidays[key(name)] = rule
            holidays.add(name)
        not_days.update(key(w) for w in lex["not_days"])
        present.update(key(w) for w in lex["present"])
        clock.update(key(w) for w in lex["clock"])
        bcs.update(lex["bc"])
        laters.update(lex["later"])
        for word, unit in list(unit_words(lang).items()) + list(lex["unit_forms"].items()):
            if unit in ("year", "month", "week", "day", "hour", "minute"):
                g.later_units[key(word)] = unit
                lunits.add(word)
        for phrase, (unit, offset) in lex["periods"].items():
            g.periods[key(phrase)] = (unit, int(offset))
            rel_ci.add(phrase)
        for phrase in lex["now"]:
            g.periods[key(phrase)] = ("now", 0)
            nows.add(phrase)
        for word, val in lex["shift_before"].items():
            g.shift[key(word)] = int(val)
            shift_b.add(word)
        for word, val in lex["shift_after"].items():
            g.shift[key(word)] = int(val)
            shift_a.add(word)
        for word, code in lex["parts_of_day"].items():
            g.pods[key(word)] = code
            pods.add(word)
        for word, val in lex["numbers"].items():
            g.numbers[key(word)] = int(val)
            nums.add(word)
        g.since.update(key(w) for w in lex["since"])
        g.after.update(key(w) for w in lex["after"])
        for word in lex["ambiguous"]:
            g.ambiguous[key(word)] = lang
        future.update(lex["future"])
        past.update(lex["past"])
        past_suffix.update(lex["past_suffix"])
        if lex["stopwords"]:
            stop[lang] = frozenset(v for w in lex["stopwords"] for v in _spellings(w))
    g.stop_words = stop
    g.year_before = frozenset(key(w) for lang in langs for w in lexicon(lang)["year_before"])
    g.year_after = frozenset(key(w) for lang in langs for w in lexicon(lang)["year_after"])
    g.counted = frozenset(key(w) for lang in langs for w in lexicon(lang)["counted"])
    g.not_clock = frozenset(key(w) for lang in langs for w in lexicon(lang)["not_clock"])
    year_words = {w for lang in langs for w in lexicon(lang)["year_words"]}
    comparative = {w for lang in langs for w in lexicon(lang)["comparative"]}
    g.hour_minutes = all(lexicon(lang)["hour_minutes"] for lang in langs)
    g.not_days, g.present, g.clock = frozenset(not_days), frozenset(present), frozenset(clock)
    g.future_rx = re.compile(r"\b" + _alt(future, exact=False) + r"\b") if future else None
    g.future_first = frozenset(re.findall(r"\w+", w.lower())[0] for w in future)
    if past or past_suffix:
        suffixes = "|".join(re.escape(x) for x in sorted(past_suffix, key=len, reverse=True))
        ending = rf"|\w{{3,}}(?:{suffixes})" if suffixes else ""
        g.past_rx = re.compile(rf"\b(?:{_alt(past, exact=False)}{ending})\b")

    month = _alt(wide)
    month_abbr = _alt(abbr)

    def mon(name: str, full_only: bool = False) -> str:
        if full_only:
            return f"(?P<{name}>{month}{END})"
        return f"(?P<{name}>{month}{END}|{month_abbr}{END}\\.?)"

    def yr(name: str) -> str:
        return f"(?P<{name}>{YEAR})(?!\\d)"

    def day(name: str) -> str:
        return f"(?P<{name}>{DAY})"

    sep = (r"(?:\s*[-–—]\s*|\s+" + _alt(range_to, exact=False)
           + r"\s+|(?(btw)\s+" + _alt(ands, exact=False) + r"\s+|(?!)))")
    the = _alt(["the"], exact=False)
    articles = _alt(["the", "les", "den", "die"], exact=False)
    of = r"(?:" + _alt(["of", "de", "du", "del"], exact=False) + r"\s+)?"
    modx = _alt(mods, exact=False)
    shb = _alt(shift_b, exact=False)
    sha = _alt(shift_a, exact=False)
    time_ahead = (r"(?=\d{1,2}(?:[:.][0-5]\d|\s?h\s?[0-5]\d"
                  r"|\s?(?:[ap]\.m\.|[AaPp][Mm](?![^\W\d_])|Uhr|heures?|h(?![^\W\d_]))))")
    # rare forms after the frequent ones: a match tries them in this order
    forms = {
        "iso": (rf"(?P<iso_y>{YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])"
                r"(?:T(?P<iso_h>[01]\d|2[0-3]):(?P<iso_mi>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
                r"(?P<iso_z>Z|[+-]\d\d:?\d\d)?)?(?![\d])"),
        "isom": rf"(?P<isom_y>{YEAR})-(?P<isom_m>0[1-9]|1[0-2])(?![\d-])",
        "num": (r"(?P<num_a>[0-3]?\d)(?P<num_s>[./])(?P<num_b>[01]?\d)(?P=num_s)"
                rf"(?P<num_y>{YEAR}|\d\d)(?![\d]|[./]\d)"),
        "ryear": rf"{yr('ry_a')}{sep}(?P<ry_b>{YEAR}|\d\d)(?![\d]|[.,]\d|[^\W\d_])",
        "rdmy": (rf"{day('rd_d1')}{ORD}(?:\s+{of}{mon('rd_m1')}(?:,?\s+{yr('rd_y1')})?)?"
                 rf"{sep}(?:{the}\s+)?{day('rd_d2')}{ORD}\s+{of}{mon('rd_m2')}"
                 rf"(?:,?\s+{yr('rd_y2')})?"),
        "rmdy": (rf"{mon('rm_m1')}\s+{day('rm_d1')}{ORD_EN}(?:,?\s+{yr('rm_y1')})?{sep}"
                 rf"(?:{mon('rm_m2')}\s+)?{day('rm_d2')}{ORD_EN}(?!\d)(?:,?\s+{yr('rm_y2')})?"),
        "rmy": (rf"{mon('ry_m1', True)}(?:\s+{yr('ry_y1')})?{sep}{mon('ry_m2', True)}"
                rf"(?:,?\s+{yr('ry_y2')})?"),
        "dmy": (rf"(?:{the}\s+)?{day('dmy_d')}{ORD}\s+{of}{mon('dmy_m')}"
                rf"(?:,?\s+{of}{yr('dmy_y')})?"),
        "mdy": rf"{mon('mdy_m')}\s+{day('mdy_d')}{ORD_EN}(?!\d)(?:,?\s+{yr('mdy_y')})?",
        "my": (rf"(?:(?P<my_sh>{shb})\s+)?(?:(?P<my_mod>{modx})(?:-|\s+))?{mon('my_m')}"
               rf"(?:,?\s+{of}{yr('my_y')}|\s+(?P<my_sa>{sha}){END})?"),
        "dec": (rf"(?:{articles}\s+)?(?:(?P<dec_mod>{modx})(?:-|\s+))?"
                r"(?:(?P<dec_y>1[0-9]\d0|20\d0)(?:'?s|er(?:\s+Jahren?)?)"
                r"|(?:années|Années|ANNÉES)\s+(?P<dec_y2>1[0-9]\d0|20\d0))(?![\w])"),
        "ago": (rf"(?:(?P<ago_pre>{_alt(ago_pre, False)})\s+)?"
                rf"(?P<ago_n>\d{{1,3}}|{_alt(nums, False)})\s+(?P<ago_u>{_alt(units, False)}){END}"
                rf"(?(ago_pre)|\s+(?P<ago_suf>{_alt(ago_suf, False)}){END})"),
        "rel": rf"(?P<rel>{_alt(rel_ci, exact=False)}|{_alt(rel_exact)}){END}",
        "now": rf"(?P<now>{_alt(nows, exact=False)}){END}",
        "hol": (rf"(?P<hol>{_alt(holidays, exact=False)}){END}(?![-‐])"
                rf"(?:,?\s+{yr('hol_y')})?"),
        "wd": (rf"(?:(?P<wd_b>{shb})\s+)?(?P<wd_n>{_alt(wdays)}){END}"
               rf"(?:\s+(?P<wd_pod>{_alt(pods, exact=False)}){END})?"
               rf"(?:\s+(?P<wd_a>{sha}){END})?"),
        "bc": rf"(?P<bc_y>\d{{1,4}})\s?(?P<bc_w>{_alt(bcs, False)})(?![^\W\d_])",
        "year": rf"(?:(?P<yr_mod>{modx})(?:-|\s+))?(?P<yr_y>{YEAR})(?![\d]|[.,:]\d|[\w%°-])",
        "time": (time_ahead + r"(?P<t_h>[01]?\d|2[0-3])"
                 r"(?:(?P<t_sep>[:.]|\s?h\s?)(?P<t_mi>[0-5]\d))?"
                 r"(?![\d]|[:.]\d)(?:\s?(?P<t_ap>[ap]\.m\.|[AaPp][Mm](?![^\W\d_])))?"
                 r"(?:\s?(?P<t_u>Uhr|heures?|hrs|h(?![^\W\d_])))?"
                 rf"(?:\s?\(?(?P<t_tz>{ZONES})(?![^\W\d_])\)?)?"),
        "later": (rf"(?P<lt_n>\d{{1,3}}|{_alt(nums, False)})\s+(?P<lt_u>{_alt(lunits, False)}){END}"
                  rf"\s+(?P<lt_w>{_alt(laters, False)}){END}"
                  rf"(?!\s+{_alt(comparative, False)}(?![^\W\d_]))"),
        "season": (rf"(?:{the}\s+)?(?:(?P<se_sh>{shb})\s+)?"
                   rf"(?:(?P<se_mod>{modx})(?:-|\s+))?(?:l['’])?"
                   rf"(?P<se_n>{_alt(seasons)}){END}"
                   rf"(?:,?\s+{of}(?:{yr('se_y')}|['’](?P<se_y2>\d\d)(?![\d\w]))"
                   rf"|\s+(?P<se_sa>{sha}){END})?"),
        "yr2": (r"(?:['’](?P<y2_a>\d\d)|(?<=['’])(?P<y2_b>\d\d)"
                rf"|{_alt(year_words, False)}\s+(?P<y2_c>\d\d)(?!\s+[A-ZÄÖÜ]))"
                r"(?![\w'’-]|[.,:]\d)"),
    }
    body = "|".join(f"(?P<A_{name}>{rx})" for name, rx in forms.items())
    prep = rf"(?:(?P<pre>(?P<btw>{_alt(betweens, exact=False)})|{_alt(preps, exact=False)})\s+)?"
    g.rx = re.compile(f"{LEAD}{prep}(?:{body})")
    # At a digit only these forms can start (the others open with a word and cannot match
    # there); the same order and group names give the same match for a smaller price.
    digit_body = "|".join(f"(?P<A_{name}>{forms[name]})" for name in DIGIT_FORMS)
    g.rx_digit = re.compile(f"{LEAD}{prep}(?:{digit_body})")
    # At a letter where no preposition can start, the forms that open with a digit cannot
    # match either.
    word_body = "|".join(f"(?P<A_{name}>{rx})" for name, rx in forms.items()
                         if name not in DIGIT_ONLY_FORMS)
    g.rx_word = re.compile(f"{LEAD}{prep}(?:{word_body})")
    g.prep_words = frozenset(key(w.split()[0]) for w in preps | betweens)
    return g
