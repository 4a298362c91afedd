//! `re.Pattern`, `re.Match`, the scanner and the `finditer` iterator.

use std::borrow::Cow;

use pyaot_regex::{Anchor, ErrorKind, MatchError, Regex, TemplateItem};
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyIndexError, PyOverflowError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::text::{Cursor, Hay, haystack, points_of, slice, str_from_points};

pyo3::create_exception!(
    pyaot_re,
    BacktrackLimitError,
    PyRuntimeError,
    "The backtracking engine reached its step limit: the pattern is exponential on this input."
);

/// `BacktrackLimitError`, for the module.
pub(crate) fn backtrack_limit_error(py: Python<'_>) -> Bound<'_, pyo3::types::PyType> {
    py.get_type::<BacktrackLimitError>()
}

const UNSET: usize = usize::MAX;

/// A search's byte-offset slots (two per group), inline up to three groups: no allocation per
/// match in `finditer` loops.
type Slots = smallvec::SmallVec<[usize; 8]>;
/// A match's character-index spans (two per group), inline up to three groups.
type Spans = smallvec::SmallVec<[isize; 8]>;

#[allow(clippy::needless_pass_by_value)] // used as `map_err(match_error)`
fn match_error(e: MatchError) -> PyErr {
    match e {
        MatchError::StepLimit(_) => BacktrackLimitError::new_err(e.to_string()),
        MatchError::KindMismatch { .. } => PyTypeError::new_err(e.to_string()),
    }
}

/// `re.error(msg, pattern, pos)` (the standard library's class, so `except re.error` catches
/// ours), or `ValueError` for the flag checks CPython reports that way.
fn compile_error(py: Python<'_>, e: &pyaot_regex::Error, pattern: &Bound<'_, PyAny>) -> PyErr {
    match e.kind {
        ErrorKind::Re => {}
        ErrorKind::Value => return PyValueError::new_err(e.msg.clone()),
        ErrorKind::Overflow => return PyOverflowError::new_err(e.msg.clone()),
        ErrorKind::Index => return PyIndexError::new_err(e.msg.clone()),
    }
    let made = py.import(intern!(py, "re")).and_then(|re| re.getattr(intern!(py, "error"))).and_then(|error| {
        // CPython passes the pattern only with a position (the compiler's own errors have
        // neither).
        match e.pos {
            Some(pos) => error.call1((e.msg.as_str(), pattern, pos)),
            None => error.call1((e.msg.as_str(),)),
        }
    });
    match made {
        Ok(value) => PyErr::from_value(value),
        Err(err) => err,
    }
}

/// Issue the parser's warnings as CPython does, `stacklevel` frames up from the native call.
fn warn(py: Python<'_>, warnings: &[pyaot_regex::Warning], stacklevel: i32) -> PyResult<()> {
    if warnings.is_empty() {
        return Ok(());
    }
    let warn = py.import(intern!(py, "warnings"))?.getattr(intern!(py, "warn"))?;
    for w in warnings {
        let category = match w.category {
            pyaot_regex::WarningCategory::Future => py.get_type::<pyo3::exceptions::PyFutureWarning>(),
            pyaot_regex::WarningCategory::Deprecation => py.get_type::<pyo3::exceptions::PyDeprecationWarning>(),
        };
        warn.call1((w.msg.as_str(), category, stacklevel))?;
    }
    Ok(())
}

/// `_native.compile(pattern, flags)`: compile a `str` or `bytes` pattern.
#[pyfunction]
pub(crate) fn compile(py: Python<'_>, pattern: &Bound<'_, PyAny>, flags: i64) -> PyResult<Pattern> {
    let is_str = pattern.is_instance_of::<PyString>();
    if !is_str && !pattern.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err("first argument must be string or compiled pattern"));
    }
    let (points, _) = points_of(pattern)?;
    let flags = u32::try_from(flags).map_err(|_| PyValueError::new_err("flags out of range"))?;
    let (regex, warnings) = Regex::from_code_points_warned(&points, !is_str, pyaot_regex::Flags(flags));
    // Called from `pyaot_re._compile` <- `pyaot_re.compile`/`search`/... <- the caller.
    warn(py, &warnings, 3)?;
    let regex = regex.map_err(|e| compile_error(py, &e, pattern))?;
    let groupindex = PyDict::new(py);
    let mut names: Vec<Option<Py<PyString>>> = (0..=regex.groups()).map(|_| None).collect();
    for (name, index) in regex.group_names() {
        let key = PyString::new(py, name);
        groupindex.set_item(&key, index)?;
        names[*index] = Some(key.unbind());
    }
    Ok(Pattern { regex, pattern: pattern.clone().unbind(), groupindex: groupindex.unbind(), names })
}

