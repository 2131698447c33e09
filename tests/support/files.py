"""Evidence as a person's phone sends it: small real images and a minimal PDF, and the upload step's
multipart post."""
import io

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


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def upload(citizen, *files, action="upload", **fields):
    """Post (name, content) files to the evidence step, as its form does."""
    data = dict(fields, action=action, files=[(io.BytesIO(content), name) for name, content in files])
    return citizen.post("/lapor/bukti", data, content_type="multipart/form-data")
