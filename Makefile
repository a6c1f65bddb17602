# Thin wrapper around CMake.  `make demo` and `make check` are all a new
# user needs: both install missing Debian packages, configure and build.
BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
FUZZ_BUILD ?= build-fuzz
MPI_BUILD ?= build-mpi
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# CI treats warnings as errors; local builds only show them.
WERROR := $(if $(CI),ON,OFF)

.PHONY: all deps build demo check check-fast check-sanitize \
        check-sanitize-all check-fuzz check-mpi check-valgrind bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DXT_WERROR=$(WERROR)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/xtrain demo

# The full suite: the normal build, the same tests under ASan+UBSan, a
# short fuzz run and the enumeration solver under mpirun.
check: check-fast check-sanitize check-fuzz check-mpi

check-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

check-sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DXT_SANITIZE=ON -DXT_WERROR=$(WERROR) \
	      -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && XTRAIN_SANITIZE=1 ctest --output-on-failure \
	    -j $(JOBS) -LE slow

# Every test under the sanitizers, the slow ones included (about 30 min).
check-sanitize-all: check-sanitize
	cd $(SANITIZE_BUILD) && XTRAIN_SANITIZE=1 ctest --output-on-failure \
	    -j $(JOBS) -L slow

# Each libFuzzer target for 3 seconds (XTRAIN_FUZZ_SECONDS each for a
# long run), built with clang; skipped without clang's libFuzzer.
check-fuzz: deps
	JOBS=$(JOBS) tests/fuzz/run.sh $(FUZZ_BUILD)

# Every test not labelled slow under valgrind memcheck with leak checking,
# in the normal build.  Not part of check: it takes about an hour.
check-valgrind: build
	tests/valgrind/run.sh $(BUILD)

# The MPI build (Open MPI) of the solver, and its test with 2 processes.
check-mpi: deps
	cmake -S . -B $(MPI_BUILD) -DXT_MPI=ON -DXT_WERROR=$(WERROR)
	cmake --build $(MPI_BUILD) -j $(JOBS) --target xtrain_cli \
	    test_enum_speed_mpi
	cd $(MPI_BUILD) && ctest --output-on-failure -R test_enum_speed_mpi

bench: build
	bench/run-all

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD) $(MPI_BUILD)
