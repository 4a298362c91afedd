"""Set-up for tiktoken's own tests run against pyaot_tokenizer.

- `tiktoken` must be the shim (this folder's `shim/` on PYTHONPATH), never the real package.
- Under `CI=true` hypothesis is derandomized, as in the rest of the repository.
"""

import os

import hypothesis
import pyaot_tokenizer
import tiktoken

assert tiktoken is pyaot_tokenizer, "run with shim/ first on PYTHONPATH"

hypothesis.settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis.settings.load_profile("ci")
