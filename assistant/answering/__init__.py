"""Answering: the Answerer seam (``base``) and the offline answerer (``offline``) with its parts —
reading the question (``query``), hybrid retrieval (``retrieval``), what kind of thing is asked for
(``answer_types``), programmes and editions (``editions``), pairing tables (``pairings``) and the
composer of cited answers (``compose``)."""
