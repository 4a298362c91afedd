"""Differential tests: the module under test behaves like the stdlib ``json`` on generated input.

Every comparison runs the same call against both modules and requires the same outcome: the same
output (``dumps`` output byte for byte; ``loads`` results by a structural equality that treats
nan as equal to nan and tells -0.0 from 0.0, int from float, list from tuple), or the same
exception (type, message, and for JSONDecodeError ``msg``, ``doc``, ``pos``, ``lineno``,
``colno``). Both calls are made from the same stack depth, so that even the message of a
RecursionError (which names the construct being decoded when the limit is hit) is comparable.
"""

from __future__ import annotations

import codecs
import collections
import decimal
import enum
import io
import math
import struct
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from _under_test import json_under_test, reference


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        database=None,  # no example database in the work tree; a failure prints its reproduction blob
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------------------------------------
# Comparing outcomes


def canon(value: Any) -> Any:
    """A structure that compares equal exactly when two results are the same for our purposes:
    types are kept (bool/int/float, list/tuple, dict/OrderedDict), floats compare by bits except
    that every nan is the same nan, dicts by their items in order."""
    kind = type(value)
    if kind is float:
        return ("float", "nan" if math.isnan(value) else value.hex())
    if kind is decimal.Decimal:
        return ("Decimal", str(value))
    if isinstance(value, dict):
        return (kind.__name__, tuple((canon(k), canon(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (kind.__name__, tuple(canon(item) for item in value))
    assert kind in (str, int, bool, type(None)), f"unexpected result type {kind}"
    return (kind.__name__, value)


def describe(error: BaseException, module) -> tuple:
    """An exception as far as a caller can observe it."""
    if isinstance(error, reference.JSONDecodeError):
        own = isinstance(error, module.JSONDecodeError)
        kind = "JSONDecodeError" if own else f"JSONDecodeError not of {module.__name__}: {type(error)}"
        return (kind, str(error), error.args, error.msg, error.doc, error.pos, error.lineno, error.colno)
    return (type(error), str(error), error.args)


def outcome(call: Callable[[Any], Any], module) -> tuple:
    """``call(module)`` as ("value", canon(result)) or ("raised", describe(exception))."""
    try:
        return ("value", canon(call(module)))
    except Exception as error:  # noqa: BLE001 - the exception is the outcome
        return ("raised", describe(error, module))


def assert_same(call: Callable[[Any], Any]) -> tuple:
    """``call(module under test)`` behaves like ``call(stdlib json)``; returns the outcome."""
    expected = outcome(call, reference)
    assert outcome(call, json_under_test) == expected
    return expected


def outcome_event(ended: tuple) -> str:
    """A short name for an outcome, for ``--hypothesis-show-statistics``."""
    if ended[0] == "value":
        return "value"
    kind, message = ended[1][:2]
    name = kind if isinstance(kind, str) else kind.__name__
    return f"{name}: {message.split(':')[0][:50]}"


def dumped_to_file(module, obj, **options) -> tuple[str, tuple]:
    """What ``dump`` wrote (also when it fails halfway) and how it ended."""
    fp = io.StringIO()
    ended = outcome(lambda m: m.dump(obj, fp, **options), module)
    return fp.getvalue(), ended


# ---------------------------------------------------------------------------------------------
# Generated values

SPECIAL_FLOATS = [
    0.0, -0.0, math.nan, math.inf, -math.inf, 1e16, 1e-5, 1e22, 5e-324, 1e15, 1e17, 1e-4, 1e-7,
    0.1, 1 / 3, 2.0**53, 2.0**53 + 2, 2.2250738585072014e-308, 2.225073858507201e-308,
    1.7976931348623157e308, -1.5, 123456789012345680.0, 9.999999999999999e22, 1e23,
]
INTERESTING_CHARS = (
    '"\\/\b\f\n\r\t\x00\x01\x1f\x7f\x80\x9f\xa0\xe9\xff\u2028\u2029\ud800\udbff\udc00\udfff'
    "\ufeff\uffff\U00010000\U0001f600\U0010ffff ea0"
)


def float_from_bits(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def float_bits(value: float) -> bytes:
    return struct.pack("<d", value)


floats = st.one_of(
    st.sampled_from(SPECIAL_FLOATS),
    st.floats(),
    st.integers(0, 2**64 - 1).map(float_from_bits),
)
ints = st.one_of(
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.integers(0, 400).map(lambda digits: 10**digits - 1),
)
texts = st.text(st.one_of(st.sampled_from(INTERESTING_CHARS), st.characters(exclude_categories=())), max_size=12)
json_scalars = st.one_of(st.none(), st.booleans(), ints, floats, texts)

str_keys = texts
number_keys = st.one_of(ints, floats, st.booleans())  # mutually comparable, so sort_keys works
json_keys = st.one_of(texts, ints, floats, st.booleans(), st.none())
any_keys = st.one_of(json_keys, st.tuples(st.integers(0, 3)))  # tuples need skipkeys


def nested(leaves, keys, max_leaves: int = 12):
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.lists(children, max_size=4).map(tuple),
            st.dictionaries(keys, children, max_size=4),
        ),
        max_leaves=max_leaves,
    )


# What dumps may be asked to serialise: also sets and complex numbers, which need `default`.
unserializable = st.one_of(st.frozensets(st.integers(-5, 5), max_size=3), st.builds(complex, st.integers(-3, 3)))
dumpable = st.sampled_from([str_keys, number_keys, any_keys]).flatmap(
    lambda keys: nested(st.one_of(json_scalars, unserializable), keys)
)
# What dumps always accepts with allow_nan=True.
jsonable = nested(json_scalars, json_keys)


def sets_to_sorted_lists(obj):
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def refuse(obj):
    raise ValueError(f"refused {obj!r}")


indents = st.one_of(st.none(), st.integers(-3, 4), st.sampled_from(["", "\t", "  ", "--"]))
separators = st.tuples(st.sampled_from([",", ", ", " , ", ",\n"]), st.sampled_from([":", ": ", " :"]))
format_options = st.fixed_dictionaries(
    {}, optional={"indent": indents, "separators": separators, "ensure_ascii": st.booleans()}
)
dumps_options = st.fixed_dictionaries(
    {},
    optional={
        "indent": indents,
        "separators": separators,
        "ensure_ascii": st.booleans(),
        "sort_keys": st.booleans(),
        "allow_nan": st.booleans(),
        "skipkeys": st.booleans(),
        "check_circular": st.booleans(),
        "default": st.sampled_from([sets_to_sorted_lists, refuse, str]),
    },
)


def tagged(tag: str) -> Callable[[Any], tuple]:
    def hook(value):
        return (tag, value)

    hook.__name__ = f"tagged_{tag}"
    return hook


loads_options = st.fixed_dictionaries(
    {},
    optional={
        "parse_float": st.sampled_from([decimal.Decimal, float, tagged("float")]),
        "parse_int": st.sampled_from([float, decimal.Decimal, tagged("int")]),
        "parse_constant": st.sampled_from([tagged("constant"), str]),
        "object_hook": st.sampled_from([tagged("object"), lambda d: sorted(d, key=repr)]),
        "object_pairs_hook": st.sampled_from([collections.OrderedDict, list, tagged("pairs")]),
        "strict": st.booleans(),
    },
)


# ---------------------------------------------------------------------------------------------
# dumps / dump


def test_json_decode_error_subclasses_the_stdlib_one() -> None:
    assert issubclass(json_under_test.JSONDecodeError, reference.JSONDecodeError)


@examples(1500)
@given(obj=dumpable, options=dumps_options)
def test_dumps_and_dump(obj, options) -> None:
    event(outcome_event(assert_same(lambda m: m.dumps(obj, **options))))
    assert dumped_to_file(json_under_test, obj, **options) == dumped_to_file(reference, obj, **options)


@examples(500)
@given(text=texts)
def test_string_encoders(text: str) -> None:
    assert_same(lambda m: m.encoder.encode_basestring_ascii(text))
    assert_same(lambda m: m.encoder.encode_basestring(text))


# ---------------------------------------------------------------------------------------------
# loads


@examples(1000)
@given(obj=jsonable, formatting=format_options, options=loads_options)
def test_loads_of_dumped_documents(obj, formatting, options) -> None:
    text = reference.dumps(obj, **formatting)
    assert_same(lambda m: m.loads(text, **options))


MUTATION_CHARS = '{}[],:"\\ \t\n\r/0123456789-+.eEtrufalsnNIy\x00\x1f\xe9\ud800\udc00\ufeff'


@st.composite
def mutated_documents(draw) -> str:
    """A dumped document with a few characters inserted, deleted or replaced."""
    prefix = draw(st.sampled_from([""] * 8 + [" ", "\ufeff"]))  # a BOM is an error of its own
    text = prefix + reference.dumps(draw(jsonable), **draw(format_options))
    chars = st.one_of(st.sampled_from(MUTATION_CHARS), st.characters(exclude_categories=()))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        keep_from = at if edit == "insert" else at + 1
        text = text[:at] + ("" if edit == "delete" else draw(chars)) + text[keep_from:]
    return text


@examples(2500)
@given(text=mutated_documents(), options=loads_options, data=st.data())
def test_loads_of_mutated_documents(text: str, options, data) -> None:
    event(outcome_event(assert_same(lambda m: m.loads(text, **options))))
    index = data.draw(st.integers(-1, len(text) + 1), label="raw_decode index")
    assert_same(lambda m: m.JSONDecoder(**options).raw_decode(text, index))
    end = data.draw(st.integers(-1, len(text) + 1), label="scanstring end")
    strict = options.get("strict", True)
    assert_same(lambda m: m.decoder.scanstring(text, end, strict))


BYTE_ENCODINGS = [
    (codec, bom)
    for codec, boms in [
        ("utf-8", (b"", codecs.BOM_UTF8)),
        ("utf-16-le", (b"", codecs.BOM_UTF16_LE)),
        ("utf-16-be", (b"", codecs.BOM_UTF16_BE)),
        ("utf-32-le", (b"", codecs.BOM_UTF32_LE)),
        ("utf-32-be", (b"", codecs.BOM_UTF32_BE)),
    ]
    for bom in boms
]


@examples(1000)
@given(obj=jsonable, ensure_ascii=st.booleans(), encoding=st.sampled_from(BYTE_ENCODINGS), data=st.data())
def test_loads_of_bytes(obj, ensure_ascii: bool, encoding, data) -> None:
    codec, bom = encoding
    # loads decodes bytes with errors="surrogatepass": lone surrogates survive the trip
    document = bom + reference.dumps(obj, ensure_ascii=ensure_ascii).encode(codec, "surrogatepass")
    assert_same(lambda m: m.loads(document))
    cut = data.draw(st.integers(0, len(document)), label="truncated at")
    assert_same(lambda m: m.loads(document[:cut]))
    assert_same(lambda m: m.loads(bytearray(document)))


# ---------------------------------------------------------------------------------------------
# floats


@examples(3000)
@given(bits=st.integers(0, 2**64 - 1))
def test_float_round_trip(bits: int) -> None:
    value = float_from_bits(bits)
    text = json_under_test.dumps(value)
    assert text == reference.dumps(value)
    assert_same(lambda m: m.dumps({value: [value]}, allow_nan=math.isfinite(value)))
    if not math.isfinite(value):
        assert text in ("NaN", "Infinity", "-Infinity")
        return
    assert text == float.__repr__(value)
    back = json_under_test.loads(text)
    assert type(back) is float and float_bits(back) == float_bits(value)
    for spelling in (f"{value:.17e}", f"{value:.40e}", f"{value:.3E}", f"{value:.25g}"):
        assert_same(lambda m: m.loads(spelling))


number_texts = st.from_regex(r"-?(0|[1-9][0-9]{0,40})(\.[0-9]{1,40})?([eE][+-]?[0-9]{1,4})?", fullmatch=True)


@examples(1500)
@given(text=number_texts)
def test_loads_of_numbers(text: str) -> None:
    assert_same(lambda m: m.loads(text))
    if any(c in text for c in ".eE"):
        assert float_bits(json_under_test.loads(text)) == float_bits(float(text))


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda m: m.loads("1" * 4300), id="loads-4300-digits"),
        pytest.param(lambda m: m.loads("[-" + "1" * 4301 + "]"), id="loads-4301-digits"),
        pytest.param(lambda m: m.loads("1" * 5000, parse_int=float), id="loads-5000-digits-parse_int-float"),
        pytest.param(lambda m: m.loads("1" * 5000 + ".5"), id="loads-5000-digit-float"),
        pytest.param(lambda m: m.dumps(10**4299), id="dumps-4300-digits"),
        pytest.param(lambda m: m.dumps([10**4300]), id="dumps-4301-digits"),
        pytest.param(lambda m: m.dumps({10**4300: 1}), id="dumps-4301-digit-key"),
        pytest.param(lambda m: m.dumps([10**4300], indent=1), id="dumps-4301-digits-indent"),
    ],
)
def test_int_digit_limit(call) -> None:
    """CPython 3.11.7 limits int<->str conversions to 4300 digits (a ValueError)."""
    assert_same(call)


