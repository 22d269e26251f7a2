r"""A standalone, compilable LaTeX document of the claims (``rnnproof latex``).

Each claim becomes a ``claim`` environment labelled with its ID, holding the statement (SymPy
relation rendered by ``sympy.latex``), the hypotheses, the tolerance rule and reason, the derived
expressions and, when a run report is given, the status of that run. Plain-Unicode text from the
registry (titles, hypotheses) is converted by :func:`tex_text`.

>>> tex_text("‖Dρ‖ ≤ 10⁻¹³ for all i ∈ S")
'\\ensuremath{\\|}D\\ensuremath{\\rho}\\ensuremath{\\|} \\ensuremath{\\le} 10\\ensuremath{^{-13}} for all i \\ensuremath{\\in} S'
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import unicodedata

__all__ = ["tex_text", "build_document", "compile_pdf", "LatexError"]


class LatexError(RuntimeError):
    """pdflatex failed; the message holds LaTeX's own error lines."""


_GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ϵ": r"\epsilon", "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ϑ": r"\vartheta",
    "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi",
    "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\phi",
    "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta",
    "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Φ": r"\Phi",
    "Ψ": r"\Psi", "Ω": r"\Omega", "Υ": r"\Upsilon",
}
_MATH = {
    "≤": r"\le", "≥": r"\ge", "≠": r"\neq", "≈": r"\approx", "≡": r"\equiv", "∈": r"\in",
    "∉": r"\notin", "∋": r"\ni", "∪": r"\cup", "∩": r"\cap", "⊂": r"\subset", "⊆": r"\subseteq",
    "⊃": r"\supset", "⊇": r"\supseteq", "∅": r"\emptyset", "⊙": r"\odot", "⊗": r"\otimes",
    "⊕": r"\oplus", "‖": r"\|", "∥": r"\parallel", "·": r"\cdot", "×": r"\times", "÷": r"\div",
    "→": r"\to", "←": r"\leftarrow", "↦": r"\mapsto", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow",
    "⟺": r"\Longleftrightarrow", "⟹": r"\Longrightarrow", "↔": r"\leftrightarrow", "∞": r"\infty",
    "∂": r"\partial", "∇": r"\nabla", "√": r"\surd", "∑": r"\sum", "∏": r"\prod", "∫": r"\int",
    "∀": r"\forall", "∃": r"\exists", "±": r"\pm", "∓": r"\mp", "∘": r"\circ", "⪰": r"\succeq",
    "≻": r"\succ", "⪯": r"\preceq", "≺": r"\prec", "≪": r"\ll", "≫": r"\gg", "∼": r"\sim",
    "≃": r"\simeq", "≅": r"\cong", "∝": r"\propto", "⊥": r"\perp", "∠": r"\angle", "⋯": r"\cdots",
    "⋮": r"\vdots", "⋱": r"\ddots", "†": r"\dagger", "ℝ": r"\mathbb{R}", "ℂ": r"\mathbb{C}",
    "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}", "ℚ": r"\mathbb{Q}", "ℓ": r"\ell", "ℏ": r"\hbar",
    "⟨": r"\langle", "⟩": r"\rangle", "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil",
    "⌉": r"\rceil", "∗": r"\ast", "⋆": r"\star", "∖": r"\setminus", "¬": r"\neg", "∧": r"\wedge",
    "∨": r"\vee", "ᵀ": r"^{\top}", "ᴴ": r"^{H}", "−": "-", "′": r"'", "″": r"''", "̄": "",
    "⊤": r"\top", "∣": r"\mid", "⊊": r"\subsetneq", "≲": r"\lesssim", "≳": r"\gtrsim",
    "ⁱ": "^{i}", "°": r"^{\circ}", "∁": r"\complement", "ℙ": r"\mathbb{P}", "𝔼": r"\mathbb{E}",
    "𝟙": r"\mathbf{1}", "⧢": r"\sqcup\!\sqcup", "□": r"\square", "½": r"\tfrac12",
}
_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿᵏᵢʲᵐʳˢᵗᵘᵛˣᵃᵇᶜᵈᵉᶠᵍʰᵒᵖᴺᴸᴹᴷᴿ",
                  "0123456789+-=()nkijmrstuvxabcdefghopNLMKR"))
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ",
                "0123456789+-=()aeoxhklmnpstijruv"))
