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

// Half converted: the new API on a shrinker it did not allocate.
struct my_dev {
	struct {
		struct list_head list;
		struct shrinker shrinker;
	} mm;
};

static struct shrinker my_static_shrinker;

static unsigned long my_dev_count(struct shrinker *s,
				  struct shrink_control *sc)
{
	struct my_dev *d = container_of(s, struct my_dev, mm.shrinker);

	return d ? 1 : 0;
}

static void my_dev_init(struct my_dev *d)
{
	shrinker_register(&d->mm.shrinker);
	shrinker_register(&my_static_shrinker);
}

// Converted: nothing here may be reported.
struct my_good_cache {
	struct shrinker *shrinker;
};

static int my_good_init(struct my_good_cache *c)
{
	c->shrinker = shrinker_alloc(0, "my-good-cache");
	if (!c->shrinker)
		return -ENOMEM;
	c->shrinker->private_data = c;
	shrinker_register(c->shrinker);
	return 0;
}

static void my_good_exit(struct my_good_cache *c)
{
	shrinker_free(c->shrinker);
}
