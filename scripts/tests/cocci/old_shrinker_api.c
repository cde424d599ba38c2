// SPDX-License-Identifier: GPL-2.0
// An out-of-tree style user of the removed shrinker API: the input on
// which scripts/tests/pipeline.sh runs shrinker_alloc.cocci.
#include <linux/shrinker.h>

struct my_cache {
	unsigned long nr;
	struct shrinker shrinker;
};

static unsigned long my_count(struct shrinker *s, struct shrink_control *sc)
{
	struct my_cache *c = container_of(s, struct my_cache, shrinker);

	return c->nr;
}

static unsigned long my_scan(struct shrinker *s, struct shrink_control *sc)
{
	return SHRINK_STOP;
}

static int my_init(struct my_cache *c)
{
	c->shrinker.count_objects = my_count;
	c->shrinker.scan_objects = my_scan;
	c->shrinker.seeks = DEFAULT_SEEKS;
	return register_shrinker(&c->shrinker, "my-cache");
}

static void my_exit(struct my_cache *c)
{
	unregister_shrinker(&c->shrinker);
	synchronize_shrinkers();
}
