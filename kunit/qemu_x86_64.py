# SPDX-License-Identifier: GPL-2.0
# QEMU settings for 'scripts/series kunit' (kunit.py --qemu_config): the
# upstream x86_64 ones, plus
#  - two vCPUs, so that the shrinker suite's kthreads really run in
#    parallel with the test, and 2 GiB for KASAN;
#  - '-cpu EPYC': the kvm_lifecycle suite creates real VMs, and under TCG
#    QEMU emulates AMD SVM (kvm_amd initialises) but not Intel VMX;
#  - 'tsc_early_khz=2000000': a fixed guest TSC frequency; without it one
#    boot hung in KVM_RUN after "Marking TSC unstable".
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
			   kconfig='''
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y''',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0 tsc_early_khz=2000000',
			   extra_qemu_params=['-bios', 'qboot.rom',
					      '-cpu', 'EPYC',
					      '-smp', '2', '-m', '2048'])
