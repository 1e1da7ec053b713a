# Sourced by Fuzz/*/build.sh: the one place that knows how to compile project modules with libFuzzer + ASan.
# SwiftPM cannot add the fuzzer runtime to one product only, so sources are compiled directly with
# -sanitize=fuzzer,address, over static builds of the modules they import.
# Needs: swift-asn1 checked out (run `swift build --target SealCrypto` once), OpenSSL 3 and zlib headers.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
asn1="$root/.build/checkouts/swift-asn1/Sources/SwiftASN1"
[ -d "$asn1" ] || { echo "swift-asn1 not checked out: run 'swift build --target SealCrypto' first" >&2; exit 1; }

# fuzz_setup LIBDIR: where the static modules go.
fuzz_setup() {
  lib="$1"
  mkdir -p "$lib"
  flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -package-name SealPress
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
    -I "$lib" -I "$root/Sources/CSealZlib" -I "$root/Sources/CSealSSL" -L "$lib")
}
quiet() { "$@" 2> >(grep -v "Cannot export local symbol" >&2); }
module() {  # module NAME SOURCES_DIR [extra flags...]
  local name="$1" dir="$2"; shift 2
  mapfile -t sources < <(find "$dir" -name '*.swift')
  quiet swiftc "${flags[@]}" "$@" -emit-library -static -emit-module -module-name "$name" \
    -emit-module-path "$lib/$name.swiftmodule" -o "$lib/lib$name.a" "${sources[@]}"
}
# The modules under the format engines, in dependency order; link with $base_libs.
base_modules() {
  module SwiftASN1 "$asn1"
  module SealReport "$root/Sources/SealReport"
  module SealCompression "$root/Sources/SealCompression"
  module SealCrypto "$root/Sources/SealCrypto" -lSwiftASN1
  module ElectronicSeal "$root/Sources/ElectronicSeal" -lSwiftASN1 -lSealCrypto -lSealReport
}
base_libs=(-lElectronicSeal -lSealCrypto -lSealCompression -lSealReport -lSwiftASN1 -lz -lssl -lcrypto)
