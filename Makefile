# Thin wrapper: CMake + Ninja do the work. Every target first makes sure the
# Debian packages are there (a no-op, without network, when they are).
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CONFIG     ?= cluster-configs/single-node
ARGS       ?=
# The ASan + UBSan build (clang) with the libFuzzer targets.
SAN_BUILD_DIR ?= build-san
FUZZ_SECONDS  ?= 30

.PHONY: all deps configure build run test check-layers test-normal build-sanitize test-sanitize fuzz bench clean

all: build

deps:
	bash .ci/install-deps.sh

# Configured once; afterwards Ninja re-runs CMake itself when a CMakeLists
# changes.
$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD_DIR)/build.ninja

build: configure
	ninja -C $(BUILD_DIR) -j $(JOBS)

# Only the server binary: the quickest way to a running node.
run: configure
	ninja -C $(BUILD_DIR) -j $(JOBS) backbeat
	$(BUILD_DIR)/backbeat serve --config $(CONFIG) $(ARGS)

# Everything CI runs: the include check, the normal build's tests, the same
# tests under the sanitizers, then every fuzz target for FUZZ_SECONDS.
test:
	$(MAKE) check-layers
	$(MAKE) test-normal
	$(MAKE) test-sanitize
	$(MAKE) fuzz

# No source includes a layer above its own (docs/architecture.md).
check-layers:
	bash .ci/check-layers.sh

test-normal: build
	cd $(BUILD_DIR) && ctest --output-on-failure

# ASan + UBSan over the tests (unit, storage, net, runtime, actors,
# integration against the sanitized binary, bench smoke) and the replay of
# the fuzz corpora; any sanitizer report fails (cmake/sanitizers.cmake).
# The crash storm and the memory run are left to the normal build: they are
# load tests (ASan makes them 3-4x slower and inflates the RSS the memory run
# bounds), and the code they drive is the code the integration tests run.
SAN_CTEST_ARGS ?= -E "^(crash_tests|memory_run)$$"
$(SAN_BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(SAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DBACKBEAT_SANITIZE=ON -DBACKBEAT_FUZZ=ON

build-sanitize: $(SAN_BUILD_DIR)/build.ninja
	ninja -C $(SAN_BUILD_DIR) -j $(JOBS)

test-sanitize: build-sanitize
	cd $(SAN_BUILD_DIR) && ctest --output-on-failure $(SAN_CTEST_ARGS)

# Bounded fuzzing: each target FUZZ_SECONDS from its checked-in corpus; fails
# on any crash, sanitizer report, leak or hang (tests/fuzz/run.sh).
fuzz: build-sanitize
	bash tests/fuzz/run.sh $(SAN_BUILD_DIR) $(FUZZ_SECONDS)

# Load benchmark of a fresh node with the embedded fake client: every
# scenario for 10 s, then again at half its peak rate (docs/benchmarks.md).
# BENCH_ARGS replaces the flags, e.g. make bench BENCH_ARGS="--scenario a --json".
BENCH_ARGS ?= --scenario all --duration 10 --half-peak
bench: configure
	ninja -C $(BUILD_DIR) -j $(JOBS) backbeat backbeat-bench
	$(BUILD_DIR)/tests/bench/backbeat-bench --binary $(BUILD_DIR)/backbeat $(BENCH_ARGS)

clean:
	rm -rf $(BUILD_DIR) $(SAN_BUILD_DIR)
