// SPDX-License-Identifier: LGPL-2.1-or-later
/* Server side against the fake kernel: open, receive requests, reply. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "fake.h"
#include "internal.h"
#include "tap.h"

static void open_server(void)
{
	const struct fake_calls *c;
	struct sockaddr_eorpc addr;
	char *path = tmpfile_with("27\n");
	int fd;

	use_family_file(path);
	fake_install();
	c = fake_calls();
	eorpc_addr_parse(&addr, "[::]:5000");
	addr.seo_family = EORPC_FAMILY_DEFAULT;	/* parsed without module */
	fd = eorpc_server_open(&addr, SOCK_CLOEXEC);
	TAP_OK(fd >= 0 && c->n_socket == 1 && c->socket_domain == 27 &&
	       c->socket_type == (SOCK_DGRAM | SOCK_CLOEXEC),
	       "server_open: socket(27, SOCK_DGRAM|SOCK_CLOEXEC, 0)");
	TAP_OK(c->n_bind == 1 && c->bind_fd == fd &&
	       c->bind_len == sizeof(struct sockaddr_eorpc) &&
	       c->bind_addr.seo_family == 27 &&
	       c->bind_addr.seo_transport == AF_INET6 &&
	       c->bind_addr.seo_port == htons(5000),
	       "server_open: bind(fd, addr with family in use, sizeof)");
	TAP_OK(c->n_listen == 1 && c->listen_fd == fd,
	       "server_open: listen(fd) (a socket serves only after listen)");
	if (fd >= 0)
		eorpc_close(fd);

	fake_fail_bind(EADDRINUSE);
	CHECK_ERR(eorpc_server_open(&addr, 0), EADDRINUSE,
		  "server_open: bind error passed on");
	TAP_OK(fcntl(c->socket_fd, F_GETFD) == -1 && errno == EBADF,
	       "server_open: ...and the socket closed");
	TAP_OK(c->n_listen == 1, "server_open: ...without listen");
	fake_fail_listen(EOPNOTSUPP);
	CHECK_ERR(eorpc_server_open(&addr, 0), EOPNOTSUPP,
		  "server_open: listen error passed on");
	TAP_OK(fcntl(c->socket_fd, F_GETFD) == -1 && errno == EBADF,
	       "server_open: ...and the socket closed");
	TAP_OK(c->n_setsockopt == 0,
	       "server_open: no option set without EORPC_SERVER_REUSEPORT");
	fd = eorpc_server_open(&addr, EORPC_SERVER_REUSEPORT | SOCK_CLOEXEC);
	TAP_OK(fd >= 0 && c->n_setsockopt == 1 && c->sso_level == SOL_EORPC &&
	       c->sso_name == EORPC_REUSEPORT && c->sso_len == sizeof(int) &&
	       *(int *)c->sso_val == 1 &&
	       c->socket_type == (SOCK_DGRAM | SOCK_CLOEXEC) &&
	       c->n_bind == 4 && c->n_listen == 3,
	       "server_open: EORPC_SERVER_REUSEPORT sets EORPC_REUSEPORT, then binds");
	if (fd >= 0)
		eorpc_close(fd);
	fake_fail_setsockopt(ENOPROTOOPT);
	CHECK_ERR(eorpc_server_open(&addr, EORPC_SERVER_REUSEPORT), ENOPROTOOPT,
		  "server_open: a kernel without EORPC_REUSEPORT says so");
	TAP_OK(fcntl(c->socket_fd, F_GETFD) == -1 && errno == EBADF &&
	       c->n_bind == 4, "server_open: ...the socket closed, not bound");
	CHECK_ERR(eorpc_server_open(NULL, 0), EINVAL, "server_open: NULL addr");
	CHECK_ERR(eorpc_server_open(&addr, 0x4000000), EINVAL,
		  "server_open: unknown flag -> EINVAL");
	fd = eorpc_client_open(0);
	TAP_OK(fd >= 0 && c->n_bind == 4 && c->n_listen == 3 &&
	       c->socket_type == SOCK_DGRAM,
	       "client_open: socket only, no bind or listen");
	if (fd >= 0)
		eorpc_close(fd);
	fake_uninstall();
	use_family_file("/nonexistent/eorpc-family");
	unlink(path);
	free(path);
}

