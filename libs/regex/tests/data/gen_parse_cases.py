"""Writes parse_cases.rs (beside this file): CPython 3.11's answers for the parser tests.

Run with CPython 3.11: `python3 libs/regex/tests/data/gen_parse_cases.py`, then
`rustfmt --edition 2024 libs/regex/tests/parse.rs` (which formats this data too).
"""
import os
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'parse_cases.rs')
import re
I, M, S, X, A, U, L, T = re.I, re.M, re.S, re.X, re.A, re.U, re.L, 1
succ = [
 'abc', 'a|b|c', 'ab|ac', 'abc|abd|abe', 'a|a', 'a|', '|a', r'\d|a|[bc]', r'[^a]|b', 'a.b', '^a$', r'\Aa\Z\b\B',
 r'\d\D\s\S\w\W', r'[\d\w]', r'[a-z0-9_]', r'[^a-z]', '[^a]', '[a]', '[aa]', '[]]', '[^]]', '[a-]', r'[\d-]', '[-a]',
 r'[\n\t\x41\u00e9\U0001F600]', r'[\0\07\101\377]', r'[\b]', r'[\\\]]', r'[\-a]', '[a-a]', '[.*+?]',
 'a*', 'a+', 'a?', 'a*?', 'a+?', 'a??', 'a*+', 'a++', 'a?+', 'a{3}', 'a{3,}', 'a{,3}', 'a{2,5}', 'a{2,5}?', 'a{2,5}+', 'a{,}',
 'a{}', 'a{', 'a{1', 'a{1,', 'a{x}', 'a{1,2', '{', 'a{ 1}', 'x{4294967294}',
 '(a)', '(?:a)', '(?:ab)*', '(a)*', '(?P<name>a)(?P=name)', r'(a)\1', r'(a)(b)\2\1', '(?i:a)', '(?-i:a)', '(?i-s:a)', '(?ims)a', '(?x) a b # c\n d',
 '(?x)[ a]', '(?x)a{2} #x\n+', '(?i)(?x) a', '(?a)\\w', '(?u)\\w', '(?=a)b', '(?!a)b', '(?<=ab)c', '(?<!a|b)c', '(?<=(a))b', r'(a)(?<=\1)', '(?<=a{3})', '(?<=(?:ab){2})',
 '(?>a+)b', '(?(1)a|b)', '(a)(?(1)b|c)', '(?P<g>a)(?(g)b)', '(a)(?(1)b)', '(?#comment)a', 'a(?#c)*', r'\x41\u0042\U00000043', r'\N{EM DASH}', r'\N{LATIN SMALL LETTER A}', r'\N{line feed}',
 r'\0', r'\07', r'\077', r'\0777', r'\101', r'\1010', r'\08', r'\-', r'\.', r'\é', 'é', '\U0001F600+', r'a\nb',
 '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)\\11', '(a)\\10', '((a)|b)+', '(a|b)|(c|d)', 'a(?:b|c)d', '(?:a|b)*', 'ab*|ac', '(?i)abc|abd',
 '(?P<a>x)(?P<b>y)(?P<c>z)', '(?P<é>x)', '(?s:.)', '(?x: a )b c', '(?-x: a ) b', '(?x)(?-x: a )',
 ('b', b'abc|abd'), ('b', b'[\\x00-\\xff]'), ('b', b'\\u'), ('b', b'(?P<\xe9>a)'), ('b', b'(?L)\\w'), ('b', b'(?a)\\w'), ('b', b'\\xe9'),
 '(?<=a|b)', '(?<=a|bc(?#x))', '(?<=\\b)a', '(?<=(?=ab)a)', '(?<=(?(1)a|b))x', '((?<=a)b|c)', '(a)(?<=(?(1)a|b))',
 ('f', L, b'\\w'), ('f', A, 'a'), ('f', A|I, 'a'), ('f', X, 'a b'), ('f', I|M|S, 'a'), ('f', T, 'a'),
]
errs = [
 '\\', 'a\\', '(?P<a\\', '[\\', r'\q', r'\ ', r'\8', r'\9', r'\10', r'\1', r'(a)\2', r'(a\1)', r'\400', r'\777', r'\x', r'\x1', r'\xg', r'\u12', r'\U1234567',
 r'\U00110000', r'\UFFFFFFFF', r'\N', r'\Nx', r'\N{', r'\N{}', r'\N{EM DASH', r'\N{NOT A NAME}', r'\N{LATIN_SMALL_LETTER_A}', r'\N{LATINSMALLLETTERA}', r'\N{cjk unified ideograph-4e00}',
 r'\N{hangul syllable ga}', r'\N{ LATIN SMALL LETTER A}', r'[\q]', r'[\8]', r'[\400]', r'[\x1]', r'[\u12]', r'[\N]', r'[\N{EM DASH]', r'[\N{NOPE}]', r'[\A]', r'[\Z]', r'[\1]',
 '[', '[a', '[a-', '[^', '[]', '[^]', '[a-\\', 'z[b-a]', '[a-Z]', r'[\d-z]', r'[a-\d]', r'[\w-\d]', '[\u00e9-a]', '[\\x61-\\x00]',
 'a{4294967295}', 'a{99999999999999999999}', 'a{,4294967295}', 'a{2,1}', 'a{10,9}',
 '*', '+', '?', '{1}', 'a|*', '(*)', '^*', '$+', r'\b*', r'\A?', 'a**', 'a*+*', 'a{1}{2}', 'a??+', 'a++?', '(?:)*x(?:a*)*', 'a*{1}',
 '(?', '(?P', '(?Px', '(?P<', '(?P<>a)', '(?P<a', '(?P<1>a)', '(?P<a-b>a)', '(?P<a>a)(?P<a>b)', '(?P=', '(?P=)', '(?P=a', '(?P=b)', '(?P<a>(?P=a))', '(?P=1)',
 '(?<', '(?<a)', '(?<>a)', '(?z)', '(?\\x)', '(?<\\x', '(?Q', '(?#', '(?#abc', '(', '(a', '(?:a', '(?=a', '(?<=a', '(?>a', '(?i:a', 'a)', ')', 'a|b)', '())',
 '(?(', '(?()', '(?()a)', '(?(1', '(?(1)', '(?(1)a', '(?(1)a|b', '(?(1)a|b|c)', '(?(0)a)', '(?(-1)a)', '(?(1a)b)', '(?(a)b)', '(?(a b)c)', '(?(1)a)', '(a)(?(2)b)', '(?(99999999999)a)', '(?(1_)a)',
 'a(?i)', '(?i)(?m)(?s)a(?x)', '(?:(?i))', '(a)(?i)', 'a|(?i)b', '(?i)|(?m)', '(?L)a', '(?au)a', '(?aL)a', '(?i', '(?i-', '(?i-:a)', '(?-)', '(?-:a)', '(?-a:b)', '(?-u:b)',
 '(?-L:b)', '(?it:a)', '(?-t:a)', '(?i-i:a)', '(?iz)', '(?i9)', '(?i-z:a)', '(?i-9:a)', '(?i-s', '(?i-sz)', '(?é)', '(?iéa)', '(?-é)',
 '(?<=a*)', '(?<=a|bc)', '(?<!a?)', '(?<=a{1,2})', '(?<=(?P<x>a)(?P=x))', r'(?<=(a)\1)', '(?<=(?(1)a|b))', '(a)(?<=a(?(1)b|cd))', '(?<=a{4294967294}b{4294967294})', '(?<=(?<=a)b*)', '(?<=(?:a|bb){1000})',
 '(a*)(?<=\\1)', 'x(?<=(?=ab)a|bc)',
 ('f', L, 'a'), ('f', A|U, 'a'), ('f', U, b'a'), ('f', A|L, b'a'), ('f', 0, '(?a)(?u)'), ('f', U, '(?a)a'), ('f', L, '(?a)a'), ('f', A|L, b'(?i)a'), ('f', L, '(?:'), ('f', U, b'\\q'),
 ('b', b'\\N{EM DASH}'), ('b', b'\\u1234'), ('b', b'\\U00000041'), ('b', b'(?u)a'), ('b', b'(?aL)a'), ('b', b'[\xe9-a]'), ('b', b'(?P<a b>x)'), ('b', b'(?P<\xe9 >x)'), ('b', b'(?(\xe9 )x)'),
 ('b', b'\\'), ('b', b'(?P=\xe9)'), ('b', b'(?<\xe9)'), ('b', b'(?\xe9)'),
 '(?P<a\'b>x)', '(?P<a"b>x)', '(?P<a\'"b>x)', '(?P<a\tb>x)', '(?P<a\u0378b>x)', '(?P<a\u200bb>x)', '(?P<a\\\\b>x)', '(?P<\U0001F600>x)', '(?(\u0661\u0662)x)', '(?(\u00a0)x)',
 '(?x)(?P<a #>)', '(?x)[#]]', '(?x)(?# a', 'a\\', '(?x)a\\', '(?x)#\\',
]
import random
rnd = random.Random(1311)
ALPH = list('ab()|*+?{}[]^-$\\.,1:?P<>=!#x0279') + ['(?', '(?P<', '(?<', '\\d', '(?i', '{1,2}', '\\N{', ']']
rand = []
for _ in range(600):
    n = rnd.randint(1, 10)
    rand.append(''.join(rnd.choice(ALPH) for _ in range(n)))
