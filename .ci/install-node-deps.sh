#!/usr/bin/env bash
# Installs the node modules the sigstore-js peer tests run (src/test/node/sigstore-verify, and the
# TUF clients in src/test/node/tuf-client), exactly as each package-lock.json pins them. Installs
# node and npm from Debian first when they are missing and we are root; otherwise says what is
# missing and leaves the tests to skip (or fail under CI=true).
set -euo pipefail
nodedir="$(cd "$(dirname "$0")/../src/test/node" && pwd)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  else
    echo "node/npm not found and not root: skipping node dependencies for the sigstore-js tests"
    exit 0
  fi
fi
# The pinned packages declare engines node >= 22 but run on node 20; npm only warns about it.
for project in sigstore-verify tuf-client; do
  (cd "$nodedir/$project" && npm ci --no-audit --no-fund)
done
node --version
