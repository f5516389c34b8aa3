#!/bin/sh
# Run by `helm chartfix ...` (plugin.yaml): start the chartfix installed in the environment.
# Order: $CHARTFIX_BIN, `chartfix` on PATH, a virtualenv in the plugin folder (a development clone),
# then the `chartfix` Python package of python3.
set -e
if [ -n "$CHARTFIX_BIN" ]; then
  exec "$CHARTFIX_BIN" "$@"
fi
if command -v chartfix >/dev/null 2>&1; then
  exec chartfix "$@"
fi
if [ -n "$HELM_PLUGIN_DIR" ] && [ -x "$HELM_PLUGIN_DIR/.venv/bin/chartfix" ]; then
  exec "$HELM_PLUGIN_DIR/.venv/bin/chartfix" "$@"
fi
if command -v python3 >/dev/null 2>&1 && python3 -c 'import chartfix.cli' >/dev/null 2>&1; then
  exec python3 -c 'import sys; from chartfix.cli import main; sys.argv[0] = "chartfix"; main()' "$@"
fi
echo "helm chartfix: chartfix is not installed; run: pip install chartfix (or set CHARTFIX_BIN)" >&2
exit 2
