// SPDX-License-Identifier: GPL-2.0
/* Per-namespace tunables (net.eorpc.*), counters and socket list. */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include "compat.h"
#include "demux.h"
#include "netns.h"

unsigned int eorpc_net_id __read_mostly;

enum eorpc_defaults {
	EORPC_DEFAULT_RTO_MIN_MS = 100,
	EORPC_DEFAULT_RTO_MAX_MS = 2000,
	EORPC_DEFAULT_RTO_INITIAL_MS = 300,
	EORPC_DEFAULT_WINDOW = 32,
	EORPC_DEFAULT_SESSION_TIMEOUT_MS = 120000,
	EORPC_DEFAULT_MAX_SESSIONS = 65536,
	/* 64 MiB of server state per namespace: 1000 busy clients' windows. */
	EORPC_DEFAULT_MAX_HISTORY_BYTES = 64 << 20,
	/* Two full windows of 16 KiB replies. */
	EORPC_DEFAULT_SESSION_MAX_REPLY_BYTES = 1 << 20,
};

static unsigned int rto_limit_ms = 60000;
static unsigned int window_limit = 64;
static unsigned int timeout_limit_ms = 3600000;
static unsigned int sessions_limit = 1 << 24;
static unsigned long server_state_min = 1 << 16;
static unsigned long server_state_limit = 1UL << 40;
static unsigned int reply_bytes_min = EORPC_MAX_PAYLOAD;
static unsigned int reply_bytes_limit = 1 << 30;
static unsigned int msg_bytes_min = EORPC_MAX_PAYLOAD;
static unsigned int msg_bytes_limit = EORPC_MAX_MSG_LEN;

static const struct ctl_table eorpc_sysctl_template[] = {
	{
		.procname	= "rto_min_ms",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &rto_limit_ms,
	},
	{
		.procname	= "rto_max_ms",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &rto_limit_ms,
	},
	{
		.procname	= "rto_initial_ms",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &rto_limit_ms,
	},
	{
		/* Rounded down to a power of two when a session starts. */
		.procname	= "window",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &window_limit,
	},
	{
		.procname	= "session_timeout_ms",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &timeout_limit_ms,
	},
	{
		.procname	= "max_sessions",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &sessions_limit,
	},
	{
		.procname	= "max_history_bytes",
		.maxlen		= sizeof(unsigned long),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
		.extra1		= &server_state_min,
		.extra2		= &server_state_limit,
	},
	{
		/* At least one full-size reply always fits. */
		.procname	= "session_max_reply_bytes",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= &reply_bytes_min,
		.extra2		= &reply_bytes_limit,
	},
	{
		/* Never below what every kernel took: old programs work. */
		.procname	= "max_msg_bytes",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= &msg_bytes_min,
		.extra2		= &msg_bytes_limit,
	},
	EORPC_SYSCTL_END
};

static int eorpc_sysctl_init_net(struct net *net, struct eorpc_net *en)
{
	void *values[] = {
		&en->rto_min_ms, &en->rto_max_ms, &en->rto_initial_ms,
		&en->window, &en->session_timeout_ms, &en->max_sessions,
		&en->max_history_bytes, &en->session_max_reply_bytes,
		&en->max_msg_bytes,
	};
	struct ctl_table *table;
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(values) + EORPC_SYSCTL_ENDS !=
		     ARRAY_SIZE(eorpc_sysctl_template));
	table = kmemdup(eorpc_sysctl_template, sizeof(eorpc_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(values); i++)
		table[i].data = values[i];
	en->sysctl = register_net_sysctl_sz(net, "net/eorpc", table,
					    ARRAY_SIZE(values));
	if (!en->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

static void eorpc_sysctl_exit_net(struct eorpc_net *en)
{
	const struct ctl_table *table = en->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(en->sysctl);
	kfree(table);
}

static int __net_init eorpc_init_net(struct net *net)
{
	struct eorpc_net *en = eorpc_net(net);
	int err;

	en->rto_min_ms = EORPC_DEFAULT_RTO_MIN_MS;
	en->rto_max_ms = EORPC_DEFAULT_RTO_MAX_MS;
	en->rto_initial_ms = EORPC_DEFAULT_RTO_INITIAL_MS;
	en->window = EORPC_DEFAULT_WINDOW;
	en->session_timeout_ms = EORPC_DEFAULT_SESSION_TIMEOUT_MS;
	en->max_sessions = EORPC_DEFAULT_MAX_SESSIONS;
	en->max_history_bytes = EORPC_DEFAULT_MAX_HISTORY_BYTES;
	en->session_max_reply_bytes = EORPC_DEFAULT_SESSION_MAX_REPLY_BYTES;
	en->max_msg_bytes = EORPC_MAX_MSG_LEN;
	atomic_set(&en->sessions, 0);
	atomic_long_set(&en->server_state_bytes, 0);
	eorpc_cookie_init(&en->cookie);
	mutex_init(&en->lock);
	INIT_LIST_HEAD(&en->sockets);
	spin_lock_init(&en->reuseport_lock);
	INIT_LIST_HEAD(&en->reuseport_servers);
	mutex_init(&en->shared_lock);

	err = eorpc_demux_init_net(en);
	if (err)
		return err;
	en->stats = alloc_percpu(struct eorpc_stats);
	if (!en->stats) {
		err = -ENOMEM;
		goto err_demux;
	}
	err = eorpc_sysctl_init_net(net, en);
	if (err)
		goto err_stats;
	err = eorpc_proc_init_net(net);
	if (err)
		goto err_sysctl;
	return 0;

err_sysctl:
	eorpc_sysctl_exit_net(en);
err_stats:
	free_percpu(en->stats);
err_demux:
	eorpc_demux_exit_net(en);
	return err;
}

static void __net_exit eorpc_exit_net(struct net *net)
{
	struct eorpc_net *en = eorpc_net(net);

	eorpc_proc_exit_net(net);
	eorpc_sysctl_exit_net(en);
	/* Every socket is gone: anything still charged is an accounting bug. */
	WARN_ON_ONCE(atomic_read(&en->sessions));
	WARN_ON_ONCE(atomic_long_read(&en->server_state_bytes));
	WARN_ON_ONCE(en->shared[EORPC_SHARED_IP4].users ||
		     en->shared[EORPC_SHARED_IP6].users);
	eorpc_demux_exit_net(en);
	free_percpu(en->stats);
}

static struct pernet_operations eorpc_net_ops = {
	.init	= eorpc_init_net,
	.exit	= eorpc_exit_net,
	.id	= &eorpc_net_id,
	.size	= sizeof(struct eorpc_net),
};

u64 eorpc_stat_read(struct net *net, enum eorpc_stat stat)
{
	struct eorpc_net *en = eorpc_net(net);
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(en->stats, cpu)->v[stat];
	return sum;
}

int eorpc_netns_init(void)
{
	return register_pernet_subsys(&eorpc_net_ops);
}

void eorpc_netns_exit(void)
{
	unregister_pernet_subsys(&eorpc_net_ops);
}
