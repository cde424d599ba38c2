// SPDX-License-Identifier: GPL-2.0
/*
 * Figure (a) of scripts/series bench: how long registering and freeing a
 * shrinker takes while another shrinker's ->scan_objects() sleeps.
 *
 * On load the module registers "bench-sleeper", whose count_objects()
 * always has objects and whose scan_objects() sleeps sleep_ms.  Something
 * in the guest must keep reclaim walking the shrinkers meanwhile (a loop
 * writing 2 to /proc/sys/vm/drop_caches).  It then times 'samples' pairs
 * of allocate + register + unregister + free of a trivial shrinker with
 * ktime_get_ns(), stopping early after budget_s seconds, and frees the
 * sleeper.  It prints the samples in the order they were taken, ten a
 * line, then the summary (times in ns but for W):
 *
 *   bench_shrinker: ns V1 V2 ...
 *   bench_shrinker: api=new|old samples=N p50=.. p99=.. max=.. window_ms=W sleeper_scans=K
 *
 * W is how long the timing took and K how many times the sleeper was
 * scanned meanwhile: K * sleep_ms close to W means reclaim was in the
 * sleeper all along, K = 0 that nothing walked the shrinkers.
 *
 * The module stays loaded, inert, until rmmod.
 *
 * BENCH_NEW_API (set by Kbuild when the kernel declares shrinker_alloc())
 * selects shrinker_alloc()/shrinker_register()/shrinker_free(); without
 * it, register_shrinker()/unregister_shrinker() on an embedded struct.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/sort.h>

static unsigned int samples = 200;
module_param(samples, uint, 0444);
MODULE_PARM_DESC(samples, "register+free pairs to time (default 200)");
static unsigned int sleep_ms = 100;
module_param(sleep_ms, uint, 0444);
MODULE_PARM_DESC(sleep_ms, "how long the sleeper's scan_objects sleeps (default 100)");
static unsigned int budget_s = 120;
module_param(budget_s, uint, 0444);
MODULE_PARM_DESC(budget_s, "stop timing after this many seconds (default 120)");

static atomic_t sleeper_scans = ATOMIC_INIT(0);

static unsigned long sleeper_count(struct shrinker *s, struct shrink_control *sc)
{
	return 1024;
}

static unsigned long sleeper_scan(struct shrinker *s, struct shrink_control *sc)
{
	atomic_inc(&sleeper_scans);
	msleep(sleep_ms);
	return SHRINK_STOP;
}

static unsigned long trivial_count(struct shrinker *s, struct shrink_control *sc)
{
	return 0;
}

static unsigned long trivial_scan(struct shrinker *s, struct shrink_control *sc)
{
	return SHRINK_STOP;
}

#ifdef BENCH_NEW_API
#define BENCH_API "new"
static struct shrinker *sleeper;

static int sleeper_add(void)
{
	sleeper = shrinker_alloc(0, "bench-sleeper");
	if (!sleeper)
		return -ENOMEM;
	sleeper->count_objects = sleeper_count;
	sleeper->scan_objects = sleeper_scan;
	shrinker_register(sleeper);
	return 0;
}

static void sleeper_del(void)
{
	shrinker_free(sleeper);
}

/* One timed pair: what a filesystem does at mount and at unmount. */
static int trivial_pair(void)
{
	struct shrinker *s = shrinker_alloc(0, "bench-trivial");

	if (!s)
		return -ENOMEM;
	s->count_objects = trivial_count;
	s->scan_objects = trivial_scan;
	shrinker_register(s);
	shrinker_free(s);
	return 0;
}
#else
#define BENCH_API "old"
static struct shrinker sleeper = {
	.count_objects = sleeper_count,
	.scan_objects = sleeper_scan,
	.seeks = DEFAULT_SEEKS,
};

static int sleeper_add(void)
{
	return register_shrinker(&sleeper, "bench-sleeper");
}

static void sleeper_del(void)
{
	unregister_shrinker(&sleeper);
}

/* One timed pair, allocating the struct as shrinker_alloc() does. */
static int trivial_pair(void)
{
	struct shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);
	int err;

	if (!s)
		return -ENOMEM;
	s->count_objects = trivial_count;
	s->scan_objects = trivial_scan;
	s->seeks = DEFAULT_SEEKS;
	err = register_shrinker(s, "bench-trivial");
	if (!err)
		unregister_shrinker(s);
	kfree(s);
	return err;
}
#endif

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile of n sorted values. */
static u64 percentile(const u64 *v, unsigned int n, unsigned int pct)
{
	unsigned int rank = DIV_ROUND_UP(n * pct, 100);

	return v[rank ? rank - 1 : 0];
}

static void print_samples(const u64 *v, unsigned int n)
{
	char line[256];
	unsigned int i, len = 0;

	for (i = 0; i < n; i++) {
		len += scnprintf(line + len, sizeof(line) - len, " %llu", v[i]);
		if (i % 10 == 9 || i == n - 1) {
			pr_info("bench_shrinker: ns%s\n", line);
			len = 0;
		}
	}
}

static int __init bench_shrinker_init(void)
{
	u64 *lat, start, deadline, t0, t1;
	unsigned int i, n = 0;
	int scans, err;

	if (!samples)
		return -EINVAL;
	lat = kcalloc(samples, sizeof(*lat), GFP_KERNEL);
	if (!lat)
		return -ENOMEM;
	err = sleeper_add();
	if (err)
		goto out;
	/* Let the reclaim walker reach the sleeper. */
	msleep(2 * sleep_ms);
	scans = atomic_read(&sleeper_scans);
	start = ktime_get_ns();
	deadline = start + (u64)budget_s * NSEC_PER_SEC;
	for (i = 0; i < samples; i++) {
		t0 = ktime_get_ns();
		err = trivial_pair();
		t1 = ktime_get_ns();
		if (err)
			break;
		lat[n++] = t1 - t0;
		if (t1 > deadline)
			break;
		/* Start the next pair at another point of the sleeper's scan. */
		usleep_range(500, 1500);
	}
	scans = atomic_read(&sleeper_scans) - scans;
	t1 = ktime_get_ns();
	sleeper_del();
	if (err) {
		pr_err("bench_shrinker: a register+free pair failed: %d\n", err);
		goto out;
	}
	print_samples(lat, n);
	sort(lat, n, sizeof(*lat), cmp_u64, NULL);
	pr_info("bench_shrinker: api=%s samples=%u p50=%llu p99=%llu max=%llu window_ms=%llu sleeper_scans=%d\n",
		BENCH_API, n, percentile(lat, n, 50), percentile(lat, n, 99),
		lat[n - 1], div_u64(t1 - start, NSEC_PER_MSEC), scans);
out:
	kfree(lat);
	return err;
}

static void __exit bench_shrinker_exit(void)
{
}

module_init(bench_shrinker_init);
module_exit(bench_shrinker_exit);
MODULE_DESCRIPTION("Shrinker register+free latency under a sleeping scan_objects()");
MODULE_LICENSE("GPL");
