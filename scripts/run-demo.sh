#!/usr/bin/env bash
# Runs the portal at http://localhost:8080 with the demo host (three small QEMU guests on qemu:///system)
# and the demo users (see README). Installs and starts what is missing first; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_root

scripts/demo-host.sh
require_npm
JAVA_HOME="$(find_java_home)"
export JAVA_HOME
exec ./mvnw -B -Dspotless.check.skip=true spring-boot:run -Dspring-boot.run.profiles=demo "$@"
