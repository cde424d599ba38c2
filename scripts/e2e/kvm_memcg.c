// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_memcg - the one rule of Documentation/virt/kvm/api.rst section 2.2
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
 * A creator process joins a new cgroup, creates a VM with vcpus, hands
 * the VM and vcpu fds to a holder process in the root cgroup, moves itself
 * to the root cgroup and exits.  The cgroup's memory.current must still
 * hold the VM's memory, and must drop by it once the holder closes them.
 * Prints 'ok N - name' / 'not ok N - name'; exits 1 if a check failed,
 * 2 if the set-up failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/kvm.h>

#define NR_VCPUS 8
/* Far less than NR_VCPUS vcpus cost (struct vcpu_svm, VMCB, MSR bitmaps). */
#define VM_MIN_BYTES (NR_VCPUS * 16384L)

static int checks, failures;
static char cgroup[256], root[256];

static void check(int ok, const char *name)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++checks, name);
	if (!ok)
		failures++;
}

static void die(const char *what)
{
	printf("kvm_memcg: %s: %s\n", what, strerror(errno));
	exit(2);
}

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
 * The creator: makes the VM in the cgroup, forks the holder, leaves the
 * cgroup and exits.  The holder reports on 'up' and closes its copy of
 * the VM fd when 'down' gives it a byte.
 */
static void creator(int up, int down)
{
	int kvm, vm, i;

	join(cgroup);
	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	for (i = 0; i < NR_VCPUS; i++)
		if (ioctl(vm, KVM_CREATE_VCPU, i) < 0)
			die("KVM_CREATE_VCPU");
	/* The holder is forked here, so it inherits the VM fd... */
	if (fork() == 0) {
		char byte;

		join(root);
		if (write(up, "r", 1) != 1)
			_exit(2);
		/* ...and keeps it until the test says so. */
		if (read(down, &byte, 1) != 1)
			_exit(2);
		/*
		 * The VM fd is not the only reference: the vcpu fds, also
		 * inherited, hold the VM too.  Close every one of them; each
		 * close() has released its file when it returns.
		 */
		for (i = 3; i < 64; i++)
			if (i != up && i != down)
				close(i);
		_exit(write(up, "c", 1) == 1 ? 0 : 2);
	}
	/* The creator closes its own copies and leaves the cgroup. */
	close(vm);
	close(kvm);
	join(root);
	_exit(0);
}

int main(int argc, char **argv)
{
	long before, creator_gone, vm_gone;
	int up[2], down[2], wstatus;
	pid_t pid;
	char byte;

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

	before = memory_current();
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
	if (waitpid(pid, &wstatus, 0) != pid || !WIFEXITED(wstatus) ||
	    WEXITSTATUS(wstatus))
		die("the creator failed");
	if (read(up[0], &byte, 1) != 1)
		die("the holder did not start");
	creator_gone = memory_current();

	/* Let the holder close its VM and vcpu fds: the VM is destroyed. */
	if (write(down[1], "c", 1) != 1 || read(up[0], &byte, 1) != 1)
		die("the holder did not close the VM");
	vm_gone = memory_current();

	printf("# %s memory.current: %ld before, %ld with the creator gone, "
	       "%ld with the VM gone\n", cgroup, before, creator_gone, vm_gone);
	check(creator_gone - before >= VM_MIN_BYTES,
	      "memcg_charges_stay_after_creator_exits_and_moves");
	check(creator_gone - vm_gone >= VM_MIN_BYTES,
	      "memcg_charges_go_at_vm_destruction");
	return failures ? 1 : 0;
}
