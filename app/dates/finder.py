"""Find date expressions: anchors, then the grammar at each anchor, then merging.

Scanning the whole grammar at every position of a text is slow in Python's regex engine, so
the finder first collects anchors in C-speed passes: digit runs (one regex) and names or
relative words (one Aho-Corasick automaton over the lower-cased text). The grammar is then
matched only at an anchor or at the start of up to three words before it (for 'between
2006', 'the day before yesterday', 'am vergangenen Donnerstag'), with only the forms that
can open at a digit (for a number) or at a letter (for a name). Each match becomes a Piece
(remembered by its text where it reads nothing around it); adjacent pieces that belong
together (a time and its day, a weekday and its date) are merged; the resolver turns
pieces into DateHits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from app.dates.names import fold
from app.dates.patterns import Grammar, grammar, key

# A digit run that may open a date: a year (4 digits) or a day, month, hour or count (1-2
# digits; '900 soldiers' and '20000' open nothing), not inside a word, a model name or an
# amount (S-300, $2020, #12), nor after a number's separator (1,235 / 3.5 / 10:45).
# The pattern opens with a digit so that the engine skips ahead to digits in C; the
# lookbehinds then look at the characters before that first digit.
NUMBER_START = re.compile(r"\d(?<!\d\d)(?<![^\W\d_]\d)(?<![-/$€£#]\d)(?<!\d[.,:]\d)"
                          r"\d{0,3}(?!\d)")
_start = re.Match.start
# Forms whose reading depends on the text around the match (see _year_ok).
_CONTEXT_FORMS = frozenset({"A_year", "A_ryear", "A_hol"})
WORDS = re.compile(r"\w+")
# Between a time and the day it belongs to: '13:00 on 20 September', '15:00 GMT Saturday'.
GAP_TIME_DAY = re.compile(r"\s*,?\s*(?:(?i:on|am|le|du|of)\s+)?", re.ASCII)
# Between a day and its time: '10.11.2020 - 16:21', '27 March 2022 19:16', 'May 5 at 3 pm'.
# A start time joins its day too: '21 September from 9 a.m.', 'am 21. September ab 9 Uhr'.
GAP_DAY_TIME = re.compile(r"\s*(?:[,\-–—]\s*)?"
                          r"(?:(?i:at|um|à|a las|gegen|from|ab|dès)\s+)?")
GAP_WEEKDAY_DAY = re.compile(r"\s*,?\s*(?:(?i:the|den|le)\s+)?")
TIME_CUES = {"at", "um", "a", "from", "until", "till", "since", "by", "gegen", "ab", "bis",
             "vers", "des", "depuis", "before", "after", "von", "vom"}
DETERMINERS = {"the", "a", "an", "of", "de", "des", "du", "der", "die", "das", "den", "dem",
               "la", "le", "les", "l", "and", "und", "et", "or", "oder", "ou", "year", "jahr",
               "annee", "jahres", "years", "summer", "winter", "spring", "autumn",
               "fall", "early", "late", "mid", "since", "in", "im", "en"}


class Piece:
    """One matched expression before resolution (offsets are the evidence span).

    Slotted, with a short __init__: tens of thousands are made per megabyte of news text."""

    __slots__ = ("start", "end", "form", "pre", "y", "m", "d", "hour", "minute", "tz", "shift",
                 "wd", "unit", "offset", "pod", "first", "last")

    def __init__(self, start: int, end: int, form: str, pre: str = "", y: int | None = None,
                 m: int | None = None, d: int | None = None) -> None:
        self.start, self.end, self.form, self.pre = start, end, form, pre
        self.y, self.m, self.d = y, m, d
        self.hour = self.minute = self.shift = self.wd = self.first = self.last = None
        self.tz = self.unit = self.pod = ""
        self.offset = 0
        # form: date, month, year, decade, range, weekday, day, period, ago, now, time;
        # first/last: the two ends of a range

    def copy(self) -> Piece:
        new = object.__new__(Piece)
        new.start, new.end, new.form, new.pre = self.start, self.end, self.form, self.pre
        new.y, new.m, new.d, new.hour, new.minute = self.y, self.m, self.d, self.hour, self.minute
        new.tz, new.shift, new.wd, new.unit = self.tz, self.shift, self.wd, self.unit
        new.offset, new.pod, new.first, new.last = self.offset, self.pod, self.first, self.last
        return new

    def __repr__(self) -> str:
        return "Piece(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in Piece.__slots__) + ")"


@dataclass(frozen=True)
class _Anchors:
    automaton: ahocorasick.Automaton
    back: frozenset[str]  # words that may open a date before a number
    back_word: frozenset[str]  # ... before a name or relative word (a superset)
    no_prep: bool  # no anchor word opens a preposition (so g.rx_word may be used there)
    guarded: dict[str, tuple[str, ...]]  # anchor -> what must stand right before it


def _anchor_word(phrase: str, function_words: set[str]) -> str:
    """The word of a phrase to look for: the longest that is not a preposition, article,
    modifier or 'this'/'last' (those are everywhere in news text; the finder walks back to
    them from the anchor), the last of equals; 'this week' -> 'week'."""
    words = phrase.split()
    content = [w for w in words if key(w).rstrip("-") not in function_words] or words
    return max(reversed(content), key=len)


@lru_cache(maxsize=32)
def _anchors(langs: tuple[str, ...]) -> _Anchors:
    from app.dates.lexicon import lexicon
    from app.dates.names import names_for

    g = grammar(langs)
    back = set()
    for lang in langs:
        lex = lexicon(lang)
        for group in ("preps", "between", "mods"):
            for phrase in lex[group]:
                back.update(key(w) for w in phrase.split())
        back.update(key(w) for w in lex["shift_before"])
    back.update({"the", "les", "den", "die", "dem", "of", "de", "du", "der"})
    back.add("'")  # the apostrophe of a two-digit year ('97)
    function_words = back | {key(w) for lang in langs for w in lexicon(lang)["shift_after"]}
    auto = ahocorasick.Automaton()
    words: set[str] = set()
    words.update(g.months)
    words.update(g.weekdays)
    for phrase in list(g.days) + list(g.periods) + list(g.next_day) + list(g.holidays):
        words.add(_anchor_word(phrase, function_words))
    words.update(g.seasons)
    for before, _, _ in g.ago:
        if before:
            words.add(before)
    words.update({"ago", "annees"})
    lowered: set[str] = set(words)
    # Anchors are looked up in the lower-cased text, so add the accented spellings CLDR uses.
    for lang in langs:
        n = names_for(lang)
        for name in list(n.months_wide) + list(n.months_abbr) + list(n.weekdays):
            lowered.add(name.lower())
    for lang in langs:
        lex = lexicon(lang)
        for phrase in (list(lex["days"]) + list(lex["periods"]) + list(lex["now"])
                       + list(lex["next_day"]) + list(lex["holidays"])):
            lowered.add(_anchor_word(phrase.lower(), function_words))
        lowered.update(w.lower() for w in lex["seasons"])
        lowered.update(w.split()[-1].lower() for w in lex["later"])
    lowered.add("années")
    guarded: dict[str, tuple[str, ...]] = {}
    for lang in langs:
        for word, cues in lexicon(lang)["season_cues"].items():
            guarded[word.lower()] = tuple(c.lower() for c in cues)
    for w in lowered:
        for variant in {w, w.replace("'", "’"), w.replace("’", "'")}:
            # a guarded word ('été' is also 'been') is stored with a negative length
            auto.add_word(variant, -len(variant) if variant in guarded else len(variant))
    auto.make_automaton()
    # Before a word anchor the grammar may also hold the other words of a phrase ('the day
    # before yesterday', 'two years ago', 'la semaine dernière') or another name.
    back_word = set(back) | set(g.months) | set(g.weekdays) | set(g.numbers)
    for phrase in list(g.days) + list(g.periods) + list(g.next_day) + list(g.holidays):
        back_word.update(phrase.split(" "))
    back_word.update(g.later_units)
    back_word.update(k for lang in langs for w in lexicon(lang)["later"] for k in key(w).split())
    for parts in g.ago:
        for part in parts:
            back_word.update(part.split(" "))
    back_word.discard("")
    no_prep = not any(key(w.split()[0]) in g.prep_words for w in lowered if w.split())
    back.update(key(w) for w in g.seasons)  # 'Herbst 1998' from the year's anchor
    back.update(key(w) for lang in langs for w in lexicon(lang)["year_words"])  # Jahr 97
    back_word.update(key(w) for w in g.seasons)
    return _Anchors(auto, frozenset(back), frozenset(back_word), no_prep, guarded)


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # 'İ' grows when lower-cased; keep offsets aligned.
    low = text.replace("İ", "i").lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _word_before(text: str, pos: int) -> tuple[int, str]:
    """Start and text of the word that ends just before ``pos`` (across spaces)."""
    j = pos - 1
    while j >= 0 and text[j] in " \t\xa0":
        j -= 1
    if j < pos - 3:
        return -1, ""
    k = j
    while k >= 0 and (text[k].isalpha() or text[k] in "'’-"):
        k -= 1
    if k == j:
        return -1, ""
    return k + 1, text[k + 1:j + 1]


# The word before a position, read as a prefix of the reversed text: up to three spaces,
# then letters, apostrophes and hyphens (what _word_before reads, in one C-level match).
WORD_BEFORE_REV = re.compile(r"[ \t\xa0]{0,3}+((?:[^\W\d_]|['’-])+)")


def scan(text: str, g: Grammar) -> list[Piece]:
    """All pieces in ``text``, left to right, not overlapping."""
    anchors = _anchors(g.langs)
    # Anchors as ints, position * 2 + 1 for a word: cheaper to build and sort than pairs.
    starts = [2 * s for s in map(_start, NUMBER_START.finditer(text))]
    if anchors.automaton.kind:
        low = _lower(text)
        n = len(low)
        guarded = anchors.guarded
        for end, length in anchors.automaton.iter(low):
            if length < 0:
                length = -length
                s = end - length + 1
                if not low[max(0, s - 8):s].endswith(guarded[low[s:end + 1]]):
                    continue
            s = end - length + 1
            if s and low[s - 1].isalnum():
                continue
            if end + 1 < n and low[end + 1].isalpha():
                continue
            starts.append(2 * s + 1)
    starts.sort()
    pieces: list[Piece] = []
    done = 0
    rx_digit = g.rx_digit
    rx_word = g.rx_word if anchors.no_prep else g.rx
    # reversed word as read -> may it open a date (before a number, before a word)?
    opens: tuple[dict[str, bool], dict[str, bool]] = ({}, {})
    back = (anchors.back, anchors.back_word)
    rev, n = text[::-1], len(text)
    memo = g.memo
    if len(memo) > 20_000:
        memo.clear()
    word_rev = WORD_BEFORE_REV.match
    for a in starts:
        p, is_word = a >> 1, a & 1
        if p < done:
            continue
        cands = [p]
        q = p
        seen = opens[is_word]
        # Every match tried for an anchor opens with a form that can start at a digit (for
        # a number) or at a letter (for a name): the walked-back words are letters.
        grammar_at = rx_word if is_word else rx_digit
        for _ in range(3):
            wm = word_rev(rev, n - q)
            if wm is None:
                break
            ws = n - wm.end()
            if ws < done:
                break
            word = wm.group(1)
            ok = seen.get(word)
            if ok is None:
                ok = seen[word] = key(word[::-1]).rstrip("-") in back[is_word]
            if not ok:
                break
            cands.append(ws)
            q = ws
        for s in reversed(cands):
            m = grammar_at.match(text, s)
            if m is None or m.end() <= p:
                continue
            piece, resume = _build_memo(m, text, g, memo)
            if piece is not None:
                pieces.append(piece)
                done = piece.end
                break
            if resume is not None:
                done = max(done, resume)
                break
        # a failed anchor is simply dropped; later anchors are still tried
    return _merge(pieces, text)


# --- from a match to a piece --------------------------------------------------------------

def _int(s: str | None) -> int | None:
    return int(s) if s else None


def _valid_day(y: int | None, m: int, d: int) -> bool:
    if not 1 <= m <= 12 or d < 1:
        return False
    leap = y is None or (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return d <= days[m - 1]


def _tz(raw: str | None) -> str:
    if not raw:
        return ""
    raw = raw.strip("() ").replace("−", "-")
    if raw.casefold().startswith("local time"):  # kept as written: "local time (UTC+4)"
        return re.sub(r"\s+", " ", raw) + (")" if "(" in raw else "")
    if re.match(r"(?:UTC|GMT)?\s*[+-]", raw):
        raw = raw.replace(" ", "")
    if raw == "Z":
        return "UTC"
    m = re.fullmatch(r"(UTC|GMT)?([+-])(\d{1,2}):?(\d\d)?", raw)
    if m:
        return f"{m.group(1) or 'UTC'}{m.group(2)}{int(m.group(3)):02d}:{m.group(4) or '00'}"
    return raw


def _month(g: Grammar, raw: str | None) -> int | None:
    return g.months.get(fold(raw)) if raw else None


def _year2(a: int, b: str) -> int:
    if len(b) == 4:
        return int(b)
    return a - a % 100 + int(b)


_new = object.__new__


def _template(p: Piece, base: int) -> tuple:
    """What a piece holds, offsets taken relative to ``base``, as one tuple (cheap to
    unpack into a fresh piece)."""
    ends = None if p.first is None else (_template(p.first, base), _template(p.last, base))
    return (p.start - base, p.end - base, p.form, p.pre, p.y, p.m, p.d, p.hour, p.minute,
            p.tz, p.shift, p.wd, p.unit, p.offset, p.pod, ends)


def _from_template(t: tuple, base: int) -> Piece:
    new = _new(Piece)
    (start, end, new.form, new.pre, new.y, new.m, new.d, new.hour, new.minute, new.tz,
     new.shift, new.wd, new.unit, new.offset, new.pod, ends) = t
    new.start, new.end = start + base, end + base
    if ends is None:
        new.first = new.last = None
    else:
        new.first, new.last = _from_template(ends[0], base), _from_template(ends[1], base)
    return new


def _build_memo(m: re.Match[str], text: str, g: Grammar, memo: dict):
    """_build, remembered by the matched text for the forms that read nothing around the
    match (news repeats 'yesterday', 'on Saturday', '10 November'); bare years and words
    whose language must be told from the sentence are read afresh each time."""
    form = m.lastgroup
    if form in _CONTEXT_FORMS:
        return _build(m, text, g)
    mkey = m.group()
    base = m.start()
    known = memo.get(mkey)
    if known is not None and known[0] == form:
        _, piece, resume = known
        if piece is None:
            return None, None if resume is None else resume + base
        return _from_template(piece, base), None
    piece, resume = _build(m, text, g)
    if form == "A_rel" and key(m.group("rel")) in g.ambiguous:
        return piece, resume
    if piece is None:
        memo[mkey] = (form, None, None if resume is None else resume - base)
        return piece, resume
    memo[mkey] = (form, _template(piece, base), None)
    return piece, resume


def _build(m: re.Match[str], text: str, g: Grammar) -> tuple[Piece | None, int | None]:
    """A piece from a match, or (None, resume) when the match is not a date; ``resume`` is
    where scanning may go on (None: try the next candidate start)."""
    form = m.lastgroup[2:] if m.lastgroup else ""
    gd = m.group  # named groups read on demand: a match uses a few of over eighty
    pre_raw = gd("pre")
    pre = key(pre_raw) if pre_raw else ""
    s, e = m.start(m.lastindex), m.end()  # the last group to close is the form's A_ group
    p = Piece(s, e, "date", pre=pre)
    # the forms in order of how often news text has them
    if form in ("dmy", "mdy"):
        p.d = int(gd(f"{form}_d"))
        p.m = _month(g, gd(f"{form}_m"))
        p.y = _int(gd(f"{form}_y"))
    elif form == "rel":
        k = key(gd("rel"))
        if k in g.ambiguous and not _language_is(text, s, e, g, g.ambiguous[k]):
            return None, e
        if k in g.days:
            p.form, (p.offset, _, p.pod) = "day", g.days[k]
            if k in g.present:
                p.unit = "present"  # PRESENT_REF where the text narrates another time
        elif k in g.next_day:
            p.form, p.unit, p.offset = "later", "day", g.next_day[k]
        else:
            p.form, (p.unit, p.offset) = "period", g.periods[k]
    elif form == "time":
        h, mi = int(gd("t_h")), _int(gd("t_mi"))
        ap = (gd("t_ap") or "").lower().replace(".", "")
        if ap:
            if not 1 <= h <= 12:
                return None, e
            h = h % 12 + (12 if ap == "pm" else 0)
        if gd("t_sep") == "." and not (gd("t_u") or ap or pre in TIME_CUES):
            return None, e
        p.form, p.hour, p.minute, p.tz = "time", h, mi, _tz(gd("t_tz"))
        unit = gd("t_u")
        if unit and key(unit) in g.clock and (mi is not None or not g.not_clock
                                              or key(_word_before(text, s)[1]) not in g.not_clock):
            p.unit = "clock"  # '20 Uhr', '14 h': a clock time without a cue
    elif form == "wd":
        p.form = "weekday"
        p.wd = g.weekdays[fold(gd("wd_n"))]
        shift = gd("wd_b") or gd("wd_a")
        p.shift = g.shift.get(key(shift)) if shift else None
        p.pod = g.pods.get(key(gd("wd_pod")), "") if gd("wd_pod") else ""
    elif form == "num":
        a, b, ys = int(gd("num_a")), int(gd("num_b")), gd("num_y")
        y = int(ys) if len(ys) == 4 else (2000 + int(ys) if int(ys) < 70 else 1900 + int(ys))
        us = gd("num_s") == "/" and g.langs == ("en",)
        if a > 12 or (not us and b <= 12):
            p.d, p.m = a, b
        else:
            p.m, p.d = a, b
        p.y = y
    elif form == "ago":
        unit_word = key(gd("ago_u"))
        before = key(gd("ago_pre")) if gd("ago_pre") else ""
        after = key(gd("ago_suf")) if gd("ago_suf") else ""
        unit = g.ago.get((before, unit_word, after))
        raw = key(gd("ago_n"))
        n = int(raw) if raw.isdigit() else g.numbers.get(raw)
        if unit is None or not n:
            return None, e
        p.form, p.unit, p.offset = "ago", unit, -n
    elif form == "ryear":
        a = int(gd("ry_a"))
        b = _year2(a, gd("ry_b"))
        if not a < b <= a + 200 or not _year_ok(text, s, e, pre, g, ranged=True):
            return None, e
        p.form = "range"
        p.first = Piece(s, m.end("ry_a"), "year", y=a)
        p.last = Piece(m.start("ry_b"), e, "year", y=b)
    elif form in ("rdmy", "rmdy", "rmy"):
        return _range(m, gd, form, text, g, p)
    elif form == "year":
        y = int(gd("yr_y"))
        cue = pre or (key(gd("yr_mod")) if gd("yr_mod") else "")
        if not _year_ok(text, m.start("yr_y"), e, cue, g):
            return None, e
        p.form, p.y = "year", y
    elif form == "my":
        p.form, p.m, p.y = "month", _month(g, gd("my_m")), _int(gd("my_y"))
        shift = gd("my_sh") or gd("my_sa")
        p.shift = g.shift.get(key(shift)) if shift else None
        if p.y is None:
            if fold(gd("my_m")) not in g.full_months:
                return None, e
            if not (pre or gd("my_mod") or shift):
                return None, e
    elif form == "later":
        raw = key(gd("lt_n"))
        n = int(raw) if raw.isdigit() else g.numbers.get(raw)
        unit = g.later_units.get(key(gd("lt_u")))
        if not n or unit is None:
            return None, e
        p.form, p.unit, p.offset = "later", unit, n
    elif form == "season":
        p.form, p.unit, p.y = "season", g.seasons[key(gd("se_n"))], _int(gd("se_y"))
        if gd("se_y2"):
            n = int(gd("se_y2"))
            p.y = 1900 + n if n >= 30 else 2000 + n
        shift = gd("se_sh") or gd("se_sa")
        p.shift = g.shift.get(key(shift)) if shift else None
        if p.y is None and p.shift is None and not (pre or gd("se_mod")):
            return None, e
    elif form == "hol":
        if _not_a_day(text, s, e, g):
            return None, e
        p.form, p.unit, p.y = "holiday", g.holidays[key(gd("hol"))], _int(gd("hol_y"))
    elif form == "bc":
        p.form, p.y = "bc", int(gd("bc_y"))
        if p.y == 0:
            return None, e
    elif form == "yr2":
        n = int(gd("y2_a") or gd("y2_b") or gd("y2_c"))
        p.form, p.y = "year", 1900 + n if n >= 30 else 2000 + n
    elif form == "dec":
        p.form, p.y = "decade", int(gd("dec_y") or gd("dec_y2"))
    elif form == "now":
        p.form = "now"
    elif form == "iso":
        p.y, p.m, p.d = int(gd("iso_y")), int(gd("iso_m")), int(gd("iso_d"))
        if gd("iso_h"):
            p.hour, p.minute = int(gd("iso_h")), int(gd("iso_mi"))
            p.tz = _tz(gd("iso_z"))
    elif form == "isom":
        p.form, p.y, p.m = "month", int(gd("isom_y")), int(gd("isom_m"))
    else:
        return None, e
    if p.form == "date" and (p.m is None or p.d is None or not _valid_day(p.y, p.m, p.d)):
        return None, e
    return p, None


def _range(m, gd, form, text, g, p):
    """Ranges: '27–29 September', 'from September 27 to December 1', 'May–June 2020'."""
    s, e = p.start, p.end
    if form == "rdmy":
        d1, d2 = int(gd("rd_d1")), int(gd("rd_d2"))
        m2 = _month(g, gd("rd_m2"))
        m1 = _month(g, gd("rd_m1")) or m2
        y1, y2 = _int(gd("rd_y1")), _int(gd("rd_y2"))
        first_end = max(m.end(n) for n in ("rd_d1", "rd_m1", "rd_y1") if gd(n))
        first = Piece(s, first_end, "date", y=y1, m=m1, d=d1)
        last = Piece(m.start("rd_d2"), e, "date", y=y2, m=m2, d=d2)
    elif form == "rmdy":
        m1 = _month(g, gd("rm_m1"))
        m2 = _month(g, gd("rm_m2")) or m1
        d1, d2 = int(gd("rm_d1")), int(gd("rm_d2"))
        y1, y2 = _int(gd("rm_y1")), _int(gd("rm_y2"))
        first_end = max(m.end(n) for n in ("rm_d1", "rm_y1") if gd(n))
        first = Piece(s, first_end, "date", y=y1, m=m1, d=d1)
        last_start = m.start("rm_m2") if gd("rm_m2") else m.start("rm_d2")
        last = Piece(last_start, e, "date", y=y2, m=m2, d=d2)
    else:
        m1, m2 = _month(g, gd("ry_m1")), _month(g, gd("ry_m2"))
        y1, y2 = _int(gd("ry_y1")), _int(gd("ry_y2"))
        first_end = max(m.end(n) for n in ("ry_m1", "ry_y1") if gd(n))
        first = Piece(s, first_end, "month", y=y1, m=m1)
        last = Piece(m.start("ry_m2"), e, "month", y=y2, m=m2)
    ok = all(x.m for x in (first, last))
    if ok and first.form == "date":
        ok = _valid_day(first.y, first.m, first.d) and _valid_day(last.y, last.m, last.d)
    if ok and first.y is not None and last.y is not None:
        ok = (first.y, first.m, first.d or 0) < (last.y, last.m, last.d or 0)
    if ok and first.y is None and last.y is None and first.m == last.m and first.d is not None:
        ok = first.d < last.d
    if not ok:
        # Not a range: keep what the first half says on its own.
        sub = g.rx.match(text, m.start(), first_end)
        if sub is not None and sub.end() == first_end:
            piece, _ = _build(sub, text, g)
            if piece is not None:
                return piece, None
        return None, first_end
    p.form, p.first, p.last = "range", first, last
    return p, None


def _year_ok(text: str, s: int, e: int, cue: str, g: Grammar, ranged: bool = False) -> bool:
    """Is a bare four-digit number a year? Numbers that count things are not."""
    y = int(text[s:s + 4])
    if text[e:e + 1] == " ":
        after = WORDS.match(text, e + 1)
        if after is not None and key(after.group()) in g.counted:
            return False
    if cue:
        return y >= 1000
    if y < 1800:
        return False
    ws, word = _word_before(text, s)
    nxt = text[e:e + 2]
    if word and (key(word) in DETERMINERS or key(word) in g.year_before):
        return True
    if word and word[:1].isupper() and ws >= 0 and text[ws + len(word):s] == " ":
        # 'Windows 2000', 'Vision 2030': a name, unless a sentence starts there
        before = text[max(0, ws - 2):ws].strip()
        if before and before[-1] not in ".!?\"“”:":
            return False
    if y <= 2099 and nxt[:1] == " ":
        after = WORDS.match(text, e + 1)
        if after is not None and key(after.group()) in g.year_after:
            return True
    if not nxt or nxt[0] in ".,;:)!?]'\"“”’\n" or nxt[0] in "–—":
        return True
    rest = text[e:e + 20].lstrip()
    return bool(rest) and rest[0].isupper()


def _not_a_day(text: str, s: int, e: int, g: Grammar) -> bool:
    """'the Good Friday Agreement', 'l'accord du Vendredi saint': a name, not a day."""
    after = WORDS.findall(text[e:e + 30])[:1]
    before = WORDS.findall(text[max(0, s - 25):s])[-3:]
    return any(key(w) in g.not_days for w in after + before)


