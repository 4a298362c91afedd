"""`import tiktoken` gives `pyaot_tokenizer` (for running tiktoken's own tests against it).

Python's import returns whatever `sys.modules[name]` holds once the module body has run, so
replacing the entry here makes `import tiktoken` and `import tiktoken.<sub>` yield pyaot's
modules. This folder is put on PYTHONPATH only by `tests/test_tiktoken_suite.py`.
"""

import sys

import pyaot_tokenizer

sys.modules[__name__] = pyaot_tokenizer
for _sub in ("core", "load", "model", "registry"):
    sys.modules[f"{__name__}.{_sub}"] = getattr(pyaot_tokenizer, _sub)