# ---------------------------------------------------------------------------------------------
# Files and subclasses of the JSON types


class ReprInt(int):
    def __repr__(self):
        return "ReprInt!"

    __str__ = __repr__


class ReprFloat(float):
    def __repr__(self):
        return "ReprFloat!"

    __str__ = __repr__


class StrStr(str):
    def __str__(self):
        return "StrStr!"

    __repr__ = __str__


class Color(enum.IntEnum):
    RED = 1


class Ratio(float, enum.Enum):
    HALF = 0.5
    NAN = math.nan


class Word(str, enum.Enum):
    HELLO = "hello"


class ItemsDict(dict):
    def items(self):
        return [("items", "overridden")]


class IterList(list):
    def __iter__(self):
        return iter(["__iter__ overridden"])


class IterTuple(tuple):
    def __iter__(self):
        return iter(["__iter__ overridden"])


Point = collections.namedtuple("Point", "x y")

SUBCLASS_CASES = {
    "OrderedDict": collections.OrderedDict([("b", 1), ("a", 2)]),
    "defaultdict": collections.defaultdict(list, {"a": [1]}),
    "Counter": collections.Counter("abracadabra"),
    "UserDict": collections.UserDict({"a": 1}),
    "ItemsDict": ItemsDict({"real": 1}),
    "IterList": IterList([1, 2]),
    "IterTuple": IterTuple((1, 2)),
    "namedtuple": Point(1, [2]),
    "int subclass": [ReprInt(7), -ReprInt(7)],
    "float subclass": [ReprFloat(1.5), ReprFloat("nan"), ReprFloat("-inf")],
    "str subclass": StrStr('q"\u00e9\ud800'),
    "IntEnum": [Color.RED],
    "float Enum": [Ratio.HALF, Ratio.NAN],
    "str Enum": [Word.HELLO],
    "bool": [True, False],
    "subclass keys": {ReprInt(5): 1, ReprFloat(2.5): 2, StrStr("k"): 3, Color.RED: 4, Ratio.HALF: 5, Word.HELLO: 6},
    "mixed keys": {1: "a", "1": "b", True: "c", None: "d", 1.5: "e"},
}
FILE_OPTIONS = [{}, {"indent": 2}, {"sort_keys": True}, {"allow_nan": False}, {"ensure_ascii": False}]


