"""What a seller is asked about an item, per category: the attributes that matter for its price, the
condition questions in plain words, and the photo views the pre-valuation and the inspectors need.

Questionnaires are keyed by the leaf category's slug; a category without its own questionnaire gets
`DEFAULT`. Everything a person reads is translatable (gettext_lazy), and every stored value (an
attribute's choice, a condition answer, a photo view) is a stable code that never changes with the
language.

Declared grade: every condition answer carries the best grade an item with that answer can still
have (its cap): "No cracks" caps nothing (N), "Light scratches visible up close" caps at A, "The
screen is cracked" caps at D. The declared grade is the worst cap among the answers: one cracked
screen makes a phone fair however clean the rest of it is. Only an item that is new on every count
is declared N.

What the chosen model already says: a catalog model's name often fixes an attribute ("iPhone 13
128GB" has 128 GB of storage, "MacBook Air 13-inch M2 8GB/256GB" 8 GB of memory and 256 GB of
storage, "Submariner Date 126610LN" its reference). `fixed_by_model` reads those from the name; the
flow does not ask them, and intake stores them with the seller's answers, so the valuation and the
inspectors have them as if the seller had answered. Only an unambiguous reading counts: a name that
matches two options of one attribute fixes nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from listings.models import Category, Grade

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str | Promise  # at run time, gettext_lazy's text is a Promise

# Best first. A grade's index here is how far it is from new.
GRADE_ORDER: tuple[Grade, ...] = (
    Grade.NEW,
    Grade.LIKE_NEW,
    Grade.EXCELLENT,
    Grade.VERY_GOOD,
    Grade.GOOD,
    Grade.FAIR,
)

TEXT_MAX_LENGTH = 60


@dataclass(frozen=True)
class Option:
    value: str
    label: StrOrPromise
    # A regular expression (case-insensitive) that, found in a catalog model's name, means the model
    # has this option: r"(?<![\d.])128\s?GB\b" for "128 GB". Empty: a name never says it.
    in_model_name: str = ""


@dataclass(frozen=True)
class Attribute:
    """A fact about the item: a choice among options, or short free text when options are empty."""

    name: str
    label: StrOrPromise
    options: tuple[Option, ...] = ()
    required: bool = True
    help_text: StrOrPromise = ""
    # For free text: reads the answer from a catalog model's name ("" when the name does not say).
    from_model_name: Callable[[str], str] | None = None

    @property
    def is_choice(self) -> bool:
        return bool(self.options)

    def clean(self, raw: object) -> str:
        """The stored value for `raw`, "" for a blank optional answer. Raises ValueError when the
        answer is missing (when required), not one of the options, or too long."""
        value = "" if raw is None else str(raw).strip()
        if not value:
            if self.required:
                raise ValueError("missing")
            return ""
        if self.is_choice and value not in {option.value for option in self.options}:
            raise ValueError("invalid")
        if len(value) > TEXT_MAX_LENGTH:
            raise ValueError("invalid")
        return value

    def display(self, value: str) -> StrOrPromise:
        for option in self.options:
            if option.value == value:
                return option.label
        return value

    def read_model_name(self, model_name: str) -> str:
        """The answer the catalog model's name gives, or "" when it gives none or is ambiguous."""
        if self.is_choice:
            found = {
                option.value
                for option in self.options
                if option.in_model_name and re.search(option.in_model_name, model_name, re.IGNORECASE)
            }
            return found.pop() if len(found) == 1 else ""
        if self.from_model_name is None:
            return ""
        value = self.from_model_name(model_name).strip()
        return value if len(value) <= TEXT_MAX_LENGTH else ""


@dataclass(frozen=True)
class Answer:
    value: str
    label: StrOrPromise
    cap: Grade  # the best grade an item with this answer can have


@dataclass(frozen=True)
class Question:
    name: str
    label: StrOrPromise
    answers: tuple[Answer, ...]
    help_text: StrOrPromise = ""

    def answer(self, value: object) -> Answer | None:
        for answer in self.answers:
            if answer.value == value:
                return answer
        return None


@dataclass(frozen=True)
class PhotoView:
    name: str
    label: StrOrPromise
    hint: StrOrPromise
    # (attribute, value): the view is asked for only when the seller gave that answer, e.g. a watch's
    # papers only when it comes with papers.
    only_if: tuple[str, str] | None = None


