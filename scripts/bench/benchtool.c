// SPDX-License-Identifier: GPL-2.0
/*
 * Guest helper of scripts/series bench, figure (c):
 *
 *   benchtool memcgs N CGROUP_DIR FILE_DIR
 *	make N cgroups CGROUP_DIR/bench-I; in each, a child process writes
 *	a 4 KiB file FILE_DIR/f-I (a tmpfs), so the cgroup's memcg holds its
 *	page and its inode and dentry, then exits.
 *   benchtool drop N
 *	write 2 to /proc/sys/vm/drop_caches once, then N times more; print
 *	the wall time of each in ms: '@@ c first_ms T0' (it frees what the
 *	set-up left reclaimable) and '@@ c drop_ms T1 T2 ...' (these walk
 *	the shrinkers of every memcg again, with little left to free).
 *
 * Exits 1 with one line on stderr when a step fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what, const char *path)
{
	fprintf(stderr, "benchtool: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die("open", path);
	if (write(fd, buf, len) != (ssize_t)len)
		die("write", path);
	if (close(fd))
		die("close", path);
}

static int memcgs(int n, const char *cgroot, const char *dir)
{
	static char page[4096];
	char cg[4096], procs[4200], file[4096];
	int i, status;
	pid_t pid;

	memset(page, 'x', sizeof(page));
	for (i = 0; i < n; i++) {
		snprintf(cg, sizeof(cg), "%s/bench-%d", cgroot, i);
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		snprintf(file, sizeof(file), "%s/f-%d", dir, i);
		if (mkdir(cg, 0755) && errno != EEXIST)
			die("mkdir", cg);
		pid = fork();
		if (pid < 0)
			die("fork for", cg);
		if (pid == 0) {
			write_file(procs, "0", 1);
			write_file(file, page, sizeof(page));
			_exit(0);
		}
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid for", cg);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			exit(1);
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The wall time in ms of one write of 2 to drop_caches. */
static double drop_once(void)
{
	double t0 = now_ms();

	write_file("/proc/sys/vm/drop_caches", "2", 1);
	return now_ms() - t0;
}

static int drop(int n)
{
	int i;

	printf("@@ c first_ms %.3f\n@@ c drop_ms", drop_once());
	for (i = 0; i < n; i++)
		printf(" %.3f", drop_once());
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "memcgs"))
		return memcgs(atoi(argv[2]), argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "drop"))
		return drop(atoi(argv[2]));
	fprintf(stderr, "usage: benchtool memcgs N CGROUP_DIR FILE_DIR | drop N\n");
	return 2;
}