@pytest.mark.parametrize("options", FILE_OPTIONS, ids=repr)
@pytest.mark.parametrize("obj", list(SUBCLASS_CASES.values()), ids=list(SUBCLASS_CASES))
def test_subclasses_dumps_and_dump(obj, options) -> None:
    assert_same(lambda m: m.dumps(obj, **options))
    assert dumped_to_file(json_under_test, obj, **options) == dumped_to_file(reference, obj, **options)


@pytest.mark.parametrize(
    "options",
    [{}, {"object_pairs_hook": collections.OrderedDict}, {"parse_float": decimal.Decimal}, {"strict": False}],
    ids=repr,
)
@pytest.mark.parametrize("stream", [io.StringIO, lambda text: io.BytesIO(text.encode("utf-16"))], ids=["str", "bytes"])
def test_load_from_files(stream, options) -> None:
    text = '{"b": [1, 2.50, "x\\u00e9\\ud800", NaN], "a": {"c": null, "d": true}}\n'
    assert_same(lambda m: m.load(stream(text), **options))
    assert_same(lambda m: m.load(stream(text + "]"), **options))


# ---------------------------------------------------------------------------------------------
# Cycles and deep nesting

DEEP = 100_000


def deeply_nested(make: Callable[[Any], Any], innermost: Any = None) -> Any:
    value = innermost
    for _ in range(DEEP):
        value = make(value)
    return value


