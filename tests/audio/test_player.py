"""Playback: the real simpleaudio → ALSA path captured to a file, and the silent fallback."""

from __future__ import annotations

import array
import logging
import math
import subprocess
import sys
from pathlib import Path

import pytest

from backtimer.audio.player import NO_DEVICE_MESSAGE, NullPlayer, SimpleaudioPlayer, open_player
from backtimer.core.audio import Pcm
from backtimer.core.beeps import beep_sound
from backtimer.core.clock import FakeClock
from backtimer.core.mixing import mix, tail
from backtimer.core.plan.timeline import Beep
from tests.helpers.alsa_capture import (
    CAPTURE_ASOUNDRC,
    alsa_env,
    capture_number,
    identify,
    loud_runs,
    read_capture,
)
from tests.helpers.fakes import FakePlayer

REPO = Path(__file__).resolve().parents[2]
PLAYED = (Beep.GO, Beep.COUNT, Beep.HOLD_END, Beep.DONE)

# ---------------------------------------------------------------------------------------
# The real path: a child process plays through simpleaudio into ALSA's `file` plugin.
# ---------------------------------------------------------------------------------------

CHILD = """\
import sys
from backtimer.audio.player import SimpleaudioPlayer, open_player
from backtimer.core.beeps import beep_sound
from backtimer.core.plan.timeline import Beep

player = open_player()
if not isinstance(player, SimpleaudioPlayer):
    sys.exit(f"open_player() gave {type(player).__name__}")
for name in sys.argv[1:]:
    player.play(beep_sound(Beep(name)))
    player.wait()
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
        self.played: list[FakePlayObject] = []
        self.fail = fail

    def play_buffer(self, frames: bytes, channels: int, width: int, rate: int) -> FakePlayObject:
        if self.fail:
            raise RuntimeError("Error opening PCM device.")
        name = f"{len(frames)}b/{channels}ch/{width}B/{rate}Hz"
        self.log.append(f"play {name}")
        self.buffers.append((frames, rate))
        self.played.append(FakePlayObject(self.log, name))
        return self.played[-1]

    def finish_all(self) -> None:
        for played in self.played:
            played.playing = False


def tone(duration_ms: int, rate: int, hz: float = 330.0, level: int = 8_000) -> Pcm:
    """A steady sine tone, standing in for a phrase."""
    count = duration_ms * rate // 1000
    data = array.array(
        "h", (round(level * math.sin(2 * math.pi * hz * i / rate)) for i in range(count))
    )
    if sys.byteorder == "big":
        data.byteswap()
    return Pcm(data.tobytes(), rate)


def test_play_stops_the_stream_playing_before_starting_the_next() -> None:
    backend = FakeSimpleaudio()
    player = SimpleaudioPlayer(backend, clock=FakeClock())
    player.play(Pcm(b"\0\0" * 10, 44_100))
    assert player.is_playing()
    backend.finish_all()  # the first sound has ended: nothing to mix with
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
    clock.advance(300)  # the clock says it is over, even if the stream still drains
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
