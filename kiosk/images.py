"""Photos, bounded. A picture is judged from its header before anything is decoded (no more pixels than a
phone camera makes), then checked whole as cheaply as its format allows: a JPEG decodes at an eighth of its
size, a PNG, WebP or GIF is walked chunk by chunk (checksums, lengths, the end marker) and never decoded at
intake. What is shared (the hub, a staff download) has no location or camera data: `strip_metadata` takes
them out without touching a pixel. Staff previews are decoded one at a time, scaled down as they decode."""
import io
import struct
import threading
import warnings
import zlib

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 50_000_000  # a phone camera's largest usual photo; more is a bomb, or not a photo for the corner
# A PNG, WebP or GIF cannot decode scaled down: its preview holds every pixel (a 49 MP PNG took 1.4 s and
# 380 MB). Phones save photos as JPEG; these are screenshots, a scrolling one at most about 1080 x 15,000.
MAX_LOSSLESS_PIXELS = 16_000_000
PROGRESSIVE_MAX_PIXELS = 16_000_000  # a progressive JPEG keeps every coefficient in memory while it decodes
MAX_JPEG_SCANS = 100  # a progressive JPEG of thousands of scans costs a full pass over the picture each
PREVIEW_PIXELS = 480
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard, behind ours
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
_decoding = threading.Lock()  # one preview decoded at a time: a burst of staff views cannot stack them


class Refused(Exception):
    """A picture that is not kept: `reason` is 'mismatch', 'damaged' or 'too_many_pixels'."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def check(data, mime):
    """Refuse (Refused) `data` unless it is a whole picture of type `mime` within MAX_PIXELS (a JPEG) or
    MAX_LOSSLESS_PIXELS (the others)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # the header only
                if image.format != PILLOW_FORMATS[mime]:
                    raise Refused("mismatch")
                width, height = image.size
                limit = MAX_PIXELS if mime == "image/jpeg" else MAX_LOSSLESS_PIXELS
                if width < 1 or height < 1 or width * height > limit:
                    raise Refused("too_many_pixels")
                if mime == "image/jpeg":
                    _check_jpeg(image, data, width * height)
                elif mime == "image/png":
                    image.verify()  # every chunk's checksum, to the end marker; nothing decoded
        if mime == "image/webp":
            _riff_chunks(data)
        elif mime == "image/gif":
            _gif_blocks(data)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own guard, from the header
        raise Refused("too_many_pixels")
    except (OSError, SyntaxError, ValueError, struct.error, EOFError, zlib.error):
        raise Refused("damaged")


def _check_jpeg(image, data, pixels):
    """Decode the JPEG at an eighth of its size (it still reads every byte: a cut file fails)."""
    progressive = image.info.get("progressive") or image.info.get("progression")
    if progressive and (pixels > PROGRESSIVE_MAX_PIXELS or data.count(b"\xff\xda") > MAX_JPEG_SCANS):
        raise Refused("too_many_pixels")
    image.draft("RGB", (512, 512))
    image.load()


def _riff_chunks(data):
    """The (fourcc, start, end) of each chunk of a WebP file, which must fill it exactly; ValueError if not."""
    if len(data) < 20 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP file")
    if struct.unpack("<I", data[4:8])[0] + 8 != len(data):
        raise ValueError("the RIFF size is not the file's")
    chunks, offset = [], 12
    while offset < len(data):
        fourcc, size = data[offset:offset + 4], struct.unpack("<I", data[offset + 4:offset + 8])[0]
        end = offset + 8 + size + (size & 1)
        if end > len(data):
            raise ValueError("a chunk runs past the end")
        chunks.append((fourcc, offset, end))
        offset = end
    if not chunks or chunks[0][0] not in (b"VP8 ", b"VP8L", b"VP8X"):
        raise ValueError("no picture chunk first")
    return chunks


def _sub_blocks(data, offset):
    """The offset after a GIF's run of data sub-blocks starting at `offset`."""
    while True:
        size = data[offset]
        offset += 1 + size
        if size == 0:
            return offset


