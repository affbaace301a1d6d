"""Render the app icon's PNG sizes, the Windows ``.ico`` and the macOS ``.icns`` from the SVGs.

    python installers/make_icons.py            # rewrite resources/icons/*.png, .ico, .icns
    python installers/make_icons.py --check    # exit 1 if any rendered file is out of date

The SVGs in ``resources/`` are the source of truth: ``hybrid-desktop.svg`` (the design) and
``hybrid-desktop-small.svg`` (the same design fitted to whole pixels for 16 and 24 px, where the
big one loses its H). Rendering uses Qt's own SVG renderer (PySide6, already a dependency), offscreen.
The ``.ico`` and ``.icns`` containers are written here in pure Python, so no Pillow is needed:
ICO entries up to 48 px are 32-bit DIBs (what every Windows tool accepts), larger ones PNG;
ICNS entries are PNG (``icp4``..``ic10``, macOS 10.7+).
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESOURCES = REPO / "resources"
SOURCE = RESOURCES / "hybrid-desktop.svg"
SOURCE_SMALL = RESOURCES / "hybrid-desktop-small.svg"
PNG_DIR = RESOURCES / "icons"
ICO = RESOURCES / "hybrid-desktop.ico"
ICNS = RESOURCES / "hybrid-desktop.icns"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SMALL_MAX = 24  # sizes up to this use the pixel-fitted SVG
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_DIB_MAX = 48
#: ICNS element types with PNG payloads, and their pixel size.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic13", 256),  # 128@2x
    (b"ic14", 512),  # 256@2x
)


def png_path(size: int) -> Path:
    return PNG_DIR / f"hybrid-desktop-{size}.png"


class Renderer:
    """Qt's SVG renderer on offscreen images (a QGuiApplication is created once, offscreen)."""

    def __init__(self) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QGuiApplication

        self._app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
        self._cache: dict[tuple[Path, int], object] = {}

    def image(self, svg: Path, size: int) -> object:
        """A QImage (ARGB32, not premultiplied) of ``svg`` at ``size`` x ``size`` pixels."""
        key = (svg, size)
        if key not in self._cache:
            from PySide6.QtCore import Qt
            from PySide6.QtGui import QImage, QPainter
            from PySide6.QtSvg import QSvgRenderer

            renderer = QSvgRenderer(str(svg))
            if not renderer.isValid():
                raise SystemExit(f"error: {svg} is not a valid SVG for Qt's renderer")
            image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            renderer.render(painter)
            painter.end()
            self._cache[key] = image.convertToFormat(QImage.Format.Format_ARGB32)
        return self._cache[key]

    def app_icon(self, size: int) -> object:
        return self.image(SOURCE_SMALL if size <= SMALL_MAX else SOURCE, size)

    def png(self, size: int) -> bytes:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # For PNG, Qt's quality 0 is the strongest zlib compression (100 is none). No time
        # chunk is written, so the bytes are the same on every run.
        if not self.app_icon(size).save(buffer, "PNG", 0):  # type: ignore[attr-defined]
            raise SystemExit(f"error: could not encode the {size} px PNG")
        buffer.close()
        return bytes(data.data())

    def dib(self, size: int) -> bytes:
        """A 32-bit BGRA DIB as an ICO entry wants it: bottom-up rows, then a 1-bit AND mask."""
        image = self.app_icon(size)
        rows = [
            bytes(image.constScanLine(y))[: size * 4]  # type: ignore[attr-defined]
            for y in range(size)
        ]
        header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
        mask_row = b"\0" * (((size + 31) // 32) * 4)  # alpha does the masking; AND mask clear
        if sys.byteorder != "little":  # QImage ARGB32 is 0xAARRGGBB in native order
            rows = [_swap32(r) for r in rows]
        return header + b"".join(reversed(rows)) + mask_row * size


def _swap32(row: bytes) -> bytes:
    out = bytearray(row)
    out[0::4], out[1::4], out[2::4], out[3::4] = row[3::4], row[2::4], row[1::4], row[0::4]
    return bytes(out)


def ico_bytes(r: Renderer) -> bytes:
    """A multi-size ``.ico``: ICONDIR, one ICONDIRENTRY per size, then the images."""
    images = [r.dib(s) if s <= ICO_DIB_MAX else r.png(s) for s in ICO_SIZES]
    out = io.BytesIO()
    out.write(struct.pack("<HHH", 0, 1, len(images)))
    offset = 6 + 16 * len(images)
    for size, data in zip(ICO_SIZES, images, strict=True):
        dim = 0 if size >= 256 else size  # 0 means 256
        out.write(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        offset += len(data)
    for data in images:
        out.write(data)
    return out.getvalue()


def icns_bytes(r: Renderer) -> bytes:
    """An ``.icns``: the 'icns' header, then one (type, length, PNG) element per entry."""
    elements = b""
    for kind, size in ICNS_TYPES:
        data = r.png(size)
        elements += kind + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(elements) + 8) + elements


def outputs(r: Renderer) -> dict[Path, bytes]:
    files = {png_path(s): r.png(s) for s in PNG_SIZES}
    files[ICO] = ico_bytes(r)
    files[ICNS] = icns_bytes(r)
    return files


def _pixels(image: object) -> bytes:
    size = image.width()  # type: ignore[attr-defined]
    return b"".join(
        bytes(image.constScanLine(y))[: size * 4]  # type: ignore[attr-defined]
        for y in range(size)
    )


def png_matches(path: Path, r: Renderer, size: int, tolerance: int = 3) -> bool:
    """Whether the PNG on disk shows what the SVG renders to now, give or take antialiasing
    noise (another Qt or zlib version writes other bytes for the same picture)."""
    from PySide6.QtGui import QImage

    on_disk = QImage(str(path))
    if on_disk.isNull() or on_disk.width() != size or on_disk.height() != size:
        return False
    old = _pixels(on_disk.convertToFormat(QImage.Format.Format_ARGB32))
    new = _pixels(r.app_icon(size))
    return max(abs(a - b) for a, b in zip(old, new, strict=True)) <= tolerance


def stale_files(r: Renderer, files: dict[Path, bytes]) -> list[Path]:
    stale = []
    for size in PNG_SIZES:
        path = png_path(size)
        if not path.is_file() or (
            path.read_bytes() != files[path] and not png_matches(path, r, size)
        ):
            stale.append(path)
    for path in (ICO, ICNS):
        # Made from the same renders: current when present and the PNGs are (a byte difference
        # alone means another Qt/zlib wrote them, which the PNG check already judged).
        if not path.is_file() or (stale and path.read_bytes() != files[path]):
            stale.append(path)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args(argv)
    renderer = Renderer()
    files = outputs(renderer)
    stale = stale_files(renderer, files)
    if args.check:
        for p in stale:
            print(f"out of date: {p.relative_to(REPO)}", file=sys.stderr)
        if stale:
            print("Run: python installers/make_icons.py", file=sys.stderr)
        return 1 if stale else 0
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_bytes(files[path])
        print(f"wrote {path.relative_to(REPO)} ({len(files[path]):,} bytes)")
    if not stale:
        print("icons are up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
