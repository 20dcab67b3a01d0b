#!/bin/sh
# Guest side of selftests/vm/run: this file is /init of the busybox initramfs
# that selftests/vm/mkinitramfs builds. It runs as PID 1 under busybox ash.
#
#  1. mounts proc/sys/dev, insmods the 9p/virtio modules listed in
#     /modules/order (stock kernel only; the debug kernel has them built in);
#  2. mounts the host root read-only over 9p (tag "root") on /newroot, the
#     writable share (tag "out") at its host path inside it, and proc, sys,
#     devtmpfs, devpts, tmpfs (/tmp /run /var/tmp /dev/shm + --tmpfs dirs),
#     debugfs and tracefs when the kernel has them;
#  3. insmods the modules listed in /job/modules with the host's insmod in the
#     chroot, runs /job/cmd.sh in the chroot with stdout on ttyS1 and stderr
#     on ttyS2 (or, with --shell, an interactive shell on the console ttyS0);
#  4. kills what the command left behind, rmmods (--rmmod), forces two
#     kmemleak scans when kmemleak exists, and checks the kernel log, the
#     taint mask and lockdep's debug_locks;
#  5. only then writes the result line to ttyS3 and ends with `reboot -f`
#     (qemu runs with -no-reboot, so that stops it).
# A panic, a hang or a crash of this script never writes the result line, so
# the host can never mistake it for a pass.
#
# /job (appended to the initramfs per run by selftests/vm/run) holds:
#   env      VM_NONCE VM_KERNEL VM_OUT VM_SHELL VM_RMMOD VM_KMEMLEAK VM_ROWS
#            VM_COLS
#   modules  module paths (host paths), one per line
#   tmpfs    extra directories to cover with a tmpfs, one per line
#   keep     host paths under those (or /tmp /var/tmp /run) to keep visible
#   cmd.sh   the command, run by the host's /bin/sh in the chroot
#
# Messages from this script go to the kernel log as "eorpc-vm: ..." lines;
# the log checks ignore those lines.

PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH
if [ "$1" != main ]; then
	# PID 1. The work runs in a child: PID 1 is a session leader, and a
	# session leader that opens a tty makes it its controlling terminal
	# (the command could then reach ttyS3 as /dev/tty). The child is not.
	/bin/busybox mkdir -p /proc /sys /dev /sbin /usr/bin /usr/sbin /newroot /tmp
	/bin/busybox --install -s
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	exec </dev/console >/dev/console 2>&1
	/bin/sh /init main
	echo "<3>eorpc-vm: init exited without powering off" >/dev/kmsg
	sync
	reboot -f
	sleep 60
	exit 1
fi

R=/newroot
VM_NONCE=none
. /job/env

log() { echo "<5>eorpc-vm: $*" >/dev/kmsg; }
uptime_cs() { # uptime in centiseconds
	read -r up _ </proc/uptime
	echo "${up%.*}${up#*.}"
}
report() { # the only place that writes to ttyS3
	sync
	echo "$*" >/dev/ttyS3
}
stop() {
	log "powering off"
	sync
	reboot -f
	sleep 60
}
fatal() {
	log "error: $*"
	report "EORPC-VM-ERROR $VM_NONCE $*"
	stop
}

for t in /dev/ttyS1 /dev/ttyS2 /dev/ttyS3; do
	[ -c $t ] || fatal "$t missing (kernel needs 4 8250 UARTs)"
	stty -F $t raw -echo || fatal "stty $t failed"
done

# 1. 9p transport (stock kernel: modules; debug kernel: built in).
if [ -f /modules/order ]; then
	while read -r m; do
		insmod "/modules/$m" || fatal "insmod /modules/$m failed"
	done </modules/order
fi

# 2. Filesystems.
opts=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "ro,$opts,cache=loose" root $R || fatal "9p root mount failed"
mount -t proc proc $R/proc || fatal "mount proc"
mount -t sysfs sysfs $R/sys || fatal "mount sysfs"
mount -t devtmpfs devtmpfs $R/dev || fatal "mount devtmpfs"
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
ln -sf /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr
# Host paths under the directories about to be covered (a checkout under
# /tmp): bound aside here, put back on top of the tmpfs below.
n=0
while read -r k; do
	[ -n "$k" ] || continue
	mkdir -p /keep/$n
	mount -o bind "$R$k" /keep/$n || fatal "bind mount of $k"
	n=$((n + 1))
