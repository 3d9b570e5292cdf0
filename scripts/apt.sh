# apt.sh: apt_install, sourced by the scripts that install Debian packages when missing.
#
# Several of the project's scripts may start at once on a fresh machine (the e2e tests run
# scripts/scaleout while the bench or the demo test installs its own packages), and apt-get
# holds one lock: the second one fails with "Could not get lock". apt_install waits for the
# lock instead, and gives up at once on any other failure.

# apt_install PACKAGE... installs the packages (after an update of the lists), retrying for up
# to five minutes while another apt-get holds the lock.
apt_install() {
  local err try
  err=$(mktemp)
  for try in $(seq 1 30); do
    if { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >&2 2>"$err"; then
      rm -f "$err"
      return 0
    fi
    if ! grep -q "Could not get lock\|Unable to lock" "$err"; then
      cat "$err" >&2
      rm -f "$err"
      return 1
    fi
    [ "$try" -eq 1 ] && echo "apt: another apt-get holds the lock; waiting for it" >&2
    sleep 10
  done
  cat "$err" >&2
  rm -f "$err"
  return 1
}
