#!/usr/bin/env bash
# README command 1: install what is missing, then start frontend (:3000) and backend (:7007)
# on the embedded default (SQLite, sample catalog from catalog/, development sign-in).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$FABRIC_ROOT"
fabric_ensure_node
fabric_ensure_yarn
fabric_ensure_system_packages
fabric_ensure_deps
# Runbooks are built before the backend starts so search indexes them at once.
node scripts/techdocs-build.mts
exec node "$FABRIC_YARN_RELEASE" start "$@"
