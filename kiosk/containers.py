"""Documents, sound and video judged by their whole structure, not their first bytes: a PDF is parsed
(pypdf) and refused with JavaScript, actions that run or fetch something, or embedded files; an MP4, M4A,
3GP or MOV must be boxes that fill the file exactly, with a movie header; MP3, Ogg, WAV and AAC are read
by mutagen; WebM and AMR are walked by their own framing. Recordings keep no location: the metadata boxes
of an MP4-family file become padding of the same size (`strip_metadata`), so no offset moves."""
import io
import logging
import re
import struct

import mutagen
import mutagen.aac
import mutagen.mp3
import mutagen.ogg
import mutagen.oggopus
import mutagen.oggvorbis
import mutagen.wave

ISO_BMFF = {"audio/mp4", "video/mp4", "video/3gpp", "video/quicktime"}
# Every object of a PDF is walked, one upload at a time: 150,000 tiny objects in 8 MB took 6 s. A scanned
# document of 300 pages has about 1,200, a long report with its fonts a few thousand.
MAX_PDF_OBJECTS = 20_000
# The same for boxes and frames walked one by one: a million 8-byte boxes took 1.8 s. A recording has a few
# hundred boxes (a fragmented one some thousands); 10 MB of AMR at its lowest rate is 770,000 frames.
MAX_BOXES = 100_000
MAX_AMR_FRAMES = 1_000_000
# PDF names that run code, open or fetch something, or carry other files.
# (An /OpenAction or /AA is refused by what it does: a page to open at is fine, a /JavaScript action is not.)
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/XFA", "/RichMedia",
                   "/Launch"}
PDF_ACTIVE_VALUES = {"/JavaScript", "/Launch", "/EmbeddedFile", "/FileAttachment", "/RichMedia", "/ImportData",
                     "/SubmitForm", "/GoToE", "/GoToR", "/Sound", "/Movie", "/Rendition"}
BOX_TYPE = re.compile(rb"[\x20-\x7e\xa9]{4}")  # four printable characters ('©xyz' starts with 0xA9)
CONTAINER_BOXES = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof", b"traf"}
METADATA_BOXES = {b"udta", b"meta", b"uuid", b"XMP_"}  # where phones put GPS, the make and the model
AMR_FRAME_BYTES = (13, 14, 16, 18, 20, 21, 27, 32, 6, 0, 0, 0, 0, 0, 0, 1)  # by frame type (AMR-NB)
WEBM_TOP = {0x114D9B74, 0x1549A966, 0x1654AE6B, 0x1F43B675, 0x1C53BB6B, 0x1941A469, 0x1043A770, 0x1254C367,
            0xEC, 0xBF}  # SeekHead, Info, Tracks, Cluster, Cues, Attachments, Chapters, Tags, Void, CRC-32
logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes say nothing an office needs


class Refused(Exception):
    """A file that is not kept: `reason` is 'damaged', 'active' (a PDF that runs or carries something),
    'protected' (a PDF locked by a password) or 'too_complex' (a PDF of more than MAX_PDF_OBJECTS objects)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def check(data, mime):
    """Refuse (Refused) `data` unless its whole structure is that of `mime` (a document, sound or video)."""
    try:
        if mime == "application/pdf":
            _check_pdf(data)
        elif mime in ISO_BMFF:
            boxes(data)
        elif mime == "video/webm":
            _check_webm(data)
        elif mime == "audio/amr":
            _check_amr(data)
        else:
            _check_audio(data, mime)
    except Refused:
        raise
    except Exception:  # hostile bytes may break a parser in any way it has: each of them is a damaged file
        raise Refused("damaged")


# ---- PDF ------------------------------------------------------------------------------------------------

def _check_pdf(data):
    if b"%%EOF" not in data[-2048:]:
        raise Refused("damaged")
    if data.count(b"endobj") > MAX_PDF_OBJECTS:  # counted before parsing: a cheap look at the plain objects
        raise Refused("too_complex")
    import pypdf  # here, not at the top: every `kiosk` command would load it (80 ms) to check no PDF

    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise Refused("protected")
    len(reader.pages)  # reading the page tree parses it: a broken one raises
    numbers = _object_numbers(reader)
    if len(numbers) > MAX_PDF_OBJECTS:  # and with those packed in object streams
        raise Refused("too_complex")
    for number in numbers:
        _refuse_active(reader.get_object(number), depth=0)


def _object_numbers(reader):
    """Every object of the file: those of its cross-reference tables and those inside object streams."""
    numbers = {number for table in reader.xref.values() for number in table}
    numbers.update(reader.xref_objStm)
    return sorted(numbers)


def _refuse_active(value, depth):
    """Refuse a PDF object that holds code, an action that launches or fetches, or an embedded file."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if depth > 50:
        raise Refused("damaged")
    if isinstance(value, IndirectObject):
        return  # every object is visited in turn: no need to follow references
    if isinstance(value, DictionaryObject):
        if PDF_ACTIVE_KEYS & set(value.keys()):
            raise Refused("active")
        for key in ("/S", "/Subtype", "/Type"):
            if str(value.get(key, "")) in PDF_ACTIVE_VALUES:
                raise Refused("active")
        for item in value.values():
            _refuse_active(item, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            _refuse_active(item, depth + 1)


# ---- MP4, M4A, 3GP, MOV (ISO base media file format) ---------------------------------------------------

def boxes(data, start=0, end=None, depth=0, seen=None):
    """[(type, start, header size, end)] of the boxes from `start` to `end`, which they must fill exactly,
    each of four printable characters; at the top a movie header ('moov') must be among them, and the
    containers inside it are walked too, MAX_BOXES in all. ValueError when not."""
    end = len(data) if end is None else end
    found, offset, seen = [], start, [0] if seen is None else seen
    while offset < end:
        seen[0] += 1
        if seen[0] > MAX_BOXES:
            raise ValueError("more boxes than any recording has")
        if end - offset < 8:
            raise ValueError("a box header cut short")
        size, kind = struct.unpack(">I", data[offset:offset + 4])[0], data[offset + 4:offset + 8]
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[offset + 8:offset + 16])[0], 16
        elif size == 0 and depth == 0:
            size = end - offset  # the last box runs to the end of the file
        if not BOX_TYPE.fullmatch(kind) or size < header or offset + size > end:
            raise ValueError("not a box")
        found.append((kind, offset, header, offset + size))
        if kind in CONTAINER_BOXES and depth < 8:
            boxes(data, offset + header, offset + size, depth + 1, seen)
        offset += size
    if depth == 0 and not any(kind in (b"moov", b"moof") for kind, *_ in found):
        raise ValueError("no movie header")
    return found


