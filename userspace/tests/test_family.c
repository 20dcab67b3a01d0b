// SPDX-License-Identifier: LGPL-2.1-or-later
/* Family discovery through EORPC_FAMILY_FILE. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake.h"
#include "internal.h"
#include "tap.h"

static void rewrite(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

#define NTHREADS 8
static void *family_thread(void *arg)
{
	int *out = arg, i;

	for (i = 0; i < 200; i++) {
		int f = eorpc_family();

		if (f != 27) {
			*out = f;
			return NULL;
		}
	}
	*out = 27;
	return NULL;
}

static void good_and_cached(void)
{
	char *path = tmpfile_with("27\n");

	use_family_file(path);
	TAP_OK(eorpc_family() == 27, "family: \"27\\n\" reads 27");
	rewrite(path, "28\n");
	TAP_OK(eorpc_family() == 27, "family: cached after the first success");
	eorpc__family_reset();
	TAP_OK(eorpc_family() == 28, "family: reset re-reads the file");

	rewrite(path, "27");
	eorpc__family_reset();
	TAP_OK(eorpc_family() == 27, "family: no trailing newline is fine");

	{
		pthread_t t[NTHREADS];
		int res[NTHREADS], i, all = 1;

		eorpc__family_reset();
		for (i = 0; i < NTHREADS; i++)
			pthread_create(&t[i], NULL, family_thread, &res[i]);
		for (i = 0; i < NTHREADS; i++) {
			pthread_join(t[i], NULL);
			all &= res[i] == 27;
		}
		TAP_OK(all, "family: %d threads racing on first use agree", NTHREADS);
	}
	unlink(path);
	free(path);
}

static void garbage(void)
{
	static const char *const bad[] = {
		"", "\n", "abc\n", "27x\n", "x27", "0\n", "-1\n", "+27\n",
		"256\n", "99999999999999999999\n", " 27\n", "2 7\n", "0x19\n",
		"27\n28\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *path = tmpfile_with(bad[i]);

		use_family_file(path);
		CHECK_ERR(eorpc_family(), EINVAL,
			  "family: garbage file #%zu rejected with EINVAL", i);
		unlink(path);
		free(path);
	}
	{
		/* Longer than any number: rejected, not silently cut. */
		char big[100];
		char *path;

		memset(big, '1', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		path = tmpfile_with(big);
		use_family_file(path);
		CHECK_ERR(eorpc_family(), EINVAL, "family: overlong file rejected");
		unlink(path);
		free(path);
	}
	TAP_OK(eorpc__family_parse("25 \t\n", 5) == 25,
	       "family: trailing blanks accepted by the parser");
	TAP_OK(eorpc__family_parse("25\0", 3) == -1,
	       "family: embedded NUL rejected by the parser");
}

static void missing(void)
{
	char *path = tmpfile_with("30\n");
	char dir[] = "/tmp/libeorpc-dir.XXXXXX";

	unlink(path);
	use_family_file(path);
	CHECK_ERR(eorpc_family(), EAFNOSUPPORT,
		  "family: missing file -> EAFNOSUPPORT (module not loaded)");
	rewrite(path, "30\n");
	TAP_OK(eorpc_family() == 30, "family: a failure is not cached");
	unlink(path);

	use_family_file(path);
	CHECK_ERR(eorpc_socket(0), EAFNOSUPPORT,
		  "family: eorpc_socket without the module -> EAFNOSUPPORT");

	if (mkdtemp(dir)) {
		use_family_file(dir);
		errno = 0;
		TAP_OK(eorpc_family() == -1 && errno == EISDIR,
		       "family: a directory fails with the read error (EISDIR)");
		rmdir(dir);
	}
	free(path);
}

static void default_path(void)
{
	struct stat st;

	/* With the variable unset the sysfs path is used. */
	use_family_file(NULL);
	if (stat(EORPC_FAMILY_SYSFS, &st) == 0) {
		TAP_OK(eorpc_family() > 0, "family: sysfs file of a loaded module");
	} else {
		CHECK_ERR(eorpc_family(), EAFNOSUPPORT,
			  "family: no module loaded here -> EAFNOSUPPORT");
	}
	use_family_file("");
	if (stat(EORPC_FAMILY_SYSFS, &st) != 0)
		CHECK_ERR(eorpc_family(), EAFNOSUPPORT,
			  "family: empty EORPC_FAMILY_FILE means the default path");
	use_family_file("/nonexistent/eorpc-family");
}

static void socket_uses_family(void)
{
	char *path = tmpfile_with("27\n");
	const struct fake_calls *c;
	int fd;

	use_family_file(path);
	fake_install();
	fd = eorpc_socket(SOCK_CLOEXEC);
	c = fake_calls();
	TAP_OK(fd >= 0 && c->n_socket == 1 && c->socket_domain == 27 &&
	       c->socket_type == (SOCK_DGRAM | SOCK_CLOEXEC) &&
	       c->socket_proto == 0,
	       "socket: socket(family, SOCK_DGRAM|flags, 0)");
	if (fd >= 0)
		eorpc_close(fd);
	fd = eorpc_client_open(SOCK_NONBLOCK);
	TAP_OK(fd >= 0 && c->socket_type == (SOCK_DGRAM | SOCK_NONBLOCK),
	       "socket: eorpc_client_open passes SOCK_NONBLOCK");
	if (fd >= 0)
		eorpc_close(fd);
	CHECK_ERR(eorpc_socket(SOCK_STREAM), EINVAL,
		  "socket: a socket type in the flags -> EINVAL");
	TAP_OK(c->n_socket == 2, "socket: bad flags never reach socket()");
	fake_fail_socket(EMFILE);
	CHECK_ERR(eorpc_socket(0), EMFILE, "socket: socket() error passed on");
	fake_uninstall();
	unlink(path);
	free(path);
	use_family_file("/nonexistent/eorpc-family");
}

void suite_family(void)
{
	good_and_cached();
	garbage();
	missing();
	default_path();
	socket_uses_family();
}
