#!/usr/bin/env python3
"""Generates Sources/SealPDF/Text/FontTables.swift: simple-font encodings (Standard, WinAnsi, MacRoman),
glyph names -> Unicode for the names those encodings use, and the standard-14 widths of those glyphs.
Sources: Python's cp1252/mac_roman codecs, Unicode character names, and the URW base-35 AFM files
(metric-compatible with the standard 14) shipped by Debian's fonts-urw-base35."""
import unicodedata, re, sys
AFM = "/usr/share/fonts/type1/urw-base35/"
def afm(name):
    out = []
    for line in open(AFM + name + ".afm", encoding="latin-1"):
        m = re.match(r"C (-?\d+) ; WX (\d+) ; N (\S+)", line)
        if m: out.append((int(m[1]), int(m[2]), m[3]))
    return out
manual = {
 "space":" ","exclam":"!","quotedbl":'"',"numbersign":"#","dollar":"$","percent":"%","ampersand":"&",
 "quotesingle":"'","quoteright":"\u2019","parenleft":"(","parenright":")","asterisk":"*","plus":"+","comma":",",
 "hyphen":"-","period":".","slash":"/","zero":"0","one":"1","two":"2","three":"3","four":"4","five":"5","six":"6",
 "seven":"7","eight":"8","nine":"9","colon":":","semicolon":";","less":"<","equal":"=","greater":">",
 "question":"?","at":"@","bracketleft":"[","backslash":"\\","bracketright":"]","asciicircum":"^",
 "underscore":"_","grave":"`","quoteleft":"\u2018","braceleft":"{","bar":"|","braceright":"}","asciitilde":"~",
 "exclamdown":"\u00a1","cent":"\u00a2","sterling":"\u00a3","fraction":"\u2044","yen":"\u00a5","florin":"\u0192",
 "section":"\u00a7","currency":"\u00a4","quotedblleft":"\u201c","guillemotleft":"\u00ab","guilsinglleft":"\u2039",
 "guilsinglright":"\u203a","fi":"\ufb01","fl":"\ufb02","endash":"\u2013","dagger":"\u2020","daggerdbl":"\u2021",
 "periodcentered":"\u00b7","paragraph":"\u00b6","bullet":"\u2022","quotesinglbase":"\u201a",
 "quotedblbase":"\u201e","quotedblright":"\u201d","guillemotright":"\u00bb","ellipsis":"\u2026",
 "perthousand":"\u2030","questiondown":"\u00bf","acute":"\u00b4","circumflex":"\u02c6","tilde":"\u02dc",
 "macron":"\u00af","breve":"\u02d8","dotaccent":"\u02d9","dieresis":"\u00a8","ring":"\u02da","cedilla":"\u00b8",
 "hungarumlaut":"\u02dd","ogonek":"\u02db","caron":"\u02c7","emdash":"\u2014","AE":"\u00c6","ordfeminine":"\u00aa",
 "Lslash":"\u0141","Oslash":"\u00d8","OE":"\u0152","ordmasculine":"\u00ba","ae":"\u00e6","dotlessi":"\u0131",
 "lslash":"\u0142","oslash":"\u00f8","oe":"\u0153","germandbls":"\u00df","Euro":"\u20ac","trademark":"\u2122",
 "copyright":"\u00a9","registered":"\u00ae","degree":"\u00b0","plusminus":"\u00b1","mu":"\u00b5",
 "multiply":"\u00d7","divide":"\u00f7","logicalnot":"\u00ac","brokenbar":"\u00a6","onehalf":"\u00bd",
 "onequarter":"\u00bc","threequarters":"\u00be","onesuperior":"\u00b9","twosuperior":"\u00b2",
 "threesuperior":"\u00b3","Eth":"\u00d0","eth":"\u00f0","Thorn":"\u00de","thorn":"\u00fe","minus":"\u2212",
 "notequal":"\u2260","infinity":"\u221e","lessequal":"\u2264","greaterequal":"\u2265","partialdiff":"\u2202",
 "summation":"\u2211","product":"\u220f","pi":"\u03c0","integral":"\u222b","Omega":"\u2126","radical":"\u221a",
 "approxequal":"\u2248","Delta":"\u2206","lozenge":"\u25ca","apple":"\uf8ff","nbspace":"\u00a0","sfthyphen":"\u00ad",
}
def guess(ch):
    n = unicodedata.name(ch, "")
    m = re.match(r"LATIN (CAPITAL|SMALL) LETTER (\w+)(?: WITH (\w+))?$", n)
    if m:
        base = m[2] if m[1] == "CAPITAL" else m[2].lower()
        if len(m[2]) != 1 and m[2] not in ("AE", "OE"): return None
        acc = {"ACUTE":"acute","GRAVE":"grave","CIRCUMFLEX":"circumflex","DIAERESIS":"dieresis","TILDE":"tilde",
               "RING":"ring","CEDILLA":"cedilla","CARON":"caron"}.get(m[3] or "", None)
        if m[3] and acc is None: return None
        return base + (acc or "")
    return None
