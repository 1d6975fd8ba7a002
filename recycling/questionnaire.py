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
"""

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


@dataclass(frozen=True)
class Attribute:
    """A fact about the item: a choice among options, or short free text when options are empty."""

    name: str
    label: StrOrPromise
    options: tuple[Option, ...] = ()
    required: bool = True
    help_text: StrOrPromise = ""

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


def _storage(*sizes: str) -> Attribute:
    return Attribute(
        "storage",
        _("Storage"),
        tuple(Option(size, size) for size in sizes),
    )


COLOUR = _text("colour", _("Colour"), help_text=_("As the maker names it, if you know, e.g. Sierra Blue."))
COLOUR_OPTIONAL = _text("colour", _("Colour"), required=False)
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
            (Option("wifi", _("Wi-Fi")), Option("cellular", _("Wi-Fi + cellular"))),
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
                Option(size, size) for size in ("8 GB", "16 GB", "18 GB", "24 GB", "32 GB", "36 GB", "64 GB")
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
                Option("body", _("Body only")),
                Option("kit", _("Body with lens")),
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
                Option("mini", _("Mini")),
                Option("small", _("Small")),
                Option("medium", _("Medium")),
                Option("large", _("Large")),
            ),
        ),
        Attribute(
            "material",
            _("Material"),
            (
                Option("coated_canvas", _("Coated canvas")),
                Option("leather", _("Leather")),
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
        _text(
            "reference",
            _("Reference number"),
            help_text=_("On the papers, or between the lugs, e.g. 126610LN."),
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
                Option("yellow_gold", _("Yellow gold")),
                Option("white_gold", _("White gold")),
                Option("rose_gold", _("Rose gold")),
                Option("platinum", _("Platinum")),
                Option("silver", _("Silver")),
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
                *(Option(size, size) for size in ("XXS", "XS", "S", "M", "L", "XL", "XXL")),
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
        _text(
            "model_number", _("Model number"), required=False, help_text=_("On the rating plate underneath.")
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


def questionnaire_for(category: Category) -> Questionnaire:
    """The questionnaire of a leaf category, by its slug; DEFAULT for a category without its own."""
    return QUESTIONNAIRES.get(category.slug, DEFAULT)