/// A compiled pattern: `re.Pattern`.
#[pyclass(frozen, weakref, module = "re", name = "Pattern")]
pub(crate) struct Pattern {
    regex: Regex,
    pattern: Py<PyAny>,
    groupindex: Py<PyDict>,
    names: Vec<Option<Py<PyString>>>,
}

/// Clamp `pos`/`endpos` as `_sre` does: into `0..=len`.
fn clamp(value: isize, len: usize) -> usize {
    if value < 0 { 0 } else { (value as usize).min(len) }
}

/// The bytes behind a match's group slices when the haystack is exact `bytes`. Other
/// bytes-like objects are read again when a group is asked for, as `_sre` does, so a match
/// sees later changes to a `bytearray`.
fn bytes_data(string: &Bound<'_, PyAny>, hay: &Hay<'_>) -> Option<Py<PyBytes>> {
    if hay.is_str {
        return None;
    }
    string.cast_exact::<PyBytes>().ok().map(|b| b.clone().unbind())
}

impl Pattern {
    /// Capture slots for one search: on the stack for up to three groups.
    fn slots(&self) -> Slots {
        smallvec::smallvec![UNSET; self.regex.slot_count()]
    }

    fn is_bytes(&self) -> bool {
        self.regex.is_bytes()
    }

    /// One search of `string` between character indexes.
    fn run(
        slf: &Bound<'_, Pattern>,
        string: &Bound<'_, PyAny>,
        pos: isize,
        endpos: isize,
        anchor: Anchor,
    ) -> PyResult<Option<Match>> {
        let this = slf.get();
        let hay = haystack(string, this.is_bytes())?;
        let (pos, endpos) = (clamp(pos, hay.len), clamp(endpos, hay.len));
        let mut cursor = Cursor::new(&hay);
        let bpos = cursor.byte_at(pos);
        let bend = cursor.byte_at(endpos);
        let mut slots = this.slots();
        let found = if pos > endpos && anchor != Anchor::Match {
            None
        } else {
            this.regex
                .search_full(&hay.bytes, hay.ascii_hint(), hay.wtf8, bpos, bend, anchor, false, &mut slots)
                .map_err(match_error)?
        };
        let Some(lastindex) = found else { return Ok(None) };
        let data = bytes_data(string, &hay);
        Ok(Some(Match::new(slf, string, data, &hay, &mut cursor, &slots, lastindex, pos, endpos)))
    }

