#!/usr/bin/env python3
"""Tell whether kbuild builds each given object with a configuration.

usage: kbuild_enabled.py SRCTREE AUTO_CONF OBJECT...

OBJECT is a path like mm/shrinker.o.  Prints one line per object,
'yes', 'no' or 'unknown' and the object, and exits 1 if any is 'no'.

A single-target 'make path/foo.o' compiles foo.c whether or not the
configuration selects it, so a compile check must also know that the
object is really part of the build.  This reads the Makefile (or Kbuild)
of the object's directory: an object is built if an 'obj-y', 'obj-m' or
'obj-$(CONFIG_X)' line with X set to y or m names it, or names a
composite object ('foo-y', 'foo-objs', 'foo-$(CONFIG_X)') that is built,
and if its directory is built, by the same rule one level up.  Lines
under ifdef/ifeq are taken as they stand; expressions it cannot read make
the answer 'unknown', never 'no'.
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


def built(srctree, config, directory, word, depth=0):
    """Is 'word' (foo.o or sub/) built from 'directory'?"""
    if depth > 8:
        return "unknown"
    answers = []
    for var, words in assignments(srctree, directory):
        if word not in words:
            continue
        prefix, _, suffix = var.partition("-")
        if not suffix:
            continue
        cond = condition(suffix, config)
        if prefix in ("obj", "lib"):
            answers.append(cond)
        elif prefix not in ("ccflags", "subdir", "always", "extra", "targets",
                            "hostprogs", "clean", "CFLAGS_" + prefix):
            answers.append(combine(cond, built(srctree, config, directory,
                                               prefix + ".o", depth + 1)))
    if not answers:
        return "no"
    if "yes" in answers:
        answer = "yes"
    else:
        answer = "unknown" if "unknown" in answers else "no"
    if answer == "no" or "/" not in directory.rstrip("/"):
        return answer
    # The directory itself must be built by its parent.
    parent, sub = os.path.split(directory.rstrip("/"))
    return combine(answer, dir_built(srctree, config, parent, sub + "/", depth))


def dir_built(srctree, config, parent, sub, depth):
    # Top-level directories, and arch/$ARCH, come from the top Makefile.
    if parent in ("", "arch"):
        return "yes"
    return built(srctree, config, parent, sub, depth + 1)


def main(argv):
    if len(argv) < 4 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    srctree, config = argv[1], read_config(argv[2])
    status = 0
    for obj in argv[3:]:
        directory, name = os.path.split(obj)
        answer = built(srctree, config, directory, name)
        print(f"{answer} {obj}")
        status |= answer == "no"
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
