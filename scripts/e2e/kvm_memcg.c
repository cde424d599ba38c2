// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_memcg - the memory cgroup rule of Documentation/virt/kvm/api.rst section 2
 * that the kvm_lifecycle KUnit suite cannot check, because it needs a
 * non-root memory cgroup and a process in it:
 *
 *   Memory that KVM allocates for the VM and its vcpus is charged to the
 *   memory cgroup of the task that causes the allocation [...].  Most of
 *   it is freed, and uncharged, only when the VM is destroyed, even if
 *   the creator has exited or has moved to another cgroup.
 *
 * usage: kvm_memcg CGROUP2_MOUNT
 *
 * A creator process joins a new cgroup and creates a VM with vcpus.  The
 * test, which never joins that cgroup, takes copies of the VM and vcpu
 * fds with pidfd_getfd(); the creator moves back to the root cgroup and
 * exits, and the memory of the process goes with it.  What the cgroup
 * still holds then is the VM's, and it must go when the test closes the
 * fds.  Prints 'ok N - name' / 'not ok N - name'; exits 1 if a check
 * failed, 2 if the set-up failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/kvm.h>

#include "tap.h"

#define NR_VCPUS 32
/*
 * Half of what NR_VCPUS vcpus cost (struct vcpu_svm, VMCB, MSR bitmaps,
 * kvm_run): well above the 64 pages that a memcg may hold in its per-cpu
 * charge stock, which memory.current counts too.
 */
#define VM_MIN_BYTES (NR_VCPUS * 32768L)

static char cgroup[256], root[256];

static long memory_current(void)
{
	char path[300];
	long bytes = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.current", cgroup);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%ld", &bytes) != 1)
		die(path);
	fclose(f);
	return bytes;
}

static void join(const char *dir)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
		die(path);
}

/*
 * The creator: makes the VM in the cgroup, sends its fd numbers up, waits
 * until 'down' is closed, leaves the cgroup and exits.
 */
static void creator(int up, int down)
{
	int fds[1 + NR_VCPUS], kvm, i;
	char byte;

	join(cgroup);
	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		die("/dev/kvm");
	fds[0] = ioctl(kvm, KVM_CREATE_VM, 0);
	if (fds[0] < 0)
		die("KVM_CREATE_VM");
	for (i = 0; i < NR_VCPUS; i++) {
		fds[1 + i] = ioctl(fds[0], KVM_CREATE_VCPU, i);
		if (fds[1 + i] < 0)
			die("KVM_CREATE_VCPU");
	}
	if (write(up, fds, sizeof(fds)) != sizeof(fds))
		die("write");
	(void)!read(down, &byte, 1);
	join(root);
	_exit(0);
}

int main(int argc, char **argv)
{
	long with_creator, creator_gone, vm_gone;
	int up[2], down[2], fds[1 + NR_VCPUS], pidfd, copy, wstatus, i;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CGROUP2_MOUNT\n", argv[0]);
		return 2;
	}
	snprintf(root, sizeof(root), "%s", argv[1]);
	snprintf(cgroup, sizeof(cgroup), "%s/kvm-memcg", argv[1]);
	if (mkdir(cgroup, 0755) && errno != EEXIST)
		die(cgroup);
	if (pipe(up) || pipe(down))
		die("pipe");

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		creator(up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], fds, sizeof(fds)) != sizeof(fds))
		die("the creator failed");
	with_creator = memory_current();

	/* Copies of the creator's VM and vcpu fds, made from outside. */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		die("pidfd_open");
	for (i = 0; i < 1 + NR_VCPUS; i++) {
		copy = syscall(SYS_pidfd_getfd, pidfd, fds[i], 0);
		if (copy < 0)
			die("pidfd_getfd");
		fds[i] = copy;
	}

	/* The creator leaves the cgroup and exits. */
	close(down[1]);
	if (waitpid(pid, &wstatus, 0) != pid || !WIFEXITED(wstatus) ||
	    WEXITSTATUS(wstatus))
		die("the creator failed");
	creator_gone = memory_current();

	/* Closing the last fds destroys the VM. */
	for (i = 0; i < 1 + NR_VCPUS; i++)
		close(fds[i]);
	vm_gone = memory_current();

	printf("# %s memory.current: %ld with the creator, %ld with the creator "
	       "gone, %ld with the VM gone\n", cgroup, with_creator, creator_gone,
	       vm_gone);
	check(creator_gone >= VM_MIN_BYTES,
	      "memcg_charges_stay_after_creator_exits_and_moves");
	/* "Most of it": at least half of what the creator left behind. */
	check(creator_gone - vm_gone >= VM_MIN_BYTES &&
	      creator_gone - vm_gone >= creator_gone / 2,
	      "memcg_charges_go_at_vm_destruction");
	return tap_status();
}
