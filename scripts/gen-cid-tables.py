#!/usr/bin/env python3
"""Generates Sources/SealPDF/Text/PredefinedCMapData.swift: Adobe's predefined CMaps for the Adobe-GB1 character
collection (code -> CID) and Adobe-GB1's CID -> Unicode table, for Type0 fonts without a /ToUnicode CMap.

Source: Adobe's CMap resources as Debian's poppler-data ships them (/usr/share/poppler/cMap/Adobe-GB1/, the
files UniGB-UTF16-H/V, UniGB-UCS2-H/V, GBK-EUC-H/V, GB-EUC-H/V, GBpc-EUC-H/V and Adobe-GB1-UCS2). Licence: Adobe's
BSD-3-Clause licence stated in each file's %%Copyright header (see scripts/README-cid-tables.md).
poppler-data's cidToUnicode/ files are GPL-2 (Glyph & Cog) and are NOT used.

Format (zlib-deflated, then base64 in a Swift string literal; decoded lazily by PredefinedCMaps.swift):
  "SPCM" 0x01, varint table count, then per table:
    name (varint length + ASCII), kind (0 = code -> CID, 1 = CID -> Unicode scalar),
    base name (varint length + ASCII, empty = none), base code limit (varint, 0 = every base code; else only base
    codes <= limit are inherited), inverse flag (1 = kind 1 derived from the base code -> CID table by taking the
    smallest Unicode scalar of each CID), removed runs (varint count; each: varint start delta, varint length-1),
    entry runs (varint count; each: varint code delta from the previous run's end, varint length-1,
    zigzag varint value delta from the previous run's end value),
    kind 0 only: WMode byte, codespace count byte, per range: length byte, low bytes, high bytes.
  A table is its base's entries (filtered), minus the removed codes, with the runs written over them.
Each generated table is checked against the original file before the output is written.
"""
import base64, re, sys, zlib

SRC = "/usr/share/poppler/cMap/Adobe-GB1/"
OUT = "Sources/SealPDF/Text/PredefinedCMapData.swift"
TOKEN = re.compile(rb"<([0-9A-Fa-f]*)>|(/[^\s/<>\[\]()]+)|(-?\d+)|([A-Za-z]+)")


def parse(name):
    data = open(SRC + name, "rb").read()
    data = b"\n".join(line for line in data.split(b"\n") if not line.startswith(b"%"))
    ops, codespaces, cids, uni, use, wmode = [], [], {}, {}, None, 0
    for m in TOKEN.finditer(data):
        hexa, pname, num, word = m.groups()
        if hexa is not None: ops.append(bytes.fromhex(hexa.decode())); continue
        if pname: ops.append(pname.decode()); continue
        if num: ops.append(int(num)); continue
        w = word.decode()
        if w == "endcodespacerange":
            codespaces += [(ops[i], ops[i + 1]) for i in range(0, len(ops) - 1, 2)]
        elif w == "endcidchar":
            for i in range(0, len(ops) - 1, 2): cids[int.from_bytes(ops[i], "big")] = ops[i + 1]
        elif w == "endcidrange":
            for i in range(0, len(ops) - 2, 3):
                lo, hi = int.from_bytes(ops[i], "big"), int.from_bytes(ops[i + 1], "big")
                for c in range(lo, hi + 1): cids[c] = ops[i + 2] + c - lo
        elif w == "endbfchar":
            for i in range(0, len(ops) - 1, 2): uni[int.from_bytes(ops[i], "big")] = ops[i + 1].decode("utf-16-be")
        elif w == "endbfrange":
            for i in range(0, len(ops) - 2, 3):
                lo, hi = int.from_bytes(ops[i], "big"), int.from_bytes(ops[i + 1], "big")
                start = ops[i + 2].decode("utf-16-be")
                assert len(start) == 1
                for c in range(lo, hi + 1): uni[c] = chr(ord(start) + c - lo)
        elif w == "usecmap": use = ops[-1][1:]
        elif w == "def" and len(ops) >= 2 and ops[-2] == "/WMode": wmode = ops[-1]
        ops = []
    return dict(codespaces=codespaces, cids=cids, uni=uni, use=use, wmode=wmode)


def varint(n, out):
    assert n >= 0
    while n >= 0x80:
        out.append(n & 0x7F | 0x80); n >>= 7
    out.append(n)


def name(s, out):
    varint(len(s), out); out += s.encode()


