"""Poses: segment angles and a placement, with forward kinematics, mixing and mirroring.

A :class:`Pose` holds the angles of every segment (see
:mod:`~backtimer.core.figure.skeleton`) and a :class:`Pin` that places the figure: either
one joint at a given point (hands on a bar, hips on a chair seat) or, by default, the
body's lowest point on the ground with the hip at ``x``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from backtimer.core.figure import skeleton as sk
from backtimer.core.figure.skeleton import Joints, Limb, Point, step_from


@dataclass(frozen=True, slots=True)
class Pin:
    """Where the figure is: ``joint`` at (x, y), or (joint None) resting on the ground.

    With ``to`` (a helper figure only), ``joint`` goes to that joint of the main figure,
    moved by (x, y): an adult's hands holding a child's ankles follow them.
    """

    joint: str | None = None
    x: float = 0.0
    y: float = 0.0
    to: str | None = None


@dataclass(frozen=True, slots=True)
class Pose:
    """One keyframe of the figure."""

    lower_back: float
    upper_back: float
    neck: float
    near_arm: Limb
    far_arm: Limb
    near_leg: Limb
    far_leg: Limb
    pin: Pin = Pin()
    #: 1 when the figure's front is to the right of its spine (as drawn), -1 to the left.
    facing: int = 1
    #: Degrees the face is turned toward the figure's own right (negative: its left).
    head_turn: float = 0.0
    #: Seen from the front: shoulders and hips have width, arms and legs hang from their ends.
    front_view: bool = False
    #: How full the belly is with breath, 0 (out) to 1 (in): it swells forward.
    belly: float = 0.0
    #: How full the chest is with breath, 0 (out) to 1 (in): it rises and swells forward.
    chest: float = 0.0
    #: How far the shoulders are drawn toward the front of the body (negative: back) and
    #: up (negative: down), in figure units: shrugs and shoulder rolls.
    shrug_ahead: float = 0.0
    shrug_up: float = 0.0
    #: The direction (degrees, as segment angles) the head pushes in an isometric press,
    #: shown by an arrow at the head; ``None``: no push.
    push: float | None = None


def _skeleton(pose: Pose, hip: Point) -> Joints:
    waist = step_from(hip, pose.lower_back, sk.LOWER_BACK)
    shoulder = step_from(waist, pose.upper_back, sk.UPPER_BACK)
    neck_top = step_from(shoulder, pose.neck, sk.NECK)
    head = step_from(neck_top, pose.neck, sk.HEAD_RADIUS * 0.8)

    shoulder_half = sk.SHOULDER_HALF_WIDTH if pose.front_view else 0.0
    hip_half = sk.HIP_HALF_WIDTH if pose.front_view else 0.0
    # "Near" is the picture's left from the front: 90 degrees counter-clockwise of the spine.
    shrugged = step_from(shoulder, pose.upper_back, pose.shrug_up)
    if not pose.front_view:
        shrugged = step_from(shrugged, pose.upper_back - 90 * pose.facing, pose.shrug_ahead)
    near_shoulder = step_from(shrugged, pose.upper_back + 90, shoulder_half)
    far_shoulder = step_from(shrugged, pose.upper_back - 90, shoulder_half)
    near_hip = step_from(hip, pose.lower_back + 90, hip_half)
    far_hip = step_from(hip, pose.lower_back - 90, hip_half)

    def arm(root: Point, limb: Limb) -> tuple[Point, Point]:
        elbow = step_from(root, limb.upper, sk.UPPER_ARM)
        return elbow, step_from(elbow, limb.lower, sk.FOREARM)

    def leg(root: Point, limb: Limb) -> tuple[Point, Point, Point]:
        knee = step_from(root, limb.upper, sk.THIGH)
        ankle = step_from(knee, limb.lower, sk.SHIN)
        return knee, ankle, step_from(ankle, limb.foot, sk.FOOT)

    near_elbow, near_hand = arm(near_shoulder, pose.near_arm)
    far_elbow, far_hand = arm(far_shoulder, pose.far_arm)
    near_knee, near_ankle, near_toe = leg(near_hip, pose.near_leg)
    far_knee, far_ankle, far_toe = leg(far_hip, pose.far_leg)
    return Joints(
        hip=hip,
        waist=waist,
        shoulder=shoulder,
        neck_top=neck_top,
        head=head,
        near_elbow=near_elbow,
        near_hand=near_hand,
        far_elbow=far_elbow,
        far_hand=far_hand,
        near_knee=near_knee,
        near_ankle=near_ankle,
        near_toe=near_toe,
        far_knee=far_knee,
        far_ankle=far_ankle,
        far_toe=far_toe,
        near_shoulder=near_shoulder,
        far_shoulder=far_shoulder,
        near_hip=near_hip,
        far_hip=far_hip,
    )


def _lowest(joints: Joints) -> float:
    """The lowest y of the drawn body, strokes and head included."""
    lowest = joints.head[1] - sk.HEAD_RADIUS
    for name, (start, end) in joints.segments().items():
        half = (sk.TORSO_WIDTH if name in sk.TORSO_SEGMENTS else sk.LIMB_WIDTH) / 2
        lowest = min(lowest, start[1] - half, end[1] - half)
    return lowest


#: Degrees each eye sits either side of the nose, around the head.
EYE_SPREAD = 35.0
#: How far from the head's centre an eye straight at the camera would be drawn; in profile
#: the eye lands half a head radius toward the face, where it always was.
_EYE_REACH = sk.HEAD_RADIUS * 0.5 / math.cos(math.radians(EYE_SPREAD))


def eyes_of(pose: Pose, joints: Joints) -> list[Point]:
    """Where the eyes are drawn, which shows which way the face points.

    Each eye sits 35 degrees either side of the nose on the head's circle and shows
    while it faces the camera. From the side (head_turn 0) that is one eye on the face
    side; turned toward the camera (the figure's right, when it faces right) a second
    eye appears and both move toward the middle; turned away, they go. From the front
    both show, shifted toward the side the head turns to.
    """
    eyes: list[Point] = []
    for side in (-EYE_SPREAD, EYE_SPREAD):
        around = math.radians(pose.head_turn + side)
        if pose.front_view:
            # 0 = at the camera; the figure's right is 90 degrees counter-clockwise of the neck.
            shown, offset, towards = math.cos(around), math.sin(around), pose.neck + 90.0
        else:
            # 0 = straight ahead (the profile); positive turns toward the camera.
            shown, offset = math.sin(around), math.cos(around)
            towards = pose.neck - 90.0 * pose.facing
        if shown > 0.15:
            across = step_from(joints.head, towards, _EYE_REACH * offset)
            eyes.append(step_from(across, pose.neck, sk.HEAD_RADIUS * 0.15))
    return eyes


def joints_of(pose: Pose, ground: float = 0.0, anchor: Joints | None = None) -> Joints:
    """Forward kinematics: where each joint of ``pose`` is, placed by its pin.

    ``anchor`` is the main figure's joints, for a helper pinned to one of them
    (:attr:`Pin.to`); without it such a pin is taken from the origin.
    """
    draft = _skeleton(pose, (0.0, 0.0))
    pin = pose.pin
    if pin.joint is None:
        offset = (pin.x, ground - _lowest(draft))
    else:
        at = draft.points()[pin.joint]
        base = anchor.points()[pin.to] if anchor is not None and pin.to else (0.0, 0.0)
        offset = (base[0] + pin.x - at[0], base[1] + pin.y - at[1])
    return _skeleton(pose, offset)


#: How far the belly and the chest swell forward at a full breath, in figure units.
BELLY_SWELL = 11.0
CHEST_SWELL = 6.0
#: The radius of the swelling drawn on the torso.
_SWELL_RADIUS = 11.0


def swellings_of(pose: Pose, joints: Joints) -> list[tuple[Point, float]]:
    """Circles (centre, radius) drawn over the torso where breath fills it.

    Empty lungs draw nothing; a full breath pushes the belly (on the lower back, by
    :data:`BELLY_SWELL`) or the chest (on the upper back, by :data:`CHEST_SWELL`) out of
    the torso's outline on the front of the body (from the front: on both sides).
    """
    out: list[tuple[Point, float]] = []
    parts = (
        (pose.belly, BELLY_SWELL, joints.hip, joints.waist, 0.8),
        (pose.chest, CHEST_SWELL, joints.waist, joints.shoulder, 0.5),
    )
    for amount, swell, start, end, along in parts:
        if amount <= 0.01:
            continue
        angle = math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))
        middle = (start[0] + (end[0] - start[0]) * along, start[1] + (end[1] - start[1]) * along)
        reach = sk.TORSO_WIDTH / 2 - _SWELL_RADIUS + swell * min(1.0, amount)
        sides = (90.0, -90.0) if pose.front_view else (-90.0 * pose.facing,)
        for side in sides:
            width = reach * (0.5 if pose.front_view else 1.0)
            out.append((step_from(middle, angle + side, width), _SWELL_RADIUS))
    return out


#: Radius of the nose drawn on the head's edge, which shows where the face points.
NOSE_RADIUS = 3.2


def nose_of(pose: Pose, joints: Joints) -> Point | None:
    """Where the nose is drawn: on the head's outline in profile, moving in over the face
    as the head turns to the camera (then hidden: the eyes show it), or ``None``."""
    turn = math.radians(pose.head_turn)
    if pose.front_view:
        across = math.sin(turn)
        if abs(across) < 0.35:
            return None
        return step_from(joints.head, pose.neck + 90.0, sk.HEAD_RADIUS * across)
    ahead = math.cos(turn)
    if ahead < 0.35:
        return None
    return step_from(joints.head, pose.neck - 90.0 * pose.facing, sk.HEAD_RADIUS * ahead)


def _mix_angle(a: float, b: float, t: float) -> float:
    """Turn from ``a`` toward ``b`` the short way round."""
    delta = (b - a + 180.0) % 360.0 - 180.0
    return a + delta * t


def _mix_limb(a: Limb, b: Limb, t: float) -> Limb:
    return Limb(
        _mix_angle(a.upper, b.upper, t),
        _mix_angle(a.lower, b.lower, t),
        _mix_angle(a.foot, b.foot, t),
    )


def interpolate(a: Pose, b: Pose, t: float) -> Pose:
    """The pose ``t`` of the way from ``a`` (t = 0) to ``b`` (t = 1).

    Angles turn the short way round; a pin moves in a straight line when both poses pin
    the same joint, and otherwise the nearer pose's pin is kept.
    """
    t = min(1.0, max(0.0, t))
    if a.pin.joint == b.pin.joint:
        pin = Pin(
            a.pin.joint,
            a.pin.x + (b.pin.x - a.pin.x) * t,
            a.pin.y + (b.pin.y - a.pin.y) * t,
            a.pin.to if t < 0.5 else b.pin.to,
        )
    else:
        pin = a.pin if t < 0.5 else b.pin
    return Pose(
        lower_back=_mix_angle(a.lower_back, b.lower_back, t),
        upper_back=_mix_angle(a.upper_back, b.upper_back, t),
        neck=_mix_angle(a.neck, b.neck, t),
        near_arm=_mix_limb(a.near_arm, b.near_arm, t),
        far_arm=_mix_limb(a.far_arm, b.far_arm, t),
        near_leg=_mix_limb(a.near_leg, b.near_leg, t),
        far_leg=_mix_limb(a.far_leg, b.far_leg, t),
        pin=pin,
        facing=a.facing,
        head_turn=a.head_turn + (b.head_turn - a.head_turn) * t,
        front_view=a.front_view,
        belly=a.belly + (b.belly - a.belly) * t,
        chest=a.chest + (b.chest - a.chest) * t,
        shrug_ahead=a.shrug_ahead + (b.shrug_ahead - a.shrug_ahead) * t,
        shrug_up=a.shrug_up + (b.shrug_up - a.shrug_up) * t,
        push=a.push if t < 0.5 else b.push,
    )


def _flip(angle: float) -> float:
    return (180.0 - angle) % 360.0


def _flip_limb(limb: Limb) -> Limb:
    return Limb(_flip(limb.upper), _flip(limb.lower), _flip(limb.foot))


def mirror(pose: Pose) -> Pose:
    """The same pose for the other side: flipped left to right.

    From the side, near and far stay as they are, so the working limb is still the one
    drawn dark and in front. From the front, "near" means the picture's left, so the limbs
    trade places as the picture flips.
    """
    near_arm, far_arm, near_leg, far_leg = pose.near_arm, pose.far_arm, pose.near_leg, pose.far_leg
    joint, to = pose.pin.joint, pose.pin.to
    if pose.front_view:
        near_arm, far_arm, near_leg, far_leg = far_arm, near_arm, far_leg, near_leg
        joint, to = _swap_side(joint), _swap_side(to)
    return replace(
        pose,
        lower_back=_flip(pose.lower_back),
        upper_back=_flip(pose.upper_back),
        neck=_flip(pose.neck),
        near_arm=_flip_limb(near_arm),
        far_arm=_flip_limb(far_arm),
        near_leg=_flip_limb(near_leg),
        far_leg=_flip_limb(far_leg),
        pin=Pin(
            joint,
            -pose.pin.x,
            pose.pin.y,
            _swap_side(pose.pin.to) if pose.front_view else pose.pin.to,
        ),
        facing=-pose.facing,
        head_turn=-pose.head_turn,
        push=None if pose.push is None else _flip(pose.push),
    )


def _swap_side(joint: str | None) -> str | None:
    if joint is None:
        return None
    if joint.startswith("near_"):
        return "far_" + joint.removeprefix("near_")
    if joint.startswith("far_"):
        return "near_" + joint.removeprefix("far_")
    return joint
