"""Playback: the real simpleaudio → ALSA path captured to a file, and the silent fallback."""

from __future__ import annotations

import array
import logging
import math
import subprocess
import sys
import wave
from itertools import zip_longest
from pathlib import Path

import pytest

from backtimer.audio.player import NO_DEVICE_MESSAGE, NullPlayer, SimpleaudioPlayer, open_player
from backtimer.core.audio import Pcm
from backtimer.core.beeps import beep_duration_ms, beep_sound
from backtimer.core.clock import FakeClock
from backtimer.core.mixing import mix, tail
from backtimer.core.plan.timeline import Beep
from tests.helpers.alsa_capture import (
    CAPTURE_ASOUNDRC,
    alsa_env,
    capture_number,
    captured_files,
    identify,
    loud_runs,
    read_capture,
)
from tests.helpers.fakes import FakePlayer

REPO = Path(__file__).resolve().parents[2]
PLAYED = (Beep.GO, Beep.COUNT, Beep.HOLD_END, Beep.DONE)

# ---------------------------------------------------------------------------------------
# A phrase stand-in: a steady tone, known at every instant.
# ---------------------------------------------------------------------------------------

TONE_HZ, TONE_LEVEL = 330.0, 8_000


def tone_samples(from_s: float, duration_ms: float, rate: int) -> list[int]:
    """The stand-in phrase's samples from ``from_s`` seconds on, at ``rate``."""
    count = round(duration_ms * rate / 1000)
    step = 2 * math.pi * TONE_HZ
    return [round(TONE_LEVEL * math.sin(step * (from_s + i / rate))) for i in range(count)]


def tone(duration_ms: int, rate: int) -> Pcm:
    """The stand-in phrase: ``duration_ms`` of a steady tone."""
    data = array.array("h", tone_samples(0.0, duration_ms, rate))
    if sys.byteorder == "big":
        data.byteswap()
    return Pcm(data.tobytes(), rate)


def samples(sound: Pcm) -> list[int]:
    data = array.array("h")
    data.frombytes(sound.frames)
    if sys.byteorder == "big":
        data.byteswap()
    return list(data)


def rms(values: list[int]) -> float:
    return math.sqrt(sum(value * value for value in values) / len(values))


# ---------------------------------------------------------------------------------------
# The real path: a child process plays through simpleaudio into ALSA's `file` plugin.
# ---------------------------------------------------------------------------------------

CHILD = """\
import sys
from backtimer.audio.player import SimpleaudioPlayer, open_player
from backtimer.core.beeps import beep_sound
from backtimer.core.clock import FakeClock
from backtimer.core.plan.timeline import Beep

clock = FakeClock()
player = open_player(clock)
if not isinstance(player, SimpleaudioPlayer):
    sys.exit(f"open_player() gave {type(player).__name__}")
for name in sys.argv[1:]:
    sound = beep_sound(Beep(name))
    player.play(sound)
    player.wait()
    clock.advance(sound.duration_ms)  # the null device plays at once; the clock says so too
"""


