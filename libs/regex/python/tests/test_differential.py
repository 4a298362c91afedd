"""pyaot_re against CPython's ``re``: same answers on generated and hand-written cases.

Generated: patterns from a small grammar of Python regex syntax (literals, escapes and classes,
anchors, every group form, alternation, every quantifier form, backreferences, lookaround,
conditionals), some random pattern noise for the error paths, every flag combination, haystacks
drawn mostly from the pattern's own characters, as ``str`` and as ``bytes``. For each case both
modules run the same operations (compile, search/match/fullmatch with pos/endpos, findall,
finditer, sub/subn with a template and with a callable, split) and must give the same result, or
raise the same exception (for ``re.error``: msg, pos, lineno, colno, pattern).

Hand-written: the corners the grammar rarely reaches (empty matches in sub/split/findall, ``$``
before a final newline, case-insensitive non-ASCII, Unicode versus ASCII classes, str/bytes mixing),
and the API around matching (escape, reprs, copy and pickle, Match indexing, expand, regs, errors).
"""

from __future__ import annotations

import copy
import pickle
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from _under_test import IS_REFERENCE, UNDER_TEST_NAME, re_under_test, reference

MODULES = (reference, re_under_test)
SETTINGS = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Backtracking patterns are exponential in CPython: keep generated haystacks short.
MAX_HAYSTACK = 14


# --- Running the same thing on both modules ---------------------------------------------------


def describe_exception(module, exc: BaseException) -> tuple:
    if isinstance(exc, module.error):
        return ("re.error", exc.msg, exc.pos, exc.lineno, exc.colno, exc.pattern, str(exc))
    return (type(exc).__name__, str(exc))


def describe_match(m) -> dict | None:
    if m is None:
        return None
    count = len(m.groups())
    return {
        "spans": [m.span(i) for i in range(count + 1)],
        "group0": m.group(0),
        "groups": m.groups(),
        "groups_default": m.groups("-"),
        "groupdict": m.groupdict(),
        "lastindex": m.lastindex,
        "lastgroup": m.lastgroup,
        "pos": (m.pos, m.endpos),
        "regs": m.regs,
    }


