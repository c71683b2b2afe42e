# Shared by scripts/start and scripts/test: a virtual environment in .venv with the project in it.
# Usage: source scripts/bootstrap.sh [EXTRAS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "annotator needs Python 3.11 or newer as '$PYTHON' (set PYTHON=... to choose another)" >&2
    exit 1
fi
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
extras="${1:-}"
spec="$ROOT"
[ -n "$extras" ] && spec="$ROOT[$extras]"
# Quiet unless something goes wrong; pip is a no-op when everything is already there.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec"