done </job/keep
mount -t tmpfs -o mode=755 tmpfs $R/run || fatal "tmpfs on /run"
for d in /tmp /var/tmp; do
	mount -t tmpfs -o mode=1777 tmpfs "$R$d" || fatal "tmpfs on $d"
done
while read -r d; do
	[ -n "$d" ] || continue
	mount -t tmpfs -o mode=1777 tmpfs "$R$d" || fatal "tmpfs on $d"
done </job/tmpfs
n=0
while read -r k; do
	[ -n "$k" ] || continue
	mkdir -p "$R$k" || fatal "mkdir $k"
	mount -o bind /keep/$n "$R$k" || fatal "bind mount of $k"
	umount /keep/$n
	n=$((n + 1))
done </job/keep
if grep -qw debugfs /proc/filesystems && [ -d $R/sys/kernel/debug ]; then
	mount -t debugfs debugfs $R/sys/kernel/debug
	# No periodic kmemleak scans (the first after 60 s, then every 10 min):
	# under TCG each costs tens of seconds of CPU, and the two forced scans
	# after CMD look at everything anyway. Allocations are still tracked.
	[ -e $R/sys/kernel/debug/kmemleak ] && echo scan=off >$R/sys/kernel/debug/kmemleak 2>/dev/null || :
fi
if grep -qw tracefs /proc/filesystems && [ -d $R/sys/kernel/tracing ]; then
	mount -t tracefs tracefs $R/sys/kernel/tracing
fi
if grep -qw cgroup2 /proc/filesystems && [ -d $R/sys/fs/cgroup ]; then
	mount -t cgroup2 cgroup2 $R/sys/fs/cgroup
fi
[ -d "$R$VM_OUT" ] || mkdir -p "$R$VM_OUT"
mount -t 9p -o "$opts" out "$R$VM_OUT" || fatal "9p mount of $VM_OUT failed"
# Another Debian release's kernel: its modules (veth, netem...) come from
# that release's chroot, which the root shows; the host's stay hidden.
if [ -n "${VM_MODULES:-}" ]; then
	mount -t tmpfs -o mode=755 tmpfs $R/lib/modules || fatal "tmpfs on /lib/modules"
	mkdir -p "$R/lib/modules/$(uname -r)"
	mount -o bind "$R$VM_MODULES" "$R/lib/modules/$(uname -r)" || fatal "bind mount of $VM_MODULES"
fi
mkdir -p $R/run/eorpc-vm
cp /job/cmd.sh $R/run/eorpc-vm/cmd.sh
# Module autoloading (request_module: veth, sch_netem, ... on the stock
# kernel) runs the modprobe helper in the initramfs root: hand it to the
# host's modprobe, which finds /lib/modules/<ver> in the chroot.
printf '#!/bin/sh\nexec chroot /newroot /sbin/modprobe "$@"\n' >/sbin/vm-modprobe
chmod 755 /sbin/vm-modprobe
[ -w /proc/sys/kernel/modprobe ] && echo /sbin/vm-modprobe >/proc/sys/kernel/modprobe
hostname eorpc-vm
ip link set lo up 2>/dev/null

