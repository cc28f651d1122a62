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

# Extract every claim of the bundled corpus and score it against its gold.
run: build
	$(BUILD)/claimcheck eval --gold corpus/gold corpus --brief
	$(BUILD)/claimcheck extract corpus | head -n 5

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
