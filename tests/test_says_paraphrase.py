"""model.says_paraphrase lower-cases a quote's first ten characters only; it
answers what lower-casing the whole stripped quote answers, on hand-picked
quotes (characters that lower-case into several, final sigmas, spaces of
every kind) and on many random ones built from such pieces."""

from __future__ import annotations

import random

from assess.data.model import says_paraphrase


def whole(quote: str) -> bool:
    return quote.strip().lower().startswith("paraphrase")


PIECES = ["paraphrase", "PARAPHRASE", "Paraphrase:", "paraphras", "para", "phrase", "e", "E", " ", "\t", "\n", "\u00a0",
          "\u2028", "\u3000", "\u0130", "\u03a3", "\u03c3", "\u03c2", "\u1e9e", "\u212a", "\u0345", "\ufb00", "\u0149",
          "A\u0130", "Σ", "ΣA", "İstanbul", "Пересказ", "Paraphrase\u0130", "PARAPHRASΣ", "ﬀ", "x", ":"]


def test_hand_picked_quotes():
    quotes = ["", " ", "paraphrase", "Paraphrase: the chambers", "  PARAPHRASE", "\n\tparaphrase\n", "paraphrased",
              "paraphras", "paraphrase" + "\u0130" * 5, "\u0130paraphrase", "\u03a3paraphrase", "paraphrasΣ",
              "\u00a0\u2028paraphrase ", "Paraphrase" + " " * 20, "para phrase", "Пересказ: палаты", "x" * 10_000]
    for q in quotes:
        assert says_paraphrase(q) == whole(q), repr(q)


def test_random_quotes():
    rng = random.Random(19)
    for _ in range(20_000):
        q = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6)))
        assert says_paraphrase(q) == whole(q), repr(q)
