#!/usr/bin/env python3
"""Tell whether kbuild builds each given object with a configuration.

usage: kbuild_enabled.py SRCTREE AUTO_CONF OBJECT...

OBJECT is a path like mm/shrinker.o.  Prints one line per object,
'yes', 'no' or 'unknown' and the object, and exits 1 if any is 'no'.

A single-target 'make path/foo.o' compiles foo.c whether or not the
configuration selects it, so a compile check must also know that the
object is really part of the build.  An object is built if the Makefile
(or Kbuild) of its directory, or of an ancestor naming it by a longer
relative path ('kvm-y += mmu/mmu.o'), has an 'obj-y', 'obj-m' or
'obj-$(CONFIG_X)' line with X set to y or m that names it, or names a
composite object ('foo-y', 'foo-objs', 'foo-$(CONFIG_X)') or a list used
as '$(var)' that is built; and if the directory holding that Makefile is
built, by the same rule one level up.  Lines under ifdef/ifeq are taken
as they stand; expressions it cannot read make the answer 'unknown',
never 'no', and so does a path through '..', such as
arch/x86/kvm/../../../virt/kvm/kvm_main.o.
"""
import os
import re
import sys

ASSIGN = re.compile(r'^\s*([A-Za-z0-9_.$()-]+)\s*(?::=|\+=|=)\s*(.*)$')


def read_config(path):
    config = {}
    with open(path) as f:
        for line in f:
            m = re.match(r'^(CONFIG_[A-Za-z0-9_]+)=(.*)$', line.strip())
            if m:
                config[m.group(1)] = m.group(2).strip('"')
    return config


def assignments(srctree, directory, cache={}):
    """[(variable, [words])] of the directory's Kbuild/Makefile."""
    if directory in cache:
        return cache[directory]
    result = []
    for name in ("Kbuild", "Makefile"):
        path = os.path.join(srctree, directory, name)
        if not os.path.exists(path):
            continue
        with open(path, errors="replace") as f:
            text = f.read().replace("\\\n", " ")
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            m = ASSIGN.match(line)
            if m:
                result.append((m.group(1), m.group(2).split()))
        break
    cache[directory] = result
    return result


def condition(suffix, config):
    """'yes', 'no' or 'unknown' for the part after 'obj-' or 'foo-'."""
    if suffix in ("y", "m", "objs"):
        return "yes"
    m = re.fullmatch(r'\$\((CONFIG_[A-Za-z0-9_]+)\)', suffix)
    if m:
        return "yes" if config.get(m.group(1)) in ("y", "m") else "no"
    return "unknown"


def combine(a, b):
    if "no" in (a, b):
        return "no"
    return "unknown" if "unknown" in (a, b) else "yes"


IGNORED = ("ccflags", "asflags", "ldflags", "subdir", "always", "extra",
           "targets", "hostprogs", "clean", "userprogs", "CFLAGS", "AFLAGS")


def named(srctree, config, directory, word, depth=0):
    """Is 'word' built by the Makefile of 'directory' (not looking up)?"""
    if depth > 8:
        return "unknown"
    answers = []
    for var, words in assignments(srctree, directory):
        if word not in words:
            continue
        prefix, _, suffix = var.partition("-")
        if not suffix or prefix.startswith(IGNORED):
            continue
        cond = condition(suffix, config)
        if prefix in ("obj", "lib"):
            answers.append(cond)
            continue
        # A composite object 'prefix.o', or a list used as '$(var)'.
        inner = named(srctree, config, directory, prefix + ".o", depth + 1)
        if inner == "no":
            inner = named(srctree, config, directory, "$(" + var + ")",
                          depth + 1)
        answers.append(combine(cond, inner))
    if "yes" in answers:
        return "yes"
    return "unknown" if "unknown" in answers else "no"


def built(srctree, config, path):
    """Is 'path' (dir/foo.o or dir/sub/) built?  Looks in the Makefile of
    its own directory, then in its ancestors' for the longer relative
    path (kbuild allows 'obj-y += sub/foo.o'), and requires the directory
    that names it to be built too."""
    if "/../" in path:
        # Named from another directory by a relative path through a
        # variable or an included Makefile (x86's kvm-y += $(KVM)/...):
        # not read here.
        return "unknown"
    parts = path.rstrip("/").split("/")
    tail = "/" if path.endswith("/") else ""
    for cut in range(len(parts) - 1, 0, -1):
        directory = "/".join(parts[:cut])
        word = "/".join(parts[cut:]) + tail
        answer = named(srctree, config, directory, word)
        if answer == "no":
            continue
        if cut == 1 or parts[0] == "arch" and cut == 2:
            return answer
        return combine(answer, built(srctree, config, directory + "/"))
    # Top-level directories and arch/$ARCH come from the top Makefile.
    if len(parts) == 1 or parts[0] == "arch" and len(parts) == 2:
        return "yes" if tail else "unknown"
    return "no"


def main(argv):
    if len(argv) < 4 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    srctree, config = argv[1], read_config(argv[2])
    status = 0
    for obj in argv[3:]:
        answer = built(srctree, config, obj)
        print(f"{answer} {obj}")
        status |= answer == "no"
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
