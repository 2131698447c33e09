"""Evidence as a person's phone sends it: small real images and a minimal PDF, and the upload step's
multipart post."""
import io
import struct

import pypdf
from PIL import Image


def png_bytes(size=(40, 30), color=(200, 30, 30)):
    """A PNG of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(300, 200)):
    """A JPEG of noise (each call its own bytes)."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def pdf_bytes(**catalog):
    """A PDF of one blank A4 page, as a scanner or a word processor writes one (a cross-reference table,
    startxref); `catalog` entries (pypdf objects) are added to its catalog."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    for name, value in catalog.items():
        writer._root_object[pypdf.generic.NameObject("/" + name)] = value
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = pdf_bytes()


def upload(citizen, *files, action="upload", **fields):
    """Post (name, content) files to the evidence step, as its form does."""
    data = dict(fields, action=action, files=[(io.BytesIO(content), name) for name, content in files])
    return citizen.post("/lapor/bukti", data, content_type="multipart/form-data")


def box(kind, payload):
    """An ISO base media box (MP4, 3GP, MOV): its size, its type, its payload."""
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(brand=b"mp42", place=b"+06.1200+106.1500/"):
    """A short MP4 as a phone records one: ftyp, a movie header (with the phone's location and make in its
    user data, as '\\xa9xyz' and '\\xa9mak', when `place`), then the media data."""
    header = box(b"mvhd", bytes(4) + bytes(8) + struct.pack(">II", 1000, 1000) + bytes(80))
    user = box(b"udta", box(b"\xa9xyz", struct.pack(">HH", len(place), 0) + place)
                        + box(b"\xa9mak", struct.pack(">HH", 9, 0) + b"KameraHP1")) if place else b""
    return (box(b"ftyp", brand + bytes(4) + brand + b"isom") + box(b"moov", header + user)
            + box(b"mdat", bytes(range(256)) * 4))
