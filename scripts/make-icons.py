#!/usr/bin/env python3
"""Draws the app's icons (a white speech bubble on the accent blue of static/app.css)
as PNGs with nothing but the standard library, so they can be made again anywhere:
    python3 scripts/make-icons.py
Writes crates/vocdesk-web/static/icons/icon-{192,512}.png (rounded, transparent corners),
icon-maskable-512.png (full bleed, the bubble inside the 80% safe zone) and
apple-touch-icon.png (180 px, full bleed)."""
import os, struct, zlib

ACCENT = (0x0B, 0x63, 0xCE)
WHITE = (0xFF, 0xFF, 0xFF)
OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "vocdesk-web", "static", "icons")


def png(path, size, pixel):
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            rows.extend(pixel((x + 0.5) / size, (y + 0.5) / size))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def rounded(u, v, x0, y0, x1, y1, r):
    cx = min(max(u, x0 + r), x1 - r)
    cy = min(max(v, y0 + r), y1 - r)
    return (u - cx) ** 2 + (v - cy) ** 2 <= r * r and x0 <= u <= x1 and y0 <= v <= y1


def bubble(u, v, scale):
    # In a unit square scaled about the centre: a rounded box and a tail at its lower left.
    u = (u - 0.5) / scale + 0.5
    v = (v - 0.5) / scale + 0.5
    if rounded(u, v, 0.18, 0.22, 0.82, 0.66, 0.1):
        return True
    # Tail: triangle (0.30,0.62) (0.46,0.62) (0.28,0.80).
    if 0.62 <= v <= 0.80:
        t = (v - 0.62) / 0.18
        left = 0.30 - 0.02 * t
        right = 0.46 - 0.18 * t
        return left <= u <= right
    return False


def lines(u, v, scale):
    # Three text lines inside the bubble, in the accent colour.
    u = (u - 0.5) / scale + 0.5
    v = (v - 0.5) / scale + 0.5
    for top, right in ((0.33, 0.70), (0.42, 0.70), (0.51, 0.56)):
        if rounded(u, v, 0.30, top, right, top + 0.05, 0.025):
            return True
    return False


def icon(full_bleed, scale):
    def pixel(u, v):
        inside = full_bleed or rounded(u, v, 0.0, 0.0, 1.0, 1.0, 0.2)
        if not inside:
            return (0, 0, 0, 0)
        if bubble(u, v, scale) and not lines(u, v, scale):
            return WHITE + (255,)
        return ACCENT + (255,)
    return pixel


os.makedirs(OUT, exist_ok=True)
png(os.path.join(OUT, "icon-192.png"), 192, icon(False, 1.0))
png(os.path.join(OUT, "icon-512.png"), 512, icon(False, 1.0))
png(os.path.join(OUT, "icon-maskable-512.png"), 512, icon(True, 0.72))
png(os.path.join(OUT, "apple-touch-icon.png"), 180, icon(True, 0.9))