templates = [r'', r'abc', r'\g<n>', r'\g<1>\g<2>', r'\g<0>', r'\1\2', r'x\1y', r'\n\t\\\a\b\f\r\v', r'\0', r'\07', r'\077', r'\0777', r'\101', r'\1010', r'\08', r'\-', r'\é', r'\11', r'\g< 1>', r'\g<+2>', r'\g<-0>',
 r'\g<x>', '\\', r'\g', r'\g<', r'\g<>', r'\g<1', r'\g<a b>', r'\g<-1>', r'\g<3>', r'\3', r'\q', r'\400', r'\777x', r'\9', r'\g<99999999999999>', r'\N', r'\g<1_0>', r'\g<\u0661>', r'a\g<n>b\g<2>c']

import re, warnings, sys
from re import _parser as P, _constants as C
warnings.simplefilter('ignore')
MAXREPEAT = C.MAXREPEAT

def render_items(items):
    out = []
    for op, av in items:
        if op is C.NEGATE: out.append('NEG')
        elif op is C.LITERAL: out.append('L%d' % av)
        elif op is C.RANGE: out.append('R%d-%d' % av)
        elif op is C.CATEGORY: out.append('C' + str(av).replace('CATEGORY_', '').lower())
        else: raise Exception(op)
    return ','.join(out)

