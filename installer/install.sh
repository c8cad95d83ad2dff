#!/usr/bin/env bash
# Installs, upgrades or rolls back Airseal from the unpacked release tarball this script is part of.
# Nothing is downloaded. Runbook: docs/install.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: install.sh [--upgrade | --rollback] [options]

  (no mode)          install this release; run again, it changes nothing ("no changes")
  --upgrade          replace the installed release with this one, keeping data and configuration;
                     rolls back to the previous release if the health check fails
  --rollback         switch back to the release that was current before the last upgrade

  --prefix DIR       install everything under DIR (no system user, no systemd: the service runs as
                     a background process with DIR/run/airseal/airseal.pid)
  --port PORT        listener port written into a new configuration (default 8080)
  --no-start         install only: do not start the service, no health check
  --java PATH        the Java runtime to check and run (default: $JAVA, else java on PATH)
  --health-url URL   readiness URL (default http://<host>:<port>/q/health/ready from the config)
  --timeout SECONDS  how long to wait for the health check (default 120)
  --sums-sha256 HEX  refuse the release unless SHA256SUMS has this SHA-256 (published separately)
USAGE
}

say() { echo "install: $*"; }
die() {
  echo "install: error: $*" >&2
  exit 1
}

release=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=install
prefix=""
port=""
start=1
java=${JAVA:-}
health_url=""
timeout=120
expect_sums=""
while [ "$#" -gt 0 ]; do
  case $1 in
    --upgrade) mode=upgrade ;;
    --rollback) mode=rollback ;;
    --prefix) prefix=${2:?--prefix needs a directory}; shift ;;
    --port) port=${2:?--port needs a number}; shift ;;
    --no-start) start=0 ;;
    --java) java=${2:?--java needs a path}; shift ;;
    --health-url) health_url=${2:?--health-url needs a URL}; shift ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift ;;
    --sums-sha256) expect_sums=${2:?--sums-sha256 needs a hex digest}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done
case $port in '' | [0-9]*) ;; *) die "--port must be a number, not $port" ;; esac
case $port in *[!0-9]*) die "--port must be a number, not $port" ;; esac
if [ -n "$prefix" ]; then
  mkdir -p "$prefix"
  prefix=$(cd "$prefix" && pwd)
fi
# shellcheck source=installer/common.sh
. "$release/installer/common.sh"

changes=0
changed() {
  changes=$((changes + 1))
  say "changed: $*"
}

if [ "$(id -u)" = 0 ]; then is_root=1; else is_root=0; fi
[ -n "$prefix" ] || [ "$is_root" = 1 ] || die "installing under / needs root; run as root or pass --prefix DIR"
# The system user exists only for a host install; under --prefix the service runs as the caller.
manage_user=0
[ -z "$prefix" ] && [ "$is_root" = 1 ] && manage_user=1
svc_user=$(id -un)
svc_group=$(id -gn)
if [ "$manage_user" = 1 ]; then svc_user=airseal svc_group=airseal; fi
sup=$(supervisor)
if [ "$start" = 1 ] && [ "$sup" = none ]; then
  say "systemd is not running here: installing without starting (start the service yourself)"
  start=0
fi
if [ "$mode" != install ] && [ "$start" = 0 ]; then
  die "--$mode needs to start the service for its health check (and rollback); drop --no-start"
fi

# --- what this host must have ------------------------------------------------------------------
missing=""
for c in sha256sum find sort comm cp mv ln mkdir chmod sed od tr stat timeout cmp seq; do
  command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ "$manage_user" = 1 ]; then
  for c in getent useradd; do command -v "$c" >/dev/null 2>&1 || missing="$missing $c"; done
fi
[ -z "$missing" ] || die "missing commands:$missing (Debian packages coreutils, findutils, diffutils, passwd)"