    /// Every match from `pos` to `endpos` (character indexes), with `re`'s empty-match rule,
    /// handing each one's slots to `each` (which returns `false` to stop).
    fn scan(
        &self,
        hay: &Hay<'_>,
        pos: usize,
        endpos: usize,
        mut each: impl FnMut(&[usize], usize, &mut Cursor<'_>) -> PyResult<bool>,
    ) -> PyResult<()> {
        if pos > endpos {
            return Ok(());
        }
        let mut cursor = Cursor::new(hay);
        let mut at = cursor.byte_at(pos);
        let end = cursor.byte_at(endpos);
        let mut must_advance = false;
        let mut slots = self.slots();
        loop {
            let found = self
                .regex
                .search_full(&hay.bytes, hay.ascii_hint(), hay.wtf8, at, end, Anchor::Search, must_advance, &mut slots)
                .map_err(match_error)?;
            let Some(lastindex) = found else { return Ok(()) };
            if !each(&slots, lastindex, &mut cursor)? {
                return Ok(());
            }
            must_advance = slots[1] == slots[0];
            at = slots[1];
        }
    }

    fn template(&self, py: Python<'_>, template: &Bound<'_, PyAny>, stacklevel: i32) -> PyResult<Vec<TemplateItem>> {
        let (points, is_str) = points_of(template)?;
        if is_str == self.is_bytes() {
            let want = if self.is_bytes() { "a bytes-like object" } else { "str" };
            let got = template.get_type().name()?;
            return Err(PyTypeError::new_err(format!("expected {want}, got '{got}'")));
        }
        let (items, warnings) = self.regex.template_warned(&points);
        warn(py, &warnings, stacklevel)?;
        items.map_err(|e| compile_error(py, &e, template))
    }

    fn subx(
        slf: &Bound<'_, Pattern>,
        repl: &Bound<'_, PyAny>,
        string: &Bound<'_, PyAny>,
        count: isize,
    ) -> PyResult<(Py<PyAny>, usize)> {
        let py = slf.py();
        let this = slf.get();
        let hay = haystack(string, this.is_bytes())?;
        // `while (!count || n < count)`: 0 is unlimited, a negative count replaces nothing.
        let count = match count {
            0 => usize::MAX,
            c if c < 0 => 0,
            c => c as usize,
        };
        let callable = repl.is_callable();
        // A template of the other string type is joined as CPython does (its TypeError).
        let mismatched = !callable && repl.is_instance_of::<PyString>() == this.is_bytes();
        let template = if callable || mismatched { None } else { Some(this.template(py, repl, 2)?) };
        let data = bytes_data(string, &hay);
        let mut n = 0;
        if let Some(items) = template {
            // Templates expand in bytes space: UTF-8 out, one decode at the end.
            let mut out = Vec::with_capacity(hay.bytes.len());
            let mut last = 0;
            if count > 0 {
                this.scan(&hay, 0, hay.len, |slots, _, _| {
                    out.extend_from_slice(&hay.bytes[last..slots[0]]);
                    for item in &items {
                        match item {
                            TemplateItem::Literal(points) => push_points(&mut out, points, hay.is_str),
                            TemplateItem::Group(g) => {
                                let (s, e) = (slots[2 * g], slots[2 * g + 1]);
                                if s != UNSET && e != UNSET {
                                    out.extend_from_slice(&hay.bytes[s..e]);
                                }
                            }
                        }
                    }
                    last = slots[1];
                    n += 1;
                    Ok(n < count)
                })?;
            }
            out.extend_from_slice(&hay.bytes[last..]);
            let result = if hay.is_str { str_from_wtf8(py, &out)? } else { PyBytes::new(py, &out).into_any() };
            return Ok((result.unbind(), n));
        }
        // A callable: its results are joined as CPython does (`None` counts as empty).
        let pieces = PyList::empty(py);
        let mut last_char = 0;
        if count > 0 {
            this.scan(&hay, 0, hay.len, |slots, lastindex, cursor| {
                let data = data.as_ref().map(|d| d.clone_ref(py));
                let m = Match::new(slf, string, data, &hay, cursor, slots, lastindex, 0, hay.len);
                let start = m.spans[0] as usize;
                let end = m.spans[1] as usize;
                if start > last_char {
                    pieces.append(slice(py, string, &hay.bytes, hay.is_str, last_char, start)?)?;
                }
                let item = if mismatched { repl.clone() } else { repl.call1((Bound::new(py, m)?,))? };
                if !item.is_none() {
                    pieces.append(item)?;
                }
                last_char = end;
                n += 1;
                Ok(n < count)
            })?;
        }
        if hay.len > last_char {
            pieces.append(slice(py, string, &hay.bytes, hay.is_str, last_char, hay.len)?)?;
        }
        let joiner = slice(py, string, &hay.bytes, hay.is_str, 0, 0)?;
        let result = joiner.call_method1(intern!(py, "join"), (pieces,))?;
        Ok((result.unbind(), n))
    }
}

fn push_points(out: &mut Vec<u8>, points: &[u32], is_str: bool) {
    for &c in points {
        if !is_str {
            out.push(c as u8);
        } else if let Some(ch) = char::from_u32(c) {
            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
        } else {
            out.extend_from_slice(&[0xE0 | (c >> 12) as u8, 0x80 | ((c >> 6) & 0x3F) as u8, 0x80 | (c & 0x3F) as u8]);
        }
    }
}

fn str_from_wtf8<'py>(py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: the GIL is held; pointer and length describe `bytes`; "surrogatepass" is a
    // NUL-terminated string. The result is a new reference or NULL with an exception set.
    unsafe {
        let raw = pyo3::ffi::PyUnicode_DecodeUTF8(
            bytes.as_ptr().cast(),
            bytes.len() as pyo3::ffi::Py_ssize_t,
            c"surrogatepass".as_ptr(),
        );
        Bound::from_owned_ptr_or_err(py, raw)
    }
}

#[pymethods]
impl Pattern {
    /// `Pattern.search(string, pos=0, endpos=sys.maxsize)`.
    #[pyo3(signature = (string, pos=0, endpos=isize::MAX))]
    fn search(
        slf: &Bound<'_, Pattern>,
        string: &Bound<'_, PyAny>,
        pos: isize,
        endpos: isize,
    ) -> PyResult<Option<Match>> {
        Pattern::run(slf, string, pos, endpos, Anchor::Search)
    }

