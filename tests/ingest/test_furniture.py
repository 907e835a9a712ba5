"""Page furniture in text saved from the web: whole lines of breadcrumbs, cookie banners, menus, share
and navigation links go; a line with anything more stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import DocumentError
from ingest.furniture import is_furniture, without_furniture
from ingest.loaders.html import load_html
from ingest.loaders.text import load_text

PAGE = """\
We use cookies to give you the best experience. By continuing to browse you accept our cookie policy. [OK]
HARBOURNET | About | Programmes | Calls | Events | Contact   Login   EN | DE
Home › Calls › Harbour towns 2031

Harbour towns call 2031

Towns on a tidal river may apply until 30 June 2031.
Each town receives EUR 40,000.

Share this page: Facebook | LinkedIn | E-mail
< previous | next >
"""


def test_a_saved_page_keeps_its_text_and_loses_its_furniture() -> None:
    kept = without_furniture(PAGE)

    assert kept.split("\n")[:5] == [
        "",
        "Harbour towns call 2031",
        "",
        "Towns on a tidal river may apply until 30 June 2031.",
        "Each town receives EUR 40,000.",
    ]
    assert "cookie" not in kept and "Share" not in kept and "HARBOURNET" not in kept and "next" not in kept


@pytest.mark.parametrize(
    "line",
    [
        "Home / News & Events / Calls / Harbour towns 2031",
        "You are here: Events > Summer school > Practical information",
        "HARBOURNET › About us › Membership › How to join",
        "Cookie preferences | Accessibility | Privacy",
        "Back to top",
        "Print this page | Share",
    ],
)
def test_trails_banners_and_links_are_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        # a sentence that happens to use the words
        "Towns share their experience and may apply for a grant to cover cookies and coffee.",
        "Share of the budget: 20% for partner towns.",
        # a phrase with slashes, and the cells of a table row
        "EU / Japan cooperation",
        "Austria | Belgium | France | Italy | Spain",
        "Lot 1 > Lot 2 > Lot 3 were all awarded in 2031, as the committee decided.",
        "Next steps",
    ],
)
def test_lines_with_more_than_furniture_stay(line: str) -> None:
    assert not is_furniture(line)


def test_a_menu_is_furniture_only_at_the_top_or_foot_of_a_page_and_never_in_a_table() -> None:
    menu = "Harbour | Towns | Rivers | Calls | Events"
    body = "\n".join(f"Paragraph {number} of the page says something." for number in range(12))
    assert menu not in without_furniture(f"{menu}\n{body}")
    assert menu not in without_furniture(f"{body}\n{menu}")
    assert menu in without_furniture(f"{body}\n{menu}\n{body}")  # in the middle of the text
    table = f"{menu}\nOne | Two | Three | Four | Five\n{body}"
    assert without_furniture(table) == table  # a table's header row


def test_the_text_loader_reads_a_page_without_its_furniture(tmp_path: Path) -> None:
    path = tmp_path / "harbour-towns-call-2031.txt"
    (pages, _) = load_text(PAGE.encode(), path)
    assert pages[0].text.lstrip().startswith("Harbour towns call 2031")


def test_a_page_of_nothing_but_furniture_fails_to_load_saying_so(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="only page furniture"):
        load_text(b"Home > Calls > Harbour towns\nBack to top\n", tmp_path / "empty-page.txt")


def test_an_html_page_loses_the_furniture_its_markup_does_not_mark(tmp_path: Path) -> None:
    page = (
        "<html><body><div class='consent'>This site uses cookies. Accept all or manage your preferences."
        "</div><div class='trail'>Home / Calls / Harbour towns 2031</div><main><h1>Harbour towns call</h1>"
        "<p>Towns on a tidal river may apply until 30 June 2031.</p></main></body></html>"
    )
    (pages, title) = load_html(page.encode(), tmp_path / "harbour-towns.html")
    assert title == "Harbour towns call"
    assert (
        pages[0].text.split()
        == "# Harbour towns call Towns on a tidal river may apply until 30 June 2031.".split()
    )


def test_a_lone_link_word_is_furniture_only_at_the_top_or_foot_of_a_page() -> None:
    body = "\n".join(f"Paragraph {number} of the page says something." for number in range(12))
    page = f"Contact us\n{body}\nContact us\nWrite to the harbour desk.\n{body}\nBack to top\n{body}\nShare"
    kept = without_furniture(page).split("\n")
    # the heading of a section in the middle stays; a link that can be nothing else goes anywhere
    assert kept.count("Contact us") == 1 and kept[0] != "Contact us"
    assert "Back to top" not in kept and "Share" not in kept
