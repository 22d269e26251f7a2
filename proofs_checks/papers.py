"""The five papers: keys and citations (report order)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Paper", "PAPERS"]


@dataclass(frozen=True)
class Paper:
    key: str
    title: str
    authors: str
    venue: str
    year: int
    arxiv: str
    bibkey: str


PAPERS = {p.key: p for p in (
    Paper("linearization",
          "Brief technical note on linearizing recurrent neural networks (RNNs) before vs after the "
          "pointwise nonlinearity", "M. Pagan, A. Valente, S. Ostojic, C. D. Brody",
          "arXiv preprint", 2023, "2309.04030", "pagan2023linearizing"),
    Paper("unitary",
          "Input-output equivalence of unitary and contractive RNNs",
          "M. Emami, M. Sahraee-Ardakan, S. Rangan, A. K. Fletcher", "NeurIPS 2019", 2019,
          "1910.13672", "emami2019input"),
    Paper("linear_recurrence",
          "Universality of linear recurrences followed by non-linear projections: finite-width "
          "guarantees and benefits of complex eigenvalues",
          "A. Orvieto, S. De, C. Gulcehre, R. Pascanu, S. L. Smith", "ICML 2024", 2024,
          "2307.11888", "orvieto2024universality"),
    Paper("response",
          "Understanding recurrent neural networks using nonequilibrium response theory",
          "S. H. Lim", "Journal of Machine Learning Research 22", 2021, "2006.11052",
          "lim2021understanding"),
    Paper("geometry",
          "Internal representation dynamics and geometry in recurrent neural networks",
          "S. Horoi, G. Lajoie, G. Wolf", "arXiv preprint", 2020, "2001.03255",
          "horoi2020internal"),
)}