def _gif_blocks(data):
    """Walk a GIF's blocks to its trailer; returns [(kind, start, end)] ('ext:<label>', 'image'). IndexError
    or ValueError when cut short or malformed."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")
    flags = data[10]
    offset = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    blocks = []
    while True:
        start, kind = offset, data[offset]
        if kind == 0x3B:
            return blocks
        if kind == 0x21:
            label = data[offset + 1]
            offset = _sub_blocks(data, offset + 2)
            blocks.append((f"ext:{label:02x}", start, offset))
        elif kind == 0x2C:
            local = data[offset + 9]
            offset += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            offset = _sub_blocks(data, offset + 1)  # after the LZW minimum code size
            blocks.append(("image", start, offset))
        else:
            raise ValueError("not a GIF block")


# ---- Without location and camera data ----------------------------------------------------------------

ORIENTATION = 0x0112


def strip_metadata(data, mime):
    """The picture without EXIF, XMP, IPTC and comments (GPS, the camera, its owner), every pixel as it was;
    a JPEG keeps its orientation. `data` itself when there was nothing to take out or the format has no
    such data here."""
    strip = {"image/jpeg": _strip_jpeg, "image/png": _strip_png, "image/webp": _strip_webp, "image/gif": _strip_gif}
    return strip[mime](data) if mime in strip else data


def _orientation_only(data):
    """A minimal EXIF segment (APP1) holding only the photo's orientation, or b'' when it is upright."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            orientation = image.getexif().get(ORIENTATION, 1)
    except (OSError, SyntaxError, ValueError):
        return b""
    if orientation == 1 or not isinstance(orientation, int) or not 1 <= orientation <= 8:
        return b""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    payload = exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _strip_jpeg(data):
    """The primary image's segments without APP1 (EXIF, XMP), APP2 multi-picture indexes, APP12/APP13
    (IPTC, Photoshop) and comments, up to its end marker: what a camera appends after it (depth maps,
    thumbnails with their own EXIF, a maker's trailer) goes too. ValueError/IndexError when malformed."""
    segments, offset, removed = [], 2, False
    while True:
        while data[offset + 1] == 0xFF:  # fill bytes before a marker
            offset += 1
        marker = data[offset + 1]
        if data[offset] != 0xFF or marker == 0xD9:
            break
        length = struct.unpack(">H", data[offset + 2:offset + 4])[0]
        end = offset + 2 + length
        if marker == 0xDA:  # a scan: its entropy-coded data runs to the next marker (not a stuffed or RST byte)
            while True:
                end = data.index(b"\xff", end)
                following = data[end + 1]
                if following not in (0x00, 0xFF) and not 0xD0 <= following <= 0xD7:
                    break
                end += 1
        if marker in (0xE1, 0xEC, 0xED, 0xFE) or marker == 0xE2 and data[offset + 4:offset + 8] == b"MPF\0":
            removed = True
        else:
            segments.append(data[offset:end])
        offset = end
    if data[offset:offset + 2] != b"\xff\xd9":
        raise ValueError("no end marker")
    if not removed and offset + 2 == len(data):
        return data
    upright = _orientation_only(data)
    if upright:
        segments.insert(1 if segments and segments[0][1] == 0xE0 else 0, upright)  # after JFIF, where it goes
    return b"\xff\xd8" + b"".join(segments) + b"\xff\xd9"


def _strip_png(data):
    """The PNG without eXIf and text chunks (tEXt, zTXt, iTXt: where XMP and GPS go)."""
    out, offset, removed = [data[:8]], 8, False
    while offset < len(data):
        length = struct.unpack(">I", data[offset:offset + 4])[0]
        kind, end = data[offset + 4:offset + 8], offset + 12 + length
        if kind in (b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"):
            removed = True
        else:
            out.append(data[offset:end])
        offset = end
        if kind == b"IEND":
            break
    return b"".join(out) if removed or offset < len(data) else data


def _strip_webp(data):
    """The WebP without its EXIF and XMP chunks (and their flags in VP8X)."""
    chunks = _riff_chunks(data)
    kept = [data[start:end] for fourcc, start, end in chunks if fourcc not in (b"EXIF", b"XMP ")]
    if len(kept) == len(chunks):
        return data
    if kept[0][:4] == b"VP8X":
        kept[0] = kept[0][:8] + bytes([kept[0][8] & ~0x0C]) + kept[0][9:]
    body = b"WEBP" + b"".join(kept)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _strip_gif(data):
    """The GIF without comments and application blocks other than the animation loop (XMP lives in one)."""
    removed, out = False, []
    blocks = _gif_blocks(data)
    out.append(data[:blocks[0][1]] if blocks else data[:-1])
    for kind, start, end in blocks:
        loop = kind == "ext:ff" and data[start + 3:start + 14] in (b"NETSCAPE2.0", b"ANIMEXTS1.0")
        if kind == "ext:fe" or kind == "ext:ff" and not loop:
            removed = True
            continue
        out.append(data[start:end])
    return b"".join(out) + b";" if removed else data


# ---- Previews ---------------------------------------------------------------------------------------------

def preview(data):
    """A small JPEG of the picture: turned upright, scaled down as it decodes where the format allows,
    re-encoded (no EXIF, ICC or comment carried over); None when it does not decode. One at a time."""
    with _decoding:
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.draft("RGB", (PREVIEW_PIXELS, PREVIEW_PIXELS))
                image.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS), reducing_gap=2.0)  # in place: one full copy
                upright = ImageOps.exif_transpose(image)  # turned once small (it copies what it turns)
                flat = Image.new("RGB", upright.size, "white")
                flat.paste(upright.convert("RGBA"), mask=upright.convert("RGBA"))
        except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
            return None
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=80)
    return out.getvalue()