@dataclass(frozen=True)
class Questionnaire:
    attributes: tuple[Attribute, ...]
    questions: tuple[Question, ...]
    photo_views: tuple[PhotoView, ...]
    slug: str = "default"

    def attribute(self, name: str) -> Attribute | None:
        return next((attribute for attribute in self.attributes if attribute.name == name), None)

    def question(self, name: str) -> Question | None:
        return next((question for question in self.questions if question.name == name), None)

    def required_views(self, attributes: dict) -> tuple[PhotoView, ...]:
        """The views to photograph, given the seller's attribute answers."""
        return tuple(
            view
            for view in self.photo_views
            if view.only_if is None or attributes.get(view.only_if[0]) == view.only_if[1]
        )

    def view(self, name: str) -> PhotoView | None:
        return next((view for view in self.photo_views if view.name == name), None)

    def view_label(self, name: str) -> StrOrPromise:
        """How a photo view is called in the reader's language ("Front", "正面"), never its code; a
        view this questionnaire does not list (rows outlive code) by its name in any questionnaire."""
        view = self.view(name)
        if view is not None:
            return view.label
        return VIEW_LABELS.get(name) or name.replace("_", " ").capitalize()

    def view_order(self, name: str) -> int:
        """Where a photo view comes among this questionnaire's (to show photos in the asked order,
        a replaced one in its place); a view it does not list comes last."""
        names = [view.name for view in self.photo_views]
        return names.index(name) if name in names else len(names)

    def attributes_to_ask(self, fixed: dict[str, str]) -> tuple[Attribute, ...]:
        """The attributes the seller is asked: all but those the chosen model fixes."""
        return tuple(attribute for attribute in self.attributes if attribute.name not in fixed)


def fixed_by_model(questionnaire: Questionnaire, model_name: str) -> dict[str, str]:
    """The attribute answers a catalog model's name fixes, {attribute name: stored value}: e.g.
    {"storage": "128 GB"} for "iPhone 13 128GB". Empty for no model (the seller's own words)."""
    if not model_name:
        return {}
    fixed = {}
    for attribute in questionnaire.attributes:
        value = attribute.read_model_name(model_name)
        if value:
            fixed[attribute.name] = value
    return fixed


def declared_grade(questionnaire: Questionnaire, answers: dict) -> Grade:
    """The worst cap among the answers (see the module docstring). Caller has checked that every
    question is answered with one of its answers (`condition_errors` is empty)."""
    worst = 0
    for question in questionnaire.questions:
        answer = question.answer(answers.get(question.name))
        if answer is None:
            raise ValueError(f"unanswered or unknown answer: {question.name}")
        worst = max(worst, GRADE_ORDER.index(answer.cap))
    return GRADE_ORDER[worst]


def attribute_errors(questionnaire: Questionnaire, attributes: dict) -> dict[str, str]:
    """Per attribute name: "missing", "invalid" or "unknown" (a name the questionnaire does not ask)."""
    errors: dict[str, str] = {}
    for name in attributes:
        if questionnaire.attribute(name) is None:
            errors[name] = "unknown"
    for attribute in questionnaire.attributes:
        try:
            attribute.clean(attributes.get(attribute.name))
        except ValueError as error:
            errors[attribute.name] = str(error)
    return errors


def clean_attributes(questionnaire: Questionnaire, attributes: dict) -> dict[str, str]:
    """The attributes as stored: every asked name, blank optional answers left out. Caller has
    checked `attribute_errors`."""
    cleaned = {}
    for attribute in questionnaire.attributes:
        value = attribute.clean(attributes.get(attribute.name))
        if value:
            cleaned[attribute.name] = value
    return cleaned


def condition_errors(questionnaire: Questionnaire, answers: dict) -> dict[str, str]:
    """Per question name: "missing", "invalid" or "unknown"."""
    errors: dict[str, str] = {}
    for name in answers:
        if questionnaire.question(name) is None:
            errors[name] = "unknown"
    for question in questionnaire.questions:
        value = answers.get(question.name)
        if value in (None, ""):
            errors[question.name] = "missing"
        elif question.answer(value) is None:
            errors[question.name] = "invalid"
    return errors


# --- Building blocks ---------------------------------------------------------------------------------

YES_NO = (Option("yes", _("Yes")), Option("no", _("No")))


def _yes_no(name: str, label: StrOrPromise, help_text: StrOrPromise = "") -> Attribute:
    return Attribute(name, label, YES_NO, help_text=help_text)


def _text(
    name: str, label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = ""
) -> Attribute:
    return Attribute(name, label, required=required, help_text=help_text)


