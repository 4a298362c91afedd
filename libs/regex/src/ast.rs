//! The parsed form of a pattern: what CPython's `re._parser.parse` returns, as Rust types.
//!
//! The shape follows `re._parser.SubPattern` closely (one node per sre opcode), because every
//! Python matching rule is defined on that form: the compiler in [`crate::compile`] turns it into
//! a backtracking program, and [`crate::automata`] into a regex-automata HIR when the pattern is
//! regular. Characters are code points for `str` patterns and byte values for `bytes` patterns.

/// The largest repeat count (`_sre.MAXREPEAT`): `{n,}` and `*` have this as their maximum.
pub const MAXREPEAT: u32 = u32::MAX;
/// The largest group count (`_sre.MAXGROUPS`).
pub const MAXGROUPS: usize = 1_073_741_823;
/// The width cap of `SubPattern.getwidth` (`MAXWIDTH = 1 << 64` in CPython; any width above
/// this is "unbounded" for our purposes).
pub const MAXWIDTH: u64 = u64::MAX;

/// Pattern flags, with CPython's values (`re.RegexFlag`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u32);

impl Flags {
    /// `re.TEMPLATE` (deprecated, accepted and ignored).
    pub const TEMPLATE: u32 = 1;
    /// `re.I`.
    pub const IGNORECASE: u32 = 2;
    /// `re.L`.
    pub const LOCALE: u32 = 4;
    /// `re.M`.
    pub const MULTILINE: u32 = 8;
    /// `re.S`.
    pub const DOTALL: u32 = 16;
    /// `re.U`.
    pub const UNICODE: u32 = 32;
    /// `re.X`.
    pub const VERBOSE: u32 = 64;
    /// `re.DEBUG`.
    pub const DEBUG: u32 = 128;
    /// `re.A`.
    pub const ASCII: u32 = 256;

    /// Whether every bit of `flag` is set.
    pub fn has(self, flag: u32) -> bool {
        self.0 & flag == flag
    }
}

/// How a repeat chooses between one more iteration and the rest of the pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Greed {
    /// `*`, `+`, `?`, `{m,n}`: `MAX_REPEAT`.
    Greedy,
    /// `*?`, `+?`, `??`, `{m,n}?`: `MIN_REPEAT`.
    Lazy,
    /// `*+`, `++`, `?+`, `{m,n}+`: `POSSESSIVE_REPEAT`.
    Possessive,
}

/// `AT` codes: zero-width positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// `^` (`AT_BEGINNING`; at line starts too under MULTILINE, decided when compiling).
    Beginning,
    /// `\A` (`AT_BEGINNING_STRING`).
    BeginningString,
    /// `$` (`AT_END`: the end, or before a final `\n`; at line ends under MULTILINE).
    End,
    /// `\Z` (`AT_END_STRING`).
    EndString,
    /// `\b` (`AT_BOUNDARY`).
    Boundary,
    /// `\B` (`AT_NON_BOUNDARY`).
    NonBoundary,
}

/// Character categories (`CATEGORY_*`); their meaning (ASCII, Unicode or locale) is decided by
/// the flags when compiling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// `\d`.
    Digit,
    /// `\D`.
    NotDigit,
    /// `\s`.
    Space,
    /// `\S`.
    NotSpace,
    /// `\w`.
    Word,
    /// `\W`.
    NotWord,
}

/// One item of a character set (`IN`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetItem {
    /// `NEGATE`: only ever first.
    Negate,
    /// A single character.
    Literal(u32),
    /// An inclusive range `lo-hi`.
    Range(u32, u32),
    /// `\d`, `\w`, ... inside the set.
    Category(Category),
}

/// One node of a parsed pattern (one `(op, av)` pair of a `SubPattern`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// `LITERAL`.
    Literal(u32),
    /// `NOT_LITERAL` (what `[^x]` becomes).
    NotLiteral(u32),
    /// `ANY`: `.`.
    Any,
    /// `IN`: a character set, `[...]` or a category escape such as `\d` outside a set.
    In(Vec<SetItem>),
    /// `AT`.
    At(At),
    /// `BRANCH`: `a|b|c`, at least two alternatives.
    Branch(Vec<Vec<Node>>),
    /// `MAX_REPEAT` / `MIN_REPEAT` / `POSSESSIVE_REPEAT`.
    Repeat {
        /// The minimum count.
        min: u32,
        /// The maximum count; [`MAXREPEAT`] when unbounded.
        max: u32,
        /// Greedy, lazy or possessive.
        greed: Greed,
        /// The repeated item.
        body: Vec<Node>,
    },
    /// `SUBPATTERN`: a group (capturing when `group` is set) or a scoped-flags group `(?i:...)`.
    Group {
        /// The capturing group's number (1-based), or `None` for `(?:...)` / `(?flags:...)`.
        group: Option<usize>,
        /// Flags turned on inside (`(?i:...)`).
        add_flags: u32,
        /// Flags turned off inside (`(?-i:...)`).
        del_flags: u32,
        /// The group's content.
        body: Vec<Node>,
    },
    /// `ATOMIC_GROUP`: `(?>...)`.
    Atomic(Vec<Node>),
    /// `GROUPREF`: `\1`, `(?P=name)`.
    GroupRef(usize),
    /// `GROUPREF_EXISTS`: `(?(1)yes|no)`.
    GroupRefExists {
        /// The group tested.
        group: usize,
        /// Matched when the group has matched.
        yes: Vec<Node>,
        /// Matched otherwise (empty when absent).
        no: Option<Vec<Node>>,
    },
    /// `ASSERT` / `ASSERT_NOT`: lookahead and lookbehind.
    Assert {
        /// `false` for `(?=...)`/`(?!...)`, `true` for `(?<=...)`/`(?<!...)`.
        behind: bool,
        /// `true` for the negative forms.
        negate: bool,
        /// For lookbehind, the fixed width of `body` (checked by the parser); 0 for lookahead.
        width: usize,
        /// The asserted pattern.
        body: Vec<Node>,
    },
}