inchroot() {
	chroot $R /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# 3. The module(s) and the command.
insmod_failed=
while read -r m; do
	[ -n "$m" ] || continue
	log "insmod $m"
	if ! inchroot /sbin/insmod "$m" </dev/null >/dev/ttyS1 2>/dev/ttyS2; then
		log "insmod $m failed"
		insmod_failed=$m
		break
	fi
done </job/modules

status=
if [ -z "$insmod_failed" ]; then
	log "running command at uptime $(cat /proc/uptime | cut -d' ' -f1)s"
	if [ "$VM_SHELL" = 1 ]; then
		stty -F /dev/ttyS0 sane rows "$VM_ROWS" cols "$VM_COLS" 2>/dev/null
		inchroot /bin/sh /run/eorpc-vm/cmd.sh </dev/ttyS0 >/dev/ttyS0 2>&1
	else
		inchroot /bin/sh /run/eorpc-vm/cmd.sh </dev/null >/dev/ttyS1 2>/dev/ttyS2
	fi
	status=$?
	log "command exited with status $status"
fi
cmd_end=$(uptime_cs)

# 4. Clean up, then check.
user_procs() { # are there processes other than this one (kernel threads have no cmdline)?
	for p in /proc/[0-9]*; do
		case ${p#/proc/} in 1 | $$) continue ;; esac
		c=
		read -r c <"$p/cmdline" 2>/dev/null
		[ -n "$c" ] && return 0
	done
	return 1
}
if user_procs; then
	log "killing processes the command left behind"
	kill -TERM -1 2>/dev/null
	i=0
	while user_procs && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL -1 2>/dev/null
	i=0
	while user_procs && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
fi

reasons=
rmmod_failed=
if [ "$VM_RMMOD" = 1 ] && [ -z "$insmod_failed" ]; then
	mods=
	while read -r m; do
		[ -n "$m" ] && mods="$m $mods" # reverse order
	done </job/modules
	for m in $mods; do
		name=${m##*/}
		name=${name%.ko}
		# Closed sockets drop their module reference a grace period
		# later (as network namespaces do): wait for it, bounded.
		i=0
		while [ "$(cat "$R/sys/module/$name/refcnt" 2>/dev/null)" != 0 ] &&
		      [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		log "rmmod $name"
		if ! inchroot /sbin/rmmod "$name" </dev/null >/dev/ttyS1 2>/dev/ttyS2; then
			log "rmmod $name failed"
			rmmod_failed=$name
		fi
	done
fi

K=$R/sys/kernel/debug/kmemleak
if [ "$VM_KMEMLEAK" != 0 ] && [ -e $K ]; then
	# An object is reported only when it is older than 5 s and unreferenced
	# in two consecutive scans (the first one records its checksum).
	log "kmemleak: scanning"
	if echo scan >$K; then
		while [ $(($(uptime_cs) - cmd_end)) -lt 520 ]; do sleep 0.2; done
		echo scan >$K
		cat $K >/tmp/kmemleak
		if [ -s /tmp/kmemleak ]; then
			reasons="$reasons kmemleak"
			while read -r l; do log "kmemleak: $l"; done </tmp/kmemleak
		else
			log "kmemleak: no leaks"
		fi
	else
		reasons="$reasons kmemleak-disabled"
		log "kmemleak: scan failed (kmemleak disabled itself?)"
	fi
fi

dmesg >/tmp/dmesg
grep -v 'eorpc-vm:' /tmp/dmesg | grep -E -f /etc/eorpc-vm/log-patterns >/tmp/bad
if [ -s /tmp/bad ]; then
	reasons="$reasons kernel-log"
fi
# Taint: allow only O (out-of-tree, 4096), E (unsigned, 8192), N (test, 262144).
taint=$(cat /proc/sys/kernel/tainted) # not `read`: it reads 1 byte at a time, sysctl files do not support that
if [ $((taint & ~(4096 | 8192 | 262144))) != 0 ]; then
	reasons="$reasons taint=$taint"
	log "kernel tainted: $taint"
fi
if [ -r /proc/lockdep_stats ] && grep -q 'debug_locks: *0' /proc/lockdep_stats; then
	reasons="$reasons lockdep-off"
	log "lockdep turned itself off (debug_locks: 0)"
fi

# 5. Result.
log_state=clean
[ -n "$reasons" ] && log_state=dirty
reasons=$(echo $reasons | tr ' ' ',')
if [ -n "$insmod_failed" ]; then
	phase=insmod
	status=-
elif [ -n "$rmmod_failed" ]; then
	phase=rmmod
else
	phase=done
fi
log "result: phase=$phase status=$status log=$log_state $reasons"
report "EORPC-VM-RESULT $VM_NONCE phase=$phase status=$status log=$log_state reasons=$reasons"
stop