def normalize(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(normalize(v) for v in value)
    if hasattr(value, "span") and hasattr(value, "groups"):
        return describe_match(value)
    if hasattr(value, "pattern") and hasattr(value, "groupindex"):
        return ("Pattern", value.pattern, int(value.flags), value.groups, dict(value.groupindex))
    return (type(value).__name__, value)


def outcome(module, fn: Callable[[Any], Any]) -> tuple:
    """``fn(module)``'s value or exception, and the warnings it emitted (category and message).

    The module's cache is purged first: a cached pattern does not warn again, and the two modules
    need not cache the same patterns.
    """
    module.purge()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("value", normalize(fn(module)))
        except Exception as exc:  # noqa: BLE001 - the exception is the outcome being compared
            result = ("raises", describe_exception(module, exc))
    return (*result, [(w.category.__name__, str(w.message)) for w in caught])


def backtrack_limit_hit(result: tuple) -> bool:
    """pyaot_re's backtracker may stop with BacktrackLimitError where CPython takes exponential
    time: that is a designed difference, not a wrong answer (test_safety.py tests it)."""
    return result[0] == "raises" and result[1][0] == "BacktrackLimitError"


def same(fn: Callable[[Any], Any], what: str = "") -> tuple:
    """Run ``fn(module)`` on both modules; assert equal outcomes; return the reference's."""
    expected = outcome(reference, fn)
    actual = outcome(re_under_test, fn)
    if currently_in_test_context():
        assume(not backtrack_limit_hit(actual))
    assert actual == expected, f"{what}\n  re:       {expected}\n  {UNDER_TEST_NAME}: {actual}"
    return expected


def flags_of(module, letters: str) -> int:
    value = 0
    for letter in letters:
        value |= int(getattr(module, letter))
    return value


def compare_everything(pattern, letters: str, haystack, *, pos=0, endpos=None, count=0, maxsplit=0, template=None):
    """Every operation on (pattern, flags, haystack), on both modules."""
    label = f"pattern={pattern!r} flags={letters!r} haystack={haystack!r}"
    compiled = same(lambda re: re.compile(pattern, flags_of(re, letters)), f"compile {label}")
    if compiled[0] == "raises":
        same(lambda re: re.search(pattern, haystack, flags_of(re, letters)), f"search (module function) {label}")
        return

    def p(re):
        return re.compile(pattern, flags_of(re, letters))

    end = len(haystack) if endpos is None else endpos
    for method in ("search", "match", "fullmatch"):
        same(lambda re: getattr(p(re), method)(haystack), f"{method} {label}")
        same(lambda re: getattr(p(re), method)(haystack, pos, end), f"{method} pos={pos} endpos={end} {label}")
    same(lambda re: getattr(re, "search")(pattern, haystack, flags_of(re, letters)), f"re.search {label}")
    same(lambda re: p(re).findall(haystack), f"findall {label}")
    same(lambda re: p(re).findall(haystack, pos, end), f"findall pos={pos} endpos={end} {label}")
    same(lambda re: [m.span() for m in p(re).finditer(haystack)], f"finditer spans {label}")
    same(lambda re: list(p(re).finditer(haystack, pos, end)), f"finditer pos={pos} endpos={end} {label}")
    same(lambda re: p(re).split(haystack), f"split {label}")
    same(lambda re: p(re).split(haystack, maxsplit), f"split maxsplit={maxsplit} {label}")
    is_bytes = isinstance(pattern, bytes)
    templates = [template] if template is not None else []
    templates += [b"<\\g<0>>", b"[\\1]", b"\\g<n>."] if is_bytes else ["<\\g<0>>", "[\\1]", "\\g<n>."]
    for repl in templates:
        same(lambda re: p(re).sub(repl, haystack), f"sub repl={repl!r} {label}")
        same(lambda re: p(re).subn(repl, haystack, count), f"subn repl={repl!r} count={count} {label}")
    if is_bytes:
        def callable_repl(m):
            return b"(" + m.group(0) + b"|" + str(m.span()).encode() + b")"
    else:
        def callable_repl(m):
            return f"({m.group(0)}|{m.span()}|{m.lastindex})"
    same(lambda re: p(re).sub(callable_repl, haystack), f"sub callable {label}")
    same(lambda re: p(re).subn(callable_repl, haystack, count), f"subn callable count={count} {label}")


# --- The pattern grammar --------------------------------------------------------------------

LITERAL_CHARS = "abcAB01 _-\n\té\u00df\u017f\u212a\u0130\u0131\u03a3\u03c3\u03c2\u13a0\uab70\u4e2d\U0001f600"
ESCAPED = [r"\.", r"\*", r"\(", r"\)", r"\[", r"\\", r"\|", r"\n", r"\t", r"\x41", r"\u00e9", r"\U0001F600",
           r"\N{LATIN SMALL LETTER A}", r"\0", r"\101", r"\-", r"\{", r"\$", r"\^", r"\ "]
CATEGORIES = [r"\w", r"\W", r"\d", r"\D", r"\s", r"\S"]
ANCHORS = [".", "^", "$", r"\A", r"\Z", r"\b", r"\B"]

literal = st.sampled_from(LITERAL_CHARS) | st.sampled_from(ESCAPED)
class_item = (
    st.sampled_from(LITERAL_CHARS.replace("-", ""))
    | st.sampled_from(["a-c", "A-Z", "0-9", "\u03b1-\u03c9", "\u00c0-\u017f", "-", r"\]", r"\\", "^", "[", r"\b"])
    | st.sampled_from(CATEGORIES)
)
char_class = st.builds(
    lambda negate, items: "[" + ("^" if negate else "") + "".join(items) + "]",
    st.booleans(),
    st.lists(class_item, min_size=1, max_size=4),
)
backref = st.sampled_from([r"\1", r"\2", "(?P=n)", "(?P=m)"])
# one_of picks its branches about evenly: literals twice, backreferences rarely (most of them
# would refer to a group that does not exist).
leaf = st.one_of(literal, literal, char_class, st.sampled_from(CATEGORIES + ANCHORS), literal | backref)

QUANTIFIERS = ["*", "+", "?", "{2}", "{1,3}", "{,2}", "{2,}", "{0}", "{0,1}"]
GROUP_FORMS = ["({})", "(?P<n>{})", "(?P<m>{})", "(?:{})", "(?i:{})", "(?-i:{})", "(?s:{})", "(?m:{})",
               "(?x:{})", "(?a:{})", "(?ai:{})", "(?i-s:{})", "(?>{})", "(?={})", "(?!{})", "(?<={})",
               "(?<!{})", "(?#comment){}"]


def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (
        st.lists(children, min_size=2, max_size=3).map("".join)
        | st.lists(children, min_size=2, max_size=3).map("|".join)
        | st.builds(lambda form, body: form.format(body), st.sampled_from(GROUP_FORMS), children)
        | st.builds(lambda body, q, mode: body + q + mode, children, st.sampled_from(QUANTIFIERS),
                    st.sampled_from(["", "", "?", "+"]))
        | st.builds(lambda ref, yes, no: f"(?({ref}){yes}{no})", st.sampled_from(["1", "2", "n"]), children,
                    st.sampled_from(["", "|b", "|", "|\\1"]))
    )


raw_patterns = st.recursive(leaf, extend, max_leaves=8)
# Often the pattern opens with a group (numbered 1, or named n), so that the backreferences and
# conditionals after it have something to refer to.
patterns = st.one_of(
    raw_patterns,
    st.builds(lambda head, tail: f"({head}){tail}", raw_patterns, raw_patterns),
    st.builds(lambda head, tail: f"(?P<n>{head}){tail}", raw_patterns, raw_patterns),
)
# Random strings over the metacharacters, for the error paths (messages and positions).
noise = st.text(alphabet="()[]{}?*+|\\^$.-:<>=!#PgaiL0123 \n", max_size=12)

STR_FLAGS = "IMSXAU"
BYTES_FLAGS = "IMSXAL"


@st.composite
def flag_letters(draw, valid: str) -> str:
    letters = draw(st.sets(st.sampled_from(valid)))
    letters = {"A", "U"} - letters if letters >= {"A", "U"} else letters
    letters = letters - {"A"} if letters >= {"A", "L"} else letters
    if draw(st.integers(0, 9)) == 0:  # sometimes an invalid combination: LOCALE on str, A|U...
        letters.add(draw(st.sampled_from("AULT")))
    return "".join(sorted(letters))


@st.composite
def cases(draw, pattern_strategy, *, as_bytes: bool):
    pattern = draw(pattern_strategy)
    alphabet = sorted(set(pattern + "aAb \n\u017f\u212a"))
    if as_bytes:
        alphabet = [c for c in alphabet if ord(c) < 256]
    haystack = draw(st.text(alphabet=st.sampled_from(alphabet), max_size=MAX_HAYSTACK))
    if as_bytes:
        try:
            pattern = pattern.encode("latin-1")
        except UnicodeEncodeError:
            assume(False)
        haystack = haystack.encode("latin-1")
    letters = draw(flag_letters(BYTES_FLAGS if as_bytes else STR_FLAGS))
    n = len(haystack)
    params = {
        "pos": draw(st.integers(-2, n + 2)),
        "endpos": draw(st.none() | st.integers(-2, n + 2)),
        "count": draw(st.integers(0, 3)),
        "maxsplit": draw(st.integers(-1, 3)),
    }
    return pattern, letters, haystack, params


@SETTINGS
@given(cases(patterns, as_bytes=False))
def test_generated_str_patterns(case) -> None:
    pattern, letters, haystack, params = case
    compare_everything(pattern, letters, haystack, **params)


@settings(SETTINGS, max_examples=600)
@given(cases(patterns, as_bytes=True))
def test_generated_bytes_patterns(case) -> None:
    pattern, letters, haystack, params = case
    compare_everything(pattern, letters, haystack, **params)


@settings(SETTINGS, max_examples=800)
@given(cases(noise, as_bytes=False))
def test_pattern_noise(case) -> None:
    pattern, letters, haystack, params = case
    compare_everything(pattern, letters, haystack, **params)


@settings(SETTINGS, max_examples=300)
@given(
    st.text(alphabet="ab\\g<>0129n{}x", max_size=10),
    st.sampled_from(["(a)(?P<n>b)?", "a|(b)", "", "(?P<n>a)*"]),
    st.text(alphabet="ab", max_size=6),
)
def test_generated_templates(template, pattern, haystack) -> None:
    """Replacement templates: group references, escapes and their errors."""
    compare_everything(pattern, "", haystack, template=template)
    same(lambda re: [m.expand(template) for m in re.finditer(pattern, haystack)], f"expand {template!r}")


# --- Hand-written corners -------------------------------------------------------------------

EDGE_CASES = [
    # Empty matches in sub/split/findall/finditer (the 3.7+ rules).
    ("x*", "", "abxd"),
    ("", "", "abc"),
    (r"\b", "", "a::bc"),
    (r"\b|:+", "", "a::bc"),
    (r"(?=x)|x", "", "axxb"),
    ("a|", "", "baac"),
    ("(a)|b*", "", "abbac"),
    (r"(?<=a)", "", "aaa"),
    ("^", "M", "a\nb\n"),
    ("$", "M", "a\nb\n"),
    (r"\s*", "", "a  b\n"),
    # $ and \Z at the end, with and without a final newline.
    ("$", "", "abc\n"),
    ("$", "", "abc\n\n"),
    ("c$", "", "abc\n"),
    (r"c\Z", "", "abc\n"),
    (r"\Z", "", "abc\n"),
    (r"^$", "M", "\n\n"),
    ("a.c", "", "a\nc"),
    ("a.c", "S", "a\nc"),
    (r"\A\w+", "M", "ab\ncd"),
    # Case-insensitive matching beyond ASCII.
    ("k", "I", "K\u212ak"),
    ("\u212a", "I", "kK"),
    ("s", "I", "S\u017fs"),
    ("\u017f", "I", "sS"),
    ("[a-z]+", "I", "\u212a\u017f\u0130\u0131"),
    ("[a-z]+", "AI", "\u212a\u017f"),
    ("i", "I", "\u0130\u0131Ii"),
    ("\u0130", "I", "i\u0130I"),
    ("\u0131", "I", "iI\u0131"),
    ("\u03c3", "I", "\u03a3\u03c3\u03c2"),
    ("\u03c2+", "I", "\u03a3\u03c3\u03c2"),
    ("[\u03c3]", "I", "\u03a3\u03c2"),
    ("\u13a0", "I", "\uab70\u13a0"),
    ("\uab70", "I", "\u13a0"),
    ("\u00df", "I", "SS\u1e9e\u00df"),
    ("(?i)\u00e9", "", "\u00c9"),
    ("[^k]", "I", "\u212a"),
    (r"(a)\1", "I", "aA"),
    (r"(\u03c3)\1", "I", "\u03c3\u03a3\u03c2"),
    # \w \d \s and \b with and without ASCII.
    (r"\w+", "", "caf\u00e9 \u4e2d\u6587 \u0661\u0662"),
    (r"\w+", "A", "caf\u00e9 \u4e2d\u6587"),
    (r"\d+", "", "12\u0661\u0662\uff13\u00b2"),
    (r"\d+", "A", "12\u0661\u0662"),
    (r"\s+", "", "a \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u3000b"),
    (r"\s+", "A", "a \t\n\x85\xa0b"),
    (r"\b\w", "", "\u00e9t\u00e9 caf\u00e9"),
    (r"\b\w", "A", "\u00e9t\u00e9 caf\u00e9"),
    (r"[\w-]+", "", "a-\u00e9_1"),
    (r"[^\W\d]+", "", "ab12\u00e9"),
    (b"\\w+", "", b"caf\xe9 x_1"),
    (b"\\w+", "L", b"caf\xe9 x_1"),
    (b"\\s+", "", b"a \t\n\x0b\x0c\x1c\x85\xa0b"),
    (b"[a-z]+", "I", b"ABC\xc9"),
    # LOCALE|IGNORECASE tests a set on the byte's lower and upper case, negation included.
    (b"a|[^aB]", "IL", b"B"),
    (b"[^aB]", "IL", b"aAbBc"),
    (b"[^a-c]+", "IL", b"ABCabcD"),
    (b"[^\\w]", "IL", b"aA!"),
    # Verbose mode and comments.
    ("a b # comment\n c", "X", "abc"),
    ("[ ]a", "X", " a"),
    (r"a\ b", "X", "a b"),
    ("(?x) a  # c\n b", "", "ab"),
    # Quantifier forms.
    ("a{,2}", "", "aaa"),
    ("a{2,}?", "", "aaaa"),
    ("a{1,3}+a", "", "aaaa"),
    ("(?:ab)*+b", "", "ababb"),
    ("(?>a+)a", "", "aaa"),
    ("a{3,1}", "", "aaa"),
    ("x{", "", "x{"),
    ("x{1", "", "x{1"),
    ("x{a}", "", "x{a}"),
    # Group forms and references.
    ("(?P<first>a)(?P<second>b)?", "", "ab"),
    ("(a)|(b)", "", "b"),
    ("((a)|b)+", "", "ab"),
    ("(a)(?(1)b|c)", "", "ab"),
    ("(a)?(?(1)b|c)", "", "c"),
    ("(?P<n>a)?(?(n)b|c)", "", "xc"),
    (r"(?<=ab)c|(?<!x)d", "", "abcd"),
    ("(?=(a+))a*b\\1", "", "baaabac"),
]


@pytest.mark.parametrize(
    "pattern, letters, haystack",
    [pytest.param(*case, id=f"{i:02d}") for i, case in enumerate(EDGE_CASES)],
)
def test_edge_cases(pattern, letters: str, haystack) -> None:
    n = len(haystack)
    for pos, endpos in ((0, None), (1, n - 1), (n, n)):
        compare_everything(pattern, letters, haystack, pos=pos, endpos=endpos, count=1, maxsplit=1)


@pytest.mark.parametrize("pattern", ["", "x*", r"\b", r"\B", "$", "(?m)$", r"\Z", "(?=)", "(?<=c)", "a|", "()"])
def test_match_at_pos_beyond_endpos(pattern: str) -> None:
    # `_sre` still runs `match` at `pos` when `pos > endpos`: only empty matches, with the
    # anchors reading the text beyond `endpos`.
    for haystack in ("abcd", "a\nb\n", "ab cd"):
        n = len(haystack)
        for pos, endpos in ((1, 0), (2, 1), (3, 1), (n, 0), (n - 1, 1)):
            compare_everything(pattern, "", haystack, pos=pos, endpos=endpos)
            compare_everything(pattern.encode(), "", haystack.encode(), pos=pos, endpos=endpos)


ERROR_PATTERNS = [
    "(", ")", "a)", "[a", "[]", "[z-a]", "a**", "*a", "a{2}{3}", r"\\", "\\", r"\q", r"[\q]",
    "(?P<1a>x)", "(?P<n>x)(?P<n>y)", "(?P=n)", r"\2(a)", "(?<=a+)b", "(?<=a|bc)", "(?(2)a)(b)",
    "(?Q)", "(?i", "(?-)", "(?i-i:a)", "(?L:a)", "(?ia)", "(?au:a)", "(?", "(?P", "(?P<", "(?P<n",
    r"\N{NO SUCH NAME}", r"\N", r"\x1", r"\u12", r"\U0011ffff", r"\400", "x{65536,1}",
    "a\n(b\n  c", "(?x)\n  a\n  )", "abc(?i)d", "(?#unterminated", "[[:alpha:]]", "[a-\\w]", "(?<",
    "(?<n>a)", "a{1,2", "(?>", "(?(1", "(?(a-b)x)",
]


@pytest.mark.parametrize("pattern", ERROR_PATTERNS)
def test_compile_errors(pattern: str) -> None:
    """Compile errors (and the warnings-free successes): type, msg, pos, lineno, colno, str()."""
    for letters in ("", "X", "A"):
        same(lambda re: re.compile(pattern, flags_of(re, letters)), f"compile {pattern!r} {letters}")
    if pattern.isascii():
        same(lambda re: re.compile(pattern.encode()), f"compile {pattern.encode()!r}")


def test_error_attributes() -> None:
    def attributes(re):
        try:
            re.compile("ab\n(cd\n  ef", re.X)
        except re.error as exc:
            return (exc.msg, exc.pattern, exc.pos, exc.lineno, exc.colno, str(exc), exc.args,
                    isinstance(exc, Exception))
        raise AssertionError("no error")

    same(attributes, "error attributes")
    same(lambda re: re.error("plain").__dict__ | {"str": str(re.error("plain"))}, "error without a pattern")
    same(lambda re: (lambda e: (e.msg, e.pos, e.lineno, e.colno, str(e)))(re.error("m", "a\nb", 2)), "error(msg, pattern, pos)")
    same(lambda re: (lambda e: (e.msg, e.pos, e.lineno, e.colno, str(e)))(re.error("m", b"a\nb", 2)), "error with a bytes pattern")


TYPE_MIXES = [
    lambda re: re.search("a", b"a"),
    lambda re: re.search(b"a", "a"),
    lambda re: re.compile(b"a").match("a"),
    lambda re: re.compile("a").findall(b"a"),
    lambda re: re.sub("a", b"b", "a"),
    lambda re: re.sub(b"a", "b", b"a"),
    lambda re: re.sub("a", lambda m: b"x", "a"),
    lambda re: re.split(b"a", "a"),
    lambda re: re.compile(b"a").fullmatch(bytearray(b"a")),
    lambda re: re.compile(b"a").search(memoryview(b"xa")),
    lambda re: re.compile("a").search(5),
    lambda re: re.search("x*", type),
    lambda re: re.finditer("a", {}),
    lambda re: re.compile(0),
    lambda re: re.compile("a", re.L),
    lambda re: re.compile(b"a", re.U),
    lambda re: re.compile(b"a", re.A | re.L),
    lambda re: re.compile("a", re.A | re.U),
    lambda re: re.compile(re.compile("a"), re.I),
    lambda re: re.escape(5),
    lambda re: re.compile("(a)").match("a").group(2),
    lambda re: re.compile("(a)").match("a").group("x"),
    lambda re: re.compile("(a)").match("a").group(2**100),
    lambda re: re.compile("(a)").match("a")[-1],
    lambda re: re.compile("(a)").match("a")[1.0],
    lambda re: re.compile("a").search("a", "1"),
    lambda re: re.compile("a").sub("b", "a", count=-1),
    lambda re: re.compile("a").sub("b", "aaa", 1),
    lambda re: re.compile("a").split("aaa", maxsplit=2),
    lambda re: re.sub("(a)", r"\2", "a"),
    lambda re: re.sub("(a)", r"\g<x>", "a"),
    lambda re: re.sub("(a)", r"\g<-1>", "a"),
    lambda re: re.sub("a", "\\", "a"),
    lambda re: re.sub("a", r"\q", "a"),
    lambda re: re.sub("(a)|b", r"[\1]", "ab"),
    lambda re: re.sub(b"(a)|b", rb"[\1]", b"ab"),
    lambda re: re.subn("", "-", "abc"),
    lambda re: re.fullmatch("a|ab", "ab"),
    lambda re: re.match("(?:a|(b))+", "ab").lastindex,
    lambda re: re.match("((a)b)", "ab").lastindex,
    lambda re: re.match("(?P<x>a)(?P<y>b)?", "a").lastgroup,
    lambda re: re.compile("(?P<x>a)(b)").groupindex["x"],
    lambda re: type(re.compile("(?P<x>a)").groupindex).__name__,
    lambda re: re.compile("a", re.I | re.M).flags,
    lambda re: re.compile(b"a", re.L).flags,
    lambda re: re.compile("(?x)a").flags,
    lambda re: re.purge(),
    lambda re: (re.NOFLAG, re.I, re.A | re.I, repr(re.I | re.M), str(re.S), re.RegexFlag.DOTALL),
]


@pytest.mark.parametrize("fn", [pytest.param(fn, id=f"{i:02d}") for i, fn in enumerate(TYPE_MIXES)])
def test_api_calls(fn) -> None:
    """Type errors (str/bytes mixing, bad arguments) with their messages, and API corners."""
    same(fn, "api call")


ESCAPE_INPUTS = ["", "abc_123", " \t\n\r\x0b\x0c", "-[]{}()*+?.,\\^$|#&~", "é\u4e2d\U0001f600", "\x00",
                 "".join(map(chr, range(128))),
                 b"", b"a.b\x00\xff-#", bytes(range(256))]


@pytest.mark.parametrize("value", ESCAPE_INPUTS)
def test_escape(value) -> None:
    same(lambda re: re.escape(value), f"escape {value!r}")
    same(lambda re: re.fullmatch(re.escape(value), value) is not None, f"escape roundtrip {value!r}")


REPR_CASES = [
    ("random pattern", 0), ("a", "I"), ("a", "IMSX"), ("(?i)a", 0), (b"bytes", "A"), (b"b", "L"),
    ("quote ' here", 0), ('both \' and "', 0), ("x" * 300, "I"), ("\n\t\x00é\U0001f600", 0), ("a", "U"),
]


@pytest.mark.parametrize("pattern, letters", REPR_CASES)
def test_pattern_repr(pattern, letters) -> None:
    letters = letters or ""
    same(lambda re: repr(re.compile(pattern, flags_of(re, letters))), "Pattern repr")
    same(lambda re: str(re.compile(pattern, flags_of(re, letters))), "Pattern str")


def match_repr(re, pattern, haystack) -> str:
    """repr of a match, with the class path written as CPython's (test_re's test_match_repr also
    allows another module and qualname)."""
    m = re.search(pattern, haystack)
    cls = type(m)
    return repr(m).replace(f"<{cls.__module__}.{cls.__qualname__} ", "<re.Match ", 1)


@pytest.mark.parametrize("pattern, haystack", [
    ("(.+)", "abc"), ("", "abc"), ("b", "a\nb'\""), (b"(.+)", b"\x00\xff'"), (b"a", bytearray(b"xa")),
    (b"a", memoryview(b"xa")), ("x+", "x" * 200), (".", "\U0001f600"),
])
def test_match_repr(pattern, haystack) -> None:
    same(lambda re: match_repr(re, pattern, haystack), "Match repr")


def test_pattern_copy_and_pickle() -> None:
    for letters in ("", "IX", "A"):
        def roundtrips(re):
            p = re.compile(r"(?P<int>\d+)(?:\.(?P<frac>\d*))?", flags_of(re, letters))
            m = p.match("12.34")
            results = [copy.copy(p) is p, copy.deepcopy(p) is p, copy.copy(m) is m, copy.deepcopy(m) is m]
            for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
                q = pickle.loads(pickle.dumps(p, protocol))
                results += [q == p, hash(q) == hash(p), q.pattern, int(q.flags), q.match("12.34").groupdict()]
            return results

        same(roundtrips, f"copy and pickle flags={letters!r}")
    same(lambda re: pickle.loads(pickle.dumps(re.compile(b"a+", re.L))).flags, "pickle bytes LOCALE")


def test_pattern_equality() -> None:
    same(lambda re: [re.compile("a") == re.compile("a"), re.compile("a") == re.compile("a", re.I),
                     re.compile("a") == re.compile(b"a"), re.compile("a") != re.compile("b"),
                     hash(re.compile("a", re.I)) == hash(re.compile("a", re.I))], "equality")


def test_match_indexing_and_groups() -> None:
    def probe(re):
        m = re.match(r"(?P<a>x)(y)?(?P<c>z)", "xz")
        return [m[0], m[1], m[2], m[3], m["a"], m["c"], m.group(0, 1, "c"), m.group(),
                m.start(2), m.end(2), m.span("c"), m.start(), m.regs, m.string, m.re.pattern,
                m.groups(default="D"), m.groupdict(default="D"), bool(m), len(m.groups())]

    same(probe, "match indexing")
    same(lambda re: re.match("(a)", "a")[True], "m[True]")


@pytest.mark.parametrize("template", [
    r"\1-\g<1>-\g<name>-\g<0>", r"\n\t\\", r"\x41", r"\101\0\08", "\\g<2>", r"\g<name", r"\3",
    r"\g<09>", r"\g<+1>", r"\g<a b>", "plain", r"\y", r"\u0041", r"\N{LATIN SMALL LETTER A}",
])
def test_expand(template: str) -> None:
    same(lambda re: re.match("(?P<name>a)(b)?", "ab").expand(template), f"expand {template!r}")
    same(lambda re: re.match(b"(?P<name>a)(b)?", b"a").expand(template.encode()), f"expand {template!r} bytes")


def test_scanner_class() -> None:
    def scan(re):
        scanner = re.Scanner([(r"\d+", lambda s, t: int(t)), (r"[a-z]+", lambda s, t: t), (r"\s+", None)])
        return scanner.scan("abc 12 de 3 ! rest")

    same(scan, "Scanner.scan")
    same(lambda re: [m.span() for m in iter(re.compile(r"\w").scanner("a b c").search, None)], "Pattern.scanner")


def test_module_and_pattern_functions_agree() -> None:
    same(lambda re: (re.findall(r"\w", "a b"), re.compile(r"\w").findall("a b"),
                     re.split(",", "a,b,,c", 2), re.fullmatch("a+", "aaa").span(),
                     [m.group() for m in re.finditer("a.", "a1a2a")]), "module functions")


@pytest.mark.skipif(IS_REFERENCE, reason="the module under test is the reference")
def test_error_is_usable_where_re_error_is_expected() -> None:
    """A drop-in: code that catches ``re.error`` from a pyaot_re call keeps working."""
    with pytest.raises(reference.error):
        re_under_test.compile("(")
