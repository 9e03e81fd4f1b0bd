#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-layers.py - `make check-layers`: the arrows between folders that
harness/README.md allows, checked against the includes in the code.

harness/README.md's table says, for each folder of harness/, which other
folders it "may use". This script reads every `#include "..."` of
common/, models/ and harness/ and fails (exit 1, one line per wrong
arrow) when:

  - a file of common/ includes models/ or harness/, or one of models/
    includes harness/ (arrows go down: harness -> models -> common);
  - a file of harness/X/ includes harness/Y/ and Y is not in X's "may use"
    column (harness/main.c, the table of commands, may use every folder);
  - a folder of harness/ is not in the table (a new folder needs its row);
  - two files include each other, directly or round a longer loop (a
    file is its .c and its .h: a.c including b.h is an arrow a -> b).

`--self-test` builds a small tree with one of each mistake in a temporary
folder and checks that every one is reported, so the check itself can
fail.
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
ROW = re.compile(r'^\|\s*`([a-z_]+)/`\s*\|.*\|\s*([^|]*?)\s*\|\s*$')


def read_table(root):
    """{folder: set of folders it may use} from harness/README.md."""
    allowed = {}
    with open(os.path.join(root, "harness/README.md"), encoding="utf-8") as f:
        for line in f:
            m = ROW.match(line)
            if not m:
                continue
            uses = m.group(2).replace("—", "").replace("-", "")
            names = {u.strip().strip("`").rstrip("/") for u in uses.split(",")}
            allowed[m.group(1)] = {n for n in names if n}
    return allowed


def source_files(root):
    for top in ("common", "models", "harness"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(d, name), root)


def resolve(root, src, inc):
    """The project file an include names, or None (a system header)."""
    for cand in (inc, os.path.join(os.path.dirname(src), inc)):
        cand = os.path.normpath(cand)
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def layer(path):
    """'common', 'models', 'main' or the folder under harness/."""
    parts = path.split("/")
    if parts[0] != "harness":
        return parts[0]
    return parts[1] if len(parts) > 2 else "main"


def unit(path):
    return os.path.splitext(path)[0]


def folder_errors(root, allowed, arrows):
    errors = []
    for src, dst in sorted(arrows):
        a, b = layer(src), layer(dst)
        if a == b or a == "main":
            continue
        top = dst.split("/")[0]
        if a in ("common", "models"):
            if top == "harness" or (a == "common" and top == "models"):
                errors.append(f"{src} includes {dst}: {a}/ may not use "
                              f"{top}/")
            continue
        if b in ("common", "models"):
            continue
        if a not in allowed:
            errors.append(f"harness/{a}/ has no row in harness/README.md")
        elif b not in allowed[a]:
            errors.append(f"{src} includes {dst}: harness/{a}/ may "
                          f"not use {b}/ (harness/README.md)")
    return sorted(set(errors))


def cycles(arrows):
    """Each loop of units, found by Tarjan's strongly connected components."""
    graph = {}
    for src, dst in arrows:
        a, b = unit(src), unit(dst)
        if a != b:
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [f"files include each other: {' <-> '.join(g)}" for g in found]


def check(root):
    allowed = read_table(root)
    if not allowed:
        return ["harness/README.md: no \"may use\" table found"]
    arrows = set()
    for src in source_files(root):
        with open(os.path.join(root, src), encoding="utf-8",
                  errors="replace") as f:
            for inc in INCLUDE.findall(f.read()):
                dst = resolve(root, src, inc)
                if dst:
                    arrows.add((src, dst))
    return folder_errors(root, allowed, arrows) + cycles(arrows)


def self_test():
    files = {
        "harness/README.md": "| folder | owns | may use |\n|--|--|--|\n"
        "| `base/` | x | — |\n| `run/` | x | base |\n",
        "harness/base/a.h": '#include "harness/run/r.h"\n',
        "harness/run/r.h": '#include "harness/base/a.h"\n',
        "harness/run/p.c": '#include "harness/run/q.h"\n',
        "harness/run/q.c": '#include "harness/run/p.h"\n',
        "harness/run/p.h": "", "harness/run/q.h": "",
        "harness/new/n.c": '#include "harness/base/a.h"\n',
        "models/m.c": '#include "harness/base/a.h"\n',
        "common/c.c": '#include "models/m.h"\n', "models/m.h": "",
    }
    want = ["harness/base/ may not use run/", "harness/new/ has no row",
            "models/ may not use harness/", "common/ may not use models/",
            "harness/run/p <-> harness/run/q",
            "harness/base/a <-> harness/run/r"]
    with tempfile.TemporaryDirectory() as root:
        for path, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)),
                        exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                f.write(text)
        got = "\n".join(check(root))
    missed = [w for w in want if w not in got]
    for w in missed:
        print(f"check-layers self-test: not reported: {w}", file=sys.stderr)
    return 1 if missed else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    errors = check(root)
    for e in errors:
        print(f"check-layers: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
