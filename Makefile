# concur - the front door. `make run` and `make test` are the contract (see
# README.md); the other targets are listed by `make help`.
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
CC       ?= cc
SAN      ?=
datadir   = $(PREFIX)/share/concur
VERSION  := 0.1.0

# Libraries: through pkg-config, except libev, whose Debian package ships
# no .pc file, and http-parser, which has none either.
PKGS        := libcurl zlib jansson libarchive liburing
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
EV_LDLIBS   := $(shell pkg-config --libs libev 2>/dev/null || echo -lev)
CHECK_LIBS  := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

CFLAGS   ?= -O2 -g
# override: `make asan`/`make tsan` pass CFLAGS on the command line, which
# would otherwise drop these flags and the sanitizer's.
override CFLAGS += -std=gnu11 -Wall -Wextra -Werror -MMD -MP $(PKG_CFLAGS)
CPPFLAGS += -I. -DCONCUR_DATADIR='"$(datadir)"' -DCONCUR_VERSION='"$(VERSION)"'
LDLIBS   += $(PKG_LDLIBS) $(EV_LDLIBS) -lhttp_parser -lpthread -lm
ifneq ($(SAN),)
override CFLAGS  += -fsanitize=$(SAN) -fno-omit-frame-pointer
override LDFLAGS += -fsanitize=$(SAN)
endif

SRCS      := $(wildcard common/*.c models/*.c models/exercises/*.c harness/*.c \
	harness/*/*.c)
MAIN_SRC  := harness/main.c
# The exercises' answers: only in the teacher's build (make teacher).
SOLUTION_SRC := models/exercises/solution.c
TALLY_SOLUTION_SRC := models/exercises/tally_solution.c
ANSWER_SRCS := $(SOLUTION_SRC) $(TALLY_SOLUTION_SRC)
ANSWER_MODELS := $(basename $(notdir $(ANSWER_SRCS)))
LIB_OBJS  := $(patsubst %.c,$(BUILD)/%.o,\
	$(filter-out $(MAIN_SRC) $(ANSWER_SRCS),$(SRCS)))
MAIN_OBJ  := $(BUILD)/harness/main.o
BIN       := $(BUILD)/concur
SPIN_LIB  := $(BUILD)/libspin.so

