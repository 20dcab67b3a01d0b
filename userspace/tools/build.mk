# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The eorpc(1) tool, included by userspace/Makefile (HERE, BUILD, CFLAGS,
# SAN, CPPFLAGS_ALL, SAN_OBJS and TAP_OBJ come from there).
#
#   $(BUILD)/eorpc            the tool, linked with libeorpc.a
#   check: tools-check        its unit tests (no kernel), ASan + UBSan, TAP

TOOLS_DIR := $(HERE)/tools
TOOL_SRCS := main.c status.c util.c call.c serve.c serve_cmd.c stat.c \
	     procfmt.c bench.c bench_args.c bench_net.c bench_client.c \
	     bench_server.c bench_close.c samples.c
# What the unit tests reach: everything but main() and the network loops.
TOOL_TESTED := status.c util.c call.c serve.c serve_cmd.c procfmt.c \
	       bench_args.c samples.c
TOOL_TEST_SRCS := capture.c main.c test_status.c test_args.c test_procfmt.c \
		  test_samples.c test_util.c

TOOL_CFLAGS := -std=gnu11 -pthread
TOOL_OBJS := $(TOOL_SRCS:%.c=$(BUILD)/tools/obj/%.o)
TOOL_SAN_OBJS := $(TOOL_TESTED:%.c=$(BUILD)/tools/check/%.o) \
		 $(TOOL_TEST_SRCS:%.c=$(BUILD)/tools/check/tests/%.o)
TOOL_TEST_BIN := $(BUILD)/tools/check/test_eorpc_tool

.PHONY: tools-check

all: $(BUILD)/eorpc

$(BUILD)/tools/obj/%.o: $(TOOLS_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(TOOL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/eorpc: $(TOOL_OBJS) $(BUILD)/libeorpc.a
	$(CC) $(CFLAGS) $(TOOL_CFLAGS) $(LDFLAGS) -o $@ $(TOOL_OBJS) \
		$(BUILD)/libeorpc.a -lm

$(BUILD)/tools/check/%.o: $(TOOLS_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(TOOL_CFLAGS) $(SAN) -MMD -MP -c -o $@ $<

$(BUILD)/tools/check/tests/%.o: $(TOOLS_DIR)/tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -I$(TOOLS_DIR) -I$(TOOLS_DIR)/tests $(CFLAGS) \
		$(TOOL_CFLAGS) $(SAN) -MMD -MP -c -o $@ $<

$(TOOL_TEST_BIN): $(TOOL_SAN_OBJS) $(TAP_OBJ) $(SAN_OBJS)
	$(CC) $(CFLAGS) $(TOOL_CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ -lm

tools-check: $(TOOL_TEST_BIN)
	ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		$(TOOL_TEST_BIN)

check: tools-check

-include $(TOOL_OBJS:.o=.d) $(TOOL_SAN_OBJS:.o=.d)