def runs(entries):
    result = []
    for code, value in sorted(entries.items()):
        if result and code == result[-1][0] + result[-1][1] and value == result[-1][2] + result[-1][1]:
            result[-1][1] += 1
        else:
            result.append([code, 1, value])
    return result


def write_runs(entries, out):
    r = runs(entries); varint(len(r), out); end, value_end = 0, 0
    for code, count, value in r:
        delta = value - value_end
        varint(code - end, out); varint(count - 1, out); varint(delta * 2 if delta >= 0 else -delta * 2 - 1, out)
        end, value_end = code + count, value + count


def scalar(code):
    # A UTF-16 code of UniGB-UTF16-H (two or four bytes) as a Unicode scalar.
    if code > 0xFFFF: return 0x10000 + (((code >> 16) - 0xD800) << 10) + ((code & 0xFFFF) - 0xDC00)
    return code


def inverse(code_to_cid):
    result = {}
    for code, cid in sorted(code_to_cid.items(), key=lambda kv: scalar(kv[0])):
        result.setdefault(cid, scalar(code))
    return result


built = {}  # name -> entries as composed, for checks and as bases


def table(out, tname, kind, entries, base=None, limit=0, inverse_flag=False, meta=None):
    inherited = {}
    if base:
        inherited = inverse(built[base]) if inverse_flag else {
            k: v for k, v in built[base].items() if limit == 0 or k <= limit}
    removed = {k: 0 for k in inherited if k not in entries}
    overrides = {k: v for k, v in entries.items() if inherited.get(k) != v}
    name(tname, out); out.append(kind); name(base or "", out); varint(limit, out); out.append(1 if inverse_flag else 0)
    r = runs(removed); varint(len(r), out); end = 0
    for code, count, _ in r:
        varint(code - end, out); varint(count - 1, out); end = code + count
    write_runs(overrides, out)
    if kind == 0:
        wmode, codespaces = meta
        out.append(wmode); out.append(len(codespaces))
        for low, high in codespaces:
            out.append(len(low)); out += low + high
    composed = dict(inherited)
    for k in removed: del composed[k]
    composed.update(overrides)
    assert composed == entries, tname
    built[tname] = entries


def main():
    out = bytearray(b"SPCM\x01")
    horizontal = [("UniGB-UTF16-H", None, 0), ("UniGB-UCS2-H", "UniGB-UTF16-H", 0xFFFF), ("GBK-EUC-H", None, 0),
                  ("GB-EUC-H", "GBK-EUC-H", 0), ("GBpc-EUC-H", "GB-EUC-H", 0)]
    tables = []
    for h, base, limit in horizontal:
        tables.append((h, base, limit))
        tables.append((h[:-1] + "V", h, 0))
    varint(len(tables) + 1, out)
    for tname, base, limit in tables:
        p = parse(tname)
        entries = dict(built[p["use"]]) if p["use"] else {}
        if p["use"]: assert p["use"] == base
        entries.update(p["cids"])
        codespaces = p["codespaces"] or parse(p["use"])["codespaces"]
        table(out, tname, 0, entries, base=base, limit=limit, meta=(p["wmode"], codespaces))
    ucs = parse("Adobe-GB1-UCS2")["uni"]
    # A few CIDs are a character plus a variation selector (U+FE00…); their text is the character.
    cid_to_unicode = {cid: ord(text[0]) for cid, text in ucs.items()
                      if len(text) == 1 or (len(text) == 2 and 0xFE00 <= ord(text[1]) <= 0xFE0F)}
    table(out, "Adobe-GB1", 1, cid_to_unicode, base="UniGB-UTF16-H", inverse_flag=True)
    packed = base64.b64encode(zlib.compress(bytes(out), 9)).decode()
    lines = [packed[i:i + 116] for i in range(0, len(packed), 116)]
    with open(OUT, "w") as f:
        f.write("// Generated by scripts/gen-cid-tables.py from Adobe's CMap resources (BSD-3-Clause, Adobe);\n")
        f.write("// see scripts/README-cid-tables.md. Do not edit.\n\n")
        f.write("extension PredefinedCMaps {\n")
        f.write(f"    /// {len(out)} bytes deflated to {len(packed) * 3 // 4}, base64.\n")
        f.write("    static let packedTables = \"\"\"\n")
        for line in lines: f.write("        " + line + "\n")
        f.write("        \"\"\"\n}\n")
    print(f"{OUT}: {len(out)} bytes, deflated {len(packed) * 3 // 4}", file=sys.stderr)


main()