def _size_option(size: str) -> Option:
    """An amount such as "128 GB", found in a model's name written "128GB" or "128 GB" but not as
    the end of another number ("1128GB") or inside a word."""
    amount, unit = size.split()
    return Option(size, size, in_model_name=rf"(?<![\d.]){re.escape(amount)}\s?{unit}\b")


def _storage(*sizes: str) -> Attribute:
    return Attribute("storage", _("Storage"), tuple(_size_option(size) for size in sizes))


# Colour words a model's name may carry ("iPhone 13 128GB Midnight", "AirPods Max Sky Blue"), with
# one qualifier before them at most.
COLOUR_IN_NAME = re.compile(
    r"\b(?:(?:light|dark|deep|space|sierra|pacific|alpine|sky|rose|natural)\s+)?"
    r"(?:black|white|grey|gray|silver|gold|blue|red|green|pink|purple|yellow|orange|brown|beige|navy|"
    r"graphite|starlight|midnight)\b",
    re.IGNORECASE,
)


def colour_in_model_name(model_name: str) -> str:
    """The colour a model's name states, as it states it; "" for none, or for two different ones."""
    found = {match.group(0).title() for match in COLOUR_IN_NAME.finditer(model_name)}
    return found.pop() if len(found) == 1 else ""


# A figure with its unit ("300M" of water resistance, "5L", "1.5HP"), which is no reference.
MEASURE = re.compile(r"\d+(?:\.\d+)?(?:M|MM|CM|L|KG|G|GB|TB|HP|W|V|MAH)")


def reference_in_model_name(model_name: str) -> str:
    """A maker's reference or model number in a model's name: one word of capitals, digits, dots and
    hyphens with at least two digits, either with a letter ("126610LN", "SRPB43", "KFR-35GW") or of
    five digits or more ("126334", "310.30.42.50.01.001"), and not a measure ("300M"). "" for none,
    or for two different ones."""
    found = set()
    for word in model_name.split():
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9.\-]*[A-Z0-9]", word) or MEASURE.fullmatch(word):
            continue
        digits = sum(character.isdigit() for character in word)
        has_letter = any(character.isalpha() for character in word)
        if (has_letter and digits >= 2 and len(word) >= 4) or (not has_letter and digits >= 5):
            found.add(word)
    return found.pop() if len(found) == 1 else ""


COLOUR = Attribute(
    "colour",
    _("Colour"),
    help_text=_("As the maker names it, if you know, e.g. Sierra Blue."),
    from_model_name=colour_in_model_name,
)
COLOUR_OPTIONAL = Attribute("colour", _("Colour"), required=False, from_model_name=colour_in_model_name)
ACCESSORIES = _text(
    "accessories",
    _("What comes with it"),
    required=False,
    help_text=_("Charger, cables, case, box… leave empty if nothing."),
)

USAGE = Question(
    "usage",
    _("How much has it been used?"),
    (
        Answer("never", _("Never used, still with tags or sealed"), Grade.NEW),
        Answer("briefly", _("Used a few times, no marks at all"), Grade.LIKE_NEW),
        Answer("light", _("Lightly used, faint marks only up close"), Grade.EXCELLENT),
        Answer("regular", _("Used regularly, light wear you can see"), Grade.VERY_GOOD),
        Answer("worn", _("Clearly used: scratches, scuffs or fading"), Grade.GOOD),
        Answer("heavy", _("Heavily used or has small faults"), Grade.FAIR),
    ),
)

WORKS = Question(
    "works",
    _("Does everything work as it should?"),
    (
        Answer("all", _("Yes, everything works"), Grade.NEW),
        Answer("minor", _("A small fault (a sticky button, a weak speaker…)"), Grade.GOOD),
        Answer("fault", _("Something does not work"), Grade.FAIR),
    ),
)

BODY_MARKS = Question(
    "body",
    _("Any scratches or dents on the body?"),
    (
        Answer("none", _("None"), Grade.NEW),
        Answer("light", _("Light scratches, visible only up close"), Grade.EXCELLENT),
        Answer("visible", _("Scratches you can see at arm's length"), Grade.GOOD),
        Answer("dents", _("Dents, chips or deep scratches"), Grade.FAIR),
    ),
)

BATTERY = Question(
    "battery",
    _("Battery health?"),
    (
        Answer("90", _("At least 90%"), Grade.NEW),
        Answer("85", _("85 to 89%"), Grade.EXCELLENT),
        Answer("80", _("80 to 84%"), Grade.VERY_GOOD),
        Answer("below_80", _("Below 80%, or it says “Service”"), Grade.GOOD),
        Answer("unknown", _("I don't know"), Grade.VERY_GOOD),
    ),
    help_text=_("On an iPhone: Settings, Battery, Battery Health. On a laptop: the system report."),
)

