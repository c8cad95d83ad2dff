#!/usr/bin/env bash
# Installs the third-party peers the tests talk to: cosign and rekor-cli (Debian trixie packages,
# installed without touching the system's apt sources), docker-registry, skopeo, softhsm2, chromium
# (headless console tests), PostgreSQL, systemd (systemd-analyze checks the unit; not started),
# wrk (the admission benchmark's load generator).
# Idempotent: does nothing for what is already installed.
set -euo pipefail
need=()
for p in docker-registry skopeo softhsm2 opensc shellcheck ansible ansible-lint chromium postgresql systemd wrk; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
if ! command -v cosign >/dev/null || ! command -v rekor-cli >/dev/null; then
  A=/tmp/peers-apt; mkdir -p $A/lists/partial $A/cache/archives/partial $A/debs
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > $A/sources.list
  O="-o Dir::Etc::SourceList=$A/sources.list -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$A/lists -o Dir::Cache=$A/cache"
  apt-get $O update -qq
  (cd $A/debs && apt-get $O download cosign rekor)
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $A/debs/*.deb
fi
# PostgreSQL for the store, log and HA tests: 127.0.0.1:5432, trust authentication, database test.
bash "$(dirname "$0")/start-postgresql.sh"
cosign version 2>&1 | grep -i gitversion || true
rekor-cli version 2>&1 | grep -i gitversion || true
