# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The example applications (included by userspace/Makefile, which defines
# HERE, BUILD, CFLAGS, SAN, CPPFLAGS_ALL, SAN_OBJS and TAP_OBJ).
#
#   all:   $(BUILD)/examples/{kv,bank}-{server,client}, linked with libeorpc.a
#   check: their logic and message codecs, unit-tested under ASan+UBSan (TAP)

EX_SRC := $(HERE)/examples
EX_OUT := $(BUILD)/examples
EX_CFLAGS := -std=gnu11 -I$(EX_SRC)/common

EX_COMMON := common/opts.c
EX_NET := common/serve.c common/pipeline.c
EX_KV := kv/kv_store.c kv/kv_msg.c kv/kv_service.c kv/kv_workload.c
EX_BANK := bank/bank.c bank/bank_msg.c bank/bank_service.c bank/bank_workload.c
EX_TESTS := tests/main.c tests/test_opts.c tests/test_kv_store.c \
	    tests/test_kv_msg.c tests/test_kv_service.c tests/test_kv_workload.c \
	    tests/test_bank.c tests/test_bank_msg.c tests/test_bank_workload.c

EX_BINS := $(EX_OUT)/kv-server $(EX_OUT)/kv-client \
	   $(EX_OUT)/bank-server $(EX_OUT)/bank-client \
	   $(EX_OUT)/hello-server $(EX_OUT)/hello-client
EX_TEST_BIN := $(EX_OUT)/check/test_examples

ex_objs = $(patsubst %.c,$(EX_OUT)/obj/%.o,$(1))
ex_san_objs = $(patsubst %.c,$(EX_OUT)/check/%.o,$(1))

.PHONY: examples examples-check
examples: $(EX_BINS)
all: examples
check: examples-check

$(EX_OUT)/obj/%.o: $(EX_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(EX_CFLAGS) -MMD -MP -c -o $@ $<

$(EX_OUT)/check/%.o: $(EX_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(EX_CFLAGS) $(SAN) -MMD -MP -c -o $@ $<

$(EX_OUT)/kv-%: $(call ex_objs,kv/kv_%.c $(EX_KV) $(EX_COMMON) $(EX_NET)) \
		$(BUILD)/libeorpc.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(EX_OUT)/bank-%: $(call ex_objs,bank/bank_%.c $(EX_BANK) $(EX_COMMON) $(EX_NET)) \
		$(BUILD)/libeorpc.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# The README's minimal client and server.
$(EX_OUT)/hello-%: $(call ex_objs,hello/%.c) $(BUILD)/libeorpc.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# The tests need no kernel: only the pure parts, with the sanitized library
# objects for eorpc_addr_parse().
$(EX_TEST_BIN): $(call ex_san_objs,$(EX_TESTS) $(EX_KV) $(EX_BANK) $(EX_COMMON)) \
		$(TAP_OBJ) $(SAN_OBJS)
	$(CC) $(CFLAGS) -pthread $(SAN) $(LDFLAGS) -o $@ $^

examples-check: $(EX_TEST_BIN)
	ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		$(EX_TEST_BIN)

EX_ALL_SRCS := $(EX_COMMON) $(EX_NET) $(EX_KV) $(EX_BANK) kv/kv_server.c \
	       kv/kv_client.c bank/bank_server.c bank/bank_client.c
-include $(patsubst %.o,%.d,$(call ex_objs,$(EX_ALL_SRCS))) \
	 $(patsubst %.o,%.d,$(call ex_san_objs,$(EX_TESTS) $(EX_KV) $(EX_BANK) $(EX_COMMON)))
