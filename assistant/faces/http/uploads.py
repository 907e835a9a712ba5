"""Reading one uploaded file from a multipart/form-data body, as it streams in: the file field's bytes up
to a limit, nothing written to disk, a clear error for a body that is not such a form or is cut short."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ingest.errors import InvalidRequestError, TooLargeError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

_SEND_AS = "Send the document as the multipart/form-data field 'file'."


@dataclass
class Upload:
    filename: str
    data: bytes


@dataclass
class _Form:
    """What the parser's callbacks have seen so far."""

    wanted: str  # the form field that carries the file
    limit: int
    name_bytes: bytearray = field(default_factory=bytearray)
    value_bytes: bytearray = field(default_factory=bytearray)
    disposition: bytes = b""
    in_file: bool = False
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)
    files: int = 0
    ended: bool = False

    def part_begin(self) -> None:
        self.disposition, self.in_file = b"", False

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.name_bytes += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.value_bytes += data[start:end]

    def header_end(self) -> None:
        if bytes(self.name_bytes).lower() == b"content-disposition":
            self.disposition = bytes(self.value_bytes)
        self.name_bytes.clear()
        self.value_bytes.clear()

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        if options.get(b"name") == self.wanted.encode() and b"filename" in options:
            self.files += 1
            if self.files > 1:
                raise InvalidRequestError(f"Send one file; this form has more. {_SEND_AS}", field=self.wanted)
            self.in_file = True
            self.filename = options[b"filename"].decode("utf-8", "replace")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.in_file:
            return
        self.data += data[start:end]
        if len(self.data) > self.limit:
            raise TooLargeError(
                f"The file is over the limit of {self.limit} bytes (ASSISTANT_INGEST__MAX_FILE_BYTES).",
                field=self.wanted,
            )

    def end(self) -> None:
        self.ended = True


async def read_upload(request: Request, field_name: str, limit: int) -> Upload:
    """The file sent in form field ``field_name``; over ``limit`` bytes is a ``TooLargeError``."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidRequestError(_SEND_AS, field=field_name)
    form = _Form(field_name, limit)
    callbacks: MultipartCallbacks = {
        "on_part_begin": form.part_begin,
        "on_part_data": form.part_data,
        "on_header_field": form.header_field,
        "on_header_value": form.header_value,
        "on_header_end": form.header_end,
        "on_headers_finished": form.headers_finished,
        "on_end": form.end,
    }
    parser = MultipartParser(boundary, callbacks)
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as error:
        raise InvalidRequestError(f"The body is not a valid multipart form ({error}). {_SEND_AS}") from error
    if not form.ended:
        raise InvalidRequestError(f"The multipart body ended before its closing boundary. {_SEND_AS}")
    if form.filename is None or not form.filename.strip():
        raise InvalidRequestError(_SEND_AS, field=field_name)
    return Upload(form.filename, bytes(form.data))
