"""Reminder settings in the settings file: defaults, round trip, each bad value named."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from backtimer.core.settings import (
    ReminderSettings,
    Settings,
    settings_from_dict,
    settings_to_dict,
)
from backtimer.core.store.settings_store import SettingsStore

CUSTOM = ReminderSettings(
    enabled=False,
    interval_minutes=45,
    working_days=(0, 2, 5),
    work_start=time(7, 30),
    work_end=time(1, 0),
    idle_threshold_minutes=10,
    snooze_minutes=15,
    start_at_login=True,
    break_routine="neck",
)


def test_defaults() -> None:
    reminders = Settings().reminders
    assert reminders.enabled
    assert reminders.interval_minutes == 60
    assert reminders.working_days == (0, 1, 2, 3, 4)
    assert (reminders.work_start, reminders.work_end) == (time(9), time(18))
    assert reminders.idle_threshold_minutes == 5
    assert reminders.snooze_minutes == 5
    assert not reminders.start_at_login
    assert reminders.break_routine == "desk-break"


def test_the_file_layout() -> None:
    data = settings_to_dict(Settings(reminders=CUSTOM))
    assert data["reminders"] == {
        "enabled": False,
        "interval_minutes": 45,
        "working_days": ["mon", "wed", "sat"],
        "work_start": "07:30",
        "work_end": "01:00",
        "idle_threshold_minutes": 10,
        "snooze_minutes": 15,
        "start_at_login": True,
        "break_routine": "neck",
    }


def test_round_trip_through_the_store(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(reminders=CUSTOM)
    SettingsStore(path).save(settings)
    store = SettingsStore(path)
    assert store.load() == settings
    assert store.problems == []


def test_an_old_file_without_reminders_loads_with_the_defaults() -> None:
    data = settings_to_dict(Settings())
    del data["reminders"]
    settings, problems = settings_from_dict(data)
    assert problems == []
    assert settings.reminders == ReminderSettings()


def test_missing_reminder_fields_take_their_defaults() -> None:
    settings, problems = settings_from_dict({"reminders": {"interval_minutes": 30}})
    assert problems == []
    assert settings.reminders == replace(ReminderSettings(), interval_minutes=30)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("enabled", "yes", "true or false"),
        ("interval_minutes", 4, "a whole number of minutes from 5 to 240"),
        ("interval_minutes", 241, "from 5 to 240"),
        ("interval_minutes", 60.5, "whole number"),
        ("interval_minutes", True, "whole number"),
        ("working_days", [], "one or more days"),
        ("working_days", ["mon", "mon"], "each at most once"),
        ("working_days", ["monday"], '"mon", "tue"'),
        ("working_days", "mon", "a list"),
        ("work_start", "9:00", '"HH:MM"'),
        ("work_start", "24:00", '"HH:MM"'),
        ("work_end", "18:60", '"HH:MM"'),
        ("work_end", 18, '"HH:MM"'),
        ("idle_threshold_minutes", 0, "from 1 to 60"),
        ("idle_threshold_minutes", 61, "from 1 to 60"),
        ("snooze_minutes", 7, "5 or 10 or 15"),
        ("snooze_minutes", True, "5 or 10 or 15"),
        ("start_at_login", 1, "true or false"),
        ("break_routine", "", "a routine id"),
        ("break_routine", None, "a routine id"),
    ],
)
def test_each_bad_reminder_value_is_named(key: str, value: object, expected: str) -> None:
    data = settings_to_dict(Settings(reminders=CUSTOM))
    data["reminders"][key] = value
    settings, problems = settings_from_dict(data)
    (problem,) = problems
    assert problem.startswith(f"setting reminders.{key}: expected ")
    assert expected in problem
    assert "using the default" in problem
    assert getattr(settings.reminders, key) == getattr(ReminderSettings(), key)
    # The other reminder settings are kept.
    others = [name for name in ReminderSettings.__slots__ if name != key]
    for name in others:
        assert getattr(settings.reminders, name) == getattr(CUSTOM, name)


def test_reminders_that_are_not_an_object() -> None:
    settings, problems = settings_from_dict({"reminders": ["on"]})
    assert settings.reminders == ReminderSettings()
    assert problems == [
        'setting reminders: expected an object, found ["on"]; using the default reminder settings'
    ]


def test_day_names_are_read_in_any_case_and_sorted() -> None:
    settings, problems = settings_from_dict({"reminders": {"working_days": ["SUN", "Mon"]}})
    assert problems == []
    assert settings.reminders.working_days == (0, 6)


def test_equipment_at_hand_round_trip_and_order(tmp_path: Path) -> None:
    assert Settings().equipment_at_hand is None  # said nothing: every routine shows
    assert settings_to_dict(Settings())["equipment_at_hand"] is None
    path = tmp_path / "settings.json"
    SettingsStore(path).save(Settings(equipment_at_hand=("mat", "chair")))
    assert SettingsStore(path).load().equipment_at_hand == ("mat", "chair")
    settings, problems = settings_from_dict({"equipment_at_hand": ["wall", "mat"]})
    assert problems == []
    assert settings.equipment_at_hand == ("mat", "wall")  # the order of Equipment
    assert settings_from_dict({"equipment_at_hand": []})[0].equipment_at_hand == ()


@pytest.mark.parametrize("value", [["mat", "mat"], ["trampoline"], "mat", [1], {"mat": True}])
def test_bad_equipment_at_hand_is_named_and_ignored(value: object) -> None:
    settings, problems = settings_from_dict({"equipment_at_hand": value})
    assert settings.equipment_at_hand is None
    assert len(problems) == 1
    assert problems[0].startswith("setting equipment_at_hand: expected null or a list")