java_version() {
  # `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15 / java version "1.8.0_392"
  "$1" -version 2>&1 | sed -n 's/^.* version "\([^"]*\)".*$/\1/p' | head -n 1
}
if [ -z "$java" ]; then
  java=$(command -v java) ||
    die "no Java runtime: java is not on PATH. Airseal needs Java 17 or newer: install one (Debian: apt-get install openjdk-17-jre-headless) or pass --java /path/to/bin/java"
fi
case $java in
  /*) ;;
  */*) java="$(pwd)/$java" ;;
  *) java=$(command -v "$java") || die "no Java runtime: $java is not on PATH" ;;
esac
[ -x "$java" ] || die "no Java runtime: $java is not an executable file"
java_ver=$(java_version "$java")
[ -n "$java_ver" ] || die "cannot tell the Java version: '$java -version' printed: $("$java" -version 2>&1 | head -n 1)"
case $java_ver in
  1.*) java_major=$(echo "$java_ver" | cut -d. -f2) ;;
  *) java_major=${java_ver%%[!0-9]*} ;;
esac
[ "${java_major:-0}" -ge 17 ] 2>/dev/null ||
  die "$java is Java $java_ver; Airseal needs Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless)"
say "java: $java (version $java_ver)"

# --- the release is what SHA256SUMS says, and nothing else -------------------------------------
[ -f "$release/VERSION" ] || die "$release/VERSION missing: run install.sh from an unpacked release tarball"
[ -f "$release/SHA256SUMS" ] || die "$release/SHA256SUMS missing: the release cannot be verified"
version=$(cat "$release/VERSION")
if ! bad=$(cd "$release" && sha256sum --quiet --strict -c SHA256SUMS 2>&1); then
  die "release files do not match SHA256SUMS, refusing to install:
$bad"
fi
unlisted=$(cd "$release" && comm -23 \
  <(find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort) \
  <(sed 's/^[0-9a-f]\{64\} [ *]//' SHA256SUMS | LC_ALL=C sort))
[ -z "$unlisted" ] || die "files in the release that SHA256SUMS does not list, refusing to install:
$unlisted"
sums_sha=$(sha256sum "$release/SHA256SUMS" | cut -c1-64)
if [ -n "$expect_sums" ] && [ "$expect_sums" != "$sums_sha" ]; then
  die "SHA256SUMS has SHA-256 $sums_sha, not the expected $expect_sums"
fi
# SHA256SUMS travels inside the tarball, so it catches damage, not a substituted release: compare
# this digest with the one published through another channel (or pass --sums-sha256).
say "release $version verified: $(wc -l < "$release/SHA256SUMS") files match SHA256SUMS (SHA-256 of SHA256SUMS: $sums_sha)"
# Named by content as well as version, so a rebuilt snapshot never overwrites a running release.
release_id="$version-$(echo "$sums_sha" | cut -c1-12)"

current=$(readlink "$opt/current" 2>/dev/null || true)
previous=$(readlink "$opt/previous" 2>/dev/null || true)
case $mode in
  install)
    [ -z "$current" ] || [ "$current" = "versions/$release_id" ] ||
      die "${current#versions/} is installed under $opt; replace it with --upgrade"
    ;;
  upgrade)
    [ -n "$current" ] || die "nothing is installed under $opt; install without --upgrade first"
    ;;
  rollback)
    if [ -z "$previous" ] || [ ! -d "$opt/$previous" ]; then
      die "no previous release under $opt to roll back to"
    fi
    ;;
esac

