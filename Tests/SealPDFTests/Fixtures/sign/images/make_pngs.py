#!/usr/bin/env python3
"""Writes the PNG test pictures (pure Python, no imaging library): a 13x7 pattern whose pixel values the
Swift tests recompute: R=(19x+7y)%256, G=(3x+29y)%256, B=(x*y)%256, A=(10(x+y))%256; grey = R.
Rows cycle through the five PNG filter types. Run: python3 make_pngs.py"""
import struct, zlib

W, H = 13, 7
def rgba(x, y): return ((19*x + 7*y) % 256, (3*x + 29*y) % 256, (x*y) % 256, (10*(x+y)) % 256)

def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)

def pack_row(samples, depth):
    if depth == 8: return bytes(samples)
    if depth == 16: return b''.join(struct.pack('>H', s) for s in samples)
    out, acc, n = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s; n += depth
        if n == 8: out.append(acc); acc, n = 0, 0
    if n: out.append(acc << (8 - n))
    return bytes(out)

def filt(row, prev, ftype, bpp):
    out = bytearray()
    for i, v in enumerate(row):
        a = row[i-bpp] if i >= bpp else 0; b = prev[i]; c = prev[i-bpp] if i >= bpp else 0
        if ftype == 0: p = 0
        elif ftype == 1: p = a
        elif ftype == 2: p = b
        elif ftype == 3: p = (a + b) // 2
        else:
            pp = a + b - c; pa, pb, pc = abs(pp-a), abs(pp-b), abs(pp-c)
            p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        out.append((v - p) % 256)
    return bytes([ftype]) + bytes(out)

def encode(name, ctype, depth, sample_fn, channels, interlace=False, extra=b''):
    bpp = max(1, channels * depth // 8)
    passes = [(0,0,8,8),(4,0,8,8),(0,4,4,8),(2,0,4,4),(0,2,2,4),(1,0,2,2),(0,1,1,2)] if interlace else [(0,0,1,1)]
    raw = bytearray(); n = 0
    for x0, y0, dx, dy in passes:
        xs = list(range(x0, W, dx)); ys = list(range(y0, H, dy))
        if not xs or not ys: continue
        prev = bytes(len(pack_row([0]*len(xs)*channels, depth)))
        for y in ys:
            row = pack_row([s for x in xs for s in sample_fn(x, y)], depth)
            raw += filt(row, prev, n % 5, bpp); prev = row; n += 1
    ihdr = struct.pack('>IIBBBBB', W, H, depth, ctype, 0, 0, 1 if interlace else 0)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + extra + chunk(b'tEXt', b'Comment\x00test') \
        + chunk(b'IDAT', zlib.compress(bytes(raw))) + chunk(b'IEND', b'')
    open(name, 'wb').write(data)

encode('rgba8.png', 6, 8, lambda x, y: rgba(x, y), 4)
encode('rgba8-adam7.png', 6, 8, lambda x, y: rgba(x, y), 4, interlace=True)
encode('rgb16.png', 2, 16, lambda x, y: [v * 257 for v in rgba(x, y)[:3]], 3)
encode('gray8.png', 0, 8, lambda x, y: rgba(x, y)[:1], 1)
encode('graya16-adam7.png', 4, 16, lambda x, y: [rgba(x, y)[0] * 257, rgba(x, y)[3] * 257], 2, interlace=True)
encode('gray1.png', 0, 1, lambda x, y: [(x + y) % 2], 1)
encode('gray4-trns.png', 0, 4, lambda x, y: [(x + y) % 16], 1, extra=chunk(b'tRNS', struct.pack('>H', 5)))
# palette: index = (x + y) % 4; colours (i*60, 255-i*60, i*10); alpha 0, 85, 170, 255
pal = b''.join(bytes([i*60, 255-i*60, i*10]) for i in range(4))
encode('palette2-trns.png', 3, 2, lambda x, y: [(x + y) % 4], 1,
       extra=chunk(b'PLTE', pal) + chunk(b'tRNS', bytes([0, 85, 170, 255])))