def self_containing_list() -> list:
    outer: list = []
    outer.append([outer])
    return outer


def self_containing_dict() -> dict:
    outer: dict = {}
    outer["k"] = {"k": outer}
    return outer


@pytest.mark.parametrize(
    "text",
    [
        "[" * DEEP + "]" * DEEP,
        "[" * DEEP,
        '{"a":' * DEEP + "1" + "}" * DEEP,
        '[{"":' * DEEP + "1" + "}]" * DEEP,
        ("[" * DEEP + "]" * DEEP).encode("utf-16"),
    ],
    ids=["arrays", "unclosed-arrays", "objects", "arrays-and-objects", "arrays-as-utf-16-bytes"],
)
def test_deep_nesting_loads_raises_recursion_error(text) -> None:
    expected = assert_same(lambda m: m.loads(text))
    assert expected[0] == "raised" and expected[1][0] is RecursionError


@pytest.mark.parametrize("options", [{}, {"indent": 1}, {"check_circular": False}], ids=repr)
@pytest.mark.parametrize("make", [lambda v: [v], lambda v: {"k": v}], ids=["list", "dict"])
def test_deep_nesting_dumps_raises_recursion_error(make, options) -> None:
    obj = deeply_nested(make)
    expected = assert_same(lambda m: m.dumps(obj, **options))
    assert expected[0] == "raised" and expected[1][0] is RecursionError


