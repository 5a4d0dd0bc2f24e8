# shellcheck shell=bash
# Shared by run-demo.sh and test.sh; sourced, not run.

# The JDK to build and run with: JAVA_HOME when it is 21 or newer, otherwise the newest JDK >= 21 under
# /usr/lib/jvm (the machine's default `java` may be older). Vaadin 25 and this project need Java 21+.
find_java_home() {
    local candidate version
    for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        candidate="${candidate%/}"
        [[ -n "$candidate" && -x "$candidate/bin/javac" ]] || continue
        version="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java.specification.version = //p')"
        if [[ "${version%%.*}" =~ ^[0-9]+$ ]] && (( ${version%%.*} >= 21 )); then
            echo "$candidate"
            return 0
        fi
    done
    echo "No JDK 21 or newer found. Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+)" \
        "and set JAVA_HOME to it." >&2
    return 1
}

require_root() {
    if [[ $EUID -ne 0 ]]; then
        echo "$(basename "$0") sets up libvirt, QEMU and test servers and must run as root (try: sudo $0)." >&2
        exit 1
    fi
}

# The build makes WebJars of noVNC and xterm.js with `npm pack` (no current ones on Maven Central): npm
# must be on the PATH. Debian's own npm is enough for `npm pack`; installed only when none is there.
require_npm() {
    if ! command -v npm >/dev/null 2>&1; then
        echo "Installing npm (the build packs noVNC and xterm.js from the npm registry)." >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >/dev/null
    fi
}

# The machine a benchmark ran on, as the first lines of its report (Markdown); needs JAVA_HOME.
describe_machine() {
    echo "## Machine ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
    echo
    echo "- CPUs: $(nproc) ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sort -u | paste -sd ','))"
    echo "- Memory: $(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')"
    echo "- JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1) ($JAVA_HOME)"
    echo "- libvirt: $(virsh --version 2>/dev/null || dpkg-query -W -f '${Version}' libvirt0 2>/dev/null || echo unknown)"
    echo "- Chromium: $(/usr/bin/chromium --version 2>/dev/null || echo unknown)"
}