names = dict(manual)
for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz": names[c] = c
def name_of(ch):
    for k, v in names.items():
        if v == ch: return k
    g = guess(ch)
    if g: names[g] = ch; return g
    return None
win = [0]*256; mac = [0]*256; std = [0]*256
for code in range(32, 256):
    try: ch = bytes([code]).decode("cp1252")
    except UnicodeDecodeError: ch = None
    if ch and code != 127: win[code] = ord(ch); name_of(ch)
    ch = bytes([code]).decode("mac_roman")
    if code != 127: mac[code] = ord(ch); name_of(ch)
# PDF's WinAnsi: undefined 0x80-0x9F slots show a bullet; 0xA0 space, 0xAD hyphen (Annex D).
for code in (0x81, 0x8D, 0x8F, 0x90, 0x9D): win[code] = 0x2022
win[0xAD] = 0x2D; win[0xA0] = 0x20
std_names = {}
for code, _, n in afm("NimbusSans-Regular"):
    if 0 <= code < 256:
        std_names[code] = n
        if n in names: std[code] = ord(names[n][0])
        else: sys.stderr.write("no unicode for standard glyph %s\n" % n)
fonts = {"Helvetica":"NimbusSans-Regular","Helvetica-Bold":"NimbusSans-Bold","Times-Roman":"NimbusRoman-Regular",
         "Times-Bold":"NimbusRoman-Bold","Times-Italic":"NimbusRoman-Italic","Times-BoldItalic":"NimbusRoman-BoldItalic"}
wanted = set(names)
def arr(xs): return "\n        " + ",\n        ".join(", ".join(str(x) for x in xs[i:i+16]) for i in range(0, len(xs), 16)) + ",\n    "
out = ["// Generated by scripts/gen-text-tables.py from Python's cp1252/mac_roman codecs, Unicode names and the",
 "// URW base-35 AFM metrics (metric-compatible with the PDF standard 14). Do not edit by hand.", "",
 "enum FontTables {",
 "    /// Code → Unicode scalar (0: undefined) for the simple-font base encodings (ISO 32000 Annex D).",
 "    static let standardEncoding: [UInt32] = [" + arr(std) + "]",
 "    static let winAnsiEncoding: [UInt32] = [" + arr(win) + "]",
 "    static let macRomanEncoding: [UInt32] = [" + arr(mac) + "]",
 "    /// Glyph name → Unicode for the names the base encodings use (uniXXXX / uXXXX are decoded in code).",
 "    static let glyphNames: [String: UInt32] = ["]
for k in sorted(names): out.append('        "%s": 0x%04X,' % (k, ord(names[k][0])))
out.append("    ]")
out.append("    /// Widths (1/1000 em) by glyph name of the standard-14 fonts that are not monospaced, as \"name width\" pairs.")
out.append("    static let standardWidths: [String: String] = [")
for pdfname, f in fonts.items():
    pairs = ["%s %d" % (n, w) for _, w, n in afm(f) if n in wanted]
    out.append('        "%s":' % pdfname)
    chunks = [" ".join(pairs[i:i+10]) for i in range(0, len(pairs), 10)]
    out.append("            " + "\n            + ".join('"%s "' % c for c in chunks) + ",")
out.append("    ]")
out.append("}")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
