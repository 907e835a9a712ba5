"""Tests of ``ingest.loaders.load_document``: each format, and every kind of bad file a user may drop in."""

from __future__ import annotations

import io
import logging
import random
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PageObject, PdfReader, PdfWriter

from ingest.errors import DocumentError
from ingest.loaders import load_document
from ingest.models import LoadedDocument
from ingest.normalize import normalize_text

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


# --- helpers -------------------------------------------------------------------------------------


def make_pdf(pages: list[str], *, title: str | None = None, font: Path | None = None) -> bytes:
    """A PDF with one page per text; core Helvetica (Latin-1 only) unless a TTF font is given."""
    pdf = FPDF()
    if title is not None:
        pdf.set_title(title)
    if font is None:
        pdf.set_font("Helvetica", size=12)
    else:
        pdf.add_font("Body", fname=str(font))
        pdf.set_font("Body", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def encrypt(data: bytes, user_password: str, *, algorithm: str | None = None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, "owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def load_error(path: Path) -> str:
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert info.value.code == "bad_document"
    assert info.value.context["path"] == str(path)
    return info.value.message


THREE_PAGES = [
    "Page one: Málaga and Malmö take part in the pro-\ngramme.",
    "Page two: Cities cooperate on urban mobility for at least 18 months.",
    "Page three: Each city develops a Local Action Plan.",
]


# --- plain text and markdown ---------------------------------------------------------------------


def test_text_file_is_one_page_without_number(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "notes.txt", "Timeframe: 5 years\nMálaga – Växjö\n"))
    assert isinstance(document, LoadedDocument)
    assert document.format == "text"
    assert document.path == str(tmp_path / "notes.txt")
    assert document.declared_title is None
    assert [(page.number, page.text) for page in document.pages] == [
        (None, "Timeframe: 5 years\nMálaga – Växjö\n")
    ]


@pytest.mark.parametrize("name", ["README.md", "notes.markdown", "SHOUTING.TXT"])
def test_markdown_and_upper_case_suffixes(tmp_path: Path, name: str) -> None:
    document = load_document(write(tmp_path, name, "# Title\n\n**bold** text"))
    assert document.pages[0].text == "# Title\n\n**bold** text"
    assert document.format == ("text" if name.endswith("TXT") else "markdown")


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "bom.txt", b"\xef\xbb\xbfGala\xc8\x9bi"))
    assert document.pages[0].text == "Galați"


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "windows.txt", "Umeå and Kamakura".encode("utf-16")))
    assert document.pages[0].text == "Umeå and Kamakura"


def test_cp1252_fallback(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, "legacy.txt", "Málaga – “smart cities” €5".encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="ingest.loaders"):
        document = load_document(path)
    assert document.pages[0].text == "Málaga – “smart cities” €5"
    assert "legacy.txt is not UTF-8; decoded as Windows-1252" in caplog.text


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\ufeff \u00a0\n".encode()])
def test_empty_or_blank_text_file(tmp_path: Path, data: bytes) -> None:
    assert load_error(write(tmp_path, "empty.txt", data)) == "empty file"


def test_binary_file_named_txt(tmp_path: Path) -> None:
    assert load_error(write(tmp_path, "blob.txt", b"abc\x00\x01\x02\xff\xfe" * 50)) == (
        "binary file, not text (NUL bytes)"
    )


def test_control_characters_without_nul_are_binary(tmp_path: Path) -> None:
    data = bytes(range(1, 32)) * 20 + b"\xe9"
    assert load_error(write(tmp_path, "blob.md", data)).startswith("binary file, not text")


def test_pdf_named_txt_is_mislabelled(tmp_path: Path) -> None:
    path = write(tmp_path, "call.txt", make_pdf(["Hello"]))
    assert load_error(path) == "mislabelled: looks like a PDF but named .txt"


def test_docx_named_md_is_mislabelled(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, "call.md", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40))
    assert message.startswith("mislabelled: looks like a ZIP archive or an Office document")
    assert message.endswith("but named .md")


# --- unsupported and unreadable ------------------------------------------------------------------


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "call.docx", b"PK\x03\x04")
    assert load_error(path) == "unsupported file type '.docx' (supported: .txt, .md, .html, .htm, .pdf)"


def test_missing_suffix(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, "README", "text"))
    assert message.startswith("unsupported file type: the name has no extension")


def test_missing_file(tmp_path: Path) -> None:
    assert load_error(tmp_path / "gone.txt").startswith("cannot read the file: No such file")


# --- HTML ----------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>  Starting a   city-to-city cooperation </title>
<style>p { color: red }</style><script>var hidden = "<p>script text</p>";</script></head>
<body>
<header><nav><a href="/">Home</a> <a href="/faq">FAQ</a></nav><div>Site banner</div></header>
<main><article>
<header><h1>Starting a city-to-city <em>cooperation</em></h1></header>
<p>Cities in the <b>Member States</b> who wish to exchange
   with a city can benefit from the <a href="#">IUC</a> programme.</p>