# --- user, directories, files --------------------------------------------------------------------
# ensure_dir DIR MODE OWNER:GROUP
ensure_dir() {
  if [ ! -d "$1" ]; then
    mkdir -p "$(dirname "$1")"
    mkdir -m "$2" "$1"
    changed "created $1 (mode $2)"
  fi
  if [ "$(stat -c %a "$1")" != "$2" ]; then
    chmod "$2" "$1"
    changed "mode $2 on $1"
  fi
  if [ "$is_root" = 1 ] && [ "$(stat -c %U:%G "$1")" != "$3" ]; then
    chown "$3" "$1"
    changed "owner $3 on $1"
  fi
}
# ensure_file_attrs FILE MODE OWNER:GROUP
ensure_file_attrs() {
  if [ "$(stat -c %a "$1")" != "$2" ]; then
    chmod "$2" "$1"
    changed "mode $2 on $1"
  fi
  if [ "$is_root" = 1 ] && [ "$(stat -c %U:%G "$1")" != "$3" ]; then
    chown "$3" "$1"
    changed "owner $3 on $1"
  fi
}

if [ "$manage_user" = 1 ] && ! getent passwd airseal >/dev/null; then
  useradd --system --user-group --home-dir /var/lib/airseal --no-create-home \
    --shell /usr/sbin/nologin --comment "Airseal service" airseal
  changed "created system user airseal"
fi
admin="$(id -un):$(id -gn)"
ensure_dir "$opt" 755 "$admin"
ensure_dir "$opt/versions" 755 "$admin"
# The service reads its configuration through the group; the env file is read by systemd as root.
ensure_dir "$etc" 750 "$(id -un):$svc_group"
ensure_dir "$data" 700 "$svc_user:$svc_group"
if [ "$sup" = process ]; then
  ensure_dir "$log_dir" 750 "$svc_user:$svc_group"
  ensure_dir "$run_dir" 755 "$admin"
fi

if [ "$mode" != rollback ]; then
  target="$opt/versions/$release_id"
  if [ -d "$target" ] && cmp -s "$target/SHA256SUMS" "$release/SHA256SUMS" &&
    (cd "$target" && sha256sum --quiet --strict -c SHA256SUMS >/dev/null 2>&1); then
    :
  else
    tmp="$opt/versions/.$release_id.tmp.$$"
    rm -rf "$tmp"
    cp -R "$release/." "$tmp"
    chmod -R u+rwX,go+rX,go-w "$tmp"
    (cd "$tmp" && sha256sum --quiet --strict -c SHA256SUMS) || die "the copy in $tmp does not match SHA256SUMS"
    rm -rf "$target"
    mv -T "$tmp" "$target"
    changed "installed release $release_id in $target"
  fi
fi

conf="$etc/application.properties"
if [ -e "$conf" ]; then
  configured_port=$(sed -n 's/^[[:space:]]*quarkus\.http\.port[[:space:]]*[=:][[:space:]]*//p' "$conf" | tail -n 1)
  if [ -n "$port" ] && [ "$port" != "${configured_port:-8080}" ]; then
    say "keeping the existing $conf (port ${configured_port:-8080}); --port $port ignored"
  fi
else
  sed -e "s|^airseal\.data-dir=.*|airseal.data-dir=$data|" \
    -e "s|^quarkus\.http\.port=.*|quarkus.http.port=${port:-8080}|" \
    "$release/config/application.properties" > "$conf.tmp"
  chmod 640 "$conf.tmp"
  mv "$conf.tmp" "$conf"
  changed "wrote $conf"
fi
ensure_file_attrs "$conf" 640 "$(id -un):$svc_group"

envfile="$etc/airseal.env"
if [ ! -e "$envfile" ]; then
  token=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
  (
    umask 077
    cat > "$envfile.tmp" <<ENV
# Environment of the Airseal service (systemd EnvironmentFile). Keep this file mode 0600.
# Clients writing to the log send: Authorization: Bearer <AIRSEAL_API_WRITE_TOKEN>
AIRSEAL_API_WRITE_TOKEN=$token
# JVM options, e.g. the heap size:
#JAVA_OPTS=-Xmx1g
ENV
  )
  mv "$envfile.tmp" "$envfile"
  changed "wrote $envfile with a new write token"
fi
ensure_file_attrs "$envfile" 600 "$admin"