@pytest.mark.parametrize("check_circular", [True, False])
@pytest.mark.parametrize("options", [{}, {"indent": 1}], ids=repr)
@pytest.mark.parametrize(
    "make_obj, default",
    [
        (self_containing_list, None),
        (self_containing_dict, None),
        (lambda: 5j, lambda obj: [obj]),  # default keeps producing the same object
    ],
    ids=["list", "dict", "default"],
)
def test_cycles(make_obj, default, options, check_circular) -> None:
    obj = make_obj()
    expected = assert_same(lambda m: m.dumps(obj, default=default, check_circular=check_circular, **options))
    error = ValueError if check_circular else RecursionError
    assert expected[0] == "raised" and expected[1][0] is error


@pytest.mark.parametrize("indent", [None, 0, 2, "\t"], ids=repr)
@pytest.mark.parametrize(
    "obj",
    [{(0,): None}, [{(1,): 2}, {"a": {(1,): 2}}], {"a": 1, (2,): 3}, {(1,): {(2,): 3}}],
    ids=["only-skipped", "nested", "some-skipped", "skipped-holding-skipped"],
)
def test_skipped_keys_with_indent(obj, indent) -> None:
    # Found by hypothesis: CPython's pure-Python encoder (used with indent) writes the newline
    # after `{` before looking at the keys, so a dict whose keys are all skipped is "{\n\n}".
    assert_same(lambda m: m.dumps(obj, skipkeys=True, indent=indent))