SCREEN_CRACKS = Question(
    "screen_cracks",
    _("Does the screen have cracks?"),
    (
        Answer("no", _("No"), Grade.NEW),
        Answer("edge_chip", _("A small chip at the edge"), Grade.GOOD),
        Answer("yes", _("Yes, it is cracked"), Grade.FAIR),
    ),
)

SCREEN_MARKS = Question(
    "screen_marks",
    _("Scratches or spots on the screen?"),
    (
        Answer("none", _("None"), Grade.NEW),
        Answer("light", _("Light scratches, visible only when the screen is off"), Grade.EXCELLENT),
        Answer("visible", _("Scratches you can see while using it"), Grade.GOOD),
        Answer("spots", _("Dead pixels, bright spots or burn-in"), Grade.FAIR),
    ),
)

REPAIRS = Question(
    "repairs",
    _("Has it ever been repaired?"),
    (
        Answer("never", _("Never"), Grade.NEW),
        Answer("official", _("Yes, by the brand's own service"), Grade.VERY_GOOD),
        Answer("other", _("Yes, somewhere else, or I don't know"), Grade.GOOD),
    ),
)

STAINS_ODOUR = Question(
    "stains_odour",
    _("Any stains or odour?"),
    (
        Answer("none", _("None"), Grade.NEW),
        Answer("faint", _("Faint, hard to see"), Grade.VERY_GOOD),
        Answer("visible", _("Yes, visible stains or a smell (smoke, perfume, pets)"), Grade.FAIR),
    ),
)

PHOTO_FRONT = PhotoView(
    "front", _("Front"), _("The whole item from the front, in daylight, filling the frame.")
)
PHOTO_BACK = PhotoView(
    "back", pgettext_lazy("photo view", "Back"), _("The whole item from the back, so marks and wear show.")
)

# --- Questionnaires by leaf category slug ------------------------------------------------------------

PHONE_PHOTOS = (
    PhotoView("front", _("Front"), _("The phone switched off, face up, so the glass and its edges show.")),
    PhotoView(
        "back",
        pgettext_lazy("photo view", "Back"),
        _("The back with the camera, in daylight, so any scratches show."),
    ),
    PhotoView(
        "screen_on",
        _("Screen on"),
        _("The screen on a white page at full brightness: spots and burn-in show."),
    ),
)

PHONES = Questionnaire(
    slug="phones",
    attributes=(
        _storage("64 GB", "128 GB", "256 GB", "512 GB", "1 TB"),
        COLOUR,
        Attribute(
            "carrier_lock",
            _("Carrier lock"),
            (
                Option("unlocked", _("Unlocked: works with any carrier")),
                Option("locked", _("Locked to one carrier")),
                Option("unknown", _("I'm not sure")),
            ),
        ),
        _yes_no("account_removed", _("Signed out of your account (Find My, Mi or Huawei ID)?")),
        ACCESSORIES,
    ),
    questions=(USAGE, SCREEN_CRACKS, SCREEN_MARKS, BODY_MARKS, BATTERY, WORKS, REPAIRS),
    photo_views=PHONE_PHOTOS,
)

TABLETS = Questionnaire(
    slug="tablets",
    attributes=(
        _storage("64 GB", "128 GB", "256 GB", "512 GB", "1 TB", "2 TB"),
        Attribute(
            "connectivity",
            _("Connectivity"),
            (
                # "Wi-Fi" alone; "Wi-Fi + Cellular" is the other option.
                Option("wifi", _("Wi-Fi"), in_model_name=r"\bwi-?fi\b(?!\s*\+)"),
                Option("cellular", _("Wi-Fi + cellular"), in_model_name=r"\b(?:cellular|5G|LTE)\b"),
            ),
        ),
        COLOUR,
        _yes_no("account_removed", _("Signed out of your account (Find My, Mi or Huawei ID)?")),
        ACCESSORIES,
    ),
    questions=(USAGE, SCREEN_CRACKS, SCREEN_MARKS, BODY_MARKS, BATTERY, WORKS),
    photo_views=(
        PhotoView("front", _("Front"), _("The tablet switched off, face up, so the glass shows.")),
        PhotoView("back", pgettext_lazy("photo view", "Back"), _("The back with the camera, in daylight.")),
        PhotoView("screen_on", _("Screen on"), _("The screen on a white page at full brightness.")),
    ),
)

