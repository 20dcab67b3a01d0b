// SPDX-License-Identifier: GPL-2.0
/*
 * EORPC_REUSEPORT: several server sockets on one address and port
 * (kmod/reuseport.c). The UDP layer spreads datagrams over the members by
 * the sender's address; a session must still stay with the member that
 * welcomed it when another joins or leaves, a member that is bound but not
 * listening must not refuse anyone, and a member that closes must never
 * cause a second execution: its sessions' calls end ECONNRESET ("may have
 * run") and the client's next session goes to a member still there.
 *
 *   [ns eopc-PID] clients --- veth (netem in the lossy test) --- members [ns eops-PID]
 */
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "eorpc_util.h"
#include "eorpc_raw.h"

enum { MEMBERS = 2, CLIENTS = 16, CALLS = 40, SLOTS = CLIENTS * CALLS };

#define LOSSY "loss 20% duplicate 10% delay 2ms 1ms reorder 25% 50%"

/* What the members and clients tell the test, shared across fork(). */
struct rp_shared {
	uint32_t delivered[SLOTS];	/* executions of each call */
	uint32_t served[MEMBERS];	/* requests each member executed */
	uint32_t member_of[CLIENTS];	/* bit m: member m served the client */
	int outcome[SLOTS];		/* 0 pending, 1 ok, else the errno */
	uint32_t failed_before_kill;	/* calls that failed while both lived */
	uint32_t ready, go, killed;
};

/* A request: which call, and which client makes it. */
struct rp_req {
	uint32_t slot, client;
};

static int set_reuseport(int fd, int on)
{
	return setsockopt(fd, SOL_EORPC, EORPC_REUSEPORT, &on, sizeof(on));
}

static int member_socket(const struct sockaddr_eorpc *a, int do_listen)
{
	int fd = eo_socket();

	if (fd < 0)
		return -1;
	if (set_reuseport(fd, 1) ||
	    bind(fd, (const struct sockaddr *)a, sizeof(*a)) ||
	    (do_listen && listen(fd, 0))) {
		close(fd);
		return -1;
	}
	return fd;
}

struct member_args {
	const struct sockaddr_eorpc *addr;
	struct rp_shared *sh;
	int m, do_listen;
};

static int member_setup(void *arg)
{
	struct member_args *ma = arg;

	return member_socket(ma->addr, ma->do_listen);
}

/* An echo server that records what it executed; bound only: it waits. */
static void member_serve(int fd, void *arg)
{
	struct member_args *ma = arg;
	struct rp_shared *sh = ma->sh;
	struct rp_req req;
	struct eo_rx rx;
	ssize_t n;

	if (!ma->do_listen)
		pause();
	for (;;) {
		n = eo_recv(fd, &req, sizeof(req), &rx, 0);
		if (n != sizeof(req) || req.slot >= SLOTS ||
		    req.client >= CLIENTS)
			_exit(14);
		__atomic_add_fetch(&sh->delivered[req.slot], 1,
				   __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&sh->served[ma->m], 1, __ATOMIC_SEQ_CST);
		__atomic_or_fetch(&sh->member_of[req.client], 1u << ma->m,
				  __ATOMIC_SEQ_CST);
		if (eo_reply(fd, rx.call_id, &req, sizeof(req)) < 0)
			_exit(13);
	}
}

/*
 * Fork member @m of the group on @a in namespace @ns. With !@do_listen it
 * only binds. Returns its pid once it is bound (and listening), or -1.
 */
static pid_t member_start(const char *ns, const struct sockaddr_eorpc *a,
			  struct rp_shared *sh, int m, int do_listen)
{
	struct member_args ma = { a, sh, m, do_listen };

	return eo_fork_server(ns, member_setup, member_serve, &ma);
}

/* One blocking call; 0 if its echo came back, else the errno. */
static int rp_call(int fd, const struct sockaddr_eorpc *to, uint32_t slot,
		   uint32_t client)
{
	struct rp_req req = { slot, client }, rep;
	struct eo_rx rx;
	ssize_t n;

	if (eo_send(fd, to, &req, sizeof(req), slot, 60000, 0) < 0)
		return errno;
	n = eo_recv(fd, &rep, sizeof(rep), &rx, 0);
	if (n < 0)
		return errno;
	if (rx.error)
		return rx.error;
	if (n != sizeof(rep) || rep.slot != slot || rep.client != client)
		return EBADMSG;
	return 0;
}

