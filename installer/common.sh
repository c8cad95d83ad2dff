# Shared by install.sh and uninstall.sh (sourced, not run): the installed layout and how the
# service is stopped. Expects $prefix (empty for /) to be set.
# shellcheck shell=bash disable=SC2034 # the layout variables are used by the scripts sourcing this

opt="$prefix/opt/airseal"
etc="$prefix/etc/airseal"
data="$prefix/var/lib/airseal"
log_dir="$prefix/var/log/airseal"
run_dir="$prefix/run/airseal"
pid_file="$run_dir/airseal.pid"
# Under --prefix the unit is written into the prefix too, naming the prefix's paths: not enabled
# (no systemd runs it there), but the same file a host install gets, so tests can check it.
unit_path="$prefix/etc/systemd/system/airseal.service"

# systemd runs the service on a host install when systemd is the running init; under --prefix the
# installer runs it as a plain background process with a pid file (tests, trials without root).
supervisor() {
  if [ -n "$prefix" ]; then
    echo process
  elif [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    echo systemd
  else
    echo none
  fi
}

# The pid in the pid file, if that process is still our service (a pid can be reused).
service_pid() {
  local pid
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  case $pid in '' | *[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$opt/current/app/quarkus-run.jar" || return 1
  echo "$pid"
}

service_running() {
  case $(supervisor) in
    systemd) systemctl is-active --quiet airseal.service ;;
    process) service_pid >/dev/null ;;
    *) return 1 ;;
  esac
}

stop_service() {
  local pid i
  case $(supervisor) in
    systemd) systemctl stop airseal.service ;;
    process)
      if pid=$(service_pid); then
        kill -TERM "$pid"
        for i in $(seq 1 60); do
          kill -0 "$pid" 2>/dev/null || break
          [ "$i" = 60 ] && kill -KILL "$pid" 2>/dev/null
          sleep 0.5
        done
      fi
      rm -f "$pid_file"
      ;;
  esac
}
