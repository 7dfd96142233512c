"""Store a wipe tool's own report exactly as uploaded, hashing it while it streams to storage.

Only the report formats wipe tools produce are accepted (nwipe/ShredOS logs, PDF certificates,
Blancco XML), checked by their first bytes as well as their names, and the stored content type comes
from that check, never from the browser. Files are named by a random id, so a file name a technician
typed (which may hold a person's name) never reaches the disk or a URL.
"""

import codecs
import hashlib
import os
import uuid
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile

from core.errors import DomainError
from reuse.models import Evidence

# Extension -> content type stored and served (always as an attachment).
ACCEPTED = {
    ".log": "text/plain",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".xml": "application/xml",
    ".json": "application/json",
}
ACCEPTED_TEXT = "an nwipe or ShredOS log (.log, .txt), a PDF report (.pdf) or a Blancco report (.xml, .json)"


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _check_start(content_type: str, first: bytes):
    """The first bytes must look like the format the name claims: a .pdf that is really HTML is refused."""
    head = first.lstrip(b"\xef\xbb\xbf \t\r\n")
    if content_type == "application/pdf" and not first.startswith(b"%PDF-"):
        raise DomainError("evidence_type", "This file is named .pdf but is not a PDF.")
    if content_type == "application/xml" and not head.startswith(b"<"):
        raise DomainError("evidence_type", "This file is named .xml but is not XML.")
    if content_type == "application/json" and head[:1] not in (b"{", b"["):
        raise DomainError("evidence_type", "This file is named .json but is not JSON.")


class _HashingFile(File):
    """Hands the storage backend the upload's chunks, hashing, counting and checking each on the way."""

    def __init__(self, upload, content_type: str, limit: int):
        super().__init__(upload, name=getattr(upload, "name", None))
        self.hasher = hashlib.sha256()
        self.count = 0
        self.limit = limit
        self.content_type = content_type
        # Text reports must be text: a NUL byte or broken UTF-8 means a binary file renamed .log.
        self.decoder = codecs.getincrementaldecoder("utf-8")() if content_type.startswith("text/") else None

    def chunks(self, chunk_size=None):
        upload: Any = self.file
        if hasattr(upload, "seek"):
            upload.seek(0)
        source = (
            upload.chunks(chunk_size)
            if hasattr(upload, "chunks")
            else iter(lambda: upload.read(chunk_size or self.DEFAULT_CHUNK_SIZE), b"")
        )
        for chunk in source:
            if self.count == 0:
                _check_start(self.content_type, chunk)
            self.count += len(chunk)
            if self.count > self.limit:
                raise DomainError("evidence_too_large", f"The file is larger than {self.limit // (1024 * 1024)} MB.")
            if self.decoder is not None:
                try:
                    self.decoder.decode(chunk)
                except UnicodeDecodeError:
                    raise DomainError("evidence_type", "This file is named as text but is not text.") from None
                if b"\x00" in chunk:
                    raise DomainError("evidence_type", "This file is named as text but is not text.")
            self.hasher.update(chunk)
            yield chunk
        if self.decoder is not None:
            try:
                self.decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise DomainError("evidence_type", "This file is named as text but is not text.") from None


def evidence_store(*, upload, actor, name: str | None = None) -> tuple[Evidence, bool]:
    """Keep `upload` (an UploadedFile, or any file object with `name`) as Evidence, unaltered.

    Returns (evidence, created). The SHA-256 and size are computed from the very bytes written. If
    the same bytes are already on file, that Evidence is returned and the new copy is dropped.
    Raises DomainError `evidence_type`, `evidence_too_large` or `evidence_empty`; nothing is left on
    disk then. Call inside the transaction that links the evidence to its records, and pass the
    result to `evidence_discard` if that transaction fails.
    """
    original_name = os.path.basename(name or getattr(upload, "name", "") or "evidence")[:255]
    content_type = ACCEPTED.get(_extension(original_name))
    if content_type is None:
        raise DomainError("evidence_type", f"Upload {ACCEPTED_TEXT}.")
    limit = settings.EVIDENCE_MAX_BYTES
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise DomainError("evidence_too_large", f"The file is larger than {limit // (1024 * 1024)} MB.")
    if declared == 0:
        raise DomainError("evidence_empty", "The file is empty.")

    hashing = _HashingFile(upload, content_type, limit)
    evidence = Evidence(original_name=original_name, content_type=content_type, uploaded_by=actor, size=0)
    stored_name = f"{uuid.uuid4().hex}{_extension(original_name)}"
    field = evidence.file.field
    storage_name = field.generate_filename(evidence, stored_name)
    try:
        evidence.file.save(stored_name, hashing, save=False)
    except BaseException:
        # A refused or failed upload leaves nothing behind: the partial file is removed.
        evidence.file.storage.delete(storage_name)
        raise
    if hashing.count == 0:
        evidence.file.storage.delete(evidence.file.name)
        raise DomainError("evidence_empty", "The file is empty.")
    evidence.size = hashing.count
    evidence.sha256 = hashing.hasher.hexdigest()
    existing = Evidence.objects.filter(sha256=evidence.sha256, size=evidence.size).order_by("pk").first()
    if existing is not None:
        evidence.file.storage.delete(evidence.file.name)
        return existing, False
    evidence.save()
    return evidence, True


def evidence_discard(stored: tuple[Evidence, bool] | None):
    """Remove a file stored by `evidence_store` whose transaction rolled back (its row is gone with it)."""
    if stored is not None and stored[1]:
        stored[0].file.storage.delete(stored[0].file.name)


def evidence_store_bytes(*, content: bytes, name: str, actor) -> tuple[Evidence, bool]:
    """`evidence_store` for bytes already in memory (an imported log that has been parsed)."""
    return evidence_store(upload=ContentFile(content, name=name), actor=actor, name=name)
