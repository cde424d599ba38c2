// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_vfio_group - the rule of Documentation/virt/kvm/devices/vfio.rst
 * about the kvm-vfio device that the kvm_lifecycle KUnit suite cannot
 * check, because it needs a real VFIO group:
 *
 *   The kvm-vfio device itself holds a reference to each VFIO group file
 *   added with KVM_DEV_VFIO_GROUP_ADD, until KVM_DEV_VFIO_GROUP_DEL or
 *   until the kvm-vfio device is freed.
 *
 * usage: kvm_vfio_group GROUP
 *
 * A VFIO group can be open only once at a time: open() fails with EBUSY
 * until the file of the previous open is released.  So whether the group
 * file is still referenced shows in whether it can be opened again.
 * Prints 'ok N - name' / 'not ok N - name'; exits 1 if a check failed,
 * 2 if the set-up failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "tap.h"

static char group_path[64];

static int open_group(void)
{
	int fd = open(group_path, O_RDWR);

	if (fd < 0)
		die(group_path);
	return fd;
}

/* Can the group be opened now?  Closes what it opened. */
static int group_is_free(void)
{
	int fd = open(group_path, O_RDWR);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (errno != EBUSY)
		die(group_path);
	return 0;
}

static int create_kvm_vfio(int vm)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_VFIO };

	if (ioctl(vm, KVM_CREATE_DEVICE, &dev))
		die("KVM_CREATE_DEVICE");
	return dev.fd;
}

static void group_op(int dev, __u64 op, int group)
{
	__s32 fd = group;
	struct kvm_device_attr attr = {
		.group = KVM_DEV_VFIO_GROUP,
		.attr = op,
		.addr = (__u64)(unsigned long)&fd,
	};

	if (ioctl(dev, KVM_SET_DEVICE_ATTR, &attr))
		die(op == KVM_DEV_VFIO_GROUP_ADD ? "KVM_DEV_VFIO_GROUP_ADD" :
						  "KVM_DEV_VFIO_GROUP_DEL");
}

int main(int argc, char **argv)
{
	int kvm, vm, dev, group;

	if (argc != 2) {
		fprintf(stderr, "usage: %s GROUP\n", argv[0]);
		return 2;
	}
	snprintf(group_path, sizeof(group_path), "/dev/vfio/%s", argv[1]);
	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	if (!group_is_free())
		die("the group is busy before the test");

	/* Added, then closed by its opener: the device keeps the file... */
	dev = create_kvm_vfio(vm);
	group = open_group();
	group_op(dev, KVM_DEV_VFIO_GROUP_ADD, group);
	close(group);
	check(!group_is_free(), "kvm_vfio_device_holds_an_added_group_file");
	/* ...until the device is freed, which its release does at close. */
	close(dev);
	check(group_is_free(), "kvm_vfio_device_drops_group_files_when_freed");

	/* Added and deleted: the device keeps nothing. */
	dev = create_kvm_vfio(vm);
	group = open_group();
	group_op(dev, KVM_DEV_VFIO_GROUP_ADD, group);
	group_op(dev, KVM_DEV_VFIO_GROUP_DEL, group);
	close(group);
	check(group_is_free(), "kvm_vfio_group_del_drops_the_group_file");
	close(dev);
	close(vm);
	close(kvm);
	return tap_status();
}
