#!/usr/bin/env bash
# The Emacs client's tests: issuebridge.el and issuebridge-keys.el byte-compiled with
# warnings as errors, then
# the ERT tests in `emacs --batch` against the real agent and the Jira simulator.
# Usage: editor-clients/emacs/test/run.sh [PYTHON]   (a Python with the project
# installed; default: .venv/bin/python of the checkout). ISSUEBRIDGE_TEST_SELECTOR, a
# regexp of test names, runs only those (e.g. issuebridge-keys).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
python=${1:-$root/.venv/bin/python}
# Emacs starts programs by absolute path or from exec-path; keep the venv's symlink.
if [[ $python == */* ]]; then python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python"); fi
emacs=${EMACS:-emacs}
"$emacs" --version | head -n 1

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
cp "$here/../issuebridge.el" "$here/../issuebridge-keys.el" "$build/"
"$emacs" --batch -Q -L "$build" --eval '(setq byte-compile-error-on-warn t)' \
  -f batch-byte-compile "$build/issuebridge.el" "$build/issuebridge-keys.el"

# A home of the run's own: what Emacs (url.el) or git keep under ~ is not the user's.
mkdir "$build/home"
HOME="$build/home" ISSUEBRIDGE_TEST_PYTHON=$python "$emacs" --batch -Q -L "$build" \
  -L "$here" -l "$here/issuebridge-test.el" -l "$here/issuebridge-keys-test.el" \
  --eval '(ert-run-tests-batch-and-exit (or (getenv "ISSUEBRIDGE_TEST_SELECTOR") t))'
