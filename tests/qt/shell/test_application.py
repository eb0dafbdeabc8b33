"""The application object, in-process with its real wiring and fake outside parts.

Start-up stages (handed over, safety declined, another writer), the window with its
content, start in the tray, a second launch's commands over the real local socket, a
desk break started from the tray side, and the one shutdown path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from backtimer.app.options import SessionOptions
from backtimer.app.routine_ref import RoutineRef
from backtimer.audio.status import SoundStatus
from backtimer.core.history.lock import LOCK_FILE_NAME, InstanceLock
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import AppPaths, resolve_paths
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.settings import Settings
from backtimer.core.store.errors import StoreWriteError
from backtimer.core.store.settings_store import SettingsStore
from backtimer.qt.settings.sound_tester import SoundTester
from backtimer.qt.settings.voice_catalog import VoiceCatalog
from backtimer.qt.shell.application import Application, Services
from backtimer.qt.shell.launch import Launch
from backtimer.qt.shell.single_instance import send_command, server_name
from tests.helpers.routines import BACK_ROUTINE, back_routine


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    resolved = resolve_paths(tmp_path / "home")
    resolved.ensure()
    return resolved


@pytest.fixture
def quiet_qapp(qapp: QApplication) -> Iterator[QApplication]:
    """The test app, given back as it was (the app object changes how it quits)."""
    quits = qapp.quitOnLastWindowClosed()
    yield qapp
    qapp.setQuitOnLastWindowClosed(quits)


def _services(**changes: object) -> Services:
    services = Services(
        ask_safety=lambda safety: True,
        open_audio=lambda paths, settings: None,
        voice_catalog=lambda paths, parent: VoiceCatalog(lambda: [], parent),
        sound_tester=lambda paths, parent: SoundTester(lambda settings: SoundStatus(), parent),
        desk_breaks=False,
    )
    for name, value in changes.items():
        setattr(services, name, value)
    return services


@pytest.fixture
def started() -> Iterator[list[Application]]:
    """Applications a test started; shut down and their windows closed afterwards."""
    made: list[Application] = []
    yield made
    for app in made:
        window = app.window.window
        if window is not None:
            window.hide()
            window.deleteLater()
        app.shutdown()


def test_a_launch_shows_the_window_then_loads_its_content(
    quiet_qapp: QApplication, qtbot: QtBot, paths: AppPaths, started: list[Application]
) -> None:
    app = Application(quiet_qapp, paths, Launch(), _services())
    started.append(app)
    assert app.start() is None
    window = app.window.window
    assert window is not None
    assert window.isVisible()
    qtbot.waitUntil(lambda: app.content is not None and app.content.content.library is not None)
    assert len(window.home.cards) >= 10
    # The safety screen was acknowledged and that is kept.
    assert SettingsStore(paths.config / "settings.json").load().safety_acknowledged
    # This launch is the data folder's one writer.
    with pytest.raises(RuntimeError):
        InstanceLock(paths.data / LOCK_FILE_NAME).acquire()


def test_a_second_launch_hands_over_and_builds_nothing(
    quiet_qapp: QApplication, paths: AppPaths, started: list[Application]
) -> None:
    app = Application(quiet_qapp, paths, Launch(), _services(claim_instance=lambda *args: None))
    started.append(app)
    assert app.start() == 0
    assert app.window.window is None
    assert app.history is None


def test_declining_the_safety_screen_ends_the_launch(
    quiet_qapp: QApplication, paths: AppPaths, started: list[Application]
) -> None:
    app = Application(quiet_qapp, paths, Launch(), _services(ask_safety=lambda safety: False))
    started.append(app)
    assert app.start() == 0
    assert app.window.window is None
    assert not SettingsStore(paths.config / "settings.json").load().safety_acknowledged
    InstanceLock(paths.data / LOCK_FILE_NAME).acquire()  # nobody took the writer's lock


def test_another_writer_of_the_data_folder_ends_the_launch(
    quiet_qapp: QApplication, paths: AppPaths, started: list[Application]
) -> None:
    with InstanceLock(paths.data / LOCK_FILE_NAME):
        app = Application(quiet_qapp, paths, Launch(), _services())
        started.append(app)
        assert app.start() == 1
    assert app.window.window is None


def test_shutdown_gives_the_writers_lock_back(
    quiet_qapp: QApplication, paths: AppPaths, started: list[Application]
) -> None:
    app = Application(quiet_qapp, paths, Launch(), _services())
    started.append(app)
    assert app.start() is None
    app.shutdown()
    app.shutdown()  # the one way out may be taken twice
    InstanceLock(paths.data / LOCK_FILE_NAME).acquire()


def test_in_the_tray_without_a_tray_the_window_shows_minimised_and_commands_arrive(
    quiet_qapp: QApplication, qtbot: QtBot, paths: AppPaths, started: list[Application]
) -> None:
    app = Application(quiet_qapp, paths, Launch(tray=True), _services(desk_breaks=True))
    started.append(app)
    assert app.start() is None
    assert app.window.window is None  # nothing built yet in the tray
    qtbot.waitUntil(lambda: app.desk is not None and app.desk.started)
    # Offscreen there is no tray to hide in: the window is the way back to the app.
    qtbot.waitUntil(lambda: app.window.window is not None)
    assert app.instance is not None
    assert app.instance.listening
    # A second launch's command comes over the real socket.
    name = server_name(paths.data)
    assert name is not None
    assert send_command(name, {"command": "break-now"})
    assert app.desk is not None
    qtbot.waitUntil(
        lambda: (
            app.desk is not None
            and app.desk.breaks is not None
            and app.desk.breaks.window is not None
        )
    )
    breaks = app.desk.breaks
    assert breaks is not None
    assert breaks.window is not None
    breaks.window.close()


def test_a_routine_named_by_id_starts_in_the_window(
    quiet_qapp: QApplication, qtbot: QtBot, paths: AppPaths, started: list[Application]
) -> None:
    (paths.user_routines / "back.toml").write_text(BACK_ROUTINE, encoding="utf-8")
    app = Application(quiet_qapp, paths, Launch(routine=RoutineRef.of("back")), _services())
    started.append(app)
    assert app.start() is None
    window = app.window.window
    assert window is not None
    qtbot.waitUntil(lambda: window.runner.busy)
    qtbot.waitUntil(lambda: "Back" in window.windowTitle())


def test_a_routine_file_starts_with_the_launchs_options(
    quiet_qapp: QApplication,
    qtbot: QtBot,
    paths: AppPaths,
    started: list[Application],
    tmp_path: Path,
) -> None:
    routine_file = tmp_path / "mine.toml"
    routine_file.write_text(BACK_ROUTINE.replace('title = "Back"', 'title = "Mine"'))
    asked: list[Settings] = []

    def open_audio(paths: AppPaths, settings: Settings) -> None:
        asked.append(settings)

    options = SessionOptions(get_ready_seconds=2, voice="en-gb", rate=180, volume=0.4)
    launch = Launch(routine=RoutineRef.parse(str(routine_file)), options=options)
    app = Application(quiet_qapp, paths, launch, _services(open_audio=open_audio))
    started.append(app)
    assert app.start() is None
    window = app.window.window
    assert window is not None
    qtbot.waitUntil(lambda: window.runner.busy)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Mine"))
    (sound,) = asked
    assert (sound.audio.voice, sound.audio.rate, sound.audio.volume) == ("en-gb", 180, 0.4)
    driver = window.session.driver
    assert driver is not None
    assert driver.scheduler.plan.title == "Mine"
    get_ready = driver.scheduler.plan.steps[0].duration_ms
    as_asked = PlanSettings(get_ready_seconds=2, reps={"bridge": 2, "cat": 3})
    as_by_default = PlanSettings(reps={"bridge": 2, "cat": 3})
    assert get_ready == compile_plan(back_routine(), as_asked).steps[0].duration_ms
    assert get_ready < compile_plan(back_routine(), as_by_default).steps[0].duration_ms
    # The options are this launch's: the saved settings keep the user's own.
    saved = SettingsStore(paths.config / "settings.json").load()
    assert saved.audio.voice is None


def test_a_routine_that_cannot_be_read_is_said_not_ignored(
    quiet_qapp: QApplication,
    qtbot: QtBot,
    paths: AppPaths,
    started: list[Application],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    launch = Launch(routine=RoutineRef.parse(str(tmp_path / "gone.toml")))
    app = Application(quiet_qapp, paths, launch, _services())
    started.append(app)
    assert app.start() is None
    qtbot.waitUntil(lambda: bool(said))
    assert "gone.toml" in said[0]


def test_closing_keeps_the_app_for_its_reminders_and_quit_leaves(
    quiet_qapp: QApplication,
    qtbot: QtBot,
    paths: AppPaths,
    started: list[Application],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(title))
    quits: list[bool] = []
    monkeypatch.setattr(quiet_qapp, "quit", lambda: quits.append(True))
    app = Application(quiet_qapp, paths, Launch(), _services(desk_breaks=True))
    started.append(app)
    assert app.start() is None
    window = app.window.window
    assert window is not None
    qtbot.waitUntil(lambda: app.desk is not None and app.desk.started)
    window.close()  # offscreen there is no tray: the window minimises, the app lives on
    assert told == ["backtimer keeps running"]
    assert window.isMinimized()
    assert not quits
    window.close()  # said once, ever
    assert told == ["backtimer keeps running"]
    assert SettingsStore(paths.config / "settings.json").load().told_close_keeps_running
    window.quit()  # File → Quit leaves for good
    assert quits == [True]


def test_a_session_the_history_could_not_take_makes_the_exit_code_1(
    quiet_qapp: QApplication,
    qtbot: QtBot,
    paths: AppPaths,
    started: list[Application],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))

    def full_disk(store: HistoryStore, record: object) -> None:
        raise StoreWriteError(store.folder / "history-2026.json", "No space left on device")

    monkeypatch.setattr(HistoryStore, "finish_session", full_disk)
    (paths.user_routines / "back.toml").write_text(BACK_ROUTINE, encoding="utf-8")
    app = Application(quiet_qapp, paths, Launch(routine=RoutineRef.of("back")), _services())
    started.append(app)
    assert app.start() is None
    window = app.window.window
    assert window is not None
    qtbot.waitUntil(lambda: window.session.in_session)
    assert app.exit_code() == 0
    window.session.stop()  # the session ends; its record cannot be written
    qtbot.waitUntil(lambda: bool(window.save_problems))
    assert "No space left on device" in said[0]
    assert app.exit_code() == 1
