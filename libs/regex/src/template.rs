//! The replacement-template parser: a port of CPython 3.11's `re._parser.parse_template`.

use crate::ast::{Error, ErrorKind, MAXGROUPS, TemplateItem, Warning};
use crate::parse::{Tokenizer, is_identifier, py_int, py_repr, to_string};

/// Parses a replacement template (the `repl` of `re.sub`) for a pattern with `groups` capturing
/// groups and the named groups `group_names`, as `re._parser.parse_template` does.
///
/// `template` holds code points (`is_str`) or byte values. Escapes are resolved (`\n`, `\0`,
/// octal escapes up to `\377`; an unknown escape of a non-letter, such as `\-`, stays as it is,
/// backslash included); group references (`\1`, `\g<1>`, `\g<name>`, `\g<0>`) become
/// [`TemplateItem::Group`]; adjacent literal text is merged into one [`TemplateItem::Literal`].
///
/// ```
/// let t: Vec<u32> = r"<\g<x>\1>".chars().map(u32::from).collect();
/// let items = pyaot_regex::parse_template(&t, true, 1, &[("x".to_string(), 1)]).unwrap();
/// assert_eq!(items.len(), 4);
/// ```
///
/// # Errors
///
/// The `re.error`s of CPython, with their messages and positions. `\g<name>` naming no group is
/// an `IndexError("unknown group name 'name'")` in CPython: it is returned as the only error
/// here without a position (`pos: None`).
pub fn parse_template(
    template: &[u32],
    is_str: bool,
    groups: usize,
    group_names: &[(String, usize)],
) -> Result<Vec<TemplateItem>, Error> {
    parse_template_warned(template, is_str, groups, group_names).0
}

/// [`parse_template`], with the warnings CPython emits, in order: the `DeprecationWarning`
/// "bad character in group name ... at position N" for `\g<+1>`, `\g< 1 >`, `\g<1_0>`, `\g<१>`
/// (group numbers that are not plain ASCII digits) and for non-ASCII names in bytes templates.
/// CPython warns with `stacklevel=5`, which is the caller of `re.sub` (`parse_template` <-
/// `re._compile_repl` <- `re._subx` <- `Pattern.sub` (C, no frame) <- `re.sub` <- caller), so
/// [`Warning::nesting`] is always 0.
///
/// ```
/// let t: Vec<u32> = r"\g<+1>".chars().map(u32::from).collect();
/// let (_, warnings) = pyaot_regex::parse_template_warned(&t, true, 1, &[]);
/// assert_eq!(warnings[0].msg, "bad character in group name '+1' at position 3");
/// ```
///
/// # Errors
///
/// As [`parse_template`]. The warnings CPython emits before raising (`\g<+3>` with 2 groups
/// warns, then fails with "invalid group reference 3") are not returned.
pub fn parse_template_warned(
    template: &[u32],
    is_str: bool,
    groups: usize,
    group_names: &[(String, usize)],
) -> (Result<Vec<TemplateItem>, Error>, Vec<Warning>) {
    let mut s = match Tokenizer::new(template, is_str) {
        Ok(s) => s,
        Err(e) => return (Err(e), Vec::new()),
    };
    let items = template_items(&mut s, groups, group_names);
    (items, s.warnings)
}

/// The body of [`parse_template_warned`]: the items, warnings collected in `s`.
fn template_items(
    s: &mut Tokenizer<'_>,
    groups: usize,
    group_names: &[(String, usize)],
) -> Result<Vec<TemplateItem>, Error> {
    let mut items: Vec<TemplateItem> = Vec::new();
    let mut literal: Vec<u32> = Vec::new();
    let addgroup = |s: &Tokenizer<'_>,
                    items: &mut Vec<TemplateItem>,
                    literal: &mut Vec<u32>,
                    index: usize,
                    pos: usize|
     -> Result<(), Error> {
        if index > groups {
            return Err(s.error(&format!("invalid group reference {index}"), pos));
        }
        if !literal.is_empty() {
            items.push(TemplateItem::Literal(std::mem::take(literal)));
        }
        items.push(TemplateItem::Group(index));
        Ok(())
    };
    while let Some(this) = s.get()? {
        if !this.esc {
            literal.push(this.c);
            continue;
        }
        let c = this.c;
        let is_digit = |t: Option<crate::parse::Tok>, hi: char| {
            t.is_some_and(|t| !t.esc && (u32::from('0')..=u32::from(hi)).contains(&t.c))
        };
        if c == u32::from('g') {
            if !s.matches('<')? {
                return Err(s.error("missing <", 0));
            }
            let name = s.getuntil('>', "group name")?;
            let index = if is_identifier(&name) {
                s.checkgroupname(&name, 1, 0)?;
                let key = to_string(&name);
                match group_names.iter().find(|(n, _)| *n == key) {
                    Some(&(_, g)) => g,
                    None => {
                        return Err(Error::of_kind(ErrorKind::Index, format!("unknown group name {}", py_repr(&name))));
                    }
                }
            } else {
                let offset = name.len() + 1;
                let Some(digits) = py_int(&name) else {
                    let msg = format!("bad character in group name {}", py_repr(&name));
                    return Err(s.error(&msg, offset));
                };
                let index = match digits.parse::<usize>().ok().filter(|&g| g < MAXGROUPS) {
                    Some(g) => g,
                    None => {
                        return Err(s.error(&format!("invalid group reference {digits}"), offset));
                    }
                };
                s.check_group_number(&name, 0);
                index
            };
            addgroup(s, &mut items, &mut literal, index, name.len() + 1)?;
        } else if c == u32::from('0') {
            let mut value = 0;
            for _ in 0..2 {
                if !is_digit(s.next, '7') {
                    break;
                }
                let d = s.get()?.map_or(0, |t| t.c - u32::from('0'));
                value = value * 8 + d;
            }
            literal.push(value & 0xFF);
        } else if (u32::from('1')..=u32::from('9')).contains(&c) {
            let mut text = vec![c];
            if let Some(t) = s.next.filter(|_| is_digit(s.next, '9')) {
                s.get()?;
                text.push(t.c);
                if c <= u32::from('7') && t.c <= u32::from('7') && is_digit(s.next, '7') {
                    let d = s.get()?.map_or(0, |t| t.c);
                    text.push(d);
                    let value = text.iter().fold(0, |acc, &d| acc * 8 + (d - u32::from('0')));
                    if value > 0o377 {
                        let msg = format!("octal escape value \\{} outside of range 0-0o377", to_string(&text));
                        return Err(s.error(&msg, text.len() + 1));
                    }
                    literal.push(value);
                    continue;
                }
            }
            let index = text.iter().fold(0, |acc, &d| acc * 10 + (d - u32::from('0')) as usize);
            addgroup(s, &mut items, &mut literal, index, text.len())?;
        } else {
            let resolved = match char::from_u32(c) {
                Some('a') => Some(7),
                Some('b') => Some(8),
                Some('f') => Some(12),
                Some('n') => Some(10),
                Some('r') => Some(13),
                Some('t') => Some(9),
                Some('v') => Some(11),
                Some('\\') => Some(92),
                _ => None,
            };
            match resolved {
                Some(v) => literal.push(v),
                None if char::from_u32(c).is_some_and(|ch| ch.is_ascii_alphabetic()) => {
                    let msg = format!("bad escape {}", to_string(&this.text()));
                    return Err(s.error(&msg, 2));
                }
                None => this.push_to(&mut literal),
            }
        }
    }
    if !literal.is_empty() {
        items.push(TemplateItem::Literal(literal));
    }
    Ok(items)
}
