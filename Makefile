# SealPress — the two commands every user runs: `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= debug
BUILD_FLAGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] && echo "" || echo "sudo")
IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes || echo no)

# System packages needed to build and run (OpenSSL 3 with SM2, libpq, zlib, a local PostgreSQL server).
SYSTEM_PACKAGES := libssl-dev libpq-dev zlib1g-dev postgresql pkg-config
# Independent peers the interoperability tests run (never runtime dependencies).
PEER_PACKAGES := poppler-utils poppler-data qpdf python3-pip chromium fonts-wqy-zenhei python3-cairo python3-reportlab
PEER_PIP := pyhanko pyhanko-cli asn1crypto gmssl pillow check-jsonschema kubernetes-validate cloudcoil-models-keda

.PHONY: all build test demo deps test-deps clean release smoke fuzz fuzz-text fuzz-ci bench validate-deploy

all: build

## deps: install the system packages the build needs (as root), or say what to install.
deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$(IS_ROOT)" = yes ]; then \
	    echo "==> installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing"; echo "Install them with: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

## test-deps: install the independent verifiers used by interop tests (pdfsig, qpdf, pyHanko, gmssl, chromium).
test-deps: deps
	@missing=""; for p in $(PEER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$(IS_ROOT)" = yes ]; then \
	    echo "==> installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Interop peers missing:$$missing (tests that need them will skip)"; fi; \
	fi
	@if ! python3 -c "import pyhanko, asn1crypto, gmssl, PIL, check_jsonschema, kubernetes_validate, cloudcoil.models.keda" >/dev/null 2>&1; then \
	  echo "==> pip install $(PEER_PIP)"; \
	  python3 -m pip install -q $(PEER_PIP) 2>/dev/null || python3 -m pip install -q --break-system-packages $(PEER_PIP) || \
	  echo "pip install failed: tests that need pyHanko or gmssl will skip"; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG) $(BUILD_FLAGS)

## test: build and run the whole suite (starts and stops its own throwaway PostgreSQL clusters).
test: test-deps
	@$(MAKE) --no-print-directory validate-deploy
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)

## validate-deploy: check Docker/compose.yaml and Docker/kubernetes/*.yaml against their schemas.
validate-deploy:
	@bash Docker/validate.sh || { rc=$$?; if [ $$rc = 2 ] && [ "$${SEALPRESS_REQUIRE_PEERS:-}" != 1 ]; then echo "SKIPPED: deployment schema checkers not installed"; else exit $$rc; fi; }

## demo: run the main job end to end on an embedded PostgreSQL and print where the outputs are.
demo: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)
	@bash scripts/demo.sh "$$($(SWIFT) build -c release --show-bin-path)/sealpress"

## release: the static-stdlib release build the Docker image uses.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product sealpress $(BUILD_FLAGS)

## smoke: build the release binary and run it as the Docker image does (version, help, self-test, demo PKI, stamp
## and verify a PDF), checking it links only libssl/libcrypto/libpq/libz + glibc (no Swift runtime libraries).
smoke: release
	@bash Docker/smoke.sh "$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/sealpress"

clean:
	rm -rf .build .sealpress demo-out

## fuzz: build and run the libFuzzer targets (ASan; Fuzz/run.sh), niced, for FUZZ_SECONDS each: one with
## TARGET=name (pdf-reader pdf-text ofd crypto-der seal-der image pipeline http), all in sequence without.
## Checked-in crash regressions (Fuzz/*/regressions) are replayed first. See Docs/reliability.md, "Fuzzing".
FUZZ_SECONDS ?= 180
TARGET ?=
fuzz:
	@bash Fuzz/run.sh $(FUZZ_SECONDS) $(TARGET)

## fuzz-text: the text-location fuzzer (content-stream interpreter, fonts, CMap parser) alone.
fuzz-text:
	@bash Fuzz/run.sh $(FUZZ_SECONDS) pdf-text

## fuzz-ci: the short pass CI can afford: builds every target, replays the regressions, FUZZ_CI_SECONDS each.
FUZZ_CI_SECONDS ?= 20
fuzz-ci:
	@bash Fuzz/run.sh $(FUZZ_CI_SECONDS)