# The MPI models: one program, concur-mpi, built only where Open MPI's
# mpicc is (models/mpi/; `concur models` says how to get it otherwise).
# It links the same common/ objects every model uses.
MPICC      ?= $(shell command -v mpicc 2>/dev/null)
MPI_BIN    := $(BUILD)/concur-mpi
MPI_OBJS   := $(patsubst %.c,$(BUILD)/%.o,$(wildcard models/mpi/*.c))
MPI_COMMON := $(patsubst %,$(BUILD)/common/%.o,task options execute arrival fetch kernel shared)
MPI_IF     := $(if $(MPICC),$(MPI_BIN))

# Tests: one Check suite per tests/<folder>/test_*.c (tests/README.md),
# built as build/tests/test_NAME whatever its folder. The slow ones (more
# than about half a minute each) are left out by `make test-quick`.
TEST_RUNNER  := $(BUILD)/tests/support/runner.o
TEST_SUPPORT := $(filter-out $(TEST_RUNNER),\
	$(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/support/*.c)))
TEST_SRCS := $(wildcard tests/*/test_*.c)
TEST_BINS := $(addprefix $(BUILD)/tests/,$(basename $(notdir $(TEST_SRCS))))
TESTS     ?= $(notdir $(TEST_BINS))
SLOW_TESTS := test_conformance test_grade test_grade_bugs test_grade_hostile test_lessons test_tutorial test_lesson_judge_late \
	test_first_contact test_baseline test_lesson_judge test_hardening_signals
# Exercise 2's speed check at full length (tests/e2e/test_grade_tally.c).
SLOW_TESTS += test_grade_tally
# Lessons 15 and 16 beside a CPU hog (tests/e2e/test_lesson_scaling.c).
SLOW_TESTS += test_lesson_scaling
# Lesson 20, each py-dask run a cluster (tests/e2e/test_lesson_scheduler.c).
SLOW_TESTS += test_lesson_scheduler
# run-tests.sh runs TEST_JOBS suites at once (default 2 per core: most
# suites wait on servers, timeouts and children rather than compute).
# TESTS_ALONE run first, one at a time with nothing beside them: they
# measure speed or judge the machine's free cores. The pool starts the
# SLOW_TESTS first, so that no long suite begins last.
# test_lessons compares a lesson's numbers with its own run, not with the
# machine's speed: it runs in the pool.
TESTS_ALONE := test_lesson_judge test_lesson_judge_late test_lesson_scaling \
	test_grade test_grade_tally
# TESTS_SPLIT: NAME:N runs suite NAME as N parts at once (a long loop of
# independent checks; tests/support/runner.h, runner_in_part).
TESTS_SPLIT := test_conformance:2 test_tutorial:3 test_hardening_signals:2
TEST_JOBS   ?=

# The teacher's build: concur with the exercises' answers registered (as
# models `solution` and `tally_solution`), and the conformance suite that
# can grade them.
TEACHER      := $(BUILD)/teacher
TEACHER_OBJS := $(filter-out $(BUILD)/models/registry.o,$(LIB_OBJS)) \
	$(TEACHER)/models/registry.o $(ANSWER_SRCS:%.c=$(BUILD)/%.o)

# The grader (make check-model): concur with no student code in it
# (models/registry.c compiled with -DCONCUR_GRADER: the exercises by name,
# without their code), and the host a student's model runs in, contained,
# while it is graded: the model with the conformance suite's probes
# (tests/conformance/host.c, linked like a test binary).
EXERCISE_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard models/exercises/*.c))
GRADER_OBJS   := $(filter-out $(BUILD)/models/registry.o $(EXERCISE_OBJS),$(LIB_OBJS))
HOST_OBJ      := $(BUILD)/tests/conformance/host.o

DEB_PACKAGES := $(shell sed 's/\#.*//' .ci/packages)
DEV_PACKAGES := $(shell sed 's/\#.*//' .ci/packages-dev)

.PHONY: all run test test-quick asan tsan tsan-concur clean install deps deps-dev deps-bench bench check-layers \
	format format-check lint help fuzz soak check-deps check-model teacher \
	fixtures

all: $(BIN) $(MPI_IF) $(BUILD)/concur-grade $(BUILD)/concur-host \
	$(BUILD)/concur-host-ref $(SPIN_LIB)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BIN): $(MAIN_OBJ) $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Lesson 18's C loop, which py-threads calls through ctypes
# (models/python/spin.c). A Python process loads it, so it is built
# without the sanitizers (a sanitizer's runtime must be loaded first, and
# python is not built with it): the plain flags, whatever SAN says.
$(SPIN_LIB): models/python/spin.c common/kernel.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -shared \
	  $< -o $@

$(BUILD)/models/mpi/%.o: models/mpi/%.c
	@mkdir -p $(dir $@)
	$(MPICC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# Under ASan it also links tests/sanitize/mpi_leaks.c: Open MPI's own
# allocations kept until exit, suppressed by library (see that file).
MPI_SAN_OBJ := $(if $(findstring address,$(SAN)),$(BUILD)/tests/sanitize/mpi_leaks.o)
$(MPI_BIN): $(MPI_OBJS) $(MPI_COMMON) $(MPI_SAN_OBJ)
	$(MPICC) $(LDFLAGS) -o $@ $^ $(PKG_LDLIBS) -lpthread -lm

# Test binaries route three common/ calls through tests/support/faults.c,
# where the tests inject crashes and watch the kernel; build/concur has no
# such hook anywhere.
TEST_WRAP := -Wl,--wrap=task_execute,--wrap=task_compute,--wrap=kernel_advance
# ... and the pthread calls tests/support/pool_probe.c counts and steers.
TEST_WRAP += -Wl,--wrap=pthread_create,--wrap=pthread_mutex_lock \
	-Wl,--wrap=pthread_mutex_trylock,--wrap=pthread_mutex_unlock \
	-Wl,--wrap=pthread_cond_wait
LINK_TEST  = $(CC) $(LDFLAGS) $(TEST_WRAP) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)
# Each binary from its own object, e.g. build/tests/test_pool from
# build/tests/models/test_pool.o, plus the runner (main) and support.
$(foreach src,$(TEST_SRCS),$(eval \
  $(BUILD)/tests/$(basename $(notdir $(src))): $(BUILD)/$(src:.c=.o)))