# The release's unit names the default layout (/opt/airseal, /etc/airseal, /var/lib/airseal, user
# airseal, /usr/bin/java); it is rewritten to name what was laid down above. Placeholders first, so
# a prefix that itself contains one of the default paths is not rewritten twice.
sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }
render_unit() {
  sed -e "s|^ExecStart=/usr/bin/java |ExecStart=@JAVA@ |" \
    -e 's|/opt/airseal|@OPT@|g' -e 's|/etc/airseal|@ETC@|g' -e 's|/var/lib/airseal|@DATA@|g' \
    -e 's|^User=airseal$|User=@USER@|' -e 's|^Group=airseal$|Group=@GROUP@|' \
    "$release/systemd/airseal.service" |
    sed -e "s|@JAVA@|$(sed_escape "$java")|g" -e "s|@OPT@|$(sed_escape "$opt")|g" \
      -e "s|@ETC@|$(sed_escape "$etc")|g" -e "s|@DATA@|$(sed_escape "$data")|g" \
      -e "s|@USER@|$(sed_escape "$svc_user")|g" -e "s|@GROUP@|$(sed_escape "$svc_group")|g"
}

unit_changed=0
write_unit=0
case "$java$opt$etc$data" in
  *[[:space:]]*)
    # systemd splits ExecStart= and ReadWritePaths= at whitespace.
    [ "$sup" != systemd ] || die "the Java path and the install paths must not contain whitespace: $java, $opt"
    say "not writing $unit_path: a path of this install contains whitespace"
    ;;
  *) [ "$sup" = none ] || write_unit=1 ;;
esac
if [ "$write_unit" = 1 ]; then
  mkdir -p "$(dirname "$unit_path")"
  render_unit > "$unit_path.tmp"
  if cmp -s "$unit_path.tmp" "$unit_path"; then
    rm -f "$unit_path.tmp"
  else
    chmod 644 "$unit_path.tmp"
    mv "$unit_path.tmp" "$unit_path"
    if [ "$sup" = systemd ]; then
      systemctl daemon-reload
      unit_changed=1
    fi
    changed "installed $unit_path"
  fi
fi
if [ "$sup" = systemd ]; then
  if ! systemctl is-enabled --quiet airseal.service; then
    systemctl enable --quiet airseal.service
    changed "enabled airseal.service"
  fi
fi

# --- running it ------------------------------------------------------------------------------------
start_service() {
  case $sup in
    systemd) systemctl start airseal.service ;;
    process)
      (
        set -a
        # shellcheck source=/dev/null
        . "$envfile"
        set +a
        cd "$data"
        launcher=""
        command -v setsid >/dev/null 2>&1 && launcher=setsid
        # The unit's JVM options (systemd/airseal.service), then the operator's.
        # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
        exec $launcher nohup "$java" -XX:MaxTenuringThreshold=2 ${JAVA_OPTS:-} -Dquarkus.config.locations="$conf" \
          -jar "$opt/current/app/quarkus-run.jar" serve </dev/null >>"$log_dir/airseal.log" 2>&1
      ) &
      echo "$!" > "$pid_file"
      ;;
  esac
}

http_status() {
  local rest hostport path host hport
  case $1 in
    http://*)
      rest=${1#http://}
      hostport=${rest%%/*}
      path=/${rest#*/}
      [ "$rest" = "$hostport" ] && path=/
      host=${hostport%:*}
      hport=${hostport##*:}
      [ "$host" = "$hostport" ] && hport=80
      # shellcheck disable=SC2016 # the inner script expands its own arguments
      timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n" "$3" "$1" >&3
        read -r _ code _ <&3 && echo "$code"' _ "$host" "$hport" "$path" 2>/dev/null || true
      ;;
    *) curl -sk -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true ;;
  esac
}

if [ -z "$health_url" ]; then
  hhost=$(sed -n 's/^[[:space:]]*quarkus\.http\.host[[:space:]]*[=:][[:space:]]*//p' "$conf" | tail -n 1)
  hport=$(sed -n 's/^[[:space:]]*quarkus\.http\.port[[:space:]]*[=:][[:space:]]*//p' "$conf" | tail -n 1)
  case ${hhost:-127.0.0.1} in 0.0.0.0 | '::' | '[::]') hhost=127.0.0.1 ;; esac
  health_url="http://${hhost:-127.0.0.1}:${hport:-8080}/q/health/ready"