def _language_is(text: str, s: int, e: int, g: Grammar, lang: str) -> bool:
    if len(g.langs) == 1:
        return g.langs[0] == lang
    window = text[max(0, s - 200):e + 200]
    words = WORDS.findall(window)
    counts = {code: sum(map(stop.__contains__, words)) for code, stop in g.stop_words.items()}
    best = max(counts, key=counts.get) if counts else ""
    return best == lang and counts[best] > 0


# --- merging -------------------------------------------------------------------------------

def _dayish(p: Piece) -> bool:
    return (p.form == "date" and p.hour is None) or (p.form == "weekday" and not p.pod) or (
        p.form == "day" and p.offset in (-2, -1, 0, 1, 2))


def _merge(pieces: list[Piece], text: str) -> list[Piece]:
    out: list[Piece] = []
    for p in pieces:
        while out:
            a = out[-1]
            merged = None
            if p.start - a.end <= 8:
                gap = text[a.end:p.start]
                # Pieces are fresh objects owned by this list: merge in place.
                if a.form == "time" and _dayish(p) and GAP_TIME_DAY.fullmatch(gap):
                    merged = p
                    merged.tz = a.tz or p.tz
                    merged.start, merged.hour, merged.minute = a.start, a.hour, a.minute
                    merged.pre = a.pre or p.pre
                elif _dayish(a) and p.form == "time" and GAP_DAY_TIME.fullmatch(gap):
                    merged = a
                    merged.end, merged.hour, merged.minute = p.end, p.hour, p.minute
                    merged.tz = p.tz
                elif (a.form == "weekday" and a.shift is None and p.form == "date"
                      and GAP_WEEKDAY_DAY.fullmatch(gap)):
                    merged = p
                    merged.start, merged.pre = a.start, a.pre or p.pre
            if merged is None:
                break
            out.pop()
            p = merged
        out.append(p)
    # A time on its own is kept only where something says it is a clock time.
    return [p for p in out
            if p.form != "time" or p.tz or p.pre in TIME_CUES or p.unit == "clock"]