LAPTOPS = Questionnaire(
    slug="laptops",
    attributes=(
        _text("cpu", _("Processor"), help_text=_("e.g. Apple M2, Intel Core i7-1260P.")),
        Attribute(
            "ram",
            _("Memory (RAM)"),
            tuple(
                _size_option(size) for size in ("8 GB", "16 GB", "18 GB", "24 GB", "32 GB", "36 GB", "64 GB")
            ),
        ),
        _storage("256 GB", "512 GB", "1 TB", "2 TB", "4 TB"),
        _yes_no("charger", _("Comes with its charger?")),
        ACCESSORIES,
    ),
    questions=(
        USAGE,
        SCREEN_CRACKS,
        SCREEN_MARKS,
        Question(
            "keyboard",
            _("Keyboard and trackpad?"),
            (
                Answer("fine", _("Every key and the trackpad work, no shine"), Grade.NEW),
                Answer("shiny", _("They work; some keys are shiny or worn"), Grade.VERY_GOOD),
                Answer("faulty", _("A key or the trackpad does not work"), Grade.FAIR),
            ),
        ),
        BODY_MARKS,
        BATTERY,
        WORKS,
    ),
    photo_views=(
        PhotoView("lid", _("Lid"), _("The closed laptop from above, so the lid and its corners show.")),
        PhotoView("keyboard", _("Keyboard"), _("The open laptop from above: keyboard and trackpad.")),
        PhotoView("screen_on", _("Screen on"), _("The screen on a white page at full brightness.")),
    ),
)

CAMERAS = Questionnaire(
    slug="cameras",
    attributes=(
        Attribute(
            "kit",
            _("What you are selling"),
            (
                Option("body", _("Body only"), in_model_name=r"\bbody\b"),
                Option("kit", _("Body with lens"), in_model_name=r"\bkit\b"),
                Option("lens", _("Lens only")),
                Option("other", _("Other (drone, action camera…)")),
            ),
        ),
        _text("shutter_count", _("Shutter count"), required=False, help_text=_("If you know it.")),
        ACCESSORIES,
    ),
    questions=(
        USAGE,
        Question(
            "lens_glass",
            _("Lens and sensor glass?"),
            (
                Answer("clear", _("Clear"), Grade.NEW),
                Answer("dust", _("A little dust inside"), Grade.EXCELLENT),
                Answer("damaged", _("Scratches, fungus or haze"), Grade.FAIR),
            ),
        ),
        BODY_MARKS,
        WORKS,
    ),
    photo_views=(
        PhotoView("front", _("Front"), _("The front with the lens or mount, in daylight.")),
        PhotoView("back", pgettext_lazy("photo view", "Back"), _("The back with its screen and controls.")),
        PhotoView("top", _("Top"), _("The top plate, dials and hot shoe.")),
    ),
)

GAME_CONSOLES = Questionnaire(
    slug="game-consoles",
    attributes=(
        _storage("32 GB", "64 GB", "512 GB", "825 GB", "1 TB", "2 TB"),
        Attribute(
            "controllers",
            _("Controllers included"),
            (Option("0", _("None")), Option("1", "1"), Option("2", _("2 or more"))),
        ),
        ACCESSORIES,
    ),
    questions=(
        USAGE,
        Question(
            "drift",
            _("Do the controllers drift or stick?"),
            (
                Answer("no", _("No"), Grade.NEW),
                Answer("some", _("A little"), Grade.GOOD),
                Answer("yes", _("Yes, clearly"), Grade.FAIR),
            ),
        ),
        BODY_MARKS,
        WORKS,
    ),
    photo_views=(PHOTO_FRONT, PHOTO_BACK),
)

