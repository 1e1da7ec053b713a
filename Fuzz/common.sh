# Sourced by Fuzz/*/build.sh: the one place that knows how to compile project modules with libFuzzer + ASan.
# SwiftPM cannot add the fuzzer runtime to one product only, so sources are compiled directly with
# -sanitize=fuzzer,address, over static builds of the modules they import. The modules are built once into
# .build/fuzz/modules and rebuilt only when one of their sources is newer than the library, so
# building every target costs one build of each module. Modules are built with -enable-testing: the targets
# `@testable import` them to reach internal parsers.
#
# Sanitizers: swiftc supports only address, thread, fuzzer and scudo on Linux (`-sanitize=undefined` is
# rejected: "unsupported option '-sanitize=undefined' for target 'x86_64-unknown-linux-gnu'"). Swift code checks
# arithmetic overflow, bounds and unwrapping itself (a trap is a crash libFuzzer reports), so UBSan would add
# nothing there; the C code we compile (Yams' libyaml) gets -fsanitize=undefined in trap mode (no runtime needed).
#
# Needs: swift-asn1 and Yams checked out (run `swift build --target SealCrypto` once), OpenSSL 3 and zlib headers.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
asn1="$root/.build/checkouts/swift-asn1/Sources/SwiftASN1"
yams="$root/.build/checkouts/Yams/Sources"
[ -d "$asn1" ] || { echo "swift-asn1 not checked out: run 'swift build --target SealCrypto' first" >&2; exit 1; }
fuzz_out="$root/.build/fuzz"
# FUZZ_OPT: the Swift optimisation level of the sanitizer builds (-O by default; each level has its own module
# directory). -Onone compiles the engines about 4× faster but runs inputs so much slower that seeds of pdf-reader
# and pdf-text exceeded the 120 s timeout at nice 19 on the loaded build machine, so CI and campaigns use -O.
opt="${FUZZ_OPT:--O}"
lib="$fuzz_out/modules"; [ "$opt" = -O ] || lib="$lib$opt"
mkdir -p "$lib"
# -wmo: one compiler job per module. Without it swiftc runs one frontend per source file, and each of them parses
# and type-checks the whole module again (SealPDF has 95 files) — that was most of the 35-minute build.
flags=(-sanitize=fuzzer,address -parse-as-library "$opt" -wmo -g -swift-version 6 -package-name SealPress
  -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
  -I "$lib" -I "$root/Sources/CSealZlib" -I "$root/Sources/CSealSSL" -L "$lib")

quiet() { "$@" 2> >(grep -v "Cannot export local symbol" >&2); }
# stale LIBRARY DIR: true when LIBRARY is missing or older than a file under DIR. (A change of the flags here is
# not detected: remove .build/fuzz/modules after editing them.) Build one target at a time: two builds that both
# find a module stale would write the same library.
stale() {
  [ -f "$1" ] || return 0
  [ -n "$(find "$2" -newer "$1" -print -quit)" ]
}
module() {  # module NAME SOURCES [extra flags...]; SOURCES: a directory, or directories and files joined by ':'
  local name="$1" paths path dirty=""; IFS=: read -ra paths <<< "$2"; shift 2
  for path in "${paths[@]}"; do stale "$lib/lib$name.a" "$path" && dirty=yes; done
  [ -n "$dirty" ] || return 0
  echo "  module $name" >&2
  mapfile -t sources < <(find "${paths[@]}" -name '*.swift')
  quiet swiftc "${flags[@]}" -enable-testing "$@" -emit-library -static -emit-module -module-name "$name" \
    -emit-module-path "$lib/$name.swiftmodule" -o "$lib/lib$name.a" "${sources[@]}"
}
# SealCrypto alone (what a target that only needs the crypto layer builds); link with $crypto_libs.
crypto_modules() {
  module SwiftASN1 "$asn1"
  module SealCrypto "$root/Sources/SealCrypto" -lSwiftASN1
}
crypto_libs=(-lSealCrypto -lSwiftASN1 -lssl -lcrypto)
# The modules under the format engines, in dependency order; link with $base_libs.
base_modules() {
  crypto_modules
  module SealReport "$root/Sources/SealReport"
  module SealCompression "$root/Sources/SealCompression"
  module ElectronicSeal "$root/Sources/ElectronicSeal" -lSwiftASN1 -lSealCrypto -lSealReport
}
base_libs=(-lElectronicSeal -lSealCrypto -lSealCompression -lSealReport -lSwiftASN1 -lz -lssl -lcrypto)
engine_modules() {  # the PDF and OFD engines over the base modules; link with $engine_libs
  base_modules
  module SealPDF "$root/Sources/SealPDF"
  module SealOFD "$root/Sources/SealOFD"
}
engine_libs=(-lSealPDF -lSealOFD "${base_libs[@]}")
# Yams (the YAML loader of pipelines): libyaml in C with ASan, UBSan (trap mode) and fuzzer coverage, then Yams.
yams_modules() {
  [ -d "$yams" ] || { echo "Yams not checked out: run 'swift build --target SealPipeline' first" >&2; exit 1; }
  if stale "$lib/libCYaml.a" "$yams/CYaml"; then
    echo "  module CYaml" >&2
    local objects=() c
    mkdir -p "$lib/cyaml"
    for c in "$yams"/CYaml/src/*.c; do
      clang -c -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fsanitize-trap=undefined -DYAML_DECLARE_STATIC \
        -I "$yams/CYaml/include" "$c" -o "$lib/cyaml/$(basename "$c" .c).o"
      objects+=("$lib/cyaml/$(basename "$c" .c).o")
    done
    rm -f "$lib/libCYaml.a"; ar rcs "$lib/libCYaml.a" "${objects[@]}"
  fi
  # Yams is a Swift 5 package and imports CYaml only under SWIFT_PACKAGE.
  module Yams "$yams/Yams" -swift-version 5 -D SWIFT_PACKAGE -I "$yams/CYaml/include" -Xcc -DYAML_DECLARE_STATIC -lCYaml
}
yams_libs=(-I "$yams/CYaml/include" -Xcc -DYAML_DECLARE_STATIC -lYams -lCYaml)
# link TARGET_NAME MAIN.swift [modules/libs...]: the fuzzer binary $fuzz_out/TARGET_NAME-fuzzer.
link() {
  local name="$1" main="$2"; shift 2
  quiet swiftc "${flags[@]}" -module-name "Fuzz_${name//-/_}" "$main" "$@" -o "$fuzz_out/$name-fuzzer"
  echo "$fuzz_out/$name-fuzzer"
}
# seeds NAME FILES...: copies the files into the seed corpus $fuzz_out/NAME-seeds (named by content hash).
seeds() {
  local name="$1" file; shift
  mkdir -p "$fuzz_out/$name-seeds"
  for file in "$@"; do
    [ -f "$file" ] && cp "$file" "$fuzz_out/$name-seeds/$(sha1sum "$file" | cut -c1-16)"
  done
  return 0
}
