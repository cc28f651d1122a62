# claimcheck: the two commands a newcomer needs are `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SANITIZE ?= 0
ifeq ($(SANITIZE),1)
  BUILD := build-asan
  CMAKE_FLAGS += -DCLAIMCHECK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
endif

.PHONY: all deps build run test bench fuzz clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The main job on the bundled corpus: ingest it into db/claims.sqlite (the
# cross-check runs at the end), print the editor's report, write the HTML one.
run: build
	$(BUILD)/claimcheck ingest corpus
	$(BUILD)/claimcheck report
	$(BUILD)/claimcheck report --format html --out $(BUILD)/report.html
	@echo "HTML report: $(BUILD)/report.html   scores: $(BUILD)/claimcheck eval --gold corpus/gold corpus"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/claimcheck bench --mb 32 --threads 1

# libFuzzer targets, FUZZ_SECONDS each (scripts/fuzz explains).
FUZZ_SECONDS ?= 30
fuzz:
	scripts/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf build build-asan build-fuzz
