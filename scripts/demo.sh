#!/usr/bin/env bash
# make demo: placeholder until the queue lands (see Docs/architecture.md).
set -euo pipefail
bin="$1"
"$bin" version
