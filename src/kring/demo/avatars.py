"""Friendly illustrated head-and-shoulders portraits for demo people, drawn with Pillow.

The same seed and look always give the same picture. Shapes are drawn at twice the output
size and scaled down, which smooths the edges that ImageDraw leaves jagged.
"""

import hashlib
import io
import math
import random

from PIL import Image, ImageChops, ImageDraw

SKIN_TONES = [
    "#fbe3d0",
    "#f3cfb3",
    "#e8b994",
    "#d49a6a",
    "#b97a4b",
    "#9a5f36",
    "#7a4526",
    "#5a321c",
]
HAIR_COLOURS = {
    "black": "#1d1a19",
    "brown": "#5a3b26",
    "blonde": "#d9b56c",
    "red": "#a2461f",
    "grey": "#9c9a96",
    "white": "#e4e1dc",
}
CLOTHES = [
    "#2f6f8f",
    "#3c4f8a",
    "#c9753d",
    "#8e3b54",
    "#3f7d5c",
    "#d8a72f",
    "#6b5b95",
    "#d0605e",
    "#4a6670",
    "#7a8b3a",
]
SCARVES = ["#5d6d9e", "#9e4a5d", "#3f7f76", "#b07a3a", "#6c4f86", "#2f5d7c"]
BACKGROUNDS = [
    "#cfe8e3",
    "#d6e4f5",
    "#f8dccb",
    "#e6dbf2",
    "#f6ebc2",
    "#f3d3dc",
    "#dbe8cf",
    "#e2e2d8",
]
HAIR_STYLES = ["short", "long", "bob", "bun", "ponytail", "curly", "afro", "bald", "hijab"]
FRAMES = ["#2b2b2b", "#6b3f2a", "#3c4f8a", "#8e3b54"]
DARK = "#2b2220"

CANVAS = 1024  # drawn at this size, then scaled to `size`

# The head: an ellipse centred horizontally.
HEAD = (362, 250, 662, 640)
CX = CANVAS // 2


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _shade(colour: str | tuple, factor: float) -> tuple[int, int, int]:
    """Darker below 1, lighter above 1 (towards white)."""
    r, g, b = _rgb(colour) if isinstance(colour, str) else colour
    if factor <= 1:
        return (int(r * factor), int(g * factor), int(b * factor))
    t = factor - 1
    return (int(r + (255 - r) * t), int(g + (255 - g) * t), int(b + (255 - b) * t))


def _mix(a: str, b: str, t: float) -> tuple[int, int, int]:
    ra, ga, ba = _rgb(a)
    rb, gb, bb = _rgb(b)
    return (int(ra + (rb - ra) * t), int(ga + (gb - ga) * t), int(ba + (bb - ba) * t))


def _mask() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    mask = Image.new("L", (CANVAS, CANVAS), 0)
    return mask, ImageDraw.Draw(mask)


def _parse_look(look: str, rng: random.Random) -> dict:
    words = look.split()
    style = next((w for w in words if w in HAIR_STYLES), None) or rng.choice(HAIR_STYLES[:7])
    colour = next((w for w in words if w in HAIR_COLOURS), None)
    if colour is None:
        colour = rng.choice(["black", "brown", "brown", "blonde", "red", "grey"])
    tone = next((w.split(":", 1)[1] for w in words if w.startswith("tone:")), None)
    tone = int(tone) if tone is not None and tone.isdigit() else rng.randrange(len(SKIN_TONES))
    return {
        "style": style,
        "hair": HAIR_COLOURS[colour],
        "skin": SKIN_TONES[min(tone, len(SKIN_TONES) - 1)],
        "beard": "beard" in words,
        "glasses": "glasses" in words,
    }


def _hair_cap(draw_on: Image.Image, colour, *, part: int, hairline: int, depth: int) -> None:
    """Hair over the top of the head with a curved hairline; `part` shifts it sideways."""
    x0, y0, x1, y1 = HEAD
    cap, cap_draw = _mask()
    cap_draw.ellipse((x0 - 20, y0 - 28, x1 + 20, y1 + 10), fill=255)
    face, face_draw = _mask()
    face_draw.ellipse((x0 - 40 + part, hairline, x1 + 40 + part, y1 + hairline), fill=255)
    keep, keep_draw = _mask()
    keep_draw.rectangle((0, 0, CANVAS, depth), fill=255)
    cap = ImageChops.multiply(ImageChops.subtract(cap, face), keep)
    draw_on.paste(colour, (0, 0), cap)