def test_beeps_reach_alsa_in_order(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    capture = tmp_path / "capture" / "out.wav"
    capture.parent.mkdir()
    (home / ".asoundrc").write_text(CAPTURE_ASOUNDRC.format(path=capture))

    result = subprocess.run(
        [sys.executable, "-c", CHILD, *PLAYED],
        env=alsa_env(home),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    files = sorted(capture.parent.glob("out.wav*"), key=capture_number)
    assert files, f"ALSA wrote nothing; child stderr: {result.stderr}"
    heard: list[Beep | None] = []
    for path in files:  # one file per stream ALSA opened, in order
        signal, rate = read_capture(path)
        assert rate == 44_100
        runs = loud_runs(signal, rate)
        assert len(runs) <= 1, f"{path.name} holds {len(runs)} sounds"
        heard.extend(identify(run, rate) for run in runs)
    assert heard == list(PLAYED)


def test_the_capture_analysis_tells_every_beep_apart() -> None:
    """The identification the capture test relies on, checked on the beeps themselves."""
    for beep in Beep:
        decoded = array.array("h", beep_sound(beep).frames)
        if sys.byteorder == "big":
            decoded.byteswap()
        signal = list(decoded)
        (run,) = loud_runs(signal, 44_100)
        assert identify(run, 44_100) is beep


OVERLAP_CHILD = """\
import sys, time
from pathlib import Path
from backtimer.audio.player import SimpleaudioPlayer, open_player
from backtimer.audio.speech import read_wav
from backtimer.core.beeps import beep_sound
from backtimer.core.clock import FakeClock
from backtimer.core.plan.timeline import Beep
from tests.helpers.alsa_capture import captured_files

phrase, capture = read_wav(Path(sys.argv[1])), Path(sys.argv[2])
beep, into_ms = beep_sound(Beep(sys.argv[3])), float(sys.argv[4])
clock = FakeClock()
player = open_player(clock)
if not isinstance(player, SimpleaudioPlayer):
    sys.exit(f"open_player() gave {type(player).__name__}")
player.wait()
player.play(phrase)
# Wait (bounded) until ALSA has taken the phrase up to the beep's moment; then say so.
needed = 44 + round(into_ms * phrase.sample_rate / 1000) * 2
deadline = time.monotonic() + 30
while len(captured_files(capture)) < 2 or captured_files(capture)[-1].stat().st_size < needed:
    if time.monotonic() > deadline:
        sys.exit("ALSA never took the start of the phrase")
    time.sleep(0.005)
clock.advance(into_ms)
player.play(beep)
player.wait()
"""

PHRASE_RATE = 22_050  # espeak-ng's rate; the beeps are at 44.1 kHz
PHRASE_MS, BEEP_INTO_MS = 800, 500


@pytest.mark.parametrize("beep", [Beep.GO, Beep.DONE])  # ends before / after the phrase
def test_a_beep_during_a_phrase_leaves_both_whole_in_the_captured_audio(
    tmp_path: Path, beep: Beep
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    capture = tmp_path / "capture" / "out.wav"
    capture.parent.mkdir()
    (home / ".asoundrc").write_text(CAPTURE_ASOUNDRC.format(path=capture))
    phrase = tone(PHRASE_MS, PHRASE_RATE)
    phrase_wav = tmp_path / "phrase.wav"
    with wave.open(str(phrase_wav), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(PHRASE_RATE)
        wav.writeframes(phrase.frames)

    arguments = (beep.value, str(BEEP_INTO_MS))
    result = subprocess.run(
        [sys.executable, "-c", OVERLAP_CHILD, *(str(phrase_wav), str(capture)), *arguments],
        env=alsa_env(home),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    _probe, first, second = captured_files(capture)  # the probe, the phrase, the mix
    start, start_rate = read_capture(first)
    heard_until = BEEP_INTO_MS * PHRASE_RATE // 1000  # the phrase stream is cut here
    assert start_rate == PHRASE_RATE
    assert start[:heard_until] == samples(phrase)[:heard_until]
    mixed, rate = read_capture(second)
    rest_ms = PHRASE_MS - BEEP_INTO_MS
    # Heard: the phrase's first 500 ms, then the mix, which lasts as long as the longer.
    assert len(mixed) == round(max(rest_ms, beep_duration_ms(beep)) * rate / 1000)
    assert BEEP_INTO_MS + len(mixed) / rate * 1000 >= PHRASE_MS
    # The phrase's last 300 ms are there, in time with its start: the mix less the beep
    # (found below) is the phrase's tone, continued from 500 ms on, to the end.
    the_tone = tone_samples(BEEP_INTO_MS / 1000, rest_ms, rate)
    residual = [
        value - tone_value for value, tone_value in zip_longest(mixed, the_tone, fillvalue=0)
    ]
    (run,) = loud_runs(residual, rate)
    assert identify(run, rate) is beep  # the whole beep, at its pitch and full length
    beep_at_rate = samples(beep_sound(beep))[:: 44_100 // rate]
    left = [
        value - beep_value for value, beep_value in zip_longest(mixed, beep_at_rate, fillvalue=0)
    ]
    assert rms(left[: len(the_tone)]) > 0.9 * TONE_LEVEL / math.sqrt(2)
    # Sample by sample, but for the very last one (held, not interpolated, when the
    # phrase is brought to the beep's rate).
    off = [abs(a - b) for a, b in zip(left[: len(the_tone) - 1], the_tone[:-1], strict=True)]
    assert max(off) < 0.01 * TONE_LEVEL
    assert all(value == 0 for value in left[len(the_tone) :])  # nothing after the phrase


# ---------------------------------------------------------------------------------------
# No device: open_player() falls back to silence, says so once, and never raises.
# ---------------------------------------------------------------------------------------


def test_no_alsa_device_gives_a_null_player_and_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # ALSA re-reads its configuration when ALSA_CONFIG_PATH changes, even in a process
    # that has opened a device before: this one defines no PCM at all, so no `default`.
    config = tmp_path / "no-device.conf"
    config.write_text("# no PCM devices\n")
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(config))

    with caplog.at_level(logging.WARNING):
        player = open_player()
        player.play(beep_sound(Beep.GO))
        player.stop()

    assert isinstance(player, NullPlayer)
    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].getMessage().startswith(NO_DEVICE_MESSAGE)


def test_no_device_in_a_fresh_process(tmp_path: Path) -> None:
    """The same from a process whose ALSA starts from a .asoundrc with a broken default."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text('pcm.!default { type hw card "no-such-card" }\n')
    code = (
        "import logging\n"
        "from backtimer.audio.player import NullPlayer, open_player\n"
        "from backtimer.core.beeps import beep_sound\n"
        "from backtimer.core.plan.timeline import Beep\n"
        "logging.basicConfig(format='%(levelname)s %(message)s')\n"
        "player = open_player()\n"
        "player.play(beep_sound(Beep.DONE))\n"
        "player.stop()\n"
        "print(type(player).__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=alsa_env(home),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "NullPlayer"
    assert result.stderr.count(f"WARNING {NO_DEVICE_MESSAGE}") == 1


def test_no_simpleaudio_gives_a_null_player(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "simpleaudio", None)  # import raises ImportError
    with caplog.at_level(logging.WARNING):
        player = open_player()
    assert isinstance(player, NullPlayer)
    assert [record.getMessage().split(" (")[0] for record in caplog.records] == [NO_DEVICE_MESSAGE]
    assert "simpleaudio" in caplog.records[0].getMessage()


# ---------------------------------------------------------------------------------------
# SimpleaudioPlayer's own behaviour, against a stand-in for the simpleaudio module.
# ---------------------------------------------------------------------------------------


class FakePlayObject:
    def __init__(self, log: list[str], name: str) -> None:
        self.log, self.name, self.playing = log, name, True

    def stop(self) -> None:
        self.log.append(f"stop {self.name}")
        self.playing = False

    def is_playing(self) -> bool:
        return self.playing

    def wait_done(self) -> None:
        self.log.append(f"wait {self.name}")
        self.playing = False


class FakeSimpleaudio:
    def __init__(self, fail: bool = False) -> None:
        self.log: list[str] = []
        self.buffers: list[tuple[bytes, int]] = []  # what was played, at which rate
        self.fail = fail

    def play_buffer(self, frames: bytes, channels: int, width: int, rate: int) -> FakePlayObject:
        if self.fail:
            raise RuntimeError("Error opening PCM device.")
        name = f"{len(frames)}b/{channels}ch/{width}B/{rate}Hz"
        self.log.append(f"play {name}")
        self.buffers.append((frames, rate))
        return FakePlayObject(self.log, name)


def test_play_stops_the_stream_playing_before_starting_the_next() -> None:
    backend = FakeSimpleaudio()
    clock = FakeClock()
    player = SimpleaudioPlayer(backend, clock=clock)
    player.play(Pcm(b"\0\0" * 10, 44_100))
    assert player.is_playing()
    clock.advance(1)  # the first sound (0.2 ms) has ended: nothing to mix with
    player.play(Pcm(b"\0\0" * 20, 22_050, channels=2))
    player.stop()
    player.stop()
    assert not player.is_playing()
    assert backend.log == [
        "play 20b/1ch/2B/44100Hz",
        "stop 20b/1ch/2B/44100Hz",
        "play 40b/2ch/2B/22050Hz",
        "stop 40b/2ch/2B/22050Hz",
    ]


def test_a_sound_during_another_is_mixed_with_the_rest_of_it() -> None:
    clock = FakeClock()
    backend = FakeSimpleaudio()
    player = SimpleaudioPlayer(backend, clock=clock)
    phrase = tone(800, 22_050)
    beep = beep_sound(Beep.DONE)  # 560 ms: it ends after the phrase
    player.play(phrase)
    clock.advance(500)
    player.play(beep)
    assert [buffer for buffer, _ in backend.buffers] == [
        phrase.frames,
        mix(tail(phrase, 500), beep).frames,
    ]
    assert backend.buffers[1][1] == 44_100  # the rate of the longer part, the beep
    assert backend.log[1] == f"stop {len(phrase.frames)}b/1ch/2B/22050Hz"
    clock.advance(100)  # a third sound mixes with what is left of the mix
    player.play(beep_sound(Beep.TICK))
    expected = mix(tail(mix(tail(phrase, 500), beep), 100), beep_sound(Beep.TICK))
    assert backend.buffers[2][0] == expected.frames


def test_no_mixing_after_the_sound_has_played_or_been_stopped() -> None:
    clock = FakeClock()
    backend = FakeSimpleaudio()
    player = SimpleaudioPlayer(backend, clock=clock)
    beep = beep_sound(Beep.TICK)
    player.play(tone(300, 44_100))
    clock.advance(300)  # the clock says it is over, though the stream still drains
    player.play(beep)
    player.stop()  # a stop silences everything: nothing is left to mix with
    player.play(beep)
    assert [buffer for buffer, _ in backend.buffers[1:]] == [beep.frames, beep.frames]


def test_wait_blocks_on_the_latest_sound() -> None:
    backend = FakeSimpleaudio()
    player = SimpleaudioPlayer(backend)
    player.wait()  # nothing played: returns at once
    player.play(Pcm(b"\0\0", 8_000))
    player.wait()
    assert backend.log == ["play 2b/1ch/2B/8000Hz", "wait 2b/1ch/2B/8000Hz"]


def test_a_failing_device_never_raises_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    player = SimpleaudioPlayer(FakeSimpleaudio(fail=True))
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            player.play(beep_sound(Beep.TICK))
        player.stop()
    assert len(caplog.records) == 1
    assert not player.is_playing()


def test_the_fake_player_records_what_and_when() -> None:
    clock = FakeClock(start_ms=100.0)
    player = FakePlayer(clock)
    player.play(beep_sound(Beep.GO))
    clock.advance(250)
    player.play(beep_sound(Beep.REST))
    player.stop()
    assert [(played.at_ms, played.sound) for played in player.plays] == [
        (100.0, beep_sound(Beep.GO)),
        (350.0, beep_sound(Beep.REST)),
    ]
    assert player.sounds == [beep_sound(Beep.GO), beep_sound(Beep.REST)]
    assert player.stops == [350.0]