def strip_metadata(data, mime):
    """An MP4-family file whose metadata boxes (user data, metadata, XMP), at the top and inside the movie
    and its tracks, are padding ('free', zeros) of the same size: GPS, make and model gone, every offset
    and sample as it was. Other types come back as they are."""
    if mime not in ISO_BMFF:
        return data
    out = bytearray(data)
    for kind, start, header, end in _metadata_boxes(data):
        out[start + 4:start + 8] = b"free"
        out[start + header:end] = bytes(end - start - header)
    return bytes(out) if out != data else data


def _metadata_boxes(data, start=0, end=None, depth=0):
    found = []
    for kind, box_start, header, box_end in boxes(data, start, end, depth) if depth else boxes(data):
        if kind in METADATA_BOXES:
            found.append((kind, box_start, header, box_end))
        elif kind in CONTAINER_BOXES and depth < 8:
            found.extend(_metadata_boxes(data, box_start + header, box_end, depth + 1))
    return found


# ---- WebM, AMR, and the rest of sound ------------------------------------------------------------------

def _ebml_number(data, offset, keep_marker):
    """(value, length) of an EBML variable-length number at `offset`."""
    first = data[offset]
    if first == 0:
        raise ValueError("not an EBML number")
    length = 9 - first.bit_length()
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[offset + 1:offset + length]:
        value = (value << 8) | byte
    if offset + length > len(data):
        raise ValueError("cut short")
    return value, length


def _check_webm(data):
    """An EBML header of DocType webm, then a Segment (of a size that fits, or of unknown size, as a live
    recording has) whose first element is one that a Segment holds."""
    ident, length = _ebml_number(data, 0, keep_marker=True)
    size, size_length = _ebml_number(data, length, keep_marker=False)
    header_end = length + size_length + size
    if ident != 0x1A45DFA3 or header_end > len(data) or b"webm" not in data[:header_end]:
        raise ValueError("not a WebM header")
    ident, length = _ebml_number(data, header_end, keep_marker=True)
    size, size_length = _ebml_number(data, header_end + length, keep_marker=False)
    body = header_end + length + size_length
    unknown = size == (1 << (7 * size_length)) - 1
    if ident != 0x18538067 or not unknown and body + size > len(data):
        raise ValueError("no whole Segment")
    first, _ = _ebml_number(data, body, keep_marker=True)
    if first not in WEBM_TOP:
        raise ValueError("not a Segment's element")


def _check_amr(data):
    """'#!AMR\\n', then frames whose sizes (by their type) fill the file exactly."""
    if not data.startswith(b"#!AMR\n"):
        raise ValueError("not AMR")
    offset, frames = 6, 0
    while offset < len(data):
        size = AMR_FRAME_BYTES[(data[offset] >> 3) & 0x0F]
        if size == 0 or frames == MAX_AMR_FRAMES:
            raise ValueError("not an AMR frame, or more than a recording of this size has")
        offset += size
        frames += 1
    if offset != len(data) or frames == 0:
        raise ValueError("AMR cut short")


AUDIO_READERS = {
    "audio/mpeg": (mutagen.mp3.MP3,),
    "audio/ogg": (mutagen.oggopus.OggOpus, mutagen.oggvorbis.OggVorbis),
    "audio/wav": (mutagen.wave.WAVE,),
    "audio/aac": (mutagen.aac.AAC,),
}


def _check_audio(data, mime):
    """mutagen reads the stream's own headers (frames, pages, chunks): one of its readers must take it."""
    problem = None
    for reader in AUDIO_READERS[mime]:
        try:
            audio = reader(io.BytesIO(data))
        except mutagen.MutagenError as error:
            problem = error
            continue
        if audio.info is None or getattr(audio.info, "length", 1) <= 0:
            raise ValueError("no sound")
        return
    raise problem or ValueError("no reader")