    /// `Pattern.match(string, pos=0, endpos=sys.maxsize)`.
    #[pyo3(name = "match", signature = (string, pos=0, endpos=isize::MAX))]
    fn match_(
        slf: &Bound<'_, Pattern>,
        string: &Bound<'_, PyAny>,
        pos: isize,
        endpos: isize,
    ) -> PyResult<Option<Match>> {
        Pattern::run(slf, string, pos, endpos, Anchor::Match)
    }

    /// `Pattern.fullmatch(string, pos=0, endpos=sys.maxsize)`.
    #[pyo3(signature = (string, pos=0, endpos=isize::MAX))]
    fn fullmatch(
        slf: &Bound<'_, Pattern>,
        string: &Bound<'_, PyAny>,
        pos: isize,
        endpos: isize,
    ) -> PyResult<Option<Match>> {
        Pattern::run(slf, string, pos, endpos, Anchor::Full)
    }

    /// `Pattern.findall(string, pos=0, endpos=sys.maxsize)`.
    #[pyo3(signature = (string, pos=0, endpos=isize::MAX))]
    fn findall<'py>(
        slf: &Bound<'py, Pattern>,
        string: &Bound<'py, PyAny>,
        pos: isize,
        endpos: isize,
    ) -> PyResult<Bound<'py, PyList>> {
        let py = slf.py();
        let this = slf.get();
        let hay = haystack(string, this.is_bytes())?;
        let (pos, endpos) = (clamp(pos, hay.len), clamp(endpos, hay.len));
        let bytes: &[u8] = &hay.bytes;
        let groups = this.regex.groups();
        let list = PyList::empty(py);
        this.scan(&hay, pos, endpos, |slots, _, cursor| {
            let mut text = |g: usize| -> PyResult<Bound<'py, PyAny>> {
                let (s, e) = (slots[2 * g], slots[2 * g + 1]);
                if s == UNSET || e == UNSET {
                    return slice(py, string, bytes, hay.is_str, 0, 0);
                }
                let (s, e) = (cursor.char_at(s), cursor.char_at(e));
                slice(py, string, bytes, hay.is_str, s, e)
            };
            let item = match groups {
                0 => text(0)?,
                1 => text(1)?,
                _ => PyTuple::new(py, (1..=groups).map(&mut text).collect::<PyResult<Vec<_>>>()?)?.into_any(),
            };
            list.append(item)?;
            Ok(true)
        })?;
        Ok(list)
    }

    /// `Pattern.finditer(string, pos=0, endpos=sys.maxsize)`.
    #[pyo3(signature = (string, pos=0, endpos=isize::MAX))]
    fn finditer(slf: &Bound<'_, Pattern>, string: &Bound<'_, PyAny>, pos: isize, endpos: isize) -> PyResult<MatchIter> {
        Ok(MatchIter { scanner: Scanner::new(slf, string, pos, endpos)? })
    }

    /// `Pattern.scanner(string, pos=0, endpos=sys.maxsize)`.
    #[pyo3(signature = (string, pos=0, endpos=isize::MAX))]
    fn scanner(slf: &Bound<'_, Pattern>, string: &Bound<'_, PyAny>, pos: isize, endpos: isize) -> PyResult<Scanner> {
        Scanner::new(slf, string, pos, endpos)
    }

    /// `Pattern.sub(repl, string, count=0)`.
    #[pyo3(signature = (repl, string, count=0))]
    fn sub(
        slf: &Bound<'_, Pattern>,
        repl: &Bound<'_, PyAny>,
        string: &Bound<'_, PyAny>,
        count: isize,
    ) -> PyResult<Py<PyAny>> {
        Ok(Pattern::subx(slf, repl, string, count)?.0)
    }

    /// `Pattern.subn(repl, string, count=0)`.
    #[pyo3(signature = (repl, string, count=0))]
    fn subn(
        slf: &Bound<'_, Pattern>,
        repl: &Bound<'_, PyAny>,
        string: &Bound<'_, PyAny>,
        count: isize,
    ) -> PyResult<(Py<PyAny>, usize)> {
        Pattern::subx(slf, repl, string, count)
    }

    /// `Pattern.split(string, maxsplit=0)`.
    #[pyo3(signature = (string, maxsplit=0))]
    fn split<'py>(
        slf: &Bound<'py, Pattern>,
        string: &Bound<'py, PyAny>,
        maxsplit: isize,
    ) -> PyResult<Bound<'py, PyList>> {
        let py = slf.py();
        let this = slf.get();
        let hay = haystack(string, this.is_bytes())?;
        let bytes: &[u8] = &hay.bytes;
        let list = PyList::empty(py);
        let maxsplit = match maxsplit {
            0 => usize::MAX,
            m if m < 0 => 0,
            m => m as usize,
        };
        let mut last = 0;
        let mut n = 0;
        if maxsplit > 0 {
            this.scan(&hay, 0, hay.len, |slots, _, cursor| {
                let (s, e) = (cursor.char_at(slots[0]), cursor.char_at(slots[1]));
                list.append(slice(py, string, bytes, hay.is_str, last, s)?)?;
                for g in 1..=this.regex.groups() {
                    let (gs, ge) = (slots[2 * g], slots[2 * g + 1]);
                    if gs == UNSET || ge == UNSET {
                        list.append(py.None())?;
                    } else {
                        let (gs, ge) = (cursor.char_at(gs), cursor.char_at(ge));
                        list.append(slice(py, string, bytes, hay.is_str, gs, ge)?)?;
                    }
                }
                last = e;
                n += 1;
                Ok(n < maxsplit)
            })?;
        }
        list.append(slice(py, string, bytes, hay.is_str, last, hay.len)?)?;
        Ok(list)
    }

    /// The pattern string (`str` or `bytes`).
    #[getter]
    fn pattern(&self, py: Python<'_>) -> Py<PyAny> {
        self.pattern.clone_ref(py)
    }

    /// The flags: argument flags, inline flags and the implied `re.UNICODE` of str patterns.
    #[getter]
    fn flags(&self) -> u32 {
        self.regex.flags().0
    }

    /// The number of capturing groups.
    #[getter]
    fn groups(&self) -> usize {
        self.regex.groups()
    }

    /// A read-only mapping of group names to numbers.
    #[getter]
    fn groupindex<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let proxy = py.import(intern!(py, "types"))?.getattr(intern!(py, "MappingProxyType"))?;
        proxy.call1((self.groupindex.bind(py).copy()?,))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut repr: String = self.pattern.bind(py).repr()?.extract()?;
        if repr.chars().count() > 200 {
            repr = repr.chars().take(200).collect();
        }
        let mut flags = self.regex.flags().0;
        let type_flags = pyaot_regex::Flags::LOCALE | pyaot_regex::Flags::UNICODE | pyaot_regex::Flags::ASCII;
        if !self.is_bytes() && flags & type_flags == pyaot_regex::Flags::UNICODE {
            flags &= !pyaot_regex::Flags::UNICODE;
        }
        if flags == 0 {
            return Ok(format!("re.compile({repr})"));
        }
        const NAMES: [(&str, u32); 9] = [
            ("re.TEMPLATE", 1),
            ("re.IGNORECASE", 2),
            ("re.LOCALE", 4),
            ("re.MULTILINE", 8),
            ("re.DOTALL", 16),
            ("re.UNICODE", 32),
            ("re.VERBOSE", 64),
            ("re.DEBUG", 128),
            ("re.ASCII", 256),
        ];
        let mut parts = Vec::new();
        for (name, bit) in NAMES {
            if flags & bit != 0 {
                parts.push(name.to_owned());
                flags &= !bit;
            }
        }
        if flags != 0 {
            parts.push(format!("0x{flags:x}"));
        }
        Ok(format!("re.compile({repr}, {})", parts.join("|")))
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<Pattern>() else { return Ok(false) };
        let other = other.get();
        Ok(self.regex.flags() == other.regex.flags()
            && self.is_bytes() == other.is_bytes()
            && self.pattern.bind(py).eq(other.pattern.bind(py))?)
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        let h = self.pattern.bind(py).hash()?;
        Ok(h ^ self.regex.flags().0 as isize ^ isize::from(self.is_bytes()))
    }

    fn __copy__(slf: Py<Pattern>) -> Py<Pattern> {
        slf
    }

    fn __deepcopy__(slf: Py<Pattern>, _memo: &Bound<'_, PyAny>) -> Py<Pattern> {
        slf
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py>> {
        let compile = py.import(intern!(py, "pyaot_re"))?.getattr(intern!(py, "_compile"))?;
        Ok((compile, (self.pattern.clone_ref(py), self.regex.flags().0)))
    }

    #[classmethod]
    fn __class_getitem__<'py>(
        cls: &Bound<'py, pyo3::types::PyType>,
        item: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        generic_alias(cls, item)
    }
}