static void requests(void)
{
	struct sockaddr_eorpc from, got;
	unsigned char ctl[128];
	uint64_t call_id = 0, cid = 5;
	char buf[16];
	size_t cl;
	ssize_t n;
	int fd;

	fake_install();
	fd = fake_fd();
	eorpc_addr_parse(&from, "192.0.2.7:33333");
	fake_push_request(0x8000000000000001ull, &from, "req", 3);
	memset(&got, 0xcc, sizeof(got));
	n = eorpc_recv_request(fd, buf, sizeof(buf), &call_id, &got, 0);
	TAP_OK(n == 3 && !memcmp(buf, "req", 3) &&
	       call_id == 0x8000000000000001ull,
	       "recv_request: payload and call id");
	TAP_OK(!memcmp(&got, &from, sizeof(from)),
	       "recv_request: client address from msg_name");
	fake_push_request(6, NULL, "r", 1);
	memset(&got, 0xcc, sizeof(got));
	n = eorpc_recv_request(fd, buf, sizeof(buf), &call_id, &got, 0);
	TAP_OK(n == 1 && call_id == 6 && got.seo_transport == 0 &&
	       got.seo_port == 0,
	       "recv_request: no msg_name -> zeroed client, no stale bytes");
	fake_push_request(7, &from, "s", 1);
	TAP_OK(eorpc_recv_request(fd, buf, sizeof(buf), &call_id, NULL, 0) == 1 &&
	       call_id == 7, "recv_request: NULL client accepted");

	fake_push_request(8, &from, "0123456789", 10);
	call_id = 0;
	errno = 0;
	n = eorpc_recv_request(fd, buf, 4, &call_id, NULL, 0);
	TAP_OK(n == -1 && errno == EMSGSIZE && call_id == 8 &&
	       !memcmp(buf, "0123", 4),
	       "recv_request: truncated -> EMSGSIZE, call id still set");

	cl = cm_put(ctl, sizeof(ctl), 0, SOL_EORPC, EORPC_CMSG_REQUEST_ID, &cid, 8);
	fake_push_raw(ctl, cl, 0, "x", 1);
	CHECK_ERR(eorpc_recv_request(fd, buf, sizeof(buf), &call_id, NULL, 0),
		  EPROTO, "recv_request: no CALL_ID -> EPROTO");
	cl = cm_put(ctl, sizeof(ctl), 0, SOL_EORPC, EORPC_CMSG_CALL_ID, &cid, 2);
	fake_push_raw(ctl, cl, 0, "x", 1);
	CHECK_ERR(eorpc_recv_request(fd, buf, sizeof(buf), &call_id, NULL, 0),
		  EPROTO, "recv_request: malformed CALL_ID -> EPROTO");
	fake_push_raw(NULL, 0, 0, NULL, 0);
	CHECK_ERR(eorpc_recv_request(fd, buf, sizeof(buf), &call_id, NULL, 0),
		  ESHUTDOWN, "recv_request: end of file -> ESHUTDOWN");
	fake_push_raw(NULL, 0, 0, "x", 1);
	CHECK_ERR(eorpc_recv_request(fd, buf, sizeof(buf), &call_id, NULL, 0),
		  EPROTO, "recv_request: data without control -> EPROTO");
	fake_push_errno(EAGAIN);
	CHECK_ERR(eorpc_recv_request(fd, buf, sizeof(buf), &call_id, NULL,
				     MSG_DONTWAIT), EAGAIN,
		  "recv_request: EAGAIN passed on");
	CHECK_ERR(eorpc_recv_request(fd, buf, sizeof(buf), NULL, NULL, 0), EINVAL,
		  "recv_request: NULL call_id -> EINVAL");
	eorpc_close(fd);
	fake_uninstall();
}

static void replies(void)
{
	const struct fake_sent *s;
	static char big[EORPC_MAX_MSG_LEN + 1];
	int fd;

	fake_install();
	fd = fake_fd();
	TAP_OK(eorpc_reply(fd, 0x1122334455667788ull, "ans", 3, MSG_DONTWAIT) == 0,
	       "reply: returns 0");
	s = fake_sent(0);
	TAP_OK(s && s->has_call_id && s->call_id == 0x1122334455667788ull &&
	       !s->has_tag && !s->has_deadline && s->n_cmsg == 1 && !s->bad_cmsg,
	       "reply: exactly one CALL_ID cmsg");
	TAP_OK(s && !s->has_name && s->len == 3 && !memcmp(s->data, "ans", 3) &&
	       s->flags == MSG_DONTWAIT,
	       "reply: no msg_name, payload and flags as given");
	TAP_OK(eorpc_reply(fd, 1, NULL, 0, 0) == 0 && fake_sent(1)->len == 0,
	       "reply: empty reply");
	CHECK_ERR(eorpc_reply(fd, 1, big, sizeof(big), 0), EMSGSIZE,
		  "reply: > EORPC_MAX_MSG_LEN -> EMSGSIZE");
	TAP_OK(fake_nsent() == 2, "reply: ...not sent");
	CHECK_ERR(eorpc_reply(fd, 1, NULL, 5, 0), EINVAL,
		  "reply: NULL buffer with a length -> EINVAL");
	fake_fail_send(ENOENT);
	CHECK_ERR(eorpc_reply(fd, 99, "a", 1, 0), ENOENT,
		  "reply: unknown call (ENOENT from the kernel) passed on");
	eorpc_close(fd);
	fake_uninstall();
}

void suite_server(void)
{
	open_server();
	requests();
	replies();
}