<div>Contact:<br>coordination-unit@iuc-europe.eu</div>
<h2>By joining, your city will:</h2>
<ul>
  <li><strong>COMMIT</strong> – Cooperate for at least 18 months</li>
  <li><p>LEARN</p> – Get access <ul><li>to good practices</li></ul></li>
</ul>
<!-- an editor's comment -->
<h3>City-to-city pairings</h3>
<table>
 <thead><tr><th>EU City</th><th>Country</th><th>Paired City</th><th>Country</th><th>Topics</th></tr></thead>
 <tbody>
 <tr><td>Mál<b>aga</b></td><td>Spain</td><td>Jingyue</td><td>China</td><td>transport, smart cities</td></tr>
 <tr><td>Malmö</td><td>Sweden</td><td>Ottawa</td><td>Canada</td><td>smart cities<br>and SDGs</td></tr>
 <tr><td> </td><td></td></tr>
 </tbody>
</table>
</article></main>
<footer>© 2024 IUC · Privacy</footer>
</body></html>
"""

PAGE_TEXT = """# Starting a city-to-city cooperation

Cities in the Member States who wish to exchange with a city can benefit from the IUC programme.

Contact:
coordination-unit@iuc-europe.eu

## By joining, your city will:

- COMMIT – Cooperate for at least 18 months
- LEARN – Get access
- to good practices

### City-to-city pairings