_TEXT = {"—": "---", "–": "--", "’": "'", "‘": "`", "“": "``", "”": "''", "…": r"\ldots{}",
         "\u00a0": "~", "é": r"\'e", "è": r"\`e", "ü": r"\"u", "ö": r"\"o", "ä": r"\"a",
         "ó": r"\'o", "á": r"\'a", "í": r"\'i", "ñ": r"\~n", "ç": r"\c{c}", "Ö": r"\"O",
         "✓": "(yes)", "✗": "(no)", "§": r"\S{}"}
_ESCAPE = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
           "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\textasciitilde{}", "<": r"\textless{}",
           ">": r"\textgreater{}", "|": r"\textbar{}"}


# Combining marks (also what precomposed letters such as ṙ or ȳ decompose into under NFD).
_ACCENTS = {"\u0300": r"\grave", "\u0301": r"\acute", "\u0302": r"\hat", "\u0303": r"\tilde",
            "\u0304": r"\bar", "\u0305": r"\overline", "\u0307": r"\dot", "\u0308": r"\ddot",
            "\u030c": r"\check", "\u20d7": r"\vec"}


def _math_atom(ch: str):
    if ch.isascii() and ch.isalnum():
        return ch
    return _GREEK.get(ch)


def _accented(base: str, marks: str):
    atom = _math_atom(base)
    if atom is None or not marks or any(m not in _ACCENTS for m in marks):
        return None
    for mark in marks:
        atom = _ACCENTS[mark] + "{" + atom + "}"
    return r"\ensuremath{" + atom + "}"


_ALPHABETS = {"MATHEMATICAL SCRIPT": r"\mathcal", "MATHEMATICAL BOLD SCRIPT": r"\mathcal",
              "MATHEMATICAL DOUBLE-STRUCK": r"\mathbb", "MATHEMATICAL BOLD": r"\mathbf",
              "MATHEMATICAL FRAKTUR": r"\mathfrak", "MATHEMATICAL ITALIC": r"\mathit",
              "MATHEMATICAL SANS-SERIF": r"\mathsf", "MATHEMATICAL MONOSPACE": r"\mathtt"}


def _math_alphabet(ch: str):
    r"""𝒱 -> \mathcal{V}, 𝐱 -> \mathbf{x}, ... (Unicode's Mathematical Alphanumeric Symbols)."""
    name = unicodedata.name(ch, "")
    for prefix in sorted(_ALPHABETS, key=len, reverse=True):
        for kind in (" CAPITAL ", " SMALL ", " DIGIT "):
            if name.startswith(prefix + kind):
                letter = name[len(prefix + kind):]
                if len(letter) == 1 or kind == " DIGIT ":
                    base = letter if kind == " CAPITAL " else letter.lower()
                    if kind == " DIGIT ":
                        base = str(["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN",
                                    "EIGHT", "NINE"].index(letter))
                    style = _ALPHABETS[prefix]
                    if style == r"\mathcal" and kind != " CAPITAL ":
                        style = r"\mathit"  # \mathcal has capitals only
                    return r"\ensuremath{" + style + "{" + base + "}}"
    return None


def _script_operand(text: str, start: int):
    """The operand of ``_`` or ``^`` at ``start``: a braced group, or [-]alphanumerics/Greek."""
    if start < len(text) and text[start] == "{":
        depth = 0
        for k in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[k], 0)
            if depth == 0:
                return text[start + 1:k], k + 1
        return None
    k = start + (start < len(text) and text[start] == "-")
    while k < len(text) and (text[k].isalnum() or text[k] in _GREEK or text[k] in "∞*"):
        k += 1
    return (text[start:k], k) if k > start + (text[start:start + 1] == "-") else None


def _is_variable_end(text: str, i: int, allow_digit: bool) -> bool:
    """Does the character before position ``i`` end a one-letter variable (x, J, τ, ‖F‖, 10)?"""
    if i == 0:
        return False
    prev = text[i - 1]
    if prev in "‖)]|*′" or (allow_digit and prev.isdigit()):
        return True
    single = prev in _GREEK or (prev.isascii() and prev.isalpha())
    return single and (i < 2 or not (text[i - 2].isascii() and text[i - 2].isalpha()))


