#!/usr/bin/env bash
# Renders a run's report.html in headless Chromium and writes a screenshot of the page, to look
# at it as a person would without a desktop.
#   submit-scripts/render-report.sh RUN_DIR [SCREENSHOT.png]   (default: RUN_DIR-report.png)
# Installs the Debian package chromium where it is missing and this user may (root, apt-get);
# else says so and exits with 3.
set -euo pipefail
if [ $# -lt 1 ] || [ ! -f "$1/report.html" ]; then
  echo "usage: $0 RUN_DIR [SCREENSHOT.png]  (RUN_DIR: a run's output.dir, holding report.html)" >&2
  exit 2
fi
dir=$(cd "$1" && pwd)
shot=${2:-$dir-report.png}
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium (Debian package)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 \
      || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq chromium >&2; }
  else
    echo "chromium is not installed, and this user cannot install it: install the Debian" \
      "package chromium (apt-get install chromium), or open $dir/report.html in a browser" >&2
    exit 3
  fi
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# As root Chromium runs only without its sandbox; the page is a local file this project wrote.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size="${REPORT_WIDTH:-1400},${REPORT_HEIGHT:-3200}" --screenshot="$shot" \
  "file://$dir/report.html" 2>/dev/null
echo "screenshot of $dir/report.html in $shot"
