#!/bin/sh
# Seeds corpus/parse and corpus/differential_serde with JSONTestSuite's test_parsing files.
# The corpus is made at run time and never committed (the repo's .gitignore ignores corpus/).
# Usage: libs/json/fuzz/seed-corpus.sh [path/to/JSONTestSuite/test_parsing]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
suite=${1:-$here/../../../../shared/data/json/JSONTestSuite/test_parsing}
if [ ! -d "$suite" ]; then
    echo "no JSONTestSuite at $suite (pass its test_parsing folder as the argument)" >&2
    exit 1
fi
for target in parse differential_serde; do
    mkdir -p "$here/corpus/$target"
    cp "$suite"/*.json "$here/corpus/$target/"
done
echo "seeded $(ls "$here/corpus/parse" | wc -l) files into corpus/parse and corpus/differential_serde"
