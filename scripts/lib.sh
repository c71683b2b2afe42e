# Shared by scripts/start, scripts/test, scripts/bundle and scripts/update-deps.
# Usage: source scripts/lib.sh
#
# Versions come from the locks only: uv.lock (the app with its test and bundle tools) and
# envs/label-studio/uv.lock (the peer tool's own environment), installed with `uv sync --locked`,
# which also fails when a lock no longer matches its pyproject.toml.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"

need_python() {
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "annotator needs Python 3.11 or newer as '$PYTHON' (set PYTHON=... to choose another)" >&2
        exit 1
    fi
}

# uv is told which Python to use and never downloads one; its cache is reused across runs
# (every file in it is checked against the lock's hashes), its environments are not.
export UV_PYTHON="$PYTHON" UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1

# The uv version the locks were written with, installed into .tools/ when missing.
uv_bin() {
    local want
    want="$(sed -n 's/^uv==\([^ ]*\).*/\1/p' "$ROOT/scripts/uv-requirements.txt")"
    if command -v uv >/dev/null && [ "$(uv --version 2>/dev/null | cut -d' ' -f2)" = "$want" ]; then
        command -v uv
    elif [ -x "$ROOT/.tools/uv-$want/uv" ]; then
        echo "$ROOT/.tools/uv-$want/uv"
    else
        "$PYTHON" "$ROOT/scripts/get_uv.py"
    fi
}

# The Debian packages of the named groups in scripts/debian-packages ({PY}: the Python's
# major.minor version).
deb_packages() {
    local group py
    py="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo 3)"
    for group in "$@"; do
        sed -n "s/^$group:[[:space:]]*//p" "$ROOT/scripts/debian-packages"
    done | sed "s/{PY}/$py/g" | tr -s ' \n' '\n\n' | sed '/^$/d' | tr '\n' ' '
}

# Those of the given packages that are not installed; nothing on a system without dpkg.
missing_debs() {
    command -v dpkg-query >/dev/null || return 0
    local p installed
    installed="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null || true)"
    for p in "$@"; do
        grep -q "^$p ii" <<<"$installed" || printf '%s ' "$p"
    done
}

# apt-get that waits for another package manager (unattended-upgrades, a second apt-get)
# instead of failing at once with status 100: dpkg's lock through DPkg::Lock::Timeout, and the
# package lists' lock (which that option does not cover in `update`) by retrying.
APT_LOCK_WAIT="${APT_LOCK_WAIT:-900}"
apt_get() {
    local waited=0 status out
    while :; do
        out="$(mktemp)"
        set +e
        ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=$APT_LOCK_WAIT" "$@" 2>"$out"
        status=$?
        set -e
        if [ "$status" -ne 0 ] && grep -qiE 'could not get lock|unable to (acquire|lock)|is held by process' "$out" \
            && [ "$waited" -lt "$APT_LOCK_WAIT" ]; then
            # Said once, not at every try: apt-get's own lines come only if it finally fails.
            [ "$waited" -eq 0 ] && echo "Another package manager holds the lock; waiting for it..." >&2
            rm -f "$out"
            sleep 5
            waited=$((waited + 5))
            continue
        fi
        cat "$out" >&2
        rm -f "$out"
        return "$status"
    done
}

# Install missing Debian packages as root (or with sudo when it needs no password); otherwise
# print the exact command and fail. $1 names who asks, the rest are packages.
install_debs() {
    local who="$1"
    shift
    local missing
    missing="$(missing_debs "$@")"
    [ -n "$missing" ] || return 0
    if [ "$(id -u)" = 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        SUDO="sudo"
    else
        echo "$who: these Debian packages are missing; install them with:" >&2
        echo "    sudo apt-get install -y --no-install-recommends $missing" >&2
        exit 1
    fi
    echo "Installing Debian packages: $missing" >&2
    apt_get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt_get install -y -qq --no-install-recommends $missing >/dev/null
}

# `uv sync --locked` into an environment, only when its lock, pyproject.toml or the Python
# changed since the last sync there with the same options (a stamp per option set in the
# environment), so that a start costs no install when nothing changed.
# Usage: sync_env ENV PROJECT_DIR [uv sync options...]
sync_env() {
    local env="$1" project="$2"
    shift 2
    local stamp want
    stamp="$env/.annotator-sync-$(printf '%s' "$*" | sha256sum | cut -c1-12)"
    want="$(cat "$project/uv.lock" "$project/pyproject.toml" "$ROOT/scripts/uv-requirements.txt" | sha256sum | cut -c1-64) $("$PYTHON" -c 'import sys; print(sys.version)' | head -1) $*"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$env/bin/python" ]; then
        return 0
    fi
    local uv
    need_python
    uv="$(uv_bin)"
    rm -f "$stamp"
    UV_PROJECT_ENVIRONMENT="$env" "$uv" sync --quiet --locked --project "$project" "$@"
    printf '%s' "$want" >"$stamp"
}
