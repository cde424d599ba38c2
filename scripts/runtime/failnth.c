// SPDX-License-Identifier: GPL-2.0
/*
 * failnth: make an operation fail at each shrinker allocation step it
 * reaches, one attempt per step, and check that it fails cleanly.
 *
 *   failnth DESC [--optional SHRINKER] mount SRC DIR FSTYPE [DATA]
 *   failnth DESC [--optional SHRINKER] write FILE VALUE UNDO-FILE UNDO-VALUE
 *
 * Attempt n writes n to /proc/self/fail-nth, so that the n-th
 * should_fail() call of this task fails, then runs the operation.  The
 * guest kernel has no fault attribute but fail_shrinker_alloc, so every
 * should_fail() call is a shrinker_alloc() step.  Reading fail-nth back
 * tells whether the failure was injected (it reads 0) or the operation
 * has fewer steps than n (it does not).  The rules:
 *
 *   injected      -> the operation must fail with ENOMEM;
 *   not injected  -> the operation must succeed (the retry without
 *                    injection), which ends the loop.
 *
 * Except: with --optional SHRINKER, the operation may succeed despite
 * the failure if the shrinker named SHRINKER is then not registered
 * (no /sys/kernel/debug/shrinker/SHRINKER-ID).  Some subsystems do
 * without a shrinker on purpose: XFS mounts without quotas when it
 * cannot set them up, zsmalloc runs a pool without its shrinker.
 *
 * A successful operation is undone (umount, or the UNDO write) before
 * the next attempt.  Prints one '@@ ok' or '@@ FAIL' line per problem
 * or per finished operation, for the host to count.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* More steps than any mount has; hitting it means the loop never ends. */
#define MAX_STEPS 64

static int fail_nth_fd;

static void set_fail_nth(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len) {
		perror("failnth: write /proc/self/fail-nth");
		exit(2);
	}
}

static unsigned int get_fail_nth(void)
{
	char buf[16] = "";

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) <= 0) {
		perror("failnth: read /proc/self/fail-nth");
		exit(2);
	}
	return strtoul(buf, NULL, 10);
}

/* Write VALUE to FILE; 0 or the errno of the failing call. */
static int write_file(const char *file, const char *value)
{
	ssize_t len = strlen(value), done;
	int fd = open(file, O_WRONLY);

	if (fd < 0)
		return errno;
	done = write(fd, value, len);
	if (done != len) {
		int err = done < 0 ? errno : EIO;

		close(fd);
		return err;
	}
	return close(fd) ? errno : 0;
}

static char **op;
static const char *optional;

/* Is a shrinker called NAME registered (a debugfs entry NAME-ID)? */
static int shrinker_registered(const char *name)
{
	DIR *dir = opendir("/sys/kernel/debug/shrinker");
	size_t len = strlen(name);
	struct dirent *entry;
	int found = 0;

	if (!dir) {
		perror("failnth: /sys/kernel/debug/shrinker");
		exit(2);
	}
	while ((entry = readdir(dir))) {
		const char *id = entry->d_name + len;

		if (!strncmp(entry->d_name, name, len) && id[0] == '-' &&
		    id[1] && strspn(id + 1, "0123456789") == strlen(id + 1))
			found = 1;
	}
	closedir(dir);
	return found;
}

/* The operation under test; 0 or its errno. */
static int do_op(void)
{
	if (!strcmp(op[0], "mount"))
		return mount(op[1], op[2], op[3], 0, op[4]) ? errno : 0;
	return write_file(op[1], op[2]);
}

static int undo_op(void)
{
	if (!strcmp(op[0], "mount"))
		return umount(op[2]) ? errno : 0;
	return write_file(op[3], op[4]);
}

int main(int argc, char **argv)
{
	const char *desc;
	unsigned int n, went_without = 0;
	int failed = 0;

	desc = argv[1];
	op = argv + 2;
	if (argc > 3 && !strcmp(op[0], "--optional")) {
		optional = op[1];
		op += 2;
		argc -= 2;
	}
	if (argc < 6 || (strcmp(op[0], "mount") && strcmp(op[0], "write")) ||
	    (!strcmp(op[0], "write") && argc != 7)) {
		fprintf(stderr,
			"usage: failnth DESC [--optional SHRINKER] mount SRC DIR FSTYPE [DATA]\n"
			"       failnth DESC [--optional SHRINKER] write FILE VALUE UNDO-FILE UNDO-VALUE\n");
		return 2;
	}
	fail_nth_fd = open("/proc/self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		perror("failnth: /proc/self/fail-nth");
		return 2;
	}

	for (n = 1; n <= MAX_STEPS; n++) {
		int err, injected;

		set_fail_nth(n);
		err = do_op();
		injected = get_fail_nth() == 0;
		set_fail_nth(0);

		if (!injected) {
			if (err) {
				printf("@@ FAIL fault-inject %s: fails without injection: %s\n",
				       desc, strerror(err));
				return 1;
			}
			err = undo_op();
			if (err)
				printf("@@ FAIL fault-inject %s: undo after the retry: %s\n",
				       desc, strerror(err));
			else if (!failed)
				printf("@@ ok fault-inject %s: %u steps, each failed with ENOMEM%s; the retry succeeded\n",
				       desc, n - 1, went_without ? " or went on without its optional shrinker" : "");
			return failed || err;
		}
		if (err == ENOMEM)
			continue;
		if (!err && optional && !shrinker_registered(optional)) {
			printf("@@ note fault-inject %s: step %u: went on without %s, as designed\n",
			       desc, n, optional);
			went_without++;
			if (undo_op())
				return 1;
			continue;
		}
		failed = 1;
		if (!err) {
			printf("@@ FAIL fault-inject %s: step %u: succeeded despite the failure\n",
			       desc, n);
			if (undo_op())
				return 1;
		} else {
			printf("@@ FAIL fault-inject %s: step %u: %s, not ENOMEM\n",
			       desc, n, strerror(err));
		}
	}
	printf("@@ FAIL fault-inject %s: still failing after %d steps\n",
	       desc, MAX_STEPS);
	return 1;
}
