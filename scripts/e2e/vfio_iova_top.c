// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_iova_top - a type1 mapping that ends at 2^64, as a user sees it.
 *
 * usage: vfio_iova_top GROUP
 *
 * Attaches IOMMU group GROUP to a type1v2 container and checks that the
 * usable IOVA ranges it reports reach 2^64 - 1, as an AMD IOMMU's v1 page
 * table does (a set-up failure otherwise: run it behind such an IOMMU).
 * Then, as an unprivileged user, it maps the last two pages below 2^64:
 *  - VmLck rises by the mapped size;
 *  - VFIO_IOMMU_UNMAP_DMA reports the whole size unmapped, and VmLck is
 *    back at its start;
 *  - mapped again and left mapped, closing the container brings VmLck
 *    back to its start as well.
 * Before "vfio/type1: handle DMA map/unmap up to the addressable limit"
 * the unmap reported 0 bytes and neither path unpinned or uncharged.
 * Prints TAP-style lines (tap.h); exits 1 if a check failed, 2 if the
 * set-up failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <linux/vfio.h>

#include "tap.h"
#include "vfio_dma.h"

#define NPAGES	2

static int open_container(const char *group_nr, int *group)
{
	char path[64];
	int container;

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		die("open /dev/vfio/vfio");
	snprintf(path, sizeof(path), "/dev/vfio/%s", group_nr);
	*group = open(path, O_RDWR);
	if (*group < 0)
		die(path);
	if (ioctl(*group, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("attaching the group");
	return container;
}

/* The last IOVA the container may map, from its IOVA range capability. */
static uint64_t iova_last(int container)
{
	struct vfio_iommu_type1_info *info;
	struct vfio_info_cap_header *hdr;
	struct vfio_iommu_type1_info_cap_iova_range *cap;
	uint32_t argsz = sizeof(*info);
	uint64_t last = 0;

	info = calloc(1, argsz);
	if (!info)
		die("calloc");
	info->argsz = argsz;
	if (ioctl(container, VFIO_IOMMU_GET_INFO, info))
		die("VFIO_IOMMU_GET_INFO");
	if (info->argsz > argsz) {
		argsz = info->argsz;
		info = realloc(info, argsz);
		if (!info)
			die("realloc");
		memset(info, 0, argsz);
		info->argsz = argsz;
		if (ioctl(container, VFIO_IOMMU_GET_INFO, info))
			die("VFIO_IOMMU_GET_INFO");
	}
	if (!(info->flags & VFIO_IOMMU_INFO_CAPS) || !info->cap_offset)
		die("no IOVA range capability");
	for (hdr = (void *)info + info->cap_offset;;
	     hdr = (void *)info + hdr->next) {
		if (hdr->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			cap = (void *)hdr;
			if (cap->nr_iovas)
				last = cap->iova_ranges[cap->nr_iovas - 1].end;
		}
		if (!hdr->next)
			break;
	}
	free(info);
	return last;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE), start;
	size_t size = NPAGES * page;
	int container, group;
	struct rlimit limit;
	uint64_t last, iova;
	char *buf;

	if (argc != 2) {
		fprintf(stderr, "usage: %s GROUP\n", argv[0]);
		return 2;
	}
	container = open_container(argv[1], &group);
	last = iova_last(container);
	printf("# the last usable IOVA is 0x%llx\n", (unsigned long long)last);
	if (last != UINT64_MAX) {
		errno = ERANGE;
		die("the IOMMU's aperture does not reach 2^64");
	}
	iova = last - size + 1;

	limit.rlim_cur = limit.rlim_max = 16 * size;
	if (setrlimit(RLIMIT_MEMLOCK, &limit))
		die("setrlimit");
	if (getuid() == 0 && (setgid(65534) || setuid(65534)))
		die("dropping root");

	buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("mmap");
	memset(buf, 0x5a, size);

	start = vmlck_kb();
	check(map_dma(container, buf, iova, size) == 0, "map_ending_at_2^64");
	check(vmlck_kb() == start + (long)(size / 1024),
	      "vmlck_rises_by_the_mapped_size");
	check(unmap_dma(container, iova, size) == (long)size,
	      "unmap_reports_the_whole_size");
	check(vmlck_kb() == start, "vmlck_returns_to_start_after_unmap");

	check(map_dma(container, buf, iova, size) == 0, "map_ending_at_2^64_again");
	close(group);
	close(container);
	check(vmlck_kb() == start, "vmlck_returns_to_start_after_close");
	return tap_status();
}
