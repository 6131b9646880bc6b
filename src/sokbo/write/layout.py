"""Step 4, lay out: which chosen sentence goes to the excerpt, the cards and the sections."""
from __future__ import annotations

import math


def paragraphs(part: list[int]) -> list[list[int]]:
    """Two or three paragraphs of one or two sentences each."""
    if len(part) <= 3:
        return [part[:1], part[1:]] if len(part) > 1 else [part]
    n_para = 3 if len(part) >= 5 else 2
    size = math.ceil(len(part) / n_para)
    return [part[i : i + size] for i in range(0, len(part), size)]
