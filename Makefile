# Thin wrapper: CMake + Ninja do the work. Every target first makes sure the
# Debian packages are there (a no-op, without network, when they are).
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CONFIG     ?= cluster-configs/single-node
ARGS       ?=

.PHONY: all deps configure build run test bench clean

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

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure

# Load benchmark of a fresh node with the embedded fake client: every
# scenario for 10 s, then again at half its peak rate (docs/benchmarks.md).
# BENCH_ARGS replaces the flags, e.g. make bench BENCH_ARGS="--scenario a --json".
BENCH_ARGS ?= --scenario all --duration 10 --half-peak
bench: configure
	ninja -C $(BUILD_DIR) -j $(JOBS) backbeat backbeat-bench
	$(BUILD_DIR)/tests/bench/backbeat-bench --binary $(BUILD_DIR)/backbeat $(BENCH_ARGS)

clean:
	rm -rf $(BUILD_DIR)
