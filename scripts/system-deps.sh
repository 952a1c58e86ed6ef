#!/usr/bin/env bash
# System packages the test suite needs: Debian's chromium (browser tests), CJK fonts
# (so screenshots show Chinese) and espeak-ng (the live copilot's offline Mandarin voice).
# `system-deps.sh voice` checks only espeak-ng (what `make demo` needs). Installs only what is
# missing; never fails the build on a machine where we are not root - those tests then skip with a reason.
set -u
missing=()
if [ "${1:-all}" != voice ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
fi
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "system-deps: not root; install these yourself for the browser tests: ${missing[*]}" >&2
    exit 0
  fi
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
