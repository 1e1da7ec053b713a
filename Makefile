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
PEER_PACKAGES := openssl poppler-utils poppler-data qpdf python3-pip chromium chromium-driver fonts-wqy-zenhei python3-cairo python3-reportlab softhsm2 opensc faketime
PEER_PIP := pyhanko pyhanko-cli asn1crypto gmssl pillow check-jsonschema kubernetes-validate cloudcoil-models-keda selenium

.PHONY: all build test demo deps test-deps clean release smoke fuzz fuzz-text fuzz-ci bench validate-deploy chaos chaos-run

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
	@if ! python3 -c "import pyhanko, asn1crypto, gmssl, PIL, check_jsonschema, kubernetes_validate, cloudcoil.models.keda, selenium" >/dev/null 2>&1; then \
	  echo "==> pip install $(PEER_PIP)"; \
	  python3 -m pip install -q $(PEER_PIP) 2>/dev/null || python3 -m pip install -q --break-system-packages $(PEER_PIP) || \
	  echo "pip install failed: tests that need pyHanko or gmssl will skip"; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG) $(BUILD_FLAGS)

## test: build, run a short chaos pass (every fault once on CHAOS_CI_JOBS jobs), then the whole suite (it starts and
## stops its own throwaway PostgreSQL clusters; its summary closes the log).
CHAOS_CI_JOBS ?= 240
test: test-deps
	@$(MAKE) --no-print-directory validate-deploy
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	@$(MAKE) --no-print-directory chaos-run CHAOS_JOBS=$(CHAOS_CI_JOBS) CHAOS_BIN="$$($(SWIFT) build --show-bin-path $(BUILD_FLAGS))/sealpress"
	$(SWIFT) test --skip-build $(BUILD_FLAGS)

## chaos: a mixed PDF/OFD stamp-and-verify batch on three supervised worker processes while SIGKILLs, an immediate
## PostgreSQL restart, a full tablespace, a hung TSA (and remote signer), a SIGSTOPped worker and clock offsets are
## injected on a seeded schedule; then checks exactly-once, no loss, nothing stuck, outputs whole, usage chain intact
## and prints the table (scripts/chaos.py; Docs/reliability.md). CHAOS_JOBS jobs, each fault CHAOS_ROUNDS times,
## CHAOS_SEED orders the schedule, CHAOS_TIMEOUT bounds the run (seconds), CHAOS_ARGS passes further options.
CHAOS_JOBS ?= 300
CHAOS_ROUNDS ?= 1
CHAOS_SEED ?= 16
CHAOS_TIMEOUT ?= 1800
CHAOS_ARGS ?=
chaos: deps
	$(SWIFT) build --product sealpress $(BUILD_FLAGS)
	@$(MAKE) --no-print-directory chaos-run CHAOS_BIN="$$($(SWIFT) build --show-bin-path $(BUILD_FLAGS))/sealpress"

chaos-run:
	python3 scripts/chaos.py --bin "$(CHAOS_BIN)" --jobs $(CHAOS_JOBS) --rounds $(CHAOS_ROUNDS) --seed $(CHAOS_SEED) \
	  --timeout $(CHAOS_TIMEOUT) $(CHAOS_ARGS)

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
## TARGET=name (pdf-reader pdf-text ofd crypto-der seal-der image pipeline request-body), all in sequence without.
## Checked-in crash regressions (Fuzz/*/regressions) are replayed first. See Docs/reliability.md, "Fuzzing".
FUZZ_SECONDS ?= 180
TARGET ?=
fuzz:
	@bash Fuzz/run.sh $(FUZZ_SECONDS) $(TARGET)

## fuzz-text: the text-location fuzzer (content-stream interpreter, fonts, CMap parser) alone.
fuzz-text:
	@bash Fuzz/run.sh $(FUZZ_SECONDS) pdf-text

## fuzz-ci: the short pass CI runs (.ci/run): builds every target, replays the regressions, FUZZ_CI_SECONDS each.
## FUZZ_CI_OPT is the sanitizer builds' optimisation level (see Fuzz/common.sh; its modules are kept apart).
FUZZ_CI_SECONDS ?= 20
FUZZ_CI_OPT ?= -O
fuzz-ci:
	@FUZZ_OPT=$(FUZZ_CI_OPT) bash Fuzz/run.sh $(FUZZ_CI_SECONDS)
