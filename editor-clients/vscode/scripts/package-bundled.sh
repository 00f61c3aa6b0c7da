#!/usr/bin/env bash
# Builds the platform .vsix that carries the agent: bundle-python.sh, then
# `vsce package --target` for this machine, then removes bundled/ again so that
# the plain .vsix (npm run package) never picks it up by accident.
#
#   npm run package:bundled -- PYTHON        → out/issuebridge-linux-x64.vsix
set -euo pipefail
python=${1:?usage: package-bundled.sh PYTHON}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
target=${VSCE_TARGET:-linux-x64}
trap 'rm -rf "$here/bundled"' EXIT
scripts/bundle-python.sh "$python"
npx vsce package --allow-missing-repository --no-dependencies --target "$target" -o "out/issuebridge-$target.vsix"
