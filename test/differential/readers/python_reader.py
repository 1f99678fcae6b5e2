# Python's tarfile as a differential reader: one archive path per stdin line, one JSON result per
# stdout line (paths as hex of their bytes, file data as sha256). Batch use: one process, many archives.
import hashlib
import json
import sys
import tarfile


def read(path):
    entries = []
    with tarfile.open(path, mode="r:", encoding="utf-8", errors="surrogateescape") as archive:
        for member in archive:
            if member.isreg():
                kind = "file"
                digest = hashlib.sha256(archive.extractfile(member).read()).hexdigest()
            elif member.isdir():
                kind, digest = "directory", ""
            else:
                kind, digest = "other:" + member.type.decode("latin-1"), ""
            entries.append({"path": member.name.encode("utf-8", "surrogateescape").hex(), "type": kind, "sha256": digest})
    return entries


for line in sys.stdin:
    name = line.rstrip("\n")
    try:
        result = {"ok": True, "entries": read(name)}
    except Exception as e:  # every failure is a result: the archive was not read
        result = {"ok": False, "error": f"{type(e).__name__}: {e}"}
    print(json.dumps(result), flush=False)