/// A parsed pattern: `re._parser.parse(pattern, flags)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The global flags after parsing: the argument flags, inline global flags such as `(?i)`,
    /// and `UNICODE` added for str patterns without `ASCII`/`LOCALE` (what `state.flags` is).
    pub flags: Flags,
    /// The number of capturing groups (not counting group 0).
    pub groups: usize,
    /// Named groups in order of their number: `(name, number)`.
    pub group_names: Vec<(String, usize)>,
    /// The top-level sequence.
    pub body: Vec<Node>,
    /// The warnings CPython's parser emits for the pattern, in order.
    pub warnings: Vec<Warning>,
}

/// A warning CPython's parser emits (the pattern is still accepted).
///
/// The binding issues it with `warnings.warn(msg, category, stacklevel)`. CPython computes the
/// stack level so that the warning points at the caller of the `re` function; where that caller
/// is depends on the entry point (see [`Warning::nesting`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The warning class.
    pub category: WarningCategory,
    /// The full text CPython passes to `warnings.warn`, " at position N" included.
    pub msg: String,
    /// CPython's stacklevel minus what it takes to reach the parse entry point
    /// (`re._compile` -> `_compiler.compile` -> `_parser.parse` for patterns,
    /// `re._compile_repl` -> `_parser.parse_template` for templates): the number of *extra*
    /// levels due to nesting, 0 at top level. CPython's recursive parser has one Python frame per
    /// `_parse_sub`/`_parse` call, so this counts the calls between the top-level `_parse` and the
    /// one that warns: 2 per enclosing group or lookaround, 1 per enclosing conditional branch
    /// (`(?(1)yes|no)` calls `_parse` directly). Templates are not nested: always 0.
    pub nesting: usize,
}

/// The Python class of a [`Warning`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarningCategory {
    /// `FutureWarning`: possible set operations and nested sets in a character set.
    Future,
    /// `DeprecationWarning`: group names accepted for now ("bad character in group name").
    Deprecation,
}

impl WarningCategory {
    /// The Python class name: `"FutureWarning"` or `"DeprecationWarning"`.
    pub fn name(self) -> &'static str {
        match self {
            WarningCategory::Future => "FutureWarning",
            WarningCategory::Deprecation => "DeprecationWarning",
        }
    }
}

/// `re.error`: a message and, when known, the position in the pattern (in characters) where it
/// was found. The binding derives `lineno` and `colno` from the pattern and `pos` as CPython does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The message, exactly as CPython's (without the " at position N" suffix, which
    /// `re.error.__init__` adds from `pos`).
    pub msg: String,
    /// The character position in the pattern, or `None`.
    pub pos: Option<usize>,
    /// Which exception CPython raises.
    pub kind: ErrorKind,
}

/// The Python exception class of an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `re.error`.
    Re,
    /// `ValueError`: the flag checks of `re._parser.fix_flags` on argument flags, such as
    /// "cannot use LOCALE flag with a str pattern".
    Value,
    /// `OverflowError`: "the repetition number is too large", `\U` beyond a C int.
    Overflow,
    /// `IndexError`: an unknown group name in a replacement template.
    Index,
}

impl Error {
    /// An error at `pos`.
    pub fn at(msg: impl Into<String>, pos: usize) -> Error {
        Error { msg: msg.into(), pos: Some(pos), kind: ErrorKind::Re }
    }

    /// An error without a position.
    pub fn new(msg: impl Into<String>) -> Error {
        Error { msg: msg.into(), pos: None, kind: ErrorKind::Re }
    }

    /// An error of another exception class, without a position.
    pub fn of_kind(kind: ErrorKind, msg: impl Into<String>) -> Error {
        Error { msg: msg.into(), pos: None, kind }
    }

    /// A `ValueError`.
    pub fn value(msg: impl Into<String>) -> Error {
        Error::of_kind(ErrorKind::Value, msg)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pos {
            Some(pos) => write!(f, "{} at position {pos}", self.msg),
            None => f.write_str(&self.msg),
        }
    }
}

impl std::error::Error for Error {}

/// One piece of a replacement template (`re._parser.parse_template`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateItem {
    /// Text copied as is (escapes already resolved).
    Literal(Vec<u32>),
    /// The text of a group (empty when the group did not match).
    Group(usize),
}