$(TEST_BINS): $(TEST_RUNNER) $(TEST_SUPPORT) $(LIB_OBJS)
	$(LINK_TEST)

# The teacher's build (make teacher): registry.c compiled again, to
# register the answer as well.
$(TEACHER)/models/registry.o: models/registry.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DCONCUR_TEACHER $(CFLAGS) -c $< -o $@
$(TEACHER)/concur: $(MAIN_OBJ) $(TEACHER_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(TEACHER)/tests/test_conformance: $(BUILD)/tests/conformance/test_conformance.o \
	  $(TEST_RUNNER) $(TEST_SUPPORT) $(TEACHER_OBJS)
	@mkdir -p $(dir $@)
	$(LINK_TEST)

# The grader and the host, in the students' build and in the teacher's.
$(BUILD)/grader/models/registry.o: models/registry.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DCONCUR_GRADER $(CFLAGS) -c $< -o $@
$(TEACHER)/grader/models/registry.o: models/registry.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DCONCUR_GRADER -DCONCUR_TEACHER $(CFLAGS) -c $< -o $@
$(BUILD)/concur-grade: $(MAIN_OBJ) $(GRADER_OBJS) $(BUILD)/grader/models/registry.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(TEACHER)/concur-grade: $(MAIN_OBJ) $(GRADER_OBJS) $(TEACHER)/grader/models/registry.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/concur-host: $(HOST_OBJ) $(TEST_SUPPORT) $(LIB_OBJS)
	$(LINK_TEST)
# The host the speed check's baseline (threads) runs in: no student code.
$(BUILD)/concur-host-ref: $(HOST_OBJ) $(TEST_SUPPORT) $(GRADER_OBJS) \
	  $(BUILD)/grader/models/registry.o
	$(LINK_TEST)
$(TEACHER)/concur-host-ref: $(HOST_OBJ) $(TEST_SUPPORT) $(GRADER_OBJS) \
	  $(TEACHER)/grader/models/registry.o
	@mkdir -p $(dir $@)
	$(LINK_TEST)
$(TEACHER)/concur-host: $(HOST_OBJ) $(TEST_SUPPORT) $(TEACHER_OBJS)
	@mkdir -p $(dir $@)
	$(LINK_TEST)

# The exercises' classic bugs, as fixtures the grading tests must catch:
# an answer with one bug patched in (tests/e2e/fixtures/BUG.sed; a
# tally-BUG.sed patches tally_solution.c, any other solution.c), built as
# the teacher's concur and conformance suite in $(BUILD)/fixtures/BUG/.
FIXTURES    := $(basename $(notdir $(wildcard tests/e2e/fixtures/*.sed)))
FIXTURE_DIR := $(BUILD)/fixtures
FIXTURE_BINS := $(foreach f,$(FIXTURES),$(FIXTURE_DIR)/$(f)/concur \
	$(FIXTURE_DIR)/$(f)/concur-host)
fixture_answer = $(if $(filter tally-%,$(1)),$(TALLY_SOLUTION_SRC),$(SOLUTION_SRC))
# Everything of the teacher's build but the answer the fixture patches.
fixture_objs = $(filter-out $(patsubst %.c,$(BUILD)/%.o,$(call fixture_answer,$(1))),$(TEACHER_OBJS))
define FIXTURE_RULES
$(FIXTURE_DIR)/$(1)/answer.c: $(call fixture_answer,$(1)) tests/e2e/fixtures/$(1).sed
	@mkdir -p $$(dir $$@)
	sed -f tests/e2e/fixtures/$(1).sed $$< >$$@
	@! cmp -s $$< $$@ || { echo "fixture $(1): the patch no longer applies" >&2; exit 1; }
$(FIXTURE_DIR)/$(1)/answer.o: $(FIXTURE_DIR)/$(1)/answer.c
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) -c $$< -o $$@
$(FIXTURE_DIR)/$(1)/concur: $(MAIN_OBJ) $(call fixture_objs,$(1)) $(FIXTURE_DIR)/$(1)/answer.o
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
$(FIXTURE_DIR)/$(1)/concur-host: $(HOST_OBJ) $(TEST_SUPPORT) \
	  $(call fixture_objs,$(1)) $(FIXTURE_DIR)/$(1)/answer.o
	$$(LINK_TEST)
endef
$(foreach f,$(FIXTURES),$(eval $(call FIXTURE_RULES,$(f))))
.SECONDARY: $(FIXTURES:%=$(FIXTURE_DIR)/%/answer.c) \
	$(FIXTURES:%=$(FIXTURE_DIR)/%/answer.o)

## make run: install what is missing, build, run the main comparison.
# Chosen to teach in about two minutes on 2 cores: I/O where the waits
# overlap, compute where the cores count, three worker counts; the py-*
# models compute 1 unit a task (CPython runs the kernel ~80x slower).
RUN_ARGS ?= --models all --workloads fetch,compute --workers 1,4,16 \
	--tasks 24 --delay 50 --work 20 --py-work 1 --repeat 3
# deps first, then a new make for the build: this make read pkg-config's
# flags when it started, before deps could install the libraries, so on a
# fresh machine they would be empty (undefined references at link time).
run: deps
	@$(MAKE) --no-print-directory all
	$(BIN) run $(RUN_ARGS)

## make deps: install missing Debian packages (as root), else say how.
deps:
	@$(call install_missing,$(DEB_PACKAGES))

## make deps-dev: also what lint, fuzz, sanitizers and bench peers need.
deps-dev:
	@$(call install_missing,$(DEB_PACKAGES) $(DEV_PACKAGES))

# The peers make bench measures concur against (listed in .ci/packages-dev).
BENCH_PEERS := curl wrk nginx-light
deps-bench:
	@$(call install_missing,$(DEB_PACKAGES) $(BENCH_PEERS))

# The packages of $(1) that dpkg does not call installed: installed with
# apt-get as root; otherwise the one line to run, and a failure.
define install_missing
	missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
	  echo "concur needs packages that are missing. Run:"; \
	  echo "  sudo apt-get install -y $$missing"; exit 1; \
	fi
endef

## make test: build and run every test (one Check suite per tests/*/test_*.c).
test: $(BIN) $(MPI_IF) $(BUILD)/concur-grade $(BUILD)/concur-host \
	$(BUILD)/concur-host-ref $(SPIN_LIB) \
	$(TEST_BINS) teacher fixtures
	@CONCUR_BIN=$(BIN) BUILD=$(BUILD) TEST_JOBS=$(TEST_JOBS) \
	  TESTS_ALONE="$(TESTS_ALONE)" TESTS_FIRST="$(SLOW_TESTS)" \
	  TESTS_SPLIT="$(TESTS_SPLIT)" \
	  tests/run-tests.sh $(addprefix $(BUILD)/tests/,$(TESTS))

## make test-quick: the same without the slow suites (SLOW_TESTS).
test-quick:
	@$(MAKE) --no-print-directory \
	  TESTS="$(filter-out $(SLOW_TESTS),$(notdir $(TEST_BINS)))" test

## make asan: the tests under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build/asan SAN=address,undefined CFLAGS="-O1 -g" test

## make tsan: the threaded models' tests under ThreadSanitizer.
TSAN_TESTS ?= test_conformance test_eventloop test_pool test_coroutines
tsan:
	CONCUR_TSAN=1 $(MAKE) BUILD=build/tsan SAN=thread CFLAGS="-O1 -g" \
	  TESTS="$(TSAN_TESTS)" test

## make tsan-concur: build/tsan/concur under ThreadSanitizer; lessons 11
## and 14 run it to show its data-race and lock-order reports.
tsan-concur:
	$(MAKE) BUILD=build/tsan SAN=thread CFLAGS="-O1 -g" build/tsan/concur

## make check-model MODEL=name [SANITIZE=thread|address|undefined]: the
##   conformance suite against one model (exercises too), a hint when it
##   fails, its speed against threads, and a grade file (Gradescope's
##   results.json layout) in results/check-model/NAME/ (or GRADE_OUT=FILE),
##   naming STUDENT=who, the machine and a hash of the model's source.
SANITIZE ?=
GRADE_OUT ?=
CM_BUILD_  := $(BUILD)
CM_BUILD_thread := build/tsan
CM_BUILD_address := build/asan
CM_BUILD_undefined := build/ubsan
CM_SAN_thread := thread
CM_SAN_address := address,undefined
CM_SAN_undefined := undefined
CM_BUILD = $(CM_BUILD_$(SANITIZE))
# The exercises' answers are graded with the teacher's build, which has them.
CM_DIR = $(CM_BUILD)$(if $(filter $(ANSWER_MODELS),$(MODEL)),/teacher)
check-model:
	@case "$(SANITIZE)" in ""|thread|address|undefined) ;; *) \
	  echo "check-model: SANITIZE must be thread, address or undefined, not '$(SANITIZE)'" >&2; \
	  exit 2;; esac
	@$(MAKE) --no-print-directory $(if $(SANITIZE),BUILD=$(CM_BUILD) \
	  SAN=$(CM_SAN_$(SANITIZE)) CFLAGS="-O1 -g") \
	  $(CM_DIR)/concur-grade $(CM_DIR)/concur-host \
	  $(CM_DIR)/concur-host-ref >/dev/null
	@$(CM_DIR)/concur-grade grade "$(MODEL)" $(if $(SANITIZE),--sanitize $(SANITIZE)) \
	  --host $(CM_DIR)/concur-host $(if $(GRADE_OUT),--out $(GRADE_OUT)) \
	  $(if $(STUDENT),--student "$(STUDENT)")

## make teacher: build/teacher/concur, which also has the exercises'
##   answers (models `solution` and `tally_solution`); `make check-model
##   MODEL=solution` uses it.
teacher: $(TEACHER)/concur $(TEACHER)/tests/test_conformance \
	$(TEACHER)/concur-grade $(TEACHER)/concur-host \
	$(TEACHER)/concur-host-ref

## make fixtures: the exercises' answers with each classic bug patched in
##   ($(BUILD)/fixtures/BUG/), which the grading tests must fail.
fixtures: $(FIXTURE_BINS)

## make bench: fixed cases, each a ratio; writes results/bench-latest.csv.
# The peers are installed first, as make run installs its packages, so a
# newcomer's bench does not silently skip their rows.
bench: deps-bench
	@$(MAKE) --no-print-directory all
	$(BIN) bench $(BENCH_ARGS)

## make fuzz: libFuzzer over the server's request handling (clang), for
## FUZZ_SECONDS; inputs reaching new code are kept in tests/fuzz/corpus/.
FUZZ_SECONDS ?= 60
# The server's request handling: every file of harness/server/ but the
# sockets (listen.c, loop.c) and the command (serve.c).
FUZZ_SRCS := tests/fuzz/fuzz_request.c tests/support/fuzz_drive.c \
	$(filter-out harness/server/listen.c harness/server/loop.c \
	  harness/server/serve.c,\
	  $(wildcard harness/server/*.c))
FUZZ_BIN  := $(BUILD)/fuzz/fuzz_request
$(FUZZ_BIN): $(FUZZ_SRCS) $(wildcard harness/server/*.h)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -I. -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined $(FUZZ_SRCS) -o $@ -lhttp_parser
fuzz: $(FUZZ_BIN)
	@mkdir -p tests/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
	  -artifact_prefix=tests/fuzz/ tests/fuzz/corpus

## make soak: the server under mixed load for SOAK_SECONDS (default 300);
## reports answers, errors by kind, peak RSS, open fds at start and end.
SOAK_SECONDS ?= 300
$(BUILD)/soak: $(BUILD)/tests/server/soak.o $(TEST_SUPPORT) $(LIB_OBJS)
	$(LINK_TEST)
soak: $(BUILD)/soak
	$(BUILD)/soak $(SOAK_SECONDS)

## make install: the program and its data under $(PREFIX).
install: $(BIN) $(BUILD)/concur-grade $(BUILD)/concur-host-ref $(SPIN_LIB)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(datadir)/plots \
	  $(DESTDIR)$(datadir)/models/python
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/concur
	install -m 755 $(BUILD)/concur-grade $(BUILD)/concur-host-ref \
	  $(DESTDIR)$(PREFIX)/bin/
	$(if $(MPI_IF),install -m 755 $(MPI_BIN) $(DESTDIR)$(PREFIX)/bin/concur-mpi)
	install -m 644 plots/*.gp $(DESTDIR)$(datadir)/plots/ 2>/dev/null || true
	install -m 644 models/python/*.py $(DESTDIR)$(datadir)/models/python/ 2>/dev/null || true
	install -m 644 $(SPIN_LIB) $(DESTDIR)$(datadir)/models/python/

C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]')
## make format: clang-format every C file in place (.clang-format).
format:
	clang-format -i $(C_FILES)

## make format-check: fails when a file differs from what clang-format makes.
format-check:
	clang-format --dry-run --Werror $(C_FILES)

## make check-layers: the arrows between folders harness/README.md allows,
# checked against the includes (and no two files include each other); the
# self-test first, so a check that cannot fail would fail here.
check-layers:
	python3 tests/check-layers.py --self-test
	python3 tests/check-layers.py

## make lint: the layering check, cppcheck and clang-tidy, clean on the
# committed code.
# Left out: checks that only restate style (easily-swappable-parameters,
# narrowing-conversions, assignment-in-if), concurrency-mt-unsafe (it
# flags strerror and friends the CLI calls before any thread exists), and
# valist.Uninitialized, a false positive of clang 14 on glibc's va_list.
TIDY_CHECKS = -*,bugprone-*,clang-analyzer-*,concurrency-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-clang-analyzer-valist.Uninitialized,-bugprone-narrowing-conversions,-concurrency-mt-unsafe,-bugprone-assignment-in-if-condition
# models/mpi/ needs Open MPI's headers: linted only where mpicc is.
MPI_CFLAGS = $(if $(MPICC),$(shell $(MPICC) -showme:compile 2>/dev/null))
LINT_C = $(filter %.c,$(if $(MPICC),$(C_FILES),$(filter-out models/mpi/%,$(C_FILES))))
lint: check-layers
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	  --inline-suppr --std=c11 -I. $(LINT_C)
	clang-tidy --quiet --warnings-as-errors='*' --checks='$(TIDY_CHECKS)' \
	  $(LINT_C) -- $(CPPFLAGS) -std=gnu11 $(PKG_CFLAGS) $(MPI_CFLAGS)

clean:
	rm -rf build

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
.SECONDARY:
