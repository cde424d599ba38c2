// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_memlock - VFIO type1 locked-memory accounting as a user sees it.
 *
 * usage: vfio_memlock GROUP PAGES ROUNDS
 *
 * Attaches IOMMU group GROUP to a type1v2 container, sets RLIMIT_MEMLOCK
 * to PAGES pages, drops root (CAP_IPC_LOCK would bypass the limit) and
 * checks VmLck in /proc/self/status:
 *  - a map up to the limit raises VmLck by exactly its size;
 *  - one page more fails with ENOMEM and leaves VmLck alone;
 *  - the unmap brings VmLck back to where it started;
 *  - ROUNDS times, a fork()ed child that shares the container fd unmaps
 *    the mapping and is killed while it does so, while a thread of the
 *    owner keeps the owner's mmap_lock busy.  Whether the child finished
 *    or not, once the owner has unmapped what is left its VmLck must be
 *    back at the start: the uncharge goes to the owner, not the child,
 *    and must not be lost because the child was killed.
 * Prints TAP-style 'ok N - name' / 'not ok N - name' lines; exits 1 if
 * any check failed, 2 if the set-up failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <linux/vfio.h>

#include "tap.h"
#include "vfio_dma.h"

static volatile int stop_hammer;

/* Takes and drops the owner's mmap_lock for write, over and over. */
static void *hammer_mmap_lock(void *page)
{
	while (!stop_hammer) {
		mprotect(page, 4096, PROT_READ);
		mprotect(page, 4096, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

static int open_container(const char *group_nr)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int container, group;

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		die("open /dev/vfio/vfio");
	snprintf(path, sizeof(path), "/dev/vfio/%s", group_nr);
	group = open(path, O_RDWR);
	if (group < 0)
		die(path);
	if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1)
		die("no type1v2 IOMMU");
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("group not viable");
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("attaching the group");
	return container;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE), npages, rounds, start, r, r_unmapped;
	int container, wstatus, killed_mid_unmap = 0, leaks = 0, ret;
	struct rlimit limit;
	pthread_t hammer;
	size_t size;
	char *buf;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: %s GROUP PAGES ROUNDS\n", argv[0]);
		return 2;
	}
	npages = atol(argv[2]);
	rounds = atol(argv[3]);
	size = npages * page;
	container = open_container(argv[1]);

	limit.rlim_cur = limit.rlim_max = size;
	if (setrlimit(RLIMIT_MEMLOCK, &limit))
		die("setrlimit");
	if (getuid() == 0 && (setgid(65534) || setuid(65534)))
		die("dropping root");

	buf = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("mmap");
	/* The children must not copy pinned memory at every fork(). */
	if (madvise(buf, size + page, MADV_DONTFORK))
		die("madvise");
	memset(buf, 0x5a, size + page);

	start = vmlck_kb();
	check(map_dma(container, buf, 0, size) == 0, "map_up_to_the_limit");
	check(vmlck_kb() == start + (long)(size / 1024), "vmlck_rises_by_the_mapped_size");
	check(map_dma(container, buf + size, size, page) == -ENOMEM,
	      "map_past_the_limit_fails_with_enomem");
	check(vmlck_kb() == start + (long)(size / 1024), "failed_map_leaves_vmlck_unchanged");
	check(unmap_dma(container, 0, size) == (long)size, "unmap");
	check(vmlck_kb() == start, "vmlck_returns_to_start_after_unmap");

	stop_hammer = 0;
	if (pthread_create(&hammer, NULL, hammer_mmap_lock, buf + size))
		die("pthread_create");
	srand(1);
	for (r = 0; r < rounds; r++) {
		struct timespec delay = { 0, 1000000L * (1 + rand() % 20) };

		/*
		 * A charge leaked by an earlier round leaves no room for the
		 * mapping under the limit: that is the failure to report.
		 */
		ret = map_dma(container, buf, 0, size);
		if (ret == -ENOMEM) {
			printf("# round %ld: map failed with ENOMEM, VmLck %ld kB, "
			       "started at %ld kB\n", r, vmlck_kb(), start);
			leaks++;
			break;
		}
		if (ret) {
			errno = -ret;
			die("map in the kill loop");
		}
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(unmap_dma(container, 0, size) == (long)size ? 0 : 1);
		nanosleep(&delay, NULL);
		kill(pid, SIGKILL);
		if (waitpid(pid, &wstatus, 0) != pid)
			die("waitpid");
		/*
		 * Whatever the child left mapped, the owner unmaps now.  If
		 * nothing was left, the child's unmap ran; if the child was
		 * killed all the same, the kill landed while it unmapped.
		 */
		r_unmapped = unmap_dma(container, 0, size);
		if (r_unmapped < 0)
			die("unmap in the kill loop");
		if (WIFSIGNALED(wstatus) && r_unmapped == 0)
			killed_mid_unmap++;
		if (vmlck_kb() != start)
			leaks++;
	}
	stop_hammer = 1;
	pthread_join(hammer, NULL);
	printf("# %ld rounds, %d children killed while their unmap ran, "
	       "%d rounds left VmLck off its start\n", r, killed_mid_unmap, leaks);
	check(killed_mid_unmap > 0, "children_were_killed_mid_unmap");
	check(leaks == 0 && vmlck_kb() == start,
	      "killed_unmapper_leaves_owner_vmlck_correct");
	return tap_status();
}
