"""Playing a cue never waits for the speech engine: a phrase missing from the cache is
rendered in the background for next time, and the cue gets its fallback beep meanwhile.

The slow engine here blocks on an event; its wait has a bound only so that code which
renders on the caller's thread fails instead of hanging. Nothing sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from backtimer.audio.cues import CueSounds
from backtimer.core.audio import Pcm, Progress
from backtimer.core.beeps import beep_sound
from backtimer.core.plan.timeline import Beep, Cue, CueRole
from backtimer.core.settings import AudioSettings
from tests.helpers.fakes import FakePlayer

STUCK_S = 5.0
SPOKEN = Pcm(b"\1\0" * 800, 8000)


class SlowEngine:
    """A speech engine with a cache; rendering a new phrase waits for ``release``."""

    def __init__(self, cached: Iterable[str] = ()) -> None:
        self.in_cache = set(cached)
        self.release = threading.Event()
        self.rendering = threading.Event()
        #: (phrase, thread id) of every render that was not a cache hit.
        self.renders: list[tuple[str, int]] = []

    def render(self, text: str) -> Pcm | None:
        if text in self.in_cache:
            return SPOKEN
        self.renders.append((text, threading.get_ident()))
        self.rendering.set()
        self.release.wait(STUCK_S)
        self.in_cache.add(text)
        return SPOKEN

    def cached(self, text: str) -> Path | None:
        return Path(f"{text}.wav") if text in self.in_cache else None

    def prerender(self, texts: Iterable[str], progress: Progress | None = None) -> None:
        for text in texts:
            self.render(text)

    def duration_ms(self, text: str) -> int | None:
        return 100 if text in self.in_cache else None

    def close(self) -> None:
        pass


def test_a_missing_phrase_is_rendered_in_the_background_not_on_the_spot() -> None:
    engine, player = SlowEngine(), FakePlayer()
    sounds = CueSounds(player, engine, AudioSettings())
    try:
        sounds.play(Cue(0, CueRole.ANNOUNCE, text="Next: bridge"))

        assert player.sounds == [beep_sound(Beep.TICK)]  # the fallback, at once
        assert engine.rendering.wait(STUCK_S)  # rendering, on another thread
        assert not engine.release.is_set()
        [(text, thread)] = engine.renders
        assert text == "Next: bridge"
        assert thread != threading.get_ident()
    finally:
        engine.release.set()
    background = sounds.background
    assert background is not None
    assert background.idle.wait(STUCK_S)
    assert background.rendered == ["Next: bridge"]

    sounds.play(Cue(0, CueRole.ANNOUNCE, text="Next: bridge"))  # next time it is there
    assert player.sounds[-1] == SPOKEN


def test_a_cached_phrase_is_played_and_nothing_is_rendered() -> None:
    engine, player = SlowEngine(cached=["Halfway."]), FakePlayer()
    sounds = CueSounds(player, engine, AudioSettings())
    sounds.play(Cue(0, CueRole.HALFWAY, text="Halfway."))
    assert player.sounds == [SPOKEN]
    assert engine.renders == []


def test_a_phrase_asked_for_again_is_rendered_once() -> None:
    engine, player = SlowEngine(), FakePlayer()
    sounds = CueSounds(player, engine, AudioSettings())
    try:
        for _ in range(3):
            sounds.play(Cue(0, CueRole.HALFWAY, text="Halfway."))
        assert player.sounds == []  # no fallback beep for this cue, and no waiting
    finally:
        engine.release.set()
    background = sounds.background
    assert background is not None
    assert background.idle.wait(STUCK_S)
    assert [text for text, _thread in engine.renders] == ["Halfway."]


def test_stop_forgets_phrases_not_started() -> None:
    engine, player = SlowEngine(), FakePlayer()
    sounds = CueSounds(player, engine, AudioSettings())
    try:
        sounds.play(Cue(0, CueRole.HALFWAY, text="One"))
        assert engine.rendering.wait(STUCK_S)
        sounds.play(Cue(0, CueRole.HALFWAY, text="Two"))
        sounds.stop()
    finally:
        engine.release.set()
    background = sounds.background
    assert background is not None
    assert background.idle.wait(STUCK_S)
    assert [text for text, _thread in engine.renders] == ["One"]
    assert len(player.stops) == 1
