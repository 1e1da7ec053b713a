#!/usr/bin/env python3
"""Worker RSS over completed jobs as a small self-contained SVG (no dependencies), from the CSVs that
scripts/worker-rss.sh writes (jobs_completed,rss_kb), one line per run.

    scripts/rss-plot.py OUT.svg LABEL=run.csv [LABEL=run.csv ...] [--summary summary.csv] [--points 60] [--title T]

Each run is drawn against its own share of jobs done (0-100 %, so runs of different lengths share the x axis) with RSS
in MB on the y axis; the dashed line marks the end of the warm-up (10 % of the jobs). --summary writes the runs
thinned to at most --points samples each (label,jobs_completed,rss_kb), the file committed beside the chart.
"""
import csv
import sys

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]


def read(path):
    rows = []
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                rows.append((int(row["jobs_completed"]), int(row["rss_kb"])))
            except (KeyError, ValueError):
                continue
    return rows


def thin(rows, points):
    if len(rows) <= points:
        return rows
    step = (len(rows) - 1) / (points - 1)
    return [rows[round(i * step)] for i in range(points)]


def growth(rows):
    total = max(jobs for jobs, _ in rows) if rows else 0
    after = [r for r in rows if r[0] >= total / 10]
    if not after:
        return None
    first, last = after[0][1], rows[-1][1]
    return (last - first) * 100.0 / first, first, last, total


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(runs, title, width=760, height=360):
    left, right, top, bottom = 70, 20, 30, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    peak_mb = max(rss for _, rows in runs for _, rss in rows) / 1024.0
    y_max = max(10, int(peak_mb * 1.25 / 10 + 1) * 10)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="18" font-size="14">{escape(title)}</text>']
    for i in range(6):
        value = y_max * i / 5
        y = top + plot_h - plot_h * i / 5
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{value:.0f}</text>')
    for i in range(11):
        x = left + plot_w * i / 10
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{i * 10}%</text>')
    warm = left + plot_w * 0.1
    out.append(f'<line x1="{warm:.1f}" y1="{top}" x2="{warm:.1f}" y2="{top + plot_h}" stroke="#999" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{warm + 4:.1f}" y="{top + 12}" fill="#666">warm-up ends</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{left + plot_w / 2}" y="{height - 10}" text-anchor="middle">share of the run\'s jobs completed</text>')
    out.append(f'<text transform="translate(16 {top + plot_h / 2}) rotate(-90)" text-anchor="middle">RSS (MB)</text>')
    for index, (label, rows) in enumerate(runs):
        total = max(jobs for jobs, _ in rows) or 1
        colour = COLOURS[index % len(COLOURS)]
        points = " ".join(
            f"{left + plot_w * jobs / total:.1f},{top + plot_h - plot_h * (rss / 1024.0) / y_max:.1f}" for jobs, rss in rows)
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.8"/>')
        g = growth(rows)
        text = label + (f": {g[1] / 1024:.1f} → {g[2] / 1024:.1f} MB after warm-up ({g[0]:+.1f} %), {g[3]:,} jobs" if g else "")
        y = top + plot_h - 12 - 16 * (len(runs) - 1 - index)
        out.append(f'<line x1="{left + 12}" y1="{y - 4}" x2="{left + 32}" y2="{y - 4}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{left + 38}" y="{y}">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    target, rest = argv[1], argv[2:]
    summary, points, runs, title = None, 60, [], "sealpress worker RSS over a run"
    i = 0
    while i < len(rest):
        if rest[i] == "--summary":
            summary, i = rest[i + 1], i + 2
        elif rest[i] == "--title":
            title, i = rest[i + 1], i + 2
        elif rest[i] == "--points":
            points, i = int(rest[i + 1]), i + 2
        else:
            label, _, path = rest[i].partition("=")
            rows = read(path)
            if not rows:
                print(f"{path}: no samples", file=sys.stderr)
                return 1
            runs.append((label, rows))
            i += 1
    with open(target, "w") as handle:
        handle.write(svg(runs, title))
    if summary:
        with open(summary, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["run", "jobs_completed", "rss_kb"])
            for label, rows in runs:
                for jobs, rss in thin(rows, points):
                    writer.writerow([label, jobs, rss])
    for label, rows in runs:
        g = growth(rows)
        if g:
            print(f"{label}: {g[1]} KB after warm-up, {g[2]} KB at the end ({g[3]} jobs): growth {g[0]:.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
