//! `pyaot-regex-py`: the Python binding of `pyaot-regex`, installed as the package `pyaot_re`.
//!
//! **Status: not implemented yet** (tracked by the libs/regex issue). When it lands, this folder
//! gains a `pyproject.toml` (maturin) and `pip install ./libs/regex/python` builds it.
//!
//! It offers the whole `re` API (module functions, `Pattern`, `Match`, `error`, flags, `escape`,
//! `purge`, the cache). Building Python result objects is the cost that dominates at this layer,
//! so results are built directly and lazily where possible.