BAGS = Questionnaire(
    slug="bags",
    attributes=(
        Attribute(
            "size",
            _("Size"),
            (
                # Louis Vuitton's sizes are letters: BB, PM, MM and GM (upper case only).
                Option("mini", _("Mini"), in_model_name=r"\b(?:mini|nano|(?-i:BB))\b"),
                Option("small", _("Small"), in_model_name=r"\b(?:small|(?-i:PM))\b"),
                Option("medium", _("Medium"), in_model_name=r"\b(?:medium|(?-i:MM))\b"),
                Option("large", _("Large"), in_model_name=r"\b(?:large|(?-i:GM))\b"),
            ),
        ),
        Attribute(
            "material",
            _("Material"),
            (
                Option("coated_canvas", _("Coated canvas"), in_model_name=r"\b(?:monogram|damier)\b"),
                Option(
                    "leather",
                    _("Leather"),
                    in_model_name=r"\b(?:leather|caviar|lambskin|calfskin|togo|cl[eé]mence|epsom|matelass[eé])\b",
                ),
                Option("canvas", _("Canvas or fabric")),
                Option("exotic", _("Exotic leather")),
                Option("other", _("Other")),
            ),
        ),
        COLOUR,
        _yes_no("dust_bag", _("Comes with its dust bag?")),
        _yes_no("receipt", _("Comes with the receipt?")),
        _text(
            "date_code",
            _("Date code or serial"),
            required=False,
            help_text=_("Inside, on a leather tab or a label."),
        ),
    ),
    questions=(
        USAGE,
        Question(
            "corners",
            _("Wear on the corners?"),
            (
                Answer("none", _("None"), Grade.NEW),
                Answer("light", _("Light rubbing"), Grade.EXCELLENT),
                Answer("visible", _("Visible wear or scuffs"), Grade.GOOD),
                Answer("holes", _("Holes or peeling"), Grade.FAIR),
            ),
        ),
        Question(
            "handles",
            _("Handles and straps?"),
            (
                Answer("like_new", _("Like new"), Grade.NEW),
                Answer("patina", _("Darkened with use (patina)"), Grade.VERY_GOOD),
                Answer("cracked", _("Cracked, frayed or repaired"), Grade.FAIR),
            ),
        ),
        Question(
            "interior",
            _("Inside the bag?"),
            (
                Answer("clean", _("Clean"), Grade.NEW),
                Answer("light", _("Light marks"), Grade.EXCELLENT),
                Answer("stained", _("Stains, pen marks or a smell"), Grade.GOOD),
            ),
        ),
        Question(
            "hardware",
            _("Metal parts (zips, clasps, feet)?"),
            (
                Answer("shiny", _("Shiny, no scratches"), Grade.NEW),
                Answer("light", _("Light scratches"), Grade.EXCELLENT),
                Answer("worn", _("Worn plating or tarnish"), Grade.GOOD),
            ),
        ),
    ),
    photo_views=(
        PhotoView("front", _("Front"), _("The whole bag from the front, standing, in daylight.")),
        PhotoView("base", _("Base"), _("The bottom of the bag, so the corners show.")),
        PhotoView("interior", _("Interior"), _("Inside the bag, opened wide, with the lining.")),
        PhotoView(
            "date_code", _("Date code or serial"), _("A close-up of the date code, serial tag or heat stamp.")
        ),
    ),
)

WATCHES = Questionnaire(
    slug="watches",
    attributes=(
        Attribute(
            "reference",
            _("Reference number"),
            help_text=_("On the papers, or between the lugs, e.g. 126610LN."),
            from_model_name=reference_in_model_name,
        ),
        Attribute(
            "movement",
            _("Movement"),
            (
                Option("automatic", _("Automatic")),
                Option("manual", _("Hand-wound")),
                Option("quartz", _("Quartz (battery)")),
                Option("smart", _("Smartwatch")),
            ),
        ),
        _text("case_size", _("Case size"), required=False, help_text=_("In millimetres, e.g. 41.")),
        _yes_no("box", _("Comes with its box?")),
        _yes_no("papers", _("Comes with its papers (warranty card)?")),
    ),
    questions=(
        USAGE,
        Question(
            "crystal",
            _("The glass over the dial?"),
            (
                Answer("clear", _("No scratches"), Grade.NEW),
                Answer("light", _("Light scratches"), Grade.EXCELLENT),
                Answer("chipped", _("Chipped or cracked"), Grade.FAIR),
            ),
        ),
        Question(
            "case",
            _("Case and bracelet?"),
            (
                Answer("none", _("No marks"), Grade.NEW),
                Answer("light", _("Light scratches"), Grade.EXCELLENT),
                Answer("visible", _("Clear scratches"), Grade.GOOD),
                Answer("dents", _("Dents or deep scratches"), Grade.FAIR),
            ),
        ),
        Question(
            "timekeeping",
            _("Does it keep time?"),
            (
                Answer("yes", _("Yes"), Grade.NEW),
                Answer("drifts", _("It runs fast or slow"), Grade.GOOD),
                Answer("stopped", _("It does not run"), Grade.FAIR),
            ),
        ),
        REPAIRS,
    ),
    photo_views=(
        PhotoView("dial", _("Dial"), _("The dial straight on, hands and markers sharp.")),
        PhotoView("case_back", _("Case back"), _("The back of the case, with its engravings.")),
        PhotoView("clasp", _("Clasp"), _("The clasp or buckle, with its logo.")),
        PhotoView("papers", _("Papers"), _("The warranty card or papers, open."), only_if=("papers", "yes")),
    ),
)

