"""Where a warm question's time goes, on any data dir (pyinstrument): what is still linear in the corpus.

.venv/bin/python benchmarks/profile_ask.py /tmp/bulk-10k/data
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pyinstrument import Profiler

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

QUESTIONS = [
    "Who can apply to the IUC programme?",
    "Which EU cities are paired with cities in Japan?",
    "What is the weather in Brussels?",
    "How long must cities commit to the cooperation?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    os.environ["ASSISTANT_DATA_DIR"] = str(arguments.data)
    from assistant.settings import get_settings
    from assistant.wiring import build_service

    service = build_service(get_settings())
    for question in QUESTIONS:  # warm: model, corpus statistics, first queries
        service.ask(question)
    profiler = Profiler(interval=0.002)
    with profiler:
        for _ in range(arguments.rounds):
            for question in QUESTIONS:
                service.ask(question)
    print(profiler.output_text(unicode=False, show_all=False, color=False))
    service.close()


if __name__ == "__main__":
    main()
