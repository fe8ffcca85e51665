#!/usr/bin/env bash
# README command 2: install what is missing, then run the whole suite:
# type check, lint, unit + backend integration tests (SQLite and PostgreSQL), Playwright e2e.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$FABRIC_ROOT"
fabric_ensure_node
fabric_ensure_yarn
fabric_ensure_system_packages
fabric_ensure_postgres
fabric_ensure_deps

export FABRIC_TEST_PG_URL="${FABRIC_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
# backend-test-utils' TestDatabases reads this instead of starting a Docker container.
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-$FABRIC_TEST_PG_URL}"

step() { fabric_log "== $* =="; }
start=$(date +%s)
step "type check";  fabric_yarn tsc
step "lint";        fabric_yarn lint:all
step "unit and integration tests"; CI=true fabric_yarn test --maxWorkers=2
step "end-to-end tests (Playwright, Debian Chromium)"; fabric_yarn test:e2e
fabric_log "all checks passed in $(( $(date +%s) - start ))s"