JEWELRY = Questionnaire(
    slug="jewelry",
    attributes=(
        Attribute(
            "metal",
            _("Metal"),
            (
                Option("yellow_gold", _("Yellow gold"), in_model_name=r"\byellow gold\b"),
                Option("white_gold", _("White gold"), in_model_name=r"\bwhite gold\b"),
                Option("rose_gold", _("Rose gold"), in_model_name=r"\brose gold\b"),
                Option("platinum", _("Platinum"), in_model_name=r"\bplatinum\b"),
                Option("silver", _("Silver"), in_model_name=r"\bsilver\b"),
                Option("other", _("Other")),
            ),
        ),
        _text("stone", _("Main stone"), required=False, help_text=_("e.g. diamond, 0.5 ct.")),
        _text("size", _("Size"), required=False, help_text=_("Ring size or chain length.")),
        _yes_no("box_papers", _("Comes with box or certificate?")),
    ),
    questions=(
        USAGE,
        Question(
            "stones",
            _("Are all stones there and secure?"),
            (
                Answer("secure", _("Yes, or it has no stones"), Grade.NEW),
                Answer("loose", _("One is loose or missing"), Grade.FAIR),
            ),
        ),
        Question(
            "metal_wear",
            _("Wear on the metal?"),
            (
                Answer("none", _("Shiny, no scratches"), Grade.NEW),
                Answer("light", _("Light scratches"), Grade.EXCELLENT),
                Answer("worn", _("Bent, dented or worn"), Grade.GOOD),
            ),
        ),
        Question(
            "clasp",
            _("Does the clasp close properly?"),
            (
                Answer("yes", _("Yes, or it has none"), Grade.NEW),
                Answer("no", _("No"), Grade.FAIR),
            ),
        ),
    ),
    photo_views=(
        PHOTO_FRONT,
        PHOTO_BACK,
        PhotoView(
            "hallmark", _("Hallmark"), _("A close-up of the stamp that shows the metal and the maker.")
        ),
    ),
)

SNEAKERS = Questionnaire(
    slug="sneakers",
    attributes=(
        _text("size", _("Size"), help_text=_("As on the label, with the system, e.g. EU 42 or US 9.")),
        COLOUR,
        _yes_no("box", _("Comes with its original box?")),
    ),
    questions=(
        USAGE,
        Question(
            "soles",
            _("Wear on the soles?"),
            (
                Answer("none", _("None, never worn outside"), Grade.NEW),
                Answer("light", _("Light wear"), Grade.EXCELLENT),
                Answer("visible", _("Visible wear"), Grade.VERY_GOOD),
                Answer("worn_down", _("Worn down in places"), Grade.FAIR),
            ),
        ),
        Question(
            "uppers",
            _("Creases or scuffs on the uppers?"),
            (
                Answer("none", _("None"), Grade.NEW),
                Answer("light", _("Light creasing"), Grade.EXCELLENT),
                Answer("visible", _("Creases or scuffs"), Grade.GOOD),
            ),
        ),
        STAINS_ODOUR,
    ),
    photo_views=(
        PhotoView("side", _("Side"), _("One shoe from the side, the whole shoe in the frame.")),
        PhotoView("sole", _("Sole"), _("Both soles, so the wear shows.")),
        PhotoView("size_label", _("Size label"), _("The label inside the tongue, sharp enough to read.")),
    ),
)

CLOTHING = Questionnaire(
    slug="clothing",
    attributes=(
        Attribute(
            "size",
            _("Size"),
            (
                *(
                    Option(size, size, in_model_name=rf"\bsize\s+(?-i:{size})\b")
                    for size in ("XXS", "XS", "S", "M", "L", "XL", "XXL")
                ),
                Option("other", _("Other")),
            ),
        ),
        _text(
            "material", _("Material"), required=False, help_text=_("As on the care label, e.g. 100% wool.")
        ),
        COLOUR,
        _yes_no("tags", _("Still has its tags?")),
    ),
    questions=(
        USAGE,
        STAINS_ODOUR,
        Question(
            "holes",
            _("Holes, pilling or loose seams?"),
            (
                Answer("none", _("None"), Grade.NEW),
                Answer("pilling", _("Light pilling"), Grade.VERY_GOOD),
                Answer("holes", _("Holes, tears or loose seams"), Grade.FAIR),
            ),
        ),
        Question(
            "fading",
            _("Has the colour faded?"),
            (
                Answer("no", _("No"), Grade.NEW),
                Answer("slightly", _("Slightly"), Grade.EXCELLENT),
                Answer("clearly", _("Clearly"), Grade.GOOD),
            ),
        ),
    ),
    photo_views=(
        PhotoView("front", _("Front"), _("The whole garment laid flat or on a hanger.")),
        PhotoView("label", _("Label"), _("The brand and size label, sharp enough to read.")),
    ),
)

