"""tiktoken's own tests (from its 0.14.0 source distribution) pass against pyaot_tokenizer.

They run in a subprocess with ``tiktoken-suite/shim`` first on PYTHONPATH, so that every
``import tiktoken`` in them (and in the subprocesses they start) gives pyaot_tokenizer; see
``tiktoken-suite/README.md``. Nothing is excluded.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

SUITE = Path(__file__).resolve().parents[1] / "tiktoken-suite"


def test_tiktoken_suite_passes() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SUITE / "shim"), env.get("PYTHONPATH", "")])
    # Without a cache directory tiktoken would try the network: it must never be asked.
    env["TIKTOKEN_CACHE_DIR"] = "/nonexistent/pyaot-must-not-download"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(SUITE),
         "-c", str(SUITE / "pytest.ini"), str(SUITE / "tests")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 33, summary
    assert not re.search(r"failed|error|skipped|xfail", summary), summary
