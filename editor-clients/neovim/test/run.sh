#!/usr/bin/env bash
# The Neovim plugin's test: a real `nvim --headless` (0.7+) runs test/test_issuebridge.lua
# against the agent and the Jira simulator of this checkout.
#
#   editor-clients/neovim/test/run.sh /path/to/venv/bin/python   (or ISSUEBRIDGE_PYTHON=…)
#
# The simulator listens on 127.0.0.1 only, in its own process group, ended on exit;
# HOME, XDG dirs and the agent's storage (setup's storage_dir; ISSUEBRIDGE_HOME, which
# would override it, is unset) are a temp dir, removed on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin=$(dirname "$here")
repo=$(cd "$plugin/../.." && pwd)
python=${1:-${ISSUEBRIDGE_PYTHON:-}}
if [[ -z "$python" || ! -x "$python" ]]; then
  echo "run.sh: give the venv's python as \$1 or ISSUEBRIDGE_PYTHON (got '${python}')" >&2
  exit 2
fi
python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python")
command -v nvim >/dev/null || { echo "run.sh: nvim is not installed (apt-get install -y neovim)" >&2; exit 2; }
nvim --version | head -n 1
if command -v luacheck >/dev/null; then # Debian's lua-check; CI installs it
  (cd "$plugin" && luacheck --no-color -q .)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ib-nvim-test.XXXXXX")
sim_pid=""
cleanup() {
  local rc=$?
  if [[ -n "$sim_pid" ]]; then
    kill -TERM -- "-$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  if ((rc != 0)); then
    for log in "$work"/sim.err "$work"/nvim.err "$work"/home/.cache/nvim/lsp.log; do
      [[ -s "$log" ]] && { echo "--- $log" >&2; tail -n 40 "$log" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/home" "$work/storage"
cd "$repo"
# Its own process group, so that ending it ends everything it started.
setsid "$python" -u -m simulators jira-server --port 0 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
base=""
for _ in $(seq 1 300); do
  base=$(head -n 1 "$work/sim.out" 2>/dev/null || true)
  [[ "$base" == http://127.0.0.1:* ]] && break
  kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator exited" >&2; exit 1; }
  sleep 0.1
done
[[ "$base" == http://127.0.0.1:* ]] || { echo "the simulator printed no base URL" >&2; exit 1; }
echo "simulator at $base"

started=$SECONDS
HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
XDG_STATE_HOME="$work/home/.local/state" XDG_CACHE_HOME="$work/home/.cache" \
IB_STORAGE="$work/storage" \
IB_PYTHON="$python" IB_SIM_URL="$base" IB_SIM_HELPER="$here/sim.py" \
IB_PLUGIN="$plugin" \
  timeout --kill-after=10 180 env -u ISSUEBRIDGE_HOME \
  nvim --headless -u NONE -i NONE --cmd "set rtp^=$plugin" -c "luafile $here/test_issuebridge.lua" \
    2>"$work/nvim.err"
echo "nvim test: $((SECONDS - started)) s"