HOME_APPLIANCES = Questionnaire(
    slug="home-appliances",
    attributes=(
        Attribute(
            "model_number",
            _("Model number"),
            required=False,
            help_text=_("On the rating plate underneath."),
            from_model_name=reference_in_model_name,
        ),
        _yes_no("complete", _("Comes with every part and attachment?")),
        ACCESSORIES,
    ),
    questions=(USAGE, BODY_MARKS, WORKS),
    photo_views=(PHOTO_FRONT, PHOTO_BACK),
)

FURNITURE = Questionnaire(
    slug="furniture",
    attributes=(
        _text("material", _("Material"), help_text=_("e.g. solid oak, leather, metal.")),
        _text("dimensions", _("Dimensions"), help_text=_("Width, depth and height in cm.")),
    ),
    questions=(
        USAGE,
        Question(
            "structure",
            _("Is it sturdy?"),
            (
                Answer("sturdy", _("Yes"), Grade.NEW),
                Answer("wobbly", _("A little wobbly"), Grade.GOOD),
                Answer("broken", _("Something is broken"), Grade.FAIR),
            ),
        ),
        Question(
            "surfaces",
            _("Marks on the surfaces?"),
            (
                Answer("none", _("None"), Grade.NEW),
                Answer("light", _("Light marks"), Grade.EXCELLENT),
                Answer("visible", _("Scratches, rings or stains"), Grade.GOOD),
            ),
        ),
        STAINS_ODOUR,
    ),
    photo_views=(PHOTO_FRONT, PHOTO_BACK),
)

BOOKS = Questionnaire(
    slug="books",
    attributes=(
        _text("isbn", _("ISBN"), required=False, help_text=_("On the back cover, above the barcode.")),
        _text("edition", _("Edition"), required=False),
    ),
    questions=(
        USAGE,
        Question(
            "pages",
            _("The pages?"),
            (
                Answer("clean", _("Clean"), Grade.NEW),
                Answer("notes", _("Some notes or highlighting"), Grade.VERY_GOOD),
                Answer("torn", _("Torn or missing pages"), Grade.FAIR),
            ),
        ),
        Question(
            "water",
            _("Any water damage?"),
            (Answer("no", _("No"), Grade.NEW), Answer("yes", _("Yes"), Grade.FAIR)),
        ),
    ),
    photo_views=(
        PhotoView("front", _("Front cover"), _("The front cover, straight on.")),
        PhotoView("back", _("Back cover"), _("The back cover and spine.")),
    ),
)

DEFAULT = Questionnaire(
    slug="default",
    attributes=(COLOUR_OPTIONAL, ACCESSORIES),
    questions=(USAGE, BODY_MARKS, WORKS),
    photo_views=(PHOTO_FRONT, PHOTO_BACK),
)

QUESTIONNAIRES: dict[str, Questionnaire] = {
    questionnaire.slug: questionnaire
    for questionnaire in (
        PHONES,
        TABLETS,
        LAPTOPS,
        CAMERAS,
        GAME_CONSOLES,
        BAGS,
        WATCHES,
        JEWELRY,
        SNEAKERS,
        CLOTHING,
        HOME_APPLIANCES,
        FURNITURE,
        BOOKS,
    )
}


# Every photo view's label by its name, the first questionnaire's where two differ ("front" is a
# book's "Front cover"): for a view that its own questionnaire no longer lists.
VIEW_LABELS: dict[str, StrOrPromise] = {}
for _questionnaire in (*QUESTIONNAIRES.values(), DEFAULT):
    for _view in _questionnaire.photo_views:
        VIEW_LABELS.setdefault(_view.name, _view.label)


def questionnaire_for(category: Category) -> Questionnaire:
    """The questionnaire of a leaf category, by its slug; DEFAULT for a category without its own."""
    return QUESTIONNAIRES.get(category.slug, DEFAULT)
