/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers the AF_EORPC selftests share: the family number, addresses,
 * and sendmsg/recvmsg with the family's control messages. Deliberately
 * independent of libeorpc, so a library bug cannot hide a kernel bug.
 */
#ifndef EORPC_SELFTEST_UTIL_H
#define EORPC_SELFTEST_UTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/eorpc.h>

static inline int eorpc_af(void)
{
	static int af;
	FILE *f;

	if (af)
		return af;
	f = fopen(EORPC_FAMILY_SYSFS, "r");
	if (!f || fscanf(f, "%d", &af) != 1)
		af = -1;
	if (f)
		fclose(f);
	return af;
}

static inline struct sockaddr_eorpc eo_addr4(const char *ip, uint16_t port)
{
	struct sockaddr_eorpc a;

	memset(&a, 0, sizeof(a));
	a.seo_family = eorpc_af();
	a.seo_transport = AF_INET;
	a.seo_port = htons(port);
	inet_pton(AF_INET, ip, &a.seo_addr4);
	return a;
}

static inline struct sockaddr_eorpc eo_addr6(const char *ip, uint16_t port)
{
	struct sockaddr_eorpc a;

	memset(&a, 0, sizeof(a));
	a.seo_family = eorpc_af();
	a.seo_transport = AF_INET6;
	a.seo_port = htons(port);
	inet_pton(AF_INET6, ip, a.seo_addr6);
	return a;
}

static inline int eo_socket(void)
{
	return socket(eorpc_af(), SOCK_DGRAM, 0);
}

/* A bound, listening server socket; -1 on error. */
static inline int eo_server(const struct sockaddr_eorpc *a)
{
	int fd = eo_socket();

	if (fd < 0)
		return -1;
	if (bind(fd, (const struct sockaddr *)a, sizeof(*a)) ||
	    listen(fd, 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static inline uint16_t eo_port(int fd)
{
	struct sockaddr_eorpc a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return 0;
	return ntohs(a.seo_port);
}

/* Start a call. deadline_ms < 0: no deadline cmsg. */
static inline ssize_t eo_send(int fd, const struct sockaddr_eorpc *to,
			      const void *buf, size_t len, uint64_t tag,
			      int deadline_ms, int flags)
{
	char ctl[CMSG_SPACE(sizeof(uint64_t)) + CMSG_SPACE(sizeof(uint32_t))];
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg = {
		.msg_name = (void *)to,
		.msg_namelen = to ? sizeof(*to) : 0,
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl,
		.msg_controllen = CMSG_SPACE(sizeof(uint64_t)),
	};
	struct cmsghdr *c;

	memset(ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_EORPC;
	c->cmsg_type = EORPC_CMSG_USER_TAG;
	c->cmsg_len = CMSG_LEN(sizeof(uint64_t));
	memcpy(CMSG_DATA(c), &tag, sizeof(tag));
	if (deadline_ms >= 0) {
		uint32_t d = deadline_ms;

		msg.msg_controllen = sizeof(ctl);
		c = CMSG_NXTHDR(&msg, c);
		c->cmsg_level = SOL_EORPC;
		c->cmsg_type = EORPC_CMSG_DEADLINE_MS;
		c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
		memcpy(CMSG_DATA(c), &d, sizeof(d));
	}
	return sendmsg(fd, &msg, flags);
}

/**
 * struct eo_rx - what recvmsg said besides the data
 */
struct eo_rx {
	uint64_t tag, call_id, request_id;
	int error;		/* EORPC_CMSG_ERROR, 0 if none */
	int has_tag, has_call_id;
	int msg_flags;
	struct sockaddr_eorpc from;
};

static inline ssize_t eo_recv(int fd, void *buf, size_t cap, struct eo_rx *rx,
			      int flags)
{
	char ctl[256];
	struct iovec iov = { buf, cap };
	struct msghdr msg = {
		.msg_name = &rx->from,
		.msg_namelen = sizeof(rx->from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl,
		.msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c;
	ssize_t n;

	memset(rx, 0, sizeof(*rx));
	n = recvmsg(fd, &msg, flags);
	if (n < 0)
		return n;
	rx->msg_flags = msg.msg_flags;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_EORPC)
			continue;
		switch (c->cmsg_type) {
		case EORPC_CMSG_USER_TAG:
			memcpy(&rx->tag, CMSG_DATA(c), 8);
			rx->has_tag = 1;
			break;
		case EORPC_CMSG_CALL_ID:
			memcpy(&rx->call_id, CMSG_DATA(c), 8);
			rx->has_call_id = 1;
			break;
		case EORPC_CMSG_REQUEST_ID:
			memcpy(&rx->request_id, CMSG_DATA(c), 8);
			break;
		case EORPC_CMSG_ERROR:
			memcpy(&rx->error, CMSG_DATA(c), sizeof(int));
			break;
		}
	}
	return n;
}

/* Answer call @call_id. */
static inline ssize_t eo_reply(int fd, uint64_t call_id, const void *buf,
			       size_t len)
{
	char ctl[CMSG_SPACE(sizeof(uint64_t))];
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl,
		.msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c;

	memset(ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_EORPC;
	c->cmsg_type = EORPC_CMSG_CALL_ID;
	c->cmsg_len = CMSG_LEN(sizeof(uint64_t));
	memcpy(CMSG_DATA(c), &call_id, sizeof(call_id));
	return sendmsg(fd, &msg, 0);
}

/* A counter from /proc/net/eorpc/stats of the current namespace. */
static inline long long eo_stat(const char *name)
{
	char key[64];
	long long v, found = -1;
	FILE *f = fopen("/proc/net/eorpc/stats", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

#endif /* EORPC_SELFTEST_UTIL_H */
