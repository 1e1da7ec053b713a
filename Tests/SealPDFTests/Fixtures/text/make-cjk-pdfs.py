#!/usr/bin/env python3
"""Writes the Chinese test PDFs the text-location tests compare against poppler (pdftotext -bbox-layout).

cairo-cjk.pdf      cairo (python3-cairo) with WenQuanYi Zen Hei (fonts-wqy-zenhei): embedded CIDFontType2 subsets,
                   Identity-H, /ToUnicode; two pages, several sizes, one line turned by the text matrix.
reportlab-cid.pdf  reportlab's STSong-Light: Type0 with the predefined UniGB-UCS2-H CMap, no /ToUnicode, not embedded.
Usage: make-cjk-pdfs.py OUTDIR
"""
import math, os, sys
out = sys.argv[1]
import cairo
surface = cairo.PDFSurface(os.path.join(out, "cairo-cjk.pdf"), 595.276, 841.89)
ctx = cairo.Context(surface)
ctx.select_font_face("WenQuanYi Zen Hei", cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_NORMAL)
def line(x, y, size, text):
    ctx.set_font_size(size); ctx.move_to(x, y); ctx.show_text(text)
line(72, 100, 18, "房屋租赁合同 2026")
line(72, 160, 12, "出租方 北京市海淀区人民政府 （盖章）")
line(72, 200, 12, "承租方 盖章处 日期")
line(300, 400, 24, "签章 Seal here")
ctx.save(); ctx.translate(500, 700); ctx.rotate(-math.pi / 2); line(0, 0, 14, "骑缝章 位置"); ctx.restore()
ctx.show_page()
line(100, 300, 16, "第二页 盖章处")
line(100, 500, 10, "小字 授权代表")
ctx.show_page()
surface.finish()

from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
c = canvas.Canvas(os.path.join(out, "reportlab-cid.pdf"), pagesize=(595.276, 841.89))
c.setFont("STSong-Light", 16); c.drawString(80, 700, "甲方 盖章处")
c.setFont("STSong-Light", 12); c.drawString(80, 600, "海关 申报单位 签章")
c.showPage(); c.save()
