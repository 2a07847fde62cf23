#!/usr/bin/env python3
"""Counts the library's public API from rustdoc's JSON output.

    RUSTC_BOOTSTRAP=1 cargo rustdoc --lib --all-features -- -Z unstable-options --output-format json
    python3 scripts/api_surface.py [target/doc/josecraft.json] [--list]

Reachable items are those rustdoc gives a public path (so `pub(crate)` and items of private
modules that are not re-exported do not count). It reports:
  items    public structs, enums, traits, functions, constants, statics, type aliases and
           macros, each counted once however many paths reach it;
  methods  public inherent methods of those types (trait impls not counted);
  trait methods  the methods of public traits;
  by module  items per public module.
"""
import collections
import json
import sys

KINDS = {"struct", "enum", "trait", "function", "constant", "static", "type_alias", "macro", "union"}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0] if args else "target/doc/josecraft.json"
    doc = json.load(open(path))
    index, paths = doc["index"], doc["paths"]
    items = {}
    for key, summary in paths.items():
        if summary.get("crate_id") != 0 or summary.get("kind") not in KINDS:
            continue
        item = index.get(key)
        if item is None or item.get("visibility") != "public":
            continue
        items[key] = ("::".join(summary["path"]), summary["kind"])
    methods, trait_methods = [], []
    for key, (name, kind) in items.items():
        inner = index[key]["inner"]
        if kind in ("struct", "enum", "union"):
            for impl_id in inner[kind].get("impls", []):
                impl = index.get(str(impl_id))
                if not impl or impl["inner"]["impl"].get("trait") is not None:
                    continue
                for m in impl["inner"]["impl"]["items"]:
                    it = index.get(str(m))
                    if it and it.get("visibility") == "public" and "function" in it["inner"]:
                        methods.append(f"{name}::{it['name']}")
        if kind == "trait":
            for m in inner["trait"]["items"]:
                it = index.get(str(m))
                if it and "function" in it["inner"]:
                    trait_methods.append(f"{name}::{it['name']}")
    by_kind = collections.Counter(k for _, k in items.values())
    by_module = collections.Counter(n.split("::")[1] if n.count("::") > 1 else "(root)" for n, _ in items.values())
    print(f"items: {len(items)}  ({', '.join(f'{k} {v}' for k, v in sorted(by_kind.items()))})")
    print(f"inherent methods: {len(methods)}")
    print(f"trait methods: {len(trait_methods)}")
    print("by module: " + ", ".join(f"{m} {c}" for m, c in sorted(by_module.items())))
    if "--list" in sys.argv:
        for n, k in sorted(items.values()):
            print(f"  {k:10} {n}")
        for m in sorted(methods):
            print(f"  method     {m}")


if __name__ == "__main__":
    main()
