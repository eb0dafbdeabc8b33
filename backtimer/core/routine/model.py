"""The routine format: what a routine file may say, as validated, immutable data.

A routine is one TOML file (``schema_version = 1``). These models are the single source of
truth for the format: the loader validates against them and ``routines/schema.json`` is
generated from them.

Numbers that the articles give as a range (hold 20–30 s, reps 2–10) are written either as a
single number or as a table ``{ min = 20, max = 30 }``; both become a :class:`Range`.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from backtimer.core.routine.kinds import Category, Equipment, Kind, Sides

__all__ = ["Category", "Equipment", "Exercise", "Kind", "Range", "Routine", "Sides"]

SCHEMA_VERSION: Final = 1

#: Upper bounds that catch typos such as a 10-hour hold. Generous for real routines.
MAX_HOLD_SECONDS: Final = 600
MAX_DURATION_SECONDS: Final = 1800
MAX_REST_SECONDS: Final = 900
MAX_BREATH_SECONDS: Final = 30
MAX_REPS: Final = 100
MAX_SETS: Final = 10
MAX_EXERCISES: Final = 100

SLUG_PATTERN: Final = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: A seed article's file name, such as ``000_2302a54ddb9289f5.txt``, or ``default``.
SEED_SOURCE_PATTERN: Final = r"^(default|[0-9]{3}_[0-9a-f]{16}\.txt)$"


class _Strict(BaseModel):
    """Base: immutable, strict types (no "5" for 5), unknown keys are errors."""

    model_config = ConfigDict(frozen=True, strict=True, extra="forbid", allow_inf_nan=False)


class Range(_Strict):
    """A number that the articles give as a range; the plan starts at ``min``."""

    min: float = Field(gt=0)
    max: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"expected min <= max, found min = {self.min:g} > max = {self.max:g}")
        return self

    @property
    def is_range(self) -> bool:
        """True when min and max differ."""
        return self.min != self.max

    def describe(self, unit: str = "") -> str:
        """``"20–30 s"`` or ``"5 s"``."""
        text = f"{self.min:g}–{self.max:g}" if self.is_range else f"{self.min:g}"
        return f"{text} {unit}".rstrip()


def _number_to_range(value: Any) -> Any:
    """Let ``hold = 5`` stand for ``hold = { min = 5, max = 5 }``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not value > 0:  # also catches nan
            raise ValueError(f"expected more than 0, found {value:g}")
        return {"min": value, "max": value}
    if isinstance(value, dict | Range):
        return value
    raise ValueError("expected a number or a table like { min = 2, max = 10 }")


def _range_schema(maximum: float, integer: bool) -> dict[str, Any]:
    number: dict[str, Any] = {
        "type": "integer" if integer else "number",
        "minimum": 1,
        "maximum": maximum,
    }
    return {
        "oneOf": [
            number,
            {
                "type": "object",
                "properties": {"min": number, "max": number},
                "required": ["min", "max"],
                "additionalProperties": False,
            },
        ]
    }


def _ranged(maximum: float, integer: bool = False) -> Any:
    """A Range field type bounded by ``maximum``, written as a number or a min/max table."""

    def check(value: Range) -> Range:
        if value.min < 1:
            raise ValueError(f"expected at least 1, found {value.min:g}")
        if value.max > maximum:
            raise ValueError(f"expected at most {maximum:g}, found {value.max:g}")
        if integer and (value.min != int(value.min) or value.max != int(value.max)):
            raise ValueError(f"expected whole numbers, found {value.describe()}")
        return value

    return Annotated[
        Range,
        BeforeValidator(_number_to_range),
        AfterValidator(check),
        WithJsonSchema(_range_schema(maximum, integer)),
    ]


Seconds = Annotated[float, Field(gt=0, le=MAX_DURATION_SECONDS)]
RestSeconds = Annotated[float, Field(ge=0, le=MAX_REST_SECONDS)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=64)]


class Breathing(_Strict):
    """A paced breath: move on the inhale, keep still on the hold, return on the exhale."""

    inhale: float = Field(ge=0.5, le=MAX_BREATH_SECONDS)
    hold: float = Field(default=0, ge=0, le=MAX_BREATH_SECONDS)
    exhale: float = Field(ge=0.5, le=MAX_BREATH_SECONDS)


def _natural_breathing(value: Any) -> Any:
    """``breathing = "natural"`` means no paced breath: stored as None."""
    if value == "natural":
        return None
    if isinstance(value, dict | Breathing):
        return value
    raise ValueError('expected "natural" or a table like { inhale = 3, hold = 0, exhale = 4 }')


NaturalOrBreathing = Annotated[
    Breathing | None,
    BeforeValidator(_natural_breathing),
    WithJsonSchema(
        {
            "oneOf": [
                {"const": "natural"},
                Breathing.model_json_schema(),
            ]
        }
    ),
]