/* Poll shared memory; a forked helper whose test died goes too. */
static void wait_for(uint32_t *v, uint32_t at_least)
{
	pid_t parent = getppid();

	while (__atomic_load_n(v, __ATOMIC_SEQ_CST) < at_least) {
		if (getppid() != parent)
			_exit(30);
		usleep(1000);
	}
}

static uint32_t delivered_total(struct rp_shared *sh)
{
	uint32_t i, sum = 0;

	for (i = 0; i < SLOTS; i++)
		sum += __atomic_load_n(&sh->delivered[i], __ATOMIC_SEQ_CST);
	return sum;
}

/* ---- the option itself, on loopback in our own namespace ---- */

TEST(option_is_read_at_bind_and_shares_the_port)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 4911);
	int fd[3], v = -1, plain;
	socklen_t len = sizeof(v);

	fd[0] = eo_socket();
	ASSERT_GE(fd[0], 0);
	ASSERT_EQ(0, getsockopt(fd[0], SOL_EORPC, EORPC_REUSEPORT, &v, &len));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, set_reuseport(fd[0], 7));
	ASSERT_EQ(0, getsockopt(fd[0], SOL_EORPC, EORPC_REUSEPORT, &v, &len));
	EXPECT_EQ(1, v);
	EXPECT_EQ(-1, setsockopt(fd[0], SOL_EORPC, EORPC_REUSEPORT, &v, 2));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, bind(fd[0], (struct sockaddr *)&a, sizeof(a)));

	/* A socket without the option cannot join the group... */
	plain = eo_socket();
	ASSERT_GE(plain, 0);
	EXPECT_EQ(-1, bind(plain, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EADDRINUSE, errno);
	/* Members join, listening or not. */
	fd[1] = member_socket(&a, 1);
	EXPECT_GE(fd[1], 0);
	fd[2] = member_socket(&a, 0);
	EXPECT_GE(fd[2], 0);
	close(fd[0]);
	close(fd[1]);
	close(fd[2]);
	close(plain);
}