/// What `Pattern.__reduce__` returns: `(pyaot_re._compile, (pattern, flags))`.
type Reduced<'py> = (Bound<'py, PyAny>, (Py<PyAny>, u32));

fn generic_alias<'py>(cls: &Bound<'py, pyo3::types::PyType>, item: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = cls.py();
    py.import(intern!(py, "types"))?.getattr(intern!(py, "GenericAlias"))?.call1((cls, item))
}

/// A match: `re.Match`. Spans are character indexes (-1 for groups that did not match).
#[pyclass(frozen, module = "re", name = "Match")]
pub(crate) struct Match {
    string: Py<PyAny>,
    data: Option<Py<PyBytes>>,
    pattern: Py<Pattern>,
    pos: usize,
    endpos: usize,
    spans: Spans,
    lastindex: usize,
    is_str: bool,
}

impl Match {
    #[allow(clippy::too_many_arguments)]
    fn new(
        pattern: &Bound<'_, Pattern>,
        string: &Bound<'_, PyAny>,
        data: Option<Py<PyBytes>>,
        hay: &Hay<'_>,
        cursor: &mut Cursor<'_>,
        slots: &[usize],
        lastindex: usize,
        pos: usize,
        endpos: usize,
    ) -> Match {
        let mut spans: Spans = smallvec::smallvec![-1isize; slots.len()];
        for g in 0..slots.len() / 2 {
            let (s, e) = (slots[2 * g], slots[2 * g + 1]);
            if s != UNSET && e != UNSET {
                spans[2 * g] = cursor.char_at(s) as isize;
                spans[2 * g + 1] = cursor.char_at(e) as isize;
            }
        }
        // Leave the cursor at the match end, where the next search starts.
        cursor.char_at(slots[1]);
        Match {
            string: string.clone().unbind(),
            data,
            pattern: pattern.clone().unbind(),
            pos,
            endpos,
            spans,
            lastindex,
            is_str: hay.is_str,
        }
    }

