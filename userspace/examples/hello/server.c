// SPDX-License-Identifier: LGPL-2.1-or-later
/* The smallest AF_EORPC server: answers every request with "hello, " + it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libeorpc.h>

int main(int argc, char **argv)
{
	struct sockaddr_eorpc addr;
	char req[256], reply[300];
	uint64_t call_id;
	ssize_t n;
	int fd, len;

	if (argc != 2 || eorpc_addr_parse(&addr, argv[1])) {
		fprintf(stderr, "usage: hello-server IP:PORT\n");
		return 2;
	}
	fd = eorpc_server_open(&addr, 0);
	if (fd < 0) {
		perror("hello-server: eorpc_server_open");
		return 1;
	}
	/* Each request arrives once, however often the network repeats it. */
	for (;;) {
		n = eorpc_recv_request(fd, req, sizeof(req), &call_id, NULL, 0);
		if (n >= 0)
			len = snprintf(reply, sizeof(reply), "hello, %.*s",
				       (int)n, req);
		else if (errno == EMSGSIZE)	/* too long, but delivered */
			len = snprintf(reply, sizeof(reply),
				       "error: request longer than %zu bytes",
				       sizeof(req));
		else
			break;
		if (eorpc_reply(fd, call_id, reply, len, 0))
			perror("hello-server: eorpc_reply");
	}
	perror("hello-server: eorpc_recv_request");
	return 1;
}
