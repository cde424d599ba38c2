/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the VFIO e2e programs share: the caller's VmLck, and type1 map and
 * unmap through the ioctls.  Include after tap.h (die()).
 */
#ifndef E2E_VFIO_DMA_H
#define E2E_VFIO_DMA_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

/* VmLck of this process in kB, the mm's locked_vm. */
static long vmlck_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		die("/proc/self/status");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* VFIO_IOMMU_MAP_DMA, read and write; 0 or -errno. */
static int map_dma(int container, void *vaddr, uint64_t iova, size_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (unsigned long)vaddr,
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &map) ? -errno : 0;
}

/* VFIO_IOMMU_UNMAP_DMA; the number of bytes unmapped, or -errno. */
static long unmap_dma(int container, uint64_t iova, size_t size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) ? -errno : (long)unmap.size;
}

#endif
