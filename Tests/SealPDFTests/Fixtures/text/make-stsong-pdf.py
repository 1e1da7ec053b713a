#!/usr/bin/env python3
"""Writes a one-page PDF with reportlab's STSong-Light: a Type0 font with the predefined UniGB-UCS2-H CMap, Adobe-GB1,
no /ToUnicode and no embedded font file (the predefined-CMap tests compare it with pdftotext -bbox-layout).
Needs only python3-reportlab. Usage: make-stsong-pdf.py OUT.pdf
"""
import sys
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
c = canvas.Canvas(sys.argv[1], pagesize=(595.276, 841.89), pageCompression=0)
c.setFont("STSong-Light", 18); c.drawString(90, 700, "收货单位 盖章处")
c.setFont("STSong-Light", 14); c.drawString(300, 420, "中华人民共和国 海关 Form 12")
c.showPage(); c.save()