fi
case $health_url in
  http://*) ;;
  *) command -v curl >/dev/null 2>&1 || die "the health URL $health_url needs curl, which is not installed" ;;
esac

# Waits for the readiness check to answer 200; fails early when the process is gone.
healthy() {
  local deadline=$((SECONDS + timeout)) code
  while [ "$SECONDS" -lt "$deadline" ]; do
    code=$(http_status "$health_url")
    [ "$code" = 200 ] && return 0
    if [ "$sup" = process ] && ! service_pid >/dev/null; then
      say "the service exited; last lines of $log_dir/airseal.log:"
      tail -n 20 "$log_dir/airseal.log" >&2 || true
      return 1
    fi
    sleep 1
  done
  say "no 200 from $health_url within ${timeout}s (last answer: ${code:-none})"
  [ "$sup" = systemd ] && say "see: journalctl -u airseal.service -n 50"
  return 1
}

# set_link NAME TARGET: replaces $opt/NAME atomically (rename over the old link).
set_link() {
  if [ -z "$2" ]; then
    rm -f "$opt/$1"
    return
  fi
  ln -sfn "$2" "$opt/.$1.tmp"
  mv -T "$opt/.$1.tmp" "$opt/$1"
}

# switch_to TARGET PREVIOUS: stops the service, points current at TARGET, starts it, checks health.
switch_to() {
  service_running && stop_service
  set_link current "$1"
  set_link previous "$2"
  start_service
  healthy
}

if [ "$mode" = install ]; then
  if [ -z "$current" ]; then
    set_link current "versions/$release_id"
    changed "current -> versions/$release_id"
  fi
  if [ "$start" = 1 ]; then
    if [ "$unit_changed" = 1 ] && service_running; then
      systemctl restart airseal.service
      changed "restarted airseal.service for the new unit"
    elif ! service_running; then
      start_service
      changed "started the service ($sup)"
    fi
    healthy || die "Airseal $release_id does not pass its health check"
    say "healthy: $health_url"
  else
    say "not started (--no-start or no systemd): no health check"
  fi
else
  if [ "$mode" = upgrade ]; then
    new="versions/$release_id" old=$current
  else
    new=$previous old=$current
  fi
  if [ "$new" = "$old" ]; then
    say "${new#versions/} is already current"
    service_running || { start_service; changed "started the service ($sup)"; }
    healthy || die "Airseal ${new#versions/} does not pass its health check"
    say "healthy: $health_url"
  else
    say "switching from ${old#versions/} to ${new#versions/}"
    if switch_to "$new" "$old"; then
      changed "current -> $new (previous: $old)"
      say "healthy: $health_url"
      # Keep the two releases a rollback needs; older ones only take space.
      for d in "$opt"/versions/*; do
        case "versions/${d##*/}" in "$new" | "$old") ;; *) rm -rf "$d" && changed "removed old release $d" ;; esac
      done
    else
      say "${new#versions/} failed its health check; rolling back to ${old#versions/}"
      stop_service
      if switch_to "$old" "$previous"; then
        die "$mode to ${new#versions/} failed its health check; rolled back to ${old#versions/}, which is serving"
      fi
      die "$mode to ${new#versions/} failed, and ${old#versions/} does not pass its health check either; see the service log"
    fi
  fi
fi

if [ "$changes" = 0 ]; then
  say "no changes: Airseal $release_id is installed under ${prefix:-/}"
else
  say "done: $changes changes; Airseal $(readlink "$opt/current" | sed 's|^versions/||') is current"
fi
