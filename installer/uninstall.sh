#!/usr/bin/env bash
# Stops and removes Airseal. Keeps the configuration (with the write token) and the data directory
# (log database and keys) unless --purge. Runbook: docs/install.md.
set -euo pipefail

say() { echo "uninstall: $*"; }
die() {
  echo "uninstall: error: $*" >&2
  exit 1
}

prefix=""
purge=0
while [ "$#" -gt 0 ]; do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a directory}; shift ;;
    --purge) purge=1 ;;
    -h | --help) echo "usage: uninstall.sh [--prefix DIR] [--purge]"; exit 0 ;;
    *) die "unknown option: $1" ;;
  esac
  shift
done
if [ -n "$prefix" ]; then
  [ -d "$prefix" ] || die "$prefix does not exist"
  prefix=$(cd "$prefix" && pwd)
fi
[ -n "$prefix" ] || [ "$(id -u)" = 0 ] || die "uninstalling from / needs root"
# common.sh is read now, before the directory holding it is removed.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=installer/common.sh
. "$here/common.sh"

if [ "$(supervisor)" = systemd ] && [ -e "$unit_path" ]; then
  systemctl disable --now --quiet airseal.service || true
  rm -f "$unit_path"
  systemctl daemon-reload
  say "stopped and removed airseal.service"
elif service_running; then
  stop_service
  say "stopped the service"
fi
rm -f "$pid_file"
if [ -n "$prefix" ] && [ -e "$unit_path" ]; then
  rm -f "$unit_path"
  say "removed $unit_path"
fi
if [ -e "$opt" ]; then
  rm -rf "$opt"
  say "removed $opt"
fi

if [ "$purge" = 1 ]; then
  rm -rf "$etc" "$data" "$log_dir" "$run_dir"
  say "purged $etc, $data and $log_dir"
  if [ -z "$prefix" ] && getent passwd airseal >/dev/null; then
    userdel airseal
    say "removed system user airseal"
  fi
else
  say "kept $etc (configuration, write token) and $data (log database, keys); --purge removes them"
fi