    fn groups_len(&self) -> usize {
        self.spans.len() / 2
    }

    fn index(&self, py: Python<'_>, g: &Bound<'_, PyAny>) -> PyResult<usize> {
        let i: isize = if g.hasattr(intern!(py, "__index__"))? {
            g.extract::<isize>().unwrap_or(-1)
        } else {
            match self.pattern.get().groupindex.bind(py).get_item(g)? {
                Some(v) => v.extract::<isize>().unwrap_or(-1),
                None => -1,
            }
        };
        if i < 0 || i as usize >= self.groups_len() {
            return Err(PyIndexError::new_err("no such group"));
        }
        Ok(i as usize)
    }

    fn text<'py>(&self, py: Python<'py>, g: usize, default: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let (s, e) = (self.spans[2 * g], self.spans[2 * g + 1]);
        if s < 0 || e < 0 {
            return Ok(default.clone());
        }
        let string = self.string.bind(py);
        match (&self.data, self.is_str) {
            (Some(data), _) => slice(py, string, data.as_bytes(py), false, s as usize, e as usize),
            (None, true) => slice(py, string, &[], true, s as usize, e as usize),
            (None, false) => {
                let live = haystack(string, true)?;
                let (s, e) = ((s as usize).min(live.len), (e as usize).min(live.len));
                slice(py, string, &live.bytes, false, s, e.max(s))
            }
        }
    }
}

#[pymethods]
impl Match {
    /// `Match.group([group1, ...])`.
    #[pyo3(signature = (*args))]
    fn group<'py>(&self, py: Python<'py>, args: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyAny>> {
        let none = py.None().into_bound(py);
        match args.len() {
            0 => self.text(py, 0, &none),
            1 => self.text(py, self.index(py, &args.get_item(0)?)?, &none),
            _ => {
                let items =
                    args.iter().map(|g| self.text(py, self.index(py, &g)?, &none)).collect::<PyResult<Vec<_>>>()?;
                Ok(PyTuple::new(py, items)?.into_any())
            }
        }
    }

