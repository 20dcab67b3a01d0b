// SPDX-License-Identifier: LGPL-2.1-or-later
/* The smallest AF_EORPC client: one call, its reply or why it failed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libeorpc.h>

int main(int argc, char **argv)
{
	struct sockaddr_eorpc server;
	char reply[512];
	ssize_t n;
	int fd;

	if (argc != 3 || eorpc_addr_parse(&server, argv[1])) {
		fprintf(stderr, "usage: hello-client IP:PORT NAME\n");
		return 2;
	}
	fd = eorpc_client_open(0);
	if (fd < 0) {
		perror("hello-client: eorpc_client_open");
		return 1;
	}
	/* Retransmitted by the kernel until the reply comes, for 5 s at most. */
	n = eorpc_call(fd, &server, argv[2], strlen(argv[2]), reply,
		       sizeof(reply), 5000);
	if (n < 0) {
		fprintf(stderr, "hello-client: %s (%s)\n", strerror(errno),
			eorpc_may_have_executed(errno) == 1 ?
			"the server may have run it" : "it did not run");
		return 1;
	}
	printf("%.*s\n", (int)n, reply);
	eorpc_close(fd);
	return 0;
}