class Cues(_Strict):
    """What the voice says for this exercise, in the exercise's own words.

    ``inhale`` and ``exhale`` are said with each rep's breath (the movement done on it),
    ``hold`` during a hold, ``start`` as timed work (or a hold) begins and ``halfway`` at
    its middle; ``announce`` and ``switch_side`` replace the generated announcement and
    side change.
    """

    announce: Text | None = None
    inhale: Text | None = None
    hold: Text | None = None
    exhale: Text | None = None
    switch_side: Text | None = None
    start: Text | None = None
    halfway: Text | None = None


#: Fields whose numbers may be marked as chosen defaults rather than taken from an article.
NUMBER_FIELDS: Final = (
    "duration",
    "reps",
    "hold",
    "sets",
    "rest_between_sets",
    "breathing",
)


class Exercise(_Strict):
    """One exercise of a routine, with every number the plan needs."""

    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=80)]
    steps: Annotated[list[Text], Field(min_length=1, max_length=12)]
    illustration: Slug | None = None
    kind: Kind = Field(strict=False)
    duration: _ranged(MAX_DURATION_SECONDS) | None = None  # type: ignore[valid-type]
    reps: _ranged(MAX_REPS, integer=True) | None = None  # type: ignore[valid-type]
    hold: _ranged(MAX_HOLD_SECONDS) | None = None  # type: ignore[valid-type]
    sets: int = Field(default=1, ge=1, le=MAX_SETS)
    rest_between_sets: RestSeconds = 0
    sides: Sides = Field(default=Sides.NONE, strict=False)
    breathing: NaturalOrBreathing = None
    cues: Cues = Cues()
    safety: Text | None = None
    source: Annotated[str, Field(min_length=1, max_length=200)]
    defaults: list[Literal[NUMBER_FIELDS]] = Field(default_factory=list)  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Exercise:
        needs = {
            Kind.TIMED: ({"duration"}, {"reps", "hold"}),
            Kind.REPS: ({"reps"}, {"duration", "hold"}),
            Kind.HOLD_REPS: ({"reps", "hold"}, {"duration"}),
        }
        required, forbidden = needs[self.kind]
        for name in sorted(required):
            if getattr(self, name) is None:
                raise PydanticCustomError(
                    "kind_needs_field",
                    "required for kind '{kind}', but missing",
                    {"field": name, "kind": self.kind.value},
                )
        for name in sorted(forbidden):
            if getattr(self, name) is not None:
                raise PydanticCustomError(
                    "kind_forbids_field",
                    "not used by kind '{kind}'; remove it or change the kind",
                    {"field": name, "kind": self.kind.value},
                )
        return self

    @field_validator("defaults")
    @classmethod
    def _unique_defaults(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("expected each field at most once")
        return value

    @property
    def illustration_id(self) -> str:
        """The illustration to show: the exercise's own id unless it names another."""
        return self.illustration or self.id

    @property
    def rep_count(self) -> int:
        """Reps the plan uses before progression: the low end of the range."""
        return int(self.reps.min) if self.reps is not None else 0

    @property
    def hold_seconds(self) -> float:
        """Hold the plan uses: the low end of the range."""
        return self.hold.min if self.hold is not None else 0.0

    @property
    def duration_seconds(self) -> float:
        """Duration the plan uses for a timed exercise: the low end of the range."""
        return self.duration.min if self.duration is not None else 0.0


class Routine(_Strict):
    """A routine: a titled, ordered list of exercises."""

    model_config = ConfigDict(
        frozen=True,
        strict=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"title": "backtimer routine"},
    )

    schema_version: Literal[1]
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=80)]
    summary: Text
    category: Category = Field(strict=False)
    equipment: list[Annotated[Equipment, Field(strict=False)]] = Field(default_factory=list)
    rest_between_exercises: RestSeconds = 10
    exercises: Annotated[list[Exercise], Field(min_length=1, max_length=MAX_EXERCISES)]

    @field_validator("equipment")
    @classmethod
    def _unique_equipment(cls, value: list[Equipment]) -> list[Equipment]:
        if len(set(value)) != len(value):
            raise ValueError("expected each item at most once")
        return value

    @model_validator(mode="after")
    def _unique_exercise_ids(self) -> Routine:
        first_index: dict[str, int] = {}
        for index, exercise in enumerate(self.exercises):
            if exercise.id in first_index:
                raise PydanticCustomError(
                    "duplicate_exercise_id",
                    "duplicate exercise id '{id}', already used by exercises[{first}]",
                    {"id": exercise.id, "first": first_index[exercise.id], "index": index},
                )
            first_index[exercise.id] = index
        return self

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with this id."""
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise KeyError(exercise_id)