TEST(a_member_makes_no_calls)
{
	struct sockaddr_eorpc srv = eo_addr4("127.0.0.1", 4912);
	struct sockaddr_eorpc any = eo_addr4("127.0.0.1", 0);
	int server = eo_server(&srv), bound, unbound;
	char c = 'x';

	ASSERT_GE(server, 0);
	bound = member_socket(&any, 1);
	ASSERT_GE(bound, 0);
	EXPECT_EQ(-1, eo_send(bound, &srv, &c, 1, 1, -1, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, connect(bound, (struct sockaddr *)&srv, sizeof(srv)));
	EXPECT_EQ(EOPNOTSUPP, errno);
	/* Unbound, it would become a member when the call binds it. */
	unbound = eo_socket();
	ASSERT_GE(unbound, 0);
	ASSERT_EQ(0, set_reuseport(unbound, 1));
	EXPECT_EQ(-1, eo_send(unbound, &srv, &c, 1, 1, -1, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(0, set_reuseport(unbound, 0));
	EXPECT_EQ(1, eo_send(unbound, &srv, &c, 1, 1, -1, 0));
	close(unbound);
	close(bound);
	close(server);
}

/* The UDP layer's rule: members of a group belong to one user. */
TEST(another_user_cannot_join)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 4913);
	int fd = member_socket(&a, 1), status;
	pid_t pid;

	ASSERT_GE(fd, 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int other;

		if (setresuid(65534, 65534, 65534))
			_exit(2);
		other = eo_socket();
		if (other < 0 || set_reuseport(other, 1))
			_exit(3);
		if (!bind(other, (struct sockaddr *)&a, sizeof(a)))
			_exit(4);
		_exit(errno == EADDRINUSE ? 0 : 5);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

/* ---- a group across a veth link ---- */

FIXTURE(group) {
	char srv[32], cli[32];
	pid_t member[MEMBERS + 1];
	struct sockaddr_eorpc addr;
	struct rp_shared *sh;
};

FIXTURE_SETUP(group)
{
	void *p;

	snprintf(self->srv, sizeof(self->srv), "eops-%d", getpid());
	snprintf(self->cli, sizeof(self->cli), "eopc-%d", getpid());
	ASSERT_EQ(0, eo_ns_pair(self->srv, self->cli));
	p = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	self->sh = p;
	self->addr = eo_addr4("10.78.0.1", 4920);
	ASSERT_EQ(0, eo_ns_enter(self->cli));
}

FIXTURE_TEARDOWN(group)
{
	int m;

	for (m = 0; m <= MEMBERS; m++)
		eo_kill(self->member[m]);
	eo_ns_del(self->srv, self->cli);
}

/*
 * Sessions opened with member 0 alone stay with it after member 1 joins,
 * although the UDP layer now sends about half of their datagrams to
 * member 1; new sessions are spread over both.
 */
TEST_F_TIMEOUT(group, sessions_stay_with_their_member_when_one_joins, 180)
{
	int fd[CLIENTS], c, k, err;
	struct rp_shared *sh = self->sh;

	self->member[0] = member_start(self->srv, &self->addr, sh, 0, 1);
	ASSERT_GT(self->member[0], 0);
	for (c = 0; c < CLIENTS / 2; c++) {
		fd[c] = eo_socket();
		ASSERT_GE(fd[c], 0);
		err = rp_call(fd[c], &self->addr, c * CALLS, c);
		ASSERT_EQ(0, err) TH_LOG("client %d: %s", c, strerror(err));
	}
	self->member[1] = member_start(self->srv, &self->addr, sh, 1, 1);
	ASSERT_GT(self->member[1], 0);
	for (k = 1; k < 4; k++)
		for (c = 0; c < CLIENTS / 2; c++) {
			err = rp_call(fd[c], &self->addr, c * CALLS + k, c);
			ASSERT_EQ(0, err)
				TH_LOG("client %d, call %d after the join: %s",
				       c, k, strerror(err));
		}
	for (c = 0; c < CLIENTS / 2; c++)
		EXPECT_EQ(1u, sh->member_of[c])
			TH_LOG("client %d was served by members %#x", c,
			       sh->member_of[c]);
	/* New sessions: 8 senders all hashed to one member is 1 in 128. */
	for (c = CLIENTS / 2; c < CLIENTS; c++) {
		fd[c] = eo_socket();
		ASSERT_GE(fd[c], 0);
		err = rp_call(fd[c], &self->addr, c * CALLS, c);
		ASSERT_EQ(0, err) TH_LOG("new client %d: %s", c, strerror(err));
	}
	TH_LOG("member 0 served %u requests, member 1 %u", sh->served[0],
	       sh->served[1]);
	for (c = 0; c < CLIENTS; c++)
		close(fd[c]);
}

/*
 * A member bound but not listening gets its share of datagrams from the
 * UDP layer; a HELLO it gets goes to a listening member instead of being
 * refused (ECONNREFUSED), so every client is served.
 */
TEST_F_TIMEOUT(group, hello_at_a_member_not_listening_goes_to_one_that_is,
	       180)
{
	int fd[CLIENTS], c, err;
	struct rp_shared *sh = self->sh;

	self->member[0] = member_start(self->srv, &self->addr, sh, 0, 1);
	ASSERT_GT(self->member[0], 0);
	self->member[1] = member_start(self->srv, &self->addr, sh, 1, 0);
	ASSERT_GT(self->member[1], 0);
	for (c = 0; c < CLIENTS; c++) {
		fd[c] = eo_socket();
		ASSERT_GE(fd[c], 0);
		err = rp_call(fd[c], &self->addr, c * CALLS, c);
		EXPECT_EQ(0, err) TH_LOG("client %d: %s", c, strerror(err));
		err = rp_call(fd[c], &self->addr, c * CALLS + 1, c);
		EXPECT_EQ(0, err) TH_LOG("client %d again: %s", c,
					 strerror(err));
	}
	EXPECT_EQ(2u * CLIENTS, sh->served[0]);
	EXPECT_EQ(0u, sh->served[1]);
	for (c = 0; c < CLIENTS; c++)
		close(fd[c]);
}

/* One client process of the lossy run: @calls calls, one at a time. */
static void lossy_client(struct rp_shared *sh, const struct sockaddr_eorpc *to,
			 int c, int calls)
{
	int fd = eo_socket(), k, err;

	if (fd < 0)
		_exit(20);
	for (k = 0; k < calls; k++) {
		err = rp_call(fd, to, c * CALLS + k, c);
		sh->outcome[c * CALLS + k] = err ? err : 1;
		if (err && !__atomic_load_n(&sh->killed, __ATOMIC_SEQ_CST))
			__atomic_add_fetch(&sh->failed_before_kill, 1,
					   __ATOMIC_SEQ_CST);
		if (!k) {
			/* Every session opened with member 1 alone. */
			__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
			wait_for(&sh->go, 1);
		}
	}
	_exit(0);
}

/*
 * Under loss, duplication and reordering: every client opens its session
 * with member 1 alone; member 0 joins (the UDP layer now sends half of
 * those sessions' datagrams to it, and they must be steered back), then
 * member 1 is killed with calls in flight. No call runs twice; a call
 * fails only after the kill and only with ECONNRESET or ESTALE; a
 * completed call ran exactly once; member 0 serves the clients' next
 * sessions.
 */
TEST_F_TIMEOUT(group, member_closing_under_loss_runs_no_call_twice, 600)
{
	struct rp_shared *sh = self->sh;
	uint32_t completed = 0, failed = 0, after_kill, twice = 0;
	/* KASAN and lockdep under TCG: fewer calls, the same steps. */
	int calls = eo_is_debug_kernel() ? 10 : CALLS, c, k, s, status;
	pid_t client[CLIENTS];

	ASSERT_EQ(0, eo_ns_rto(self->srv, 10, 50, 400));
	ASSERT_EQ(0, eo_ns_rto(self->cli, 10, 50, 400));
	ASSERT_EQ(0, eo_sh("tc -n %s qdisc add dev veth0 root netem %s && "
			   "tc -n %s qdisc add dev veth1 root netem %s",
			   self->srv, LOSSY, self->cli, LOSSY));
	self->member[1] = member_start(self->srv, &self->addr, sh, 1, 1);
	ASSERT_GT(self->member[1], 0);
	for (c = 0; c < CLIENTS; c++) {
		client[c] = fork();
		ASSERT_GE(client[c], 0);
		if (!client[c])
			lossy_client(sh, &self->addr, c, calls);
	}
	wait_for(&sh->ready, CLIENTS);
	self->member[0] = member_start(self->srv, &self->addr, sh, 0, 1);
	ASSERT_GT(self->member[0], 0);
	__atomic_store_n(&sh->go, 1, __ATOMIC_SEQ_CST);

	/* Half-way, with every client's next call in flight or about to be. */
	while (delivered_total(sh) < CLIENTS * calls / 2)
		usleep(1000);
	__atomic_store_n(&sh->killed, 1, __ATOMIC_SEQ_CST);
	after_kill = delivered_total(sh);
	eo_kill(self->member[1]);
	self->member[1] = 0;

	for (c = 0; c < CLIENTS; c++) {
		ASSERT_EQ(client[c], waitpid(client[c], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	for (c = 0; c < CLIENTS; c++)
		for (k = 0; k < calls; k++) {
			s = c * CALLS + k;
			twice += sh->delivered[s] > 1;
			if (sh->outcome[s] == 1) {
				completed++;
				EXPECT_EQ(1u, sh->delivered[s])
					TH_LOG("call %d completed, executed %u times",
					       s, sh->delivered[s]);
			} else {
				failed++;
				EXPECT_TRUE(sh->outcome[s] == ECONNRESET ||
					    sh->outcome[s] == ESTALE)
					TH_LOG("call %d: %s", s,
					       strerror(sh->outcome[s]));
			}
		}
	TH_LOG("%u calls completed, %u failed (may have run); member 0 "
	       "executed %u, member 1 %u; %u executions after the kill",
	       completed, failed, sh->served[0], sh->served[1],
	       delivered_total(sh) - after_kill);
	EXPECT_EQ(0u, twice);
	EXPECT_EQ(0u, sh->failed_before_kill);
	EXPECT_GT(sh->served[1], 0u);
	/* The rest of the workload ran on member 0 after member 1 was gone. */
	EXPECT_GT(delivered_total(sh) - after_kill, 0u);
	EXPECT_EQ((uint32_t)(CLIENTS * calls), completed + failed);
}

TEST_HARNESS_MAIN
