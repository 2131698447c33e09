"""What hostile visitors cost a real `kiosk serve` (issue 10): its memory before and after 100 hostile posts
(goal: under 20 MB of growth), the peak memory and CPU of each hostile image upload (goal: under 150 MB and
0.2 s), and the largest draft row they leave (goal: under 100 KB).

    .venv/bin/python bench/hostile.py [--posts 100]

The posts, in turns: region codes of 120 KB on the event step (they were cache keys), a 250 KB address on
the reported party's step (it was stored in the draft), a 16 MB form body (refused before it is read), a
250 KB office on the sign-in form (it went into the audit log), and PNG bombs: 7,700 x 7,700 RGBA pixels
in 230 KB, a different one each time (and the same one again, which is never checked twice). Rate limits
and the minimum time are off: the server takes every post, the worst case."""
import argparse
import http.client
import io
import os
import re
import sqlite3
import sys
import tempfile
import shutil
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests.support

from tests.support.citizen import event_answers  # noqa: E402
from tests.support.servers import Server  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
MB = 1024 * 1024


class Visitor:
    """A browser without JavaScript: a cookie, the last page's CSRF token."""

    def __init__(self, port):
        self.port, self.cookie, self.token = port, "", ""

    def send(self, method, path, body=None, content_type=None):
        """One request on a new connection; (status, text)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:  # a body refused before it was read
            return 0, type(error).__name__
        finally:
            connection.close()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        found = CSRF.search(text)
        self.token = found.group(1) if found else self.token
        return response.status, text

    def get(self, path):
        return self.send("GET", path)

    def post(self, path, form):
        return self.send("POST", path, urlencode(dict(form, csrf_token=self.token)).encode(),
                         "application/x-www-form-urlencoded")

    def upload(self, name, content):
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
                 for key, value in (("csrf_token", self.token), ("action", "upload"))]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                     f"Content-Type: image/png\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.send("POST", "/lapor/bukti", body, f"multipart/form-data; boundary={boundary}")


def status_kb(pid, field):
    """A memory figure of process `pid` from /proc (VmRSS: now; VmHWM: its peak), in KB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def cpu_seconds(pid):
    """CPU seconds (user + system) the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def png_bomb(seed):
    """230 KB of PNG that decodes to 7,700 x 7,700 RGBA pixels (226 MB); each seed its own bytes."""
    image = Image.new("RGBA", (7700, 7700), (seed % 256, 80, 80, 255))
    image.putpixel((seed % 7700, 0), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False, compress_level=9)
    return buffer.getvalue()


def phone_photo():
    """A 12 MP JPEG as a phone takes it (4,000 x 3,000, with the camera and a GPS position in its EXIF)."""
    image = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"
    exif.get_ifd(0x8825).update({1: "S", 2: (6.0, 7.0, 12.0), 3: "E", 4: (106.0, 9.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="kiosk-hostile-"))
    server = Server(root / "office", min_form_seconds=0, rate_limits=0)
    bombs = [png_bomb(n) for n in range(3)]
    server.start()
    pid = server.process.pid
    try:
        warm = Visitor(server.port)
        for path in ("/", "/lapor/", "/lapor/kejadian?jenis=formal", "/staff/login", "/status"):
            warm.get(path)
        before = status_kb(pid, "VmRSS")
        uploads, statuses = [], {}
        for n in range(args.posts):
            visitor = Visitor(server.port)
            visitor.get("/lapor/kejadian?jenis=formal")
            kind = n % 5
            if kind == 0:
                status, _ = visitor.post("/lapor/kejadian", event_answers(
                    regency="36.73" + "9" * 120_000, district="36.73.01" + "7" * 120_000, action="save"))
            elif kind == 1:
                status, _ = visitor.post("/lapor/terlapor", {"terlapor_name": "Tim", "terlapor_role": "lainnya",
                                                             "terlapor_address": "J" * 250_000, "action": "next"})
            elif kind == 2:
                status, _ = visitor.post("/lapor/terlapor", {"terlapor_name": "T", "terlapor_address": "x" * (16 * MB)})
            elif kind == 3:
                visitor.get("/staff/login")
                status, _ = visitor.post("/staff/login", {"office": "3" * 250_000, "username": "admin",
                                                          "password": "a wrong password"})
            else:
                cpu, began = cpu_seconds(pid), time.perf_counter()
                status, _ = visitor.upload("tps.png", bombs[(n // 5) % len(bombs)])
                uploads.append((cpu_seconds(pid) - cpu, time.perf_counter() - began, status_kb(pid, "VmHWM")))
            statuses[status] = statuses.get(status, 0) + 1
        time.sleep(0.5)
        after, peak = status_kb(pid, "VmRSS"), status_kb(pid, "VmHWM")
        photo, visitor = phone_photo(), Visitor(server.port)
        visitor.get("/lapor/kejadian?jenis=formal")
        cpu, began = cpu_seconds(pid), time.perf_counter()
        photo_status, _ = visitor.upload("foto.jpg", photo)
        photo_cost = (photo_status, cpu_seconds(pid) - cpu, time.perf_counter() - began, status_kb(pid, "VmHWM"))
    finally:
        server.stop()
    with sqlite3.connect(root / "office" / "kiosk.sqlite3") as conn:
        drafts, largest = conn.execute(
            "SELECT count(*), coalesce(max(length(sealed) + length(coalesce(files, ''))), 0) FROM draft").fetchone()
        audit = conn.execute("SELECT count(*), coalesce(max(length(detail) + length(target)), 0) FROM audit_log").fetchone()
    print(f"kiosk serve on 127.0.0.1, {args.posts} hostile posts, rate limits off; answers: "
          + ", ".join(f"{code or 'refused before reading'}: {count}" for code, count in sorted(statuses.items())))
    print(f"RSS before:                {before / 1024:.1f} MB")
    print(f"RSS after:                 {after / 1024:.1f} MB (growth {(after - before) / 1024:+.1f} MB; goal under 20)")
    print(f"peak RSS of the process:   {peak / 1024:.1f} MB (goal under 150)")
    if uploads:
        cpus = sorted(cpu for cpu, _, _ in uploads)
        print(f"image bomb uploads:        {len(uploads)}; CPU per upload median {cpus[len(cpus) // 2]:.3f} s, "
              f"max {cpus[-1]:.3f} s (goal under 0.2); wall max {max(wall for _, wall, _ in uploads):.3f} s")
    print(f"a phone photo (12 MP JPEG, {len(photo) / MB:.1f} MB, EXIF stripped): answer {photo_cost[0]}, CPU "
          f"{photo_cost[1]:.3f} s, wall {photo_cost[2]:.3f} s, peak RSS since start {photo_cost[3] / 1024:.1f} MB")
    print(f"drafts left:               {drafts}; largest row {largest / 1024:.1f} KB (goal under 100)")
    print(f"audit log:                 {audit[0]} entries, the largest {audit[1] / 1024:.1f} KB")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
