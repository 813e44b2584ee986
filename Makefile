# Thin wrapper: CMake + Ninja do the work. Every target first makes sure the
# Debian packages are there (a no-op, without network, when they are).
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CONFIG     ?= cluster-configs/single-node
ARGS       ?=

.PHONY: all deps configure build run test clean

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

clean:
	rm -rf $(BUILD_DIR)