def tex_text(text: str, strict: bool = False) -> str:
    r"""Plain Unicode text -> LaTeX text mode. Unknown characters raise (``strict``) or show as
    ``[U+XXXX]``.

    >>> tex_text("ṙ and W̃")
    '\\ensuremath{\\dot{r}} and \\ensuremath{\\tilde{W}}'
    >>> print(tex_text("x_i and ε^{1/3}, but right_eigvec_map"))
    x\ensuremath{_{\text{i}}} and \ensuremath{\varepsilon}\ensuremath{^{\text{1/3}}}, but right\_eigvec\_map
    """
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        j = i + 1
        while j < len(text) and text[j] in _ACCENTS:
            j += 1
        if j > i + 1:  # a base character followed by combining marks
            accented = _accented(ch, text[i + 1:j])
            if accented is not None:
                out.append(accented)
                i = j
                continue
        if ch in "_^" and _is_variable_end(text, i, allow_digit=ch == "^"):
            operand = _script_operand(text, i + 1)
            if operand is not None and operand[0]:
                inner = tex_text(operand[0], strict)
                out.append(r"\ensuremath{" + ch + r"{\text{" + inner + "}}}")
                i = operand[1]
                continue
        if ch not in _TEXT and ch not in _GREEK and ch not in _MATH and not ch.isascii():
            nfd = unicodedata.normalize("NFD", ch)
            accented = _accented(nfd[0], nfd[1:]) if len(nfd) > 1 else None
            if accented is not None:
                out.append(accented)
                i += 1
                continue
        for table, wrap in ((_SUPER, "^"), (_SUB, "_")):
            if ch in table:
                j = i
                while j < len(text) and text[j] in table:
                    j += 1
                out.append(r"\ensuremath{" + wrap + "{" + "".join(table[c] for c in text[i:j]) + "}}")
                i = j
                break
        else:
            if ch in _ESCAPE:
                out.append(_ESCAPE[ch])
            elif ord(ch) < 128:
                out.append(ch)
            elif ch in _GREEK or ch in _MATH:
                out.append(r"\ensuremath{" + (_GREEK.get(ch) or _MATH[ch]) + "}")
            elif ch in _TEXT:
                out.append(_TEXT[ch])
            elif _math_alphabet(ch) is not None:
                out.append(_math_alphabet(ch))
            elif strict:
                raise ValueError(f"tex_text: no LaTeX for {ch!r} (U+{ord(ch):04X}) in {text!r}")
            else:
                out.append(f"[U+{ord(ch):04X}]")
            i += 1
    return "".join(out)


_PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{amsmath,amssymb,amsthm}
\usepackage[margin=2cm]{geometry}
\usepackage[hidelinks]{hyperref}
\setcounter{MaxMatrixCols}{40}
\allowdisplaybreaks
\theoremstyle{definition}
\newtheorem{claim}{Claim}[section]
\title{rnnproof: claims, statements and derivations}
\author{Generated by \texttt{rnnproof latex}}
\date{}
\begin{document}
\maketitle
\noindent Each claim below is the toolkit's precise version of a statement of the cited paper; its
reference names the paper and, where known, the section or equation. The statement is rendered from its SymPy
relation; the expressions are derived by the \texttt{theory} package; the numeric checks compare them
with independent computations.
"""


def _display(latex: str) -> str:
    return "\\[\n" + latex + "\n\\]"


def _claim_block(claim, result) -> list[str]:
    import sympy
    lines = [f"\\begin{{claim}}[{tex_text(claim.title)}]\\label{{{claim.id}}}",
             f"\\texttt{{{tex_text(claim.id)}}}.\\quad {tex_text(claim.reference)}."]
    if result is not None:
        # A report is data from anywhere: every field is formatted from its checked type and escaped.
        status = str(result["status"]).replace("_", " ")
        extra = ""
        error, tol = result.get("max_error"), (result.get("tolerance") or {}).get("value")
        if error is not None and tol is not None:
            extra = (f"; worst error ${max(float(error), 0.0):.2e}$ against tolerance "
                     f"${float(tol):.2e}$ over {int(result.get('cases', 0))} cases")
        lines.append(f"\\par\\noindent\\textbf{{Last run:}} {tex_text(status)}{extra}.")
    statement = claim.statement()
    lines.append("\\par\\noindent\\textbf{Statement.}")
    lines.append(_display(sympy.latex(statement)))
    if claim.hypotheses:
        lines.append("\\textbf{Hypotheses.}\\begin{itemize}")
        lines += [f"\\item {tex_text(h)}" for h in claim.hypotheses]
        lines.append("\\end{itemize}")
    lines.append(f"\\noindent\\textbf{{Tolerance.}} {tex_text(claim.tolerance.rule)} "
                 f"({tex_text(claim.tolerance.reason)}).")
    if claim.expressions is not None:
        exprs = claim.expressions()
        if exprs:
            lines.append("\\par\\noindent\\textbf{Derived.}")
            for label, expr in exprs.items():
                body = expr if isinstance(expr, str) else sympy.latex(expr)
                lines.append(_display(f"\\text{{{tex_text(label)}:}}\\quad {body}"))
    if claim.note:
        lines.append(f"\\par\\noindent\\emph{{Note.}} {tex_text(claim.note)}")
    lines.append("\\end{claim}")
    return lines


def build_document(papers, results: dict | None = None) -> str:
    """The LaTeX source for the claims of ``papers`` (keys), with statuses from a run report."""
    from .papers import PAPERS
    from .registry import all_claims
    by_id = {r["id"]: r for r in (results or {}).get("claims", [])}
    parts = [_PREAMBLE]
    if results is not None:
        s = {k: int(v) for k, v in results["summary"].items()}
        parts.append(f"\\par\\noindent Statuses are those of the run with seed {int(results['seed'])} "
                     f"(profile {tex_text(str(results['profile']))}): {s['passed']} passed, {s['failed']} "
                     f"failed, {s['not_applicable']} not applicable, {s['errors']} errors.")
    for key in papers:
        paper = PAPERS[key]
        claims = all_claims(key)
        parts.append(f"\\section{{{tex_text(paper.title)}}}")
        parts.append(f"{tex_text(paper.authors)}, \\emph{{{tex_text(paper.venue)}}} ({paper.year}), "
                     f"arXiv:{paper.arxiv} \\cite{{{paper.bibkey}}}. {len(claims)} claims.")
        for claim in claims:
            parts += _claim_block(claim, by_id.get(claim.id))
    parts.append("\\begin{thebibliography}{9}")
    for key in papers:
        p = PAPERS[key]
        parts.append(f"\\bibitem{{{p.bibkey}}} {tex_text(p.authors)}. \\emph{{{tex_text(p.title)}}}. "
                     f"{tex_text(p.venue)}, {p.year}. arXiv:{p.arxiv}.")
    parts.append("\\end{thebibliography}")
    parts.append("\\end{document}")
    return "\n".join(parts) + "\n"


def compile_pdf(tex_path: str, text: str | None = None) -> str:
    """Compile ``tex_path`` (or the source ``text`` meant for it) with pdflatex, twice for the
    references, into ``FILE.pdf`` beside it, written atomically (inside
    :func:`numerics.arrays.staged_writes` it lands with the group's other files).

    pdflatex runs in a private folder with ``-no-shell-escape``. Raises :class:`LatexError` with
    LaTeX's error lines on failure; nothing is left behind then."""
    from numerics.arrays import write_atomic
    tex_path = os.path.abspath(tex_path)
    stem = os.path.splitext(os.path.basename(tex_path))[0]
    target = os.path.join(os.path.dirname(tex_path), stem + ".pdf")
    with tempfile.TemporaryDirectory(prefix="rnnproof-latex-") as work:
        source = os.path.join(work, stem + ".tex")
        if text is None:
            shutil.copyfile(tex_path, source)
        else:
            with open(source, "w", encoding="utf-8") as handle:
                handle.write(text)
        for _ in range(2):
            proc = subprocess.run(
                ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                 "-output-directory", work, source], cwd=work, capture_output=True, text=True,
                errors="replace", timeout=600)
            if proc.returncode != 0:
                errors = [ln for ln in proc.stdout.splitlines() if ln.startswith("!") or ln.startswith("l.")]
                raise LatexError(f"pdflatex failed on {tex_path}: " + " / ".join(errors[:6] or ["see log"]))
        with open(os.path.join(work, stem + ".pdf"), "rb") as handle:
            pdf = handle.read()
    write_atomic(target, lambda out: out.write(pdf))
    return target
