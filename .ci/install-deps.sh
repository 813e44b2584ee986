#!/usr/bin/env bash
# Installs the Debian 12 packages Backbeat builds and tests with. Idempotent:
# does nothing (and needs no network) when everything is already there.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libcaf-dev librocksdb-dev capnproto libcapnp-dev nlohmann-json3-dev
  libboost-dev libboost-test-dev libcurl4-openssl-dev
  # Mutual TLS between cluster members and `backbeat cluster certs`:
  # CAF's OpenSSL module and the OpenSSL 3 headers (libssl, libcrypto).
  libcaf-openssl0.17 libssl-dev
  curl procps
  # The sanitizer build and the fuzz targets (make test-sanitize, make fuzz):
  # clang 14, its ASan/UBSan/libFuzzer runtimes, llvm-symbolizer for the
  # stack traces in reports.
  clang libclang-rt-14-dev llvm
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
