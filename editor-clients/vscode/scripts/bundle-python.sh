#!/usr/bin/env bash
# Puts the issuebridge package and its dependencies into bundled/libs, where the
# extension finds them (it puts that folder first on PYTHONPATH), so a user needs
# only a Python >= 3.11, as with Microsoft's Python tool extensions.
#
#   scripts/bundle-python.sh PYTHON [REPO_ROOT]
#
# cryptography and cffi are compiled for PYTHON's version and platform: package
# the result as a platform-specific .vsix (vsce package --target linux-x64) and
# build it with the Python minor version its users run.
set -euo pipefail
python=${1:?usage: bundle-python.sh PYTHON [REPO_ROOT]}
here=$(cd "$(dirname "$0")/.." && pwd)
root=${2:-$(cd "$here/../.." && pwd)}
out="$here/bundled/libs"

rm -rf "$here/bundled"
mkdir -p "$out"
# A clean copy of the repository's package (no editable install, no build dirs
# left in the work tree), then only what the agent imports at run time.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -r "$root/pyproject.toml" "$root/README.md" "$root/agent" "$root/protocol" "$root/simulators" "$staging/"
"$python" -m pip install --quiet --disable-pip-version-check --no-compile --no-warn-script-location \
  --target "$out" "$staging"
# The admin guides the agent links to (AuthMethod.guideUrl): it looks for them in
# docs/ beside its package, which is bundled/libs here, as in a source checkout.
mkdir -p "$out/docs"
cp "$root/docs/jira-server-oauth2.md" "$out/docs/"
# Scripts and caches are of no use inside an extension.
rm -rf "$out/bin"
find "$out" -name '__pycache__' -type d -prune -exec rm -rf {} +

# Proof that the bundle is complete: import the agent with no site-packages at all.
"$python" -S -c "import sys; sys.path.insert(0, '$out'); import agent.server, agent.__main__; print('bundled agent:', agent.__file__)"