def render(sp):
    out = []
    for op, av in sp:
        if op is C.LITERAL: out.append('L%d' % av)
        elif op is C.NOT_LITERAL: out.append('NL%d' % av)
        elif op is C.ANY: out.append('ANY')
        elif op is C.IN: out.append('IN[%s]' % render_items(av))
        elif op is C.AT: out.append('AT:' + str(av).replace('AT_', '').lower())
        elif op is C.BRANCH: out.append('BR(%s)' % '|'.join(render(a) for a in av[1]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            g = {C.MAX_REPEAT: 'g', C.MIN_REPEAT: 'l', C.POSSESSIVE_REPEAT: 'p'}[op]
            mx = 'M' if av[1] == MAXREPEAT else str(av[1])
            out.append('REP%d,%s%s(%s)' % (av[0], mx, g, render(av[2])))
        elif op is C.SUBPATTERN:
            g = '_' if av[0] is None else str(av[0])
            out.append('G%s,%d,%d(%s)' % (g, av[1], av[2], render(av[3])))
        elif op is C.ATOMIC_GROUP: out.append('ATOM(%s)' % render(av))
        elif op is C.GROUPREF: out.append('REF%d' % av)
        elif op is C.GROUPREF_EXISTS:
            s = 'IF%d(%s)' % (av[0], render(av[1]))
            if av[2] is not None: s += 'ELSE(%s)' % render(av[2])
            out.append(s)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            w = ''
            if av[0] < 0:
                w = 'w%d' % av[1].getwidth()[0]
            out.append('AS%s%s%s(%s)' % ('B' if av[0] < 0 else 'A', '!' if op is C.ASSERT_NOT else '=', w, render(av[1])))
        else: raise Exception(op)
    return ' '.join(out)

def rlit(p):
    if isinstance(p, bytes):
        s = ''.join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else ('\\\\' if b == 92 else '\\"' if b == 34 else '\\x%02x' % b) for b in p)
        return 'b"%s"' % s
    s = ''
    for ch in p:
        c = ord(ch)
        if ch == '"': s += '\\"'
        elif ch == '\\': s += '\\\\'
        elif 32 <= c < 127: s += ch
        else: s += '\\u{%x}' % c
    return '"%s"' % s

def rstr(s):
    return rlit(s)


def decode(x):
    if isinstance(x, tuple):
        if x[0] == 'b': return x[1], 0
        return x[2], int(x[1])
    return x, 0

out = ['//! Generated by `gen_parse_cases.py` from CPython 3.11.7 (`re._parser.parse`, `re.compile`): do not edit.', '', 'use super::{Failure, Kind, Success, WarnCase};', 'use pyaot_regex::WarningCategory;', '']
out.append('pub const SUCCESSES: &[Success] = &[')
for line in succ:
    p, flags = decode(line)
    try:
        sp = P.parse(p, flags)
        import re as _re; _re.compile(p, flags)
    except Exception as e:
        print('SUCC FAILS', line, e, file=sys.stderr); continue
    r = render(sp)
    names = ', '.join('(%s, %d)' % (rstr(k), v) for k, v in sorted(sp.state.groupdict.items(), key=lambda kv: kv[1]))
    out.append('    Success { pattern: &%s, flags: %d, tree: %s, final_flags: %d, groups: %d, names: &[%s] },' % (
        rlit(p), flags, rstr(r), sp.state.flags, sp.state.groups - 1, names))
out.append('];')
out.append('')
out.append('pub const ERRORS: &[Failure] = &[')
for line in errs:
    p, flags = decode(line)
    try:
        re.compile(p, flags)
        print('NO ERROR', line, file=sys.stderr); continue
    except re.error as e:
        kind, msg, pos = 'Error', e.msg, e.pos
    except ValueError as e:
        kind, msg, pos = 'Value', str(e), None
    except OverflowError as e:
        kind, msg, pos = 'Overflow', str(e), None
    except RecursionError as e:
        print('RECURSION', line, file=sys.stderr); continue
    except Exception as e:
        print('OTHER', type(e), line, file=sys.stderr); continue
    out.append('    Failure { pattern: &%s, flags: %d, kind: Kind::%s, msg: %s, pos: %s },' % (
        rlit(p), flags, kind, rstr(msg), 'None' if pos is None else 'Some(%d)' % pos))
out.append('];')
open(OUT, 'w').write('\n'.join(out) + '\n')
print(len(succ), len(errs))

out = []
out.append('pub const RANDOM: &[(&str, &str)] = &[')
for p in rand:
    try:
        sp = P.parse(p, 0)
        re.compile(p)
        res = 'ok %s|%d|%d' % (render(sp), sp.state.flags, sp.state.groups - 1)
    except re.error as e:
        res = 'err %s|%s' % (e.msg, e.pos)
    except (ValueError, OverflowError) as e:
        res = 'err %s|None' % e
    out.append('    (%s, %s),' % (rlit(p), rstr(res)))
out.append('];')
out.append('')
def render_t(groups, literals):
    items = []
    gi = dict(groups)
    for i, l in enumerate(literals):
        if l is None: items.append('G%d' % gi[i])
        else: items.append('L' + ','.join(str(ord(c)) for c in l))
    return ' '.join(items)
tp = re.compile('(?P<n>a)(b)')
tp11 = re.compile('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)')
out.append('pub const TEMPLATES: &[(&str, usize, &str)] = &[')
for t in templates:
    for pat in (tp, tp11):
        try:
            g, l = P.parse_template(t, pat)
            res = 'ok ' + render_t(g, l)
        except re.error as e:
            res = 'err %s|%s' % (e.msg, e.pos)
        except IndexError as e:
            res = 'err %s|None' % e
        out.append('    (%s, %d, %s),' % (rlit(t), pat.groups, rstr(res)))
out.append('];')
open(OUT, 'a').write('\n' + '\n'.join(out) + '\n')

# Warnings: (pattern, template or None). CPython's warnings.warn calls are recorded with their
# message, category and nesting (how many `_parse`/`_parse_sub` frames beyond the top-level two
# the stacklevel climbs through); each must point at the caller (checked here).
warn_cases = [
 '[[a]', '[[:digit:]|]', '[^[a]', '[]]', '(?:[[a])', '(a)(?(1)[[a]|b)', '(a)(?(1)b|[[a])', '((([[x])))', '(?=[[a])', '(?<=[a&&b])', '(?x:(?i:[a||b]))',
 '[0-9--1]', '[--1]', '[%--1]', '[%--]', '[a--b]', '[a---]', '[--a]', '[---]', '[----]', '[0-9&&1]', r'[\d&&1]', '[&&1]', '[a&&&b]', '[0-9||a]', r'[\d||a]', '[||1]',
 '[0-9~~1]', r'[\d~~1]', '[~~1]', r'[a\--b]', r'[a-\-]', r'[\\--b]', '[[0-9]|]', '[[a--b&&c~~d||e]', '[[', '[a&&', '[a--', '[a-a--b]', 'a|[[b]',
 (b'[[a]',), (b'[a--b]',), (b'[0-9&&1]',), (b'[0-9~~1]',), (b'[0-9||1]',), (b'(?:[[a])',),
 (b'(?P<\xc2\xb5>x)',), (b'(?P<\xe9>x)(?P=\xe9)',), (b'(?P=\xc2\xb5)',), (b'(?(\xc2\xb5)y)',), (b'(?P<\xe9>x)(?(\xe9)y)',), (b'((?P<\xe9>x))',), (b'(a)((?P<\xe9>x)(?(\xe9)y|z))',),
 (b'(?P<a\xe9\'>x)',), (b'(?P<\xe9\xaa>x)',), '(?P<\xe9>x)(?P=\xe9)(?(\xe9)y)',
 '()(?(+1)a|b)', '()'*10 + '(?(1_0)a|b)', '()(?( 1 )a|b)', '()(?(\u0967)a|b)', '()(?(\t1)a)', '()(?(\xa01)a)', '()(?(01)a)', '(?(+1)a)', '()((?(+1)a|b))', '()(?(1)(?(+1)a))',
 (b'()(?(+1)a|b)',), (b'()(?( 1 )a|b)',), (b'()(?(\t1)a)',), (b'()(?(\xa01)a)',),
 ('(?P<a>x)', r'\g<+1>'), ('()'*10, r'\g<1_0>'), ('(?P<a>x)', r'\g< 1 >'), ('(?P<a>x)', '\\g<\u0967>'), ('(?P<a>x)', r'\g<+3>'), ('(?P<a>x)', r'\g<1>\g<+1>\g<01>\g< 0>'),
 ('(?P<a>x)', r'\g<a>'), ('(?P<\xe9>x)', '\\g<\xe9>'), ('(?P<a>x)', '\\g<\t1>'), ('(?P<a>x)', '\\g<\xa01>'),
 (b'(?P<a>x)', b'\\g<\xc2\xb5>'), (b'(?P<a>x)', b'\\g<+1>'), (b'(?P<\xe9>x)', b'\\g<\xe9>'), (b'(?P<a>x)', b'\\g<\xa01>'), (b'(?P<a>x)', b'\\g< 1>\\g<\xe9>'),
]
import functools

def record(fn, is_template):
    """Runs `fn`, returning [(category, msg, nesting)] and 'ok' or 'err MSG'."""
    got = []
    orig = warnings.warn
    def warn(msg, category, stacklevel):
        target = sys._getframe(stacklevel)
        if target.f_back.f_code.co_name != 'harness':
            print('STACKLEVEL', msg, stacklevel, target.f_code.co_name, file=sys.stderr)
        frames, f = 0, sys._getframe(1)
        while f is not None:
            frames += f.f_code.co_name in ('_parse', '_parse_sub')
            f = f.f_back
        got.append((category.__name__, msg, 0 if is_template else frames - 2))
        orig(msg, category, stacklevel + 1)
    warnings.warn = warn
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            try:
                fn()
                res = 'ok'
            except (re.error, IndexError) as e:
                res = 'err %s' % (e.msg if isinstance(e, re.error) else e)
        assert [(x.category.__name__, str(x.message)) for x in w] == [g[:2] for g in got], (w, got)
        assert all(x.filename == __file__ for x in w), [x.filename for x in w]
    finally:
        warnings.warn = orig
    return got, res

def harness(f):
    return f()

out = ['pub const WARNINGS: &[WarnCase] = &[']
for case in warn_cases:
    if isinstance(case, str): case = (case,)
    p, t = case[0], (case[1] if len(case) > 1 else None)
    re.purge()
    if t is None:
        ws, res = record(lambda: harness(lambda: re.compile(p)), False)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            re.compile(p)
        ws, res = record(lambda: harness(lambda: re.sub(p, t, p[:0])), True)
    wl = ', '.join('(%s, %s, %d)' % ('WarningCategory::Future' if c == 'FutureWarning' else 'WarningCategory::Deprecation', rstr(m), n) for c, m, n in ws)
    out.append('    WarnCase { pattern: &%s, template: %s, warnings: &[%s], outcome: %s },' % (
        rlit(p), 'None' if t is None else 'Some(&%s)' % rlit(t), wl, rstr(res)))
out.append('];')
open(OUT, 'a').write('\n'.join(out) + '\n')
