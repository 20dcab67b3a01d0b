/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces for the selftests: named pairs joined by veth, the
 * loopback brought up, sysctls of another namespace. Every process costs:
 * under the debug guest's emulation one `ip` is about 0.3 s of CPU, and a
 * pair took ten of them. So each namespace is configured by one `ip -batch`,
 * and what one system call does is done with that call.
 */
#ifndef EORPC_SELFTEST_NETNS_H
#define EORPC_SELFTEST_NETNS_H

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static inline int eo_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static inline int eo_ns_enter(const char *name)
{
	char path[96];
	int fd, err;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	err = setns(fd, CLONE_NEWNET);
	close(fd);
	return err;
}

/* The current namespace's loopback up (a fresh namespace has it down). */
static inline int eo_lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err;

	if (fd < 0)
		return -1;
	err = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (!err) {
		ifr.ifr_flags |= IFF_UP;
		err = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return err;
}

/*
 * Two namespaces joined by veth: @a gets @net.1/24 on veth0, @b @net.2/24
 * on veth1 (@net: three octets, "10.78.0"); with @net6 ("fd77::") also
 * @net6 1/64 and 2/64, without duplicate address detection. Loopbacks up.
 * Returns 0 or the failing command's status.
 */
static inline int eo_ns_pair6(const char *a, const char *b, const char *net,
			      const char *net6)
{
	char v6a[64] = "", v6b[64] = "";

	if (net6) {
		snprintf(v6a, sizeof(v6a), "'addr add %s1/64 dev veth0 nodad' ", net6);
		snprintf(v6b, sizeof(v6b), "'addr add %s2/64 dev veth1 nodad' ", net6);
	}
	return eo_sh("printf '%%s\\n' 'netns add %s' 'netns add %s' | ip -b - && "
		     "printf '%%s\\n' 'link add veth0 type veth peer name veth1 netns %s' "
		     "'addr add %s.1/24 dev veth0' %s'link set veth0 up' 'link set lo up' | "
		     "ip -n %s -b - && "
		     "printf '%%s\\n' 'addr add %s.2/24 dev veth1' %s'link set veth1 up' "
		     "'link set lo up' | ip -n %s -b -",
		     a, b, b, net, v6a, a, net, v6b, b);
}

/* The hardening suites' pair: 10.78.0.1 (@a, veth0) and 10.78.0.2 (@b). */
static inline int eo_ns_pair(const char *a, const char *b)
{
	return eo_ns_pair6(a, b, "10.78.0", NULL);
}

static inline void eo_ns_del(const char *a, const char *b)
{
	eo_sh("printf '%%s\\n' 'netns del %s' 'netns del %s' | ip -force -b - 2>/dev/null",
	      a, b);
}

/*
 * Write sysctl @key ("net.eorpc.rto_min_ms") in namespace @ns: /proc/sys/net
 * shows the namespace of whoever opens it, so enter, write, and come back.
 */
static inline int eo_ns_sysctl(const char *ns, const char *key, long value)
{
	int self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	char path[128], *p;
	int err = -1;
	FILE *f;

	if (self_ns < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	for (p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	if (!eo_ns_enter(ns)) {
		f = fopen(path, "w");
		if (f) {
			err = fprintf(f, "%ld\n", value) < 0;
			err |= fclose(f);
		}
		if (setns(self_ns, CLONE_NEWNET))
			err = -1;
	}
	close(self_ns);
	return err;
}

/* The retransmission timer's sysctls of @ns, in the order sysctl -w sets them. */
static inline int eo_ns_rto(const char *ns, long min_ms, long initial_ms,
			    long max_ms)
{
	return eo_ns_sysctl(ns, "net.eorpc.rto_min_ms", min_ms) ||
	       eo_ns_sysctl(ns, "net.eorpc.rto_initial_ms", initial_ms) ||
	       eo_ns_sysctl(ns, "net.eorpc.rto_max_ms", max_ms);
}

#endif
