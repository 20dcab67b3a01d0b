# SPDX-License-Identifier: GPL-2.0
#
# AF_EORPC. `make` builds the module for KDIR and the userspace parts;
# `make check` runs every test layer (see README.md).

BUILD		?= $(CURDIR)/.build
KVER		:= $(shell uname -r)
# The running kernel's tree if it has one, else Debian's installed headers.
KDIR		?= $(or $(wildcard /lib/modules/$(KVER)/build),\
		        $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
# The stock guest kernel: Debian's linux-image-amd64, as installed.
STOCK_KVER	?= $(lastword $(sort $(notdir $(wildcard /lib/modules/*-amd64))))
STOCK_KDIR	?= /lib/modules/$(STOCK_KVER)/build
DEBUG_KERNEL	:= selftests/vm/debug-kernel
RELEASE_KERNEL	:= selftests/vm/release-kernel
# Other Debian releases whose stock kernels the module supports (their
# chroots: selftests/vm/release-kernel).
RELEASES	:= trixie sid
KMOD_SRC	:= Kbuild $(wildcard kmod/*.c kmod/*.h kmod/Kbuild kmod/tests/*.c) uapi/linux/eorpc.h

CC		?= gcc
# kselftest_harness.h (6.1) trips -Wunused-parameter and -Wsign-compare itself.
SELFTEST_CFLAGS	:= -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
		   -Werror -std=gnu11 -D_GNU_SOURCE \
		   -Iuapi -I$(BUILD)/kselftest -pthread
SELFTESTS	:= $(patsubst selftests/net/%.c,$(BUILD)/selftests/%,\
		     $(wildcard selftests/net/eorpc_*.c)) $(BUILD)/selftests/eorpc_stress \
		   $(BUILD)/selftests/eorpc_scenarios_debug

.PHONY: all modules userspace selftests check deps kernel-debug \
	modules-stock modules-debug modules-releases $(addprefix modules-,$(RELEASES)) \
	print-releases style sparse checkpatch clean help \
	demo bench profile latency install uninstall fuzz dkms-check soak soak-debug sysfuzz \
	sysfuzz-long kernel-kcsan modules-kcsan kcsan model

all: modules userspace selftests

help:
	@echo "make            module (KDIR=$(KDIR)) + libeorpc + selftests"
	@echo "make check      every test layer, in qemu guests; ends with 'N passed, N failed'"
	@echo "make style      checkpatch, sparse (C=1) and W=1 on the module, every kernel"
	@echo "make modules-R  the module for Debian release R's kernel, R in: $(RELEASES)"
	@echo "make model      the full spin model scopes"
	@echo "make demo       key-value demo over a lossy link, in the stock guest"
	@echo "make bench      AF_EORPC vs raw UDP vs TCP, in the stock guest"
	@echo "make profile    where a call's time goes, AF_EORPC beside raw UDP"
	@echo "make latency    what a short call beside 1 MiB transfers waits for"
	@echo "make install    libeorpc, header, eorpc tool, man pages (DESTDIR, PREFIX)"
	@echo "make uninstall  remove what make install put there"
	@echo "make fuzz       the packet decoder fuzzer (FUZZ_SECONDS=600)"
	@echo "make soak       1,000,000 calls over a lossy veth link, stock guest"
	@echo "make soak-debug 50,000 calls the same way, debug guest, 2 vCPUs"
	@echo "make sysfuzz    system-call fuzzer, 10,000 ops, debug guest, 2 vCPUs"
	@echo "make sysfuzz-long  the same, 1,000,000 ops, a random seed (SEED=N)"
	@echo "make kcsan      the 2-vCPU fuzzer and soak run on a KCSAN kernel"
	@echo "make dkms-check build the module the way DKMS does, every kernel"
	@echo "selftests/vm/run --help   run anything in a guest"

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Out-of-tree builds for each guest kernel, in copies so they do not clash.
# Only sources are copied: build products (of `make modules` in the tree, or
# of the copy's own last build) are neither brought in nor deleted, so
# Kbuild recompiles only what changed.
KBUILD_PRODUCTS	:= *.o *.ko *.mod *.mod.c .*.cmd .*.d *.order *.symvers *.a .tmp_*
# With KMOD_FRESH=1 (make check, make sparse) each module is built from an
# empty copy with sparse (C=1): Kbuild shows a file's warnings only when it
# compiles it, so an incremental build could hide an old warning.
KMOD_FRESH	?=
KMOD_FLAGS	:= W=1 $(if $(KMOD_FRESH),C=1)
define kmod_copy
	$(if $(KMOD_FRESH),rm -rf $(BUILD)/$(1))
	mkdir -p $(BUILD)/$(1)
	rsync -a --delete $(foreach p,$(KBUILD_PRODUCTS),--exclude='$(p)') \
		Kbuild kmod uapi $(BUILD)/$(1)/
endef

modules-stock:
	$(call kmod_copy,stock)
	$(MAKE) -C $(STOCK_KDIR) M=$(BUILD)/stock $(KMOD_FLAGS) modules

kernel-debug:
	$(DEBUG_KERNEL) >/dev/null

# release_build RELEASE,DIR: a release's headers need that release's
# compiler and libc, so copy the sources ($(BUILD)/DIR) into its chroot,
# build there, and bring the results back ($(BUILD)/RELEASE is where
# selftests/vm/run looks for the module). The chroot's make is not ours:
# it gets none of our jobserver's flags.
define release_build
	$(RELEASE_KERNEL) $(1) >/dev/null
	$(call kmod_copy,$(2))
	root=$$($(RELEASE_KERNEL) $(1) --path-only) && \
	kver=$$($(RELEASE_KERNEL) $(1) --kver) && \
	rsync -a --delete $(BUILD)/$(2)/ $$root/eorpc-$(2)/ && \
	MAKEFLAGS= unshare -m chroot $$root sh -c 'mount -t proc proc /proc && \
		exec make -C /usr/src/linux-headers-'$$kver' M=/eorpc-$(2) $(KMOD_FLAGS) modules' && \
	rsync -a $$root/eorpc-$(2)/ $(BUILD)/$(2)/
endef

$(addprefix modules-,$(RELEASES)): modules-%:
	$(call release_build,$*,$*)

modules-releases: $(addprefix modules-,$(RELEASES))

# The debug guest's module carries the KUnit suites (kmod/Kbuild).
modules-debug: kernel-debug
	$(call kmod_copy,debug)
	$(MAKE) -C $$($(DEBUG_KERNEL) --path-only)/build M=$(BUILD)/debug $(KMOD_FLAGS) \
		EORPC_KUNIT=y modules

# The debug kernel's KCSAN twin (KCSAN excludes KASAN): not in make check.
kernel-kcsan:
	$(DEBUG_KERNEL) --kcsan >/dev/null

modules-kcsan: kernel-kcsan
	$(call kmod_copy,kcsan)
	$(MAKE) -C $$($(DEBUG_KERNEL) --kcsan --path-only)/build M=$(BUILD)/kcsan W=1 modules

userspace:
	$(MAKE) -C userspace

$(BUILD)/kselftest/kselftest_harness.h:
	mkdir -p $(BUILD)/kselftest
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C $(BUILD)/kselftest \
		--strip-components=4 \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/tools/testing/selftests/kselftest.h

$(BUILD)/selftests/%: selftests/net/%.c selftests/net/eorpc_util.h selftests/net/eorpc_raw.h \
		selftests/net/eorpc_netns.h uapi/linux/eorpc.h \
		$(BUILD)/kselftest/kselftest_harness.h
	mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $< $(SELFTEST_LIBS)

# io_uring through liburing (liburing-dev, selftests/deps.d/batch).
$(BUILD)/selftests/eorpc_batch: SELFTEST_LIBS := -luring

# The scenario suite built with other sets of variants (see their comments
# and run_all): the stress run, and the debug guest's two.
$(BUILD)/selftests/eorpc_stress: SCENARIO_SET := -DEORPC_STRESS
$(BUILD)/selftests/eorpc_scenarios_debug: SCENARIO_SET := -DEORPC_DEBUG_SET
$(BUILD)/selftests/eorpc_stress $(BUILD)/selftests/eorpc_scenarios_debug: \
		selftests/net/eorpc_scenarios.c selftests/net/eorpc_util.h \
		selftests/net/eorpc_netns.h uapi/linux/eorpc.h $(BUILD)/kselftest/kselftest_harness.h
	mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $(SCENARIO_SET) -o $@ $<

# The libeorpc end-to-end test links the static library.
$(BUILD)/selftests/eorpc_lib: selftests/net/eorpc_lib.c userspace/include/libeorpc.h \
		$(BUILD)/kselftest/kselftest_harness.h userspace
	mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -Iuserspace/include -o $@ $< userspace/build/libeorpc.a

# The soak workload and the system-call fuzzer build with their own
# Makefiles (they run in guests started by their own scripts).
selftests: $(SELFTESTS)
	$(MAKE) -C selftests/soak BUILD=$(BUILD)
	$(MAKE) -C selftests/sysfuzz BUILD=$(BUILD)

deps:
	selftests/install-deps

print-releases:
	@echo $(RELEASES)

style: checkpatch sparse

checkpatch: kernel-debug
	selftests/style/checkpatch

# Every guest kernel's module (the debug one with the KUnit suites)
# compiled from scratch with sparse and W=1.
sparse:
	$(MAKE) KMOD_FRESH=1 modules-stock modules-debug modules-releases

check: deps
	selftests/check

model:
	selftests/model/run --full

demo: deps all modules-stock
	userspace/demo/run

bench: deps all modules-stock
	userspace/bench/run

profile: deps all modules-stock
	userspace/bench/profile

latency: deps all modules-stock
	userspace/bench/latency

install: userspace
	$(MAKE) -C userspace install

uninstall:
	$(MAKE) -C userspace uninstall

fuzz: deps
	$(MAKE) -C selftests/fuzz run

soak: deps all modules-stock
	selftests/soak/run --no-build

soak-debug: deps all modules-debug
	selftests/soak/run --no-build --kernel debug --smp 2 --calls 50000

sysfuzz: deps all modules-debug
	$(MAKE) -C selftests/sysfuzz BUILD=$(BUILD) short

sysfuzz-long: deps all modules-debug
	$(MAKE) -C selftests/sysfuzz BUILD=$(BUILD) long

kcsan: deps all modules-kcsan
	selftests/vm/run --kernel kcsan --smp 2 --timeout 2400 -- selftests/net/run_smp

dkms-check: deps
	selftests/dkms/check
	for r in $(RELEASES); do selftests/dkms/check-release $$r || exit 1; done

# Everything under $(BUILD) comes from the build and the tests (modules for
# each kernel, selftests, fuzzers, guest logs, results); the caches of
# kernels and chroots stay in /var/cache/eorpc.
clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean || true
	$(MAKE) -C userspace clean || true
	rm -rf -- $(filter-out /,$(BUILD))