    fn __getitem__<'py>(&self, py: Python<'py>, g: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let none = py.None().into_bound(py);
        self.text(py, self.index(py, g)?, &none)
    }

    /// `Match.groups(default=None)`.
    #[pyo3(signature = (default=None))]
    fn groups<'py>(&self, py: Python<'py>, default: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyTuple>> {
        let none = py.None().into_bound(py);
        let default = default.unwrap_or(&none);
        let items = (1..self.groups_len()).map(|g| self.text(py, g, default)).collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, items)
    }

    /// `Match.groupdict(default=None)`.
    #[pyo3(signature = (default=None))]
    fn groupdict<'py>(&self, py: Python<'py>, default: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyDict>> {
        let none = py.None().into_bound(py);
        let default = default.unwrap_or(&none);
        let out = PyDict::new(py);
        for (name, index) in self.pattern.get().groupindex.bind(py).iter() {
            let index: usize = index.extract()?;
            out.set_item(name, self.text(py, index, default)?)?;
        }
        Ok(out)
    }

    /// `Match.span(group=0)`.
    #[pyo3(signature = (group=None))]
    fn span(&self, py: Python<'_>, group: Option<&Bound<'_, PyAny>>) -> PyResult<(isize, isize)> {
        let g = match group {
            Some(g) => self.index(py, g)?,
            None => 0,
        };
        Ok((self.spans[2 * g], self.spans[2 * g + 1]))
    }

    /// `Match.start(group=0)`.
    #[pyo3(signature = (group=None))]
    fn start(&self, py: Python<'_>, group: Option<&Bound<'_, PyAny>>) -> PyResult<isize> {
        Ok(self.span(py, group)?.0)
    }

    /// `Match.end(group=0)`.
    #[pyo3(signature = (group=None))]
    fn end(&self, py: Python<'_>, group: Option<&Bound<'_, PyAny>>) -> PyResult<isize> {
        Ok(self.span(py, group)?.1)
    }

    /// `Match.expand(template)`.
    fn expand<'py>(&self, py: Python<'py>, template: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let items = self.pattern.get().template(py, template, 1)?;
        let none = py.None().into_bound(py);
        let pieces = PyList::empty(py);
        for item in &items {
            match item {
                TemplateItem::Literal(points) => {
                    if self.is_str {
                        pieces.append(str_from_points(py, points)?)?;
                    } else {
                        let bytes: Vec<u8> = points.iter().map(|&c| c as u8).collect();
                        pieces.append(PyBytes::new(py, &bytes))?;
                    }
                }
                TemplateItem::Group(g) => {
                    let text = self.text(py, *g, &none)?;
                    if !text.is_none() {
                        pieces.append(text)?;
                    }
                }
            }
        }
        let joiner: Bound<'py, PyAny> =
            if self.is_str { PyString::new(py, "").into_any() } else { PyBytes::new(py, b"").into_any() };
        joiner.call_method1(intern!(py, "join"), (pieces,))
    }

    /// `Match.regs`: the span of every group.
    #[getter]
    fn regs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, (0..self.groups_len()).map(|g| (self.spans[2 * g], self.spans[2 * g + 1])))
    }

    /// The last group closed, or `None`.
    #[getter]
    fn lastindex(&self) -> Option<usize> {
        (self.lastindex != 0).then_some(self.lastindex)
    }

    /// The name of the last group closed, or `None`.
    #[getter]
    fn lastgroup(&self, py: Python<'_>) -> Option<Py<PyString>> {
        let names = &self.pattern.get().names;
        names.get(self.lastindex).and_then(|n| n.as_ref()).map(|n| n.clone_ref(py)).filter(|_| self.lastindex != 0)
    }

    /// The pattern.
    #[getter]
    fn re(&self, py: Python<'_>) -> Py<Pattern> {
        self.pattern.clone_ref(py)
    }

    /// The string searched.
    #[getter]
    fn string(&self, py: Python<'_>) -> Py<PyAny> {
        self.string.clone_ref(py)
    }

    /// The `pos` of the search.
    #[getter]
    fn pos(&self) -> usize {
        self.pos
    }

    /// The `endpos` of the search.
    #[getter]
    fn endpos(&self) -> usize {
        self.endpos
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let none = py.None().into_bound(py);
        let mut repr: String = self.text(py, 0, &none)?.repr()?.extract()?;
        if repr.chars().count() > 50 {
            repr = repr.chars().take(50).collect();
        }
        Ok(format!("<re.Match object; span=({}, {}), match={repr}>", self.spans[0], self.spans[1]))
    }

    fn __copy__(slf: Py<Match>) -> Py<Match> {
        slf
    }

    fn __deepcopy__(slf: Py<Match>, _memo: &Bound<'_, PyAny>) -> Py<Match> {
        slf
    }

    #[classmethod]
    fn __class_getitem__<'py>(
        cls: &Bound<'py, pyo3::types::PyType>,
        item: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        generic_alias(cls, item)
    }
}

/// `Pattern.scanner(...)`: successive `match`/`search` calls, each starting where the previous
/// match ended.
#[pyclass(module = "re", name = "SRE_Scanner")]
pub(crate) struct Scanner {
    pattern: Py<Pattern>,
    string: Py<PyAny>,
    /// The haystack's bytes when they had to be copied (bytes-like objects other than `bytes`,
    /// `str` with lone surrogates); `None` to read them again from `string`.
    owned: Option<Py<PyBytes>>,
    /// The exported buffer of a bytes-like haystack other than `bytes`, held as `_sre` holds
    /// it: the object cannot be resized while the scanner lives.
    buffer: Option<PyBuffer<u8>>,
    data: Option<Py<PyBytes>>,
    is_str: bool,
    ascii: bool,
    len: usize,
    /// The next search's start (byte offset and character index).
    byte: usize,
    chr: usize,
    end_byte: usize,
    pos: usize,
    endpos: usize,
    must_advance: bool,
    done: bool,
}

impl Scanner {
    fn new(pattern: &Bound<'_, Pattern>, string: &Bound<'_, PyAny>, pos: isize, endpos: isize) -> PyResult<Scanner> {
        let py = pattern.py();
        let hay = haystack(string, pattern.get().is_bytes())?;
        let (pos, endpos) = (clamp(pos, hay.len), clamp(endpos, hay.len));
        let mut cursor = Cursor::new(&hay);
        let byte = cursor.byte_at(pos);
        let end_byte = cursor.byte_at(endpos);
        let buffer = if hay.is_str || string.is_instance_of::<PyBytes>() {
            None
        } else {
            PyBuffer::<u8>::get(string).ok().filter(|b| b.is_c_contiguous())
        };
        let owned = match &hay.bytes {
            Cow::Owned(bytes) if buffer.is_none() => Some(PyBytes::new(py, bytes).unbind()),
            _ => None,
        };
        let data = bytes_data(string, &hay);
        Ok(Scanner {
            pattern: pattern.clone().unbind(),
            string: string.clone().unbind(),
            owned,
            buffer,
            data,
            is_str: hay.is_str,
            ascii: hay.ascii,
            len: hay.len,
            byte,
            chr: pos,
            end_byte,
            pos,
            endpos,
            must_advance: false,
            done: pos > endpos,
        })
    }

    fn next(&mut self, py: Python<'_>, anchor: Anchor) -> PyResult<Option<Match>> {
        if self.done {
            return Ok(None);
        }
        let pattern = self.pattern.bind(py);
        let string = self.string.bind(py);
        let hay = if let Some(bytes) = &self.owned {
            Hay {
                bytes: Cow::Borrowed(bytes.as_bytes(py)),
                is_str: self.is_str,
                ascii: self.ascii,
                len: self.len,
                wtf8: self.is_str,
            }
        } else if let Some(buffer) = &self.buffer {
            // SAFETY: the buffer is C-contiguous and exported (held) by us, so its memory stays
            // valid and unresized while we read it under the GIL.
            let bytes = unsafe { std::slice::from_raw_parts(buffer.buf_ptr() as *const u8, buffer.len_bytes()) };
            Hay { bytes: Cow::Borrowed(bytes), is_str: false, ascii: true, len: bytes.len(), wtf8: false }
        } else {
            haystack(string, !self.is_str)?
        };
        let this = pattern.get();
        let mut slots = this.slots();
        let found = this
            .regex
            .search_full(
                &hay.bytes,
                hay.ascii_hint(),
                hay.wtf8,
                self.byte,
                self.end_byte,
                anchor,
                self.must_advance,
                &mut slots,
            )
            .map_err(match_error)?;
        let Some(lastindex) = found else {
            self.done = true;
            return Ok(None);
        };
        let mut cursor = Cursor::at(&hay, self.byte, self.chr);
        let data = self.data.as_ref().map(|d| d.clone_ref(py));
        let m = Match::new(pattern, string, data, &hay, &mut cursor, &slots, lastindex, self.pos, self.endpos);
        self.must_advance = slots[1] == slots[0];
        self.byte = slots[1];
        self.chr = m.spans[1] as usize;
        Ok(Some(m))
    }
}

#[pymethods]
impl Scanner {
    /// The next match starting exactly where the previous one ended.
    #[pyo3(name = "match")]
    fn match_(&mut self, py: Python<'_>) -> PyResult<Option<Match>> {
        self.next(py, Anchor::Match)
    }

    /// The next match from where the previous one ended.
    fn search(&mut self, py: Python<'_>) -> PyResult<Option<Match>> {
        self.next(py, Anchor::Search)
    }

    /// The pattern.
    #[getter]
    fn pattern(&self, py: Python<'_>) -> Py<Pattern> {
        self.pattern.clone_ref(py)
    }
}

/// The iterator `Pattern.finditer` returns.
#[pyclass(module = "re", name = "callable_iterator")]
pub(crate) struct MatchIter {
    scanner: Scanner,
}

#[pymethods]
impl MatchIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Match>> {
        self.scanner.next(py, Anchor::Search)
    }
}