def _curls(draw: ImageDraw.ImageDraw, rng: random.Random, colour, *, radius: int, spread: int):
    x0, y0, x1, y1 = HEAD
    for _ in range(70):
        angle = rng.uniform(3.3, 6.1)
        r = rng.uniform(0.92, 1.12)
        x = CX + math.cos(angle) * ((x1 - x0) / 2 + spread) * r
        y = (y0 + y1) / 2 - 40 + math.sin(angle) * ((y1 - y0) / 2 + spread) * r
        size = rng.randint(radius - 8, radius + 8)
        draw.ellipse((x - size, y - size, x + size, y + size), fill=colour)


def avatar_png(*, seed: str, look: str = "", size: int = 512) -> bytes:
    """A PNG portrait for `seed` (e.g. an e-mail address), following the `look` hints."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    spec = _parse_look(look, rng)
    skin, hair = spec["skin"], spec["hair"]
    skin_shadow = _shade(skin, 0.86)
    clothes = rng.choice(CLOTHES)
    background = rng.choice(BACKGROUNDS)

    image = Image.new("RGB", (CANVAS, CANVAS), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((112, 150, 912, 950), fill=_shade(background, 1.35))

    x0, y0, x1, y1 = HEAD
    style = spec["style"]

    # Hair that falls behind the head and shoulders.
    if style == "long":
        draw.rounded_rectangle((x0 - 48, y0 - 20, x1 + 48, 860), radius=170, fill=hair)
    elif style == "bob":
        draw.rounded_rectangle((x0 - 42, y0 - 20, x1 + 42, 640), radius=150, fill=hair)
    elif style == "ponytail":
        side = rng.choice([-1, 1])
        px = CX + side * 190
        draw.ellipse((px - 70, 300, px + 70, 620), fill=hair)
    elif style == "bun":
        draw.ellipse((CX - 78, y0 - 105, CX + 78, y0 + 45), fill=hair)
    elif style == "afro":
        draw.ellipse((x0 - 110, y0 - 110, x1 + 110, y1 - 40), fill=hair)
        _curls(draw, rng, hair, radius=56, spread=95)
    elif style == "curly":
        _curls(draw, rng, hair, radius=44, spread=32)

    # Shoulders and neck.
    neckline = rng.choice(["crew", "round", "v", "collar"])
    if style == "hijab":
        scarf = rng.choice(SCARVES)
        draw.rounded_rectangle((150, 720, 874, 1300), radius=280, fill=clothes)
        draw.polygon([(x0 - 40, 420), (x1 + 40, 420), (x1 + 140, 840), (x0 - 140, 840)], fill=scarf)
        draw.ellipse((x0 - 58, y0 - 50, x1 + 58, y1 + 70), fill=scarf)
        draw.ellipse((x0 + 8, y0 + 40, x1 - 8, y1 + 8), fill=skin)
        draw.chord((x0 + 8, y0 + 40, x1 - 8, y1 + 8), 200, 340, fill=_shade(scarf, 0.9))
    else:
        draw.rounded_rectangle((150, 720, 874, 1300), radius=280, fill=clothes)
        draw.rectangle((CX - 70, 560, CX + 70, 722), fill=skin_shadow)
        if neckline == "round":
            draw.chord((CX - 110, 640, CX + 110, 810), 0, 180, fill=skin_shadow)
            draw.arc((CX - 110, 640, CX + 110, 810), 0, 180, fill=_shade(clothes, 0.8), width=14)
        elif neckline == "v":
            draw.polygon([(CX - 70, 720), (CX + 70, 720), (CX, 850)], fill=skin_shadow)
        elif neckline == "collar":
            draw.polygon([(CX - 70, 712), (CX - 150, 750), (CX - 10, 830)], fill="#f4f1ea")
            draw.polygon([(CX + 70, 712), (CX + 150, 750), (CX + 10, 830)], fill="#f4f1ea")

        # Ears, then the head.
        ear_y = (y0 + y1) // 2 + 10
        draw.ellipse((x0 - 28, ear_y - 48, x0 + 30, ear_y + 42), fill=skin_shadow)
        draw.ellipse((x1 - 30, ear_y - 48, x1 + 28, ear_y + 42), fill=skin_shadow)
        draw.ellipse(HEAD, fill=skin)

    # Hair on top of the head.
    part = rng.choice([-40, -20, 0, 20, 40])
    if style in {"short", "curly"}:
        _hair_cap(image, hair, part=part, hairline=y0 + 95, depth=470)
    elif style in {"long", "bob", "ponytail", "bun"}:
        _hair_cap(image, hair, part=part, hairline=y0 + 85, depth=560)
    elif style == "afro":
        _hair_cap(image, hair, part=0, hairline=y0 + 75, depth=470)
    elif style == "bald":
        for side in (-1, 1):
            ex = CX + side * 150
            draw.ellipse((ex - 26, 360, ex + 26, 490), fill=hair)
        draw.chord((x0 + 60, y0 + 20, x1 - 60, y0 + 120), 180, 360, fill=_shade(skin, 1.12))

    beard = spec["beard"] and style != "hijab"
    if beard:
        shape, shape_draw = _mask()
        shape_draw.ellipse((x0 - 6, y0, x1 + 6, y1 + 34), fill=255)
        cut, cut_draw = _mask()
        cut_draw.rectangle((0, 0, CANVAS, 535), fill=255)
        cut_draw.rectangle((x0 + 34, 0, x1 - 34, 500), fill=255)
        for side in (-1, 1):
            cut_draw.ellipse((CX + side * 120 - 62, 470, CX + side * 120 + 62, 575), fill=255)
        cut_draw.ellipse((CX - 50, 540, CX + 50, 590), fill=255)
        image.paste(hair, (0, 0), ImageChops.subtract(shape, cut))
        draw.chord((CX - 66, 522, CX + 66, 566), 180, 360, fill=hair)

    # The face.
    eye_y = 462 if style != "hijab" else 475
    brow_colour = _shade(hair, 0.7) if style not in {"hijab", "bald"} else _shade(skin, 0.55)
    for ex in (CX - 62, CX + 62):
        draw.ellipse((ex - 15, eye_y - 17, ex + 15, eye_y + 17), fill=DARK)
        draw.ellipse((ex - 2, eye_y - 11, ex + 7, eye_y - 2), fill="#ffffff")
        lift = rng.choice([0, 6, 10])
        draw.arc(
            (ex - 36, eye_y - 62 - lift, ex + 36, eye_y - 22 - lift),
            205,
            335,
            fill=brow_colour,
            width=11,
        )
    if not beard:
        cheek = _mix(skin, "#e57a7a", 0.28)
        for cx in (CX - 95, CX + 95):
            draw.ellipse((cx - 30, eye_y + 48, cx + 30, eye_y + 82), fill=cheek)
    draw.arc((CX - 20, eye_y + 20, CX + 20, eye_y + 72), 20, 160, fill=_shade(skin, 0.72), width=8)
    smile = rng.choice([(CX - 52, 520, CX + 52, 580), (CX - 44, 512, CX + 44, 582)])
    draw.arc(smile, 15, 165, fill="#8a3a36", width=11)

    if spec["glasses"]:
        frame = rng.choice(FRAMES)
        for ex in (CX - 62, CX + 62):
            draw.rounded_rectangle(
                (ex - 50, eye_y - 38, ex + 50, eye_y + 36), radius=26, outline=frame, width=9
            )
        draw.arc((CX - 20, eye_y - 20, CX + 20, eye_y + 10), 200, 340, fill=frame, width=9)
        draw.line((x0 + 6, eye_y - 12, CX - 112, eye_y - 10), fill=frame, width=9)
        draw.line((x1 - 6, eye_y - 12, CX + 112, eye_y - 10), fill=frame, width=9)

    image = image.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()
