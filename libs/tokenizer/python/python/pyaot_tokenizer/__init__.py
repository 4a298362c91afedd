"""pyaot_tokenizer: a drop-in for tiktoken with identical token ids, faster, offline.

Use it as tiktoken::

    import pyaot_tokenizer as tiktoken

    enc = tiktoken.get_encoding("cl100k_base")
    assert enc.decode(enc.encode("hello world")) == "hello world"

The vocabularies of every built-in encoding are bundled (no download, no cache directory).
"""

from . import core as core
from . import load as load
from . import model as model
from . import registry as registry
from .core import Encoding as Encoding
from .model import encoding_for_model as encoding_for_model
from .model import encoding_name_for_model as encoding_name_for_model
from .registry import get_encoding as get_encoding
from .registry import list_encoding_names as list_encoding_names

__version__ = "0.14.0"
"""The tiktoken version whose API and token ids this package reproduces."""

__all__ = [
    "Encoding",
    "encoding_for_model",
    "encoding_name_for_model",
    "get_encoding",
    "list_encoding_names",
]
