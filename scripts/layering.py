#!/usr/bin/env python3
"""Checks that the library's modules depend only downward (docs/ARCHITECTURE.md).

Every `crate::<module>` path in a module's code (a `use` line or an inline path), outside
`#[cfg(test)]` blocks and comments, is an edge from that module to `<module>`. An edge to a
module higher in LAYERS, or to one the layer list does not know, is an error; so is a
module of `src/` missing from the list. `src/lib.rs` is the public facade (documentation and
re-exports) and is not checked.

    python3 scripts/layering.py          # exit 1 and a list of bad edges on failure
    python3 scripts/layering.py --graph  # also print every edge
"""
import os
import re
import sys

# Bottom to top. A module may use the modules listed before it, never after it. Modules on
# one line are a layer of peers that do not use each other.
LAYERS = [
    ["date"],
    ["error"],
    ["base64url", "json", "limits", "executor"],
    ["crypto"],
    ["alg"],
    ["header"],
    ["jose"],
    ["jwk"],
    ["jws", "jwe"],
    ["keyset"],
    ["jwt"],
    ["keysource", "dpop", "sdjwt"],
    ["dangerous"],
]

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
PATH = re.compile(r"\bcrate::(\w+)")
USE_GROUP = re.compile(r"\buse\s+crate::\{([^;]*)\}", re.S)


def rank():
    out = {}
    for level, layer in enumerate(LAYERS):
        for m in layer:
            out[m] = (level, layer)
    return out


def strip_tests_and_comments(text):
    """Removes `#[cfg(test)]` items (a brace-balanced block after the attribute) and
    comments, so that test helpers and doc prose are not edges."""
    out, i = [], 0
    while True:
        j = text.find("#[cfg(test)]", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        k = text.find("{", j)
        semi = text.find(";", j)
        if k < 0 or (0 <= semi < k):
            i = semi + 1 if semi >= 0 else len(text)
            continue
        depth, p = 0, k
        while p < len(text):
            if text[p] == "{":
                depth += 1
            elif text[p] == "}":
                depth -= 1
                if depth == 0:
                    break
            p += 1
        i = p + 1
    code = "".join(out)
    code = re.sub(r"//[^\n]*", "", code)
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    return code


def module_of(path):
    rel = os.path.relpath(path, ROOT)
    first = rel.split(os.sep)[0]
    return first[:-3] if first.endswith(".rs") else first


def main():
    ranks = rank()
    edges, errors = set(), []
    seen_modules = set()
    for dirpath, _, files in os.walk(ROOT):
        for f in files:
            if not f.endswith(".rs"):
                continue
            path = os.path.join(dirpath, f)
            if os.path.relpath(path, ROOT) == "lib.rs":
                continue
            src = module_of(path)
            seen_modules.add(src)
            code = strip_tests_and_comments(open(path, encoding="utf-8").read())
            targets = set(PATH.findall(code))
            for group in USE_GROUP.findall(code):
                targets.update(re.findall(r"(?:^|,)\s*(\w+)", group))
            for dst in targets:
                if dst in ("self", "super", "Result", "Error") or dst[0].isupper():
                    continue  # crate-root re-exports are the facade, not a layer
                if dst == src:
                    continue
                edges.add((src, dst, os.path.relpath(path, ROOT)))
    for m in sorted(seen_modules):
        if m not in ranks:
            errors.append(f"module `{m}` is not in the layer list")
    for src, dst, where in sorted(edges):
        if src not in ranks:
            continue
        if dst not in ranks:
            errors.append(f"{where}: `{src}` uses `{dst}`, which is not in the layer list")
            continue
        (ls, layer_s), (ld, _) = ranks[src], ranks[dst]
        if ld > ls:
            errors.append(f"{where}: `{src}` uses `{dst}`, a higher layer")
        elif ld == ls:
            errors.append(f"{where}: `{src}` uses `{dst}`, a peer in its layer {layer_s}")
    if "--graph" in sys.argv:
        for src, dst in sorted({(s, d) for s, d, _ in edges}):
            print(f"{src} -> {dst}")
    if errors:
        print("layering check failed:")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print(f"layering ok: {len(seen_modules)} modules, {len({(s, d) for s, d, _ in edges})} edges, all downward")


if __name__ == "__main__":
    main()
