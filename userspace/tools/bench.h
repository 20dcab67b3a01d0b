/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eorpc bench: the same request/reply load over AF_EORPC, raw UDP and TCP,
 * so AF_EORPC's cost can be stated as a ratio to the raw transports; and how
 * fast AF_EORPC sockets close, against UDP sockets.
 */
#ifndef EORPC_BENCH_H
#define EORPC_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/eorpc.h>

#include "samples.h"

enum transport { TR_EORPC, TR_UDP, TR_TCP };

enum bench_mode { BENCH_CLIENT, BENCH_SERVER, BENCH_CLOSE };

enum {
	BENCH_MIN_SIZE = 8,	/* the call's sequence number rides in it */
	BENCH_MAX_UDP = 65507,	/* largest IPv4 UDP payload */
	BENCH_MAX_INFLIGHT = 1024,
	BENCH_MAX_CLIENTS = 256,
	BENCH_MAX_SESSIONS = 100000,
	BENCH_SOCKBUF = 4 << 20,	/* SO_RCVBUF and SO_SNDBUF, all transports */
	BENCH_MAX_CLOSE_SOCKETS = 100000,
	BENCH_MAX_CLOSE_ROUNDS = 1000,
	BENCH_MAX_BATCH = 64,	/* messages per recvmmsg/sendmmsg */
};

struct bench_opts {
	enum bench_mode mode;
	enum transport transport;
	const char *addr;
	size_t size;
	unsigned int inflight, clients, sessions, threads;
	bool processes, csv, no_header;
	double seconds;
	uint64_t count;		/* calls per client; 0: run for @seconds */
	unsigned int loss_timeout_ms;	/* UDP: a reply this late is lost */
	unsigned int deadline_ms;	/* AF_EORPC per-call deadline, 0: none */
	const char *ready_file;	/* server: bound address written here */
	const char *label;	/* client: extra CSV column */
	const char *perf_ctl;	/* client: "CTL,ACK" fifos of perf stat --control */
	const char *bind;	/* client, UDP/TCP: "ADDR,ADDR..." bound in turn */
	unsigned int close_sockets;	/* close: sockets closed per round */
	unsigned int close_rounds;	/* close: rounds per transport */
	unsigned int batch;	/* AF_EORPC: messages per recvmmsg/sendmmsg */
	bool reuseport;		/* server: share the address with others */
};

/* 0: run; 1: --help printed; -1: usage error printed. */
int bench_parse_args(int argc, char **argv, struct bench_opts *o);
const char *transport_name(enum transport t);

/* An address for every transport, from one text. */
struct bench_addr {
	struct sockaddr_eorpc eo;
	struct sockaddr_storage ip;
	socklen_t iplen;
};
int bench_addr_parse(struct bench_addr *a, const char *text);

/* One client connection (AF_EORPC session, UDP socket, TCP connection). */
struct bconn {
	int fd;
	bool connected;		/* else AF_EORPC sends name the server */
	char *rbuf;		/* TCP: bytes read, not yet a whole frame */
	size_t rlen, rcap;
};

/* @idx: the socket's number among all clients' (picks its --bind address). */
int bnet_client_open(const struct bench_opts *o, const struct bench_addr *a,
		     struct bconn *c, unsigned int idx, unsigned int rcvtimeo_ms);
void bnet_close(struct bconn *c);
void bnet_set_buffers(int fd);
/* @buf holds o->size bytes; its first 8 become @seq for UDP and TCP. */
int bnet_send(const struct bench_opts *o, const struct bench_addr *a,
	      struct bconn *c, uint64_t seq, char *buf);
/*
 * 1: a completion (*@seq; *@call_err is 0 or the AF_EORPC call's errno);
 * 0: none yet (timeout, or nothing with MSG_DONTWAIT); -1: errno.
 */
int bnet_recv(const struct bench_opts *o, struct bconn *c, char *buf,
	      size_t cap, uint64_t *seq, int *call_err, int flags);

/*
 * Batches (--batch): one AF_EORPC call's sendmsg in @h, with @iov and @ctl
 * (BNET_CTL_SIZE bytes, cmsg-aligned) as its storage.
 */
#define BNET_CTL_SIZE (2 * CMSG_SPACE(sizeof(uint64_t)) + CMSG_SPACE(sizeof(int)) + 64)
void bnet_eorpc_call_msg(const struct bench_opts *o, const struct bench_addr *a,
			 struct bconn *c, uint64_t seq, char *buf,
			 struct msghdr *h, struct iovec *iov, void *ctl);
/* A completion's tag and error from its control data: 1, or -1 (errno). */
int bnet_eorpc_completion(struct msghdr *h, ssize_t n, uint64_t *seq,
			  int *call_err);
/*
 * sendmmsg() of @n messages with @flags, falling back to one message per
 * call when the module refuses MSG_BATCH (which sendmmsg() sets on all but
 * the last). Return: messages sent (maybe fewer), or -1 with errno.
 */
int bnet_sendmmsg(int fd, struct mmsghdr *m, unsigned int n, int flags);
/* Set once a batch was refused and sent one message at a time. */
extern bool bnet_batch_refused;

/* Servers: run until SIGINT/SIGTERM. Returns the exit status. */
int bench_serve(const struct bench_opts *o, const struct bench_addr *a);

struct bench_result {
	struct samples lat;
	uint64_t completed, lost, errors;
	/* The client namespace's UDP datagrams (/proc/net/snmp) while timed. */
	uint64_t udp_in, udp_out;
	double seconds;
	int err;		/* setup failure: errno, message printed */
};
/* Runs the clients; fills @r (merged over clients). */
void bench_run_clients(const struct bench_opts *o, const struct bench_addr *a,
		       struct bench_result *r);

/* Close rate of AF_EORPC and UDP sockets bound to @a; prints it. */
int bench_close(const struct bench_opts *o, const struct bench_addr *a);

#endif