EU City | Country | Paired City | Country | Topics
Málaga | Spain | Jingyue | China | transport, smart cities
Malmö | Sweden | Ottawa | Canada | smart cities and SDGs"""


def test_html_structure_becomes_lines(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "call.html", PAGE))
    assert document.format == "html"
    assert document.declared_title == "Starting a city-to-city cooperation"
    assert [page.number for page in document.pages] == [None]
    assert document.pages[0].text == PAGE_TEXT


def test_html_chrome_scripts_and_comments_are_dropped(tmp_path: Path) -> None:
    text = load_document(write(tmp_path, "call.htm", PAGE)).pages[0].text
    for noise in ("Home", "FAQ", "Site banner", "script text", "color", "Privacy", "comment"):
        assert noise not in text


def test_html_text_survives_normalisation(tmp_path: Path) -> None:
    text = normalize_text(load_document(write(tmp_path, "call.html", PAGE)).pages[0].text)
    assert text == PAGE_TEXT


def test_html_title_falls_back_to_first_h1(tmp_path: Path) -> None:
    html = "<html><body><h1> Concept   no<b>te</b><br>Barcelona </h1><p>Body.</p></body></html>"
    assert load_document(write(tmp_path, "note.html", html)).declared_title == "Concept note Barcelona"


def test_html_without_title(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "bare.html", "<p>Just text.</p>"))
    assert document.declared_title is None
    assert document.pages[0].text == "Just text."


def test_html_declared_charset_is_honoured(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Málaga – Växjö</p></body></html>'
    document = load_document(write(tmp_path, "legacy.html", html.encode("cp1252")))
    assert document.pages[0].text == "Málaga – Växjö"


def test_html_in_utf16(tmp_path: Path) -> None:
    html = "<html><body><h2>Växjö</h2><p>Burlington</p></body></html>"
    document = load_document(write(tmp_path, "utf16.html", html.encode("utf-16")))
    assert document.pages[0].text == "## Växjö\n\nBurlington"


def test_html_nested_blocks_inside_cells_and_items_are_spaced(tmp_path: Path) -> None:
    html = (
        "<table><tr><td><p>Bologna</p><p>Italy</p></td><td><table><tr><td>Austin</td><td>USA</td></tr>"
        "</table></td></tr></table><ol><li><h4>Step</h4>one</li></ol>"
    )
    text = load_document(write(tmp_path, "t.html", html)).pages[0].text
    assert text == "Bologna Italy | Austin USA\n\n- Step one"


def test_html_without_visible_text(tmp_path: Path) -> None:
    html = "<html><head><title>T</title><script>x()</script></head><body><nav>Menu</nav></body></html>"
    assert load_error(write(tmp_path, "empty.html", html)) == (
        "no extractable text (the HTML page has no visible text)"
    )


def test_html_that_looks_like_a_file_name_does_not_warn(tmp_path: Path) -> None:
    # bs4 warns when markup resembles a path; pytest turns warnings into errors, so this would fail.
    assert load_document(write(tmp_path, "odd.html", "index.html")).pages[0].text == "index.html"


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_pages_are_numbered_from_one(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "call.pdf", make_pdf(THREE_PAGES, title="IUC Call 2018")))
    assert document.format == "pdf"
    assert document.declared_title == "IUC Call 2018"
    assert [page.number for page in document.pages] == [1, 2, 3]
    for page, expected in zip(document.pages, ("Page one", "Page two", "Page three"), strict=True):
        assert page.text.startswith(expected)
    assert "Málaga and Malmö" in document.pages[0].text


def test_pdf_line_end_hyphen_is_rejoined_by_normalisation(tmp_path: Path) -> None:
    page = load_document(write(tmp_path, "call.pdf", make_pdf(THREE_PAGES))).pages[0]
    assert "pro-\ngramme" in page.text
    assert normalize_text(page.text) == "Page one: Málaga and Malmö take part in the programme."


def test_pdf_wrapped_lines_are_joined_by_normalisation(tmp_path: Path) -> None:
    # Only lowercase words, so every wrap point is one the normaliser may join (see test_normalize).
    sentence = "The programme helps cities of member states who wish to exchange with a city abroad " * 3
    page = load_document(write(tmp_path, "wrapped.pdf", make_pdf([sentence.strip() + "."]))).pages[0]
    assert page.text.count("\n") >= 2, "fpdf2 should have wrapped the paragraph"
    assert normalize_text(page.text) == sentence.strip() + "."


def test_pdf_without_title_metadata(tmp_path: Path) -> None:
    assert load_document(write(tmp_path, "call.pdf", make_pdf(["Text"]))).declared_title is None


@pytest.mark.skipif(not DEJAVU.exists(), reason=f"needs the DejaVu TTF font at {DEJAVU} (fonts-dejavu-core)")
def test_pdf_with_non_latin1_text(tmp_path: Path) -> None:
    text = "Galați, Łódź and Župa Dubrovačka"
    page = load_document(write(tmp_path, "ttf.pdf", make_pdf([text], font=DEJAVU))).pages[0]
    assert normalize_text(page.text) == text


def test_pdf_encrypted_with_a_user_password(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.pdf", encrypt(make_pdf(THREE_PAGES), "secret"))
    assert load_error(path) == "encrypted PDF: a password is needed"


def test_pdf_encrypted_with_aes_and_a_user_password(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.pdf", encrypt(make_pdf(THREE_PAGES), "secret", algorithm="AES-256"))
    assert load_error(path) == "encrypted PDF: a password is needed"


@pytest.mark.parametrize("algorithm", [None, "AES-128"])
def test_pdf_encrypted_with_an_empty_user_password_opens(tmp_path: Path, algorithm: str | None) -> None:
    data = encrypt(make_pdf(THREE_PAGES, title="Open"), "", algorithm=algorithm)
    document = load_document(write(tmp_path, "open.pdf", data))
    assert [page.number for page in document.pages] == [1, 2, 3]
    assert document.pages[2].text.startswith("Page three")
    assert document.declared_title == "Open"


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = make_pdf(THREE_PAGES)
    assert load_error(write(tmp_path, "cut.pdf", data[: len(data) // 2])).startswith("corrupt PDF: ")


def test_text_file_named_pdf(tmp_path: Path) -> None:
    path = write(tmp_path, "call.pdf", "Call for applications\nDeadline: 19 March")
    assert load_error(path) == "not a PDF (the file does not start with %PDF; is it mislabelled?)"


def test_empty_pdf(tmp_path: Path) -> None:
    assert load_error(write(tmp_path, "empty.pdf", b"")) == "empty file"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    blank = FPDF()
    blank.add_page()
    path = write(tmp_path, "scan.pdf", bytes(blank.output()))
    assert load_error(path) == "no extractable text (scanned PDF without a text layer?)"


def test_pdf_header_followed_by_garbage(tmp_path: Path) -> None:
    noise = bytes(random.Random(7).randrange(256) for _ in range(4000))
    path = write(tmp_path, "junk.pdf", b"%PDF-1.7\n" + noise)
    assert load_error(path).startswith("corrupt PDF: ")


@pytest.mark.parametrize("seed", range(12))
def test_damaged_pdf_never_escapes_as_a_raw_exception(tmp_path: Path, seed: int) -> None:
    """Cut, flipped or shuffled bytes either still load or raise DocumentError, nothing else."""
    rng = random.Random(seed)
    data = bytearray(make_pdf(THREE_PAGES, title="Fuzz"))
    cut = rng.randrange(16, len(data))
    damaged = data[:cut]
    for _ in range(rng.randrange(1, 40)):
        position = rng.randrange(8, len(damaged))
        damaged[position] = rng.randrange(256)
    path = write(tmp_path, "damaged.pdf", bytes(damaged))
    try:
        document = load_document(path)
    except DocumentError as exc:
        assert exc.message
    else:
        assert all(page.number == index for index, page in enumerate(document.pages, start=1))


def test_one_unreadable_page_is_logged_and_left_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    original = PageObject.extract_text

    def flaky(page: PageObject) -> str:
        text = original(page)
        if text.startswith("Page two"):
            raise KeyError("/Contents")
        return text

    monkeypatch.setattr(PageObject, "extract_text", flaky)
    with caplog.at_level(logging.WARNING, logger="ingest.loaders"):
        document = load_document(write(tmp_path, "call.pdf", make_pdf(THREE_PAGES)))
    assert [page.number for page in document.pages] == [1, 2, 3]
    assert document.pages[1].text == ""
    assert "call.pdf page 2: text extraction failed" in caplog.text


def test_no_readable_page_is_corrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(page: PageObject) -> str:
        raise ValueError("bad content stream")

    monkeypatch.setattr(PageObject, "extract_text", broken)
    path = write(tmp_path, "call.pdf", make_pdf(THREE_PAGES))
    assert load_error(path) == "corrupt PDF: no page could be read (bad content stream)"
