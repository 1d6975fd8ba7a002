"""The address checks (accounts.addresses.clean_postal_address and address_errors) and the address
book's services: the default address, another user's addresses, and nothing saved on bad input."""

import dataclasses
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import example, given
from hypothesis import strategies as st

from accounts.addresses import (
    FIELDS,
    MAX_ADDRESSES,
    PostalAddress,
    address_create,
    address_delete,
    address_errors,
    address_make_default,
    address_update,
    clean_postal_address,
)
from accounts.errors import AddressError
from accounts.models import Address
from accounts.selectors import address_of, addresses_of, default_address_of
from tests.accounts.address_fixtures import HOME, WORK
from tests.factories import UserFactory


def error_of(data: dict) -> AddressError:
    with pytest.raises(AddressError) as caught:
        clean_postal_address(data)
    return caught.value


# --- The checks ------------------------------------------------------------------------------------


def test_a_typed_address_is_stored_trimmed_with_the_phone_as_digits_and_the_postcode_in_capitals():
    address = clean_postal_address(
        {
            "name": "  Zhou   Min ",
            "phone": " 138-0013 8000 ",
            "region": "\u3000浙江省",
            "city": "杭州市\t",
            "street": "西湖区\r\n文三路 18 号",
            "postcode": "sw1a 1aa",
        }
    )

    assert address == PostalAddress(
        name="Zhou Min",
        phone="13800138000",
        region="浙江省",
        city="杭州市",
        street="西湖区 文三路 18 号",
        postcode="SW1A 1AA",
    )


def full_width(text: str) -> str:
    """Digits and + as a Chinese input method types them (U+FF10 to U+FF19, U+FF0B)."""
    return text.translate({ord(character): ord(character) + 0xFEE0 for character in "0123456789+"})


def test_full_width_digits_from_a_chinese_keyboard_are_read_as_digits():
    address = clean_postal_address(
        {**HOME, "phone": full_width("138 0013 8000"), "postcode": full_width("310012")}
    )

    assert (address.phone, address.postcode) == ("13800138000", "310012")
    assert clean_postal_address({**WORK, "phone": full_width("+44 20 7946 0958")}).phone == "+442079460958"


def test_an_international_number_keeps_its_plus():
    assert clean_postal_address(WORK).phone == "+442079460958"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", [None, "", "   ", "\u3000\n"])
def test_every_field_is_required(field, value):
    error = error_of({**HOME, field: value})

    assert (error.field, error.code) == (field, f"{field}_required")
    assert error.message


def test_a_missing_key_is_a_missing_field():
    data = dict(HOME)
    del data["city"]

    assert error_of(data).code == "city_required"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\x08", "\x9b", "\ud800"])
def test_nul_and_other_control_characters_are_refused(field, character):
    value = {"phone": "138001380" + character + "00", "postcode": "310" + character + "012"}.get(
        field, "Good" + character + "text"
    )

    error = error_of({**HOME, field: value})

    assert (error.field, error.code) == (field, f"{field}_control_character")


@pytest.mark.parametrize(("field", "length"), [("name", 60), ("region", 60), ("city", 60), ("street", 200)])
def test_each_field_fits_its_column(field, length):
    assert getattr(clean_postal_address({**HOME, field: "x" * length}), field) == "x" * length

    error = error_of({**HOME, field: "x" * (length + 1)})

    assert (error.field, error.code) == (field, f"{field}_too_long")
    assert str(length) in error.message


@pytest.mark.parametrize("value", [["13800138000"], {"number": 1}, True, 1.5])
def test_a_value_that_is_not_text_is_refused(value):
    error = error_of({**HOME, "phone": value})

    assert (error.field, error.code) == ("phone", "phone_invalid")


def test_a_number_sent_as_a_json_number_is_read_as_its_digits():
    address = clean_postal_address({**HOME, "phone": 13800138000, "postcode": 310012})

    assert (address.phone, address.postcode) == ("13800138000", "310012")


def test_address_errors_names_every_field_at_fault_and_clean_raises_the_first():
    data = {**HOME, "phone": "12345", "city": "", "postcode": "31 00 12"}

    errors = address_errors(data)

    assert list(errors) == ["phone", "city", "postcode"]
    assert all(errors.values())
    first = error_of(data)
    assert (first.field, first.code, first.message) == ("phone", "phone_invalid", errors["phone"])


def test_a_good_address_has_no_errors():
    assert address_errors(HOME) == {}
    assert address_errors(WORK) == {}


def test_keys_other_than_the_six_fields_are_ignored():
    assert clean_postal_address({**HOME, "is_default": "yes", "user": 7}).as_dict() == HOME


def test_the_label_prints_name_phone_street_city_and_region_then_postcode():
    assert clean_postal_address(HOME).lines() == (
        "Zhou Min",
        "13800138000",
        "18 Wensan Road, Xihu District, Room 502",
        "Hangzhou, Zhejiang",
        "310012",
    )


def test_a_city_that_is_its_own_province_is_printed_once_and_chinese_needs_no_comma():
    shanghai = clean_postal_address({**HOME, "region": "Shanghai", "city": "shanghai"})
    hangzhou = clean_postal_address({**HOME, "region": "浙江省", "city": "杭州市"})

    assert shanghai.lines()[3] == "shanghai"
    assert hangzhou.lines()[3] == "杭州市 浙江省"


def test_a_postal_address_cannot_be_changed_once_made():
    address = clean_postal_address(HOME)

    with pytest.raises(dataclasses.FrozenInstanceError):
        address.phone = "13900139000"  # type: ignore[misc]
    assert address.as_dict() == HOME


# --- Phone and postcode rules, over many inputs -----------------------------------------------------

SEPARATORS = st.sampled_from(["", "", "", " ", "-", " - "])


def typed(digits: str, separators: list[str]) -> str:
    """The digits as a person might type them, with spaces and dashes between some of them."""
    return (
        "".join(digit + separator for digit, separator in zip(digits, separators, strict=False))
        + digits[len(separators) :]
    )


@given(
    digits=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    separators=st.lists(SEPARATORS, max_size=10),
)
@example(digits="13800138000", separators=[" ", "-"])
def test_any_mainland_mobile_number_is_accepted_and_stored_as_its_digits(digits, separators):
    assert clean_postal_address({**HOME, "phone": typed(digits, separators)}).phone == digits


@given(
    digits=st.from_regex(r"[0-9]{7,15}", fullmatch=True),
    separators=st.lists(SEPARATORS, max_size=14),
)
def test_any_international_number_of_7_to_15_digits_is_accepted(digits, separators):
    assert clean_postal_address({**HOME, "phone": "+" + typed(digits, separators)}).phone == "+" + digits


@given(
    phone=st.one_of(
        st.from_regex(r"1[0-2][0-9]{9}", fullmatch=True),  # no mainland mobile starts 10, 11 or 12
        st.from_regex(r"1[3-9][0-9]{0,8}", fullmatch=True),  # too short
        st.from_regex(r"1[3-9][0-9]{10,18}", fullmatch=True),  # too long
        st.from_regex(r"[02-9][0-9]{10}", fullmatch=True),  # a landline or anything else without +
        st.from_regex(r"\+[0-9]{0,6}", fullmatch=True),  # + with too few digits
        st.from_regex(r"\+[0-9]{16,20}", fullmatch=True),  # + with too many digits
        st.from_regex(r"\+?1[3-9][0-9]{4}[A-Za-z()#*.][0-9]{4}", fullmatch=True),  # not only digits
        st.from_regex(r"1[3-9][0-9]{8}\+[0-9]", fullmatch=True),  # + not at the start
    )
)
@example(phone="٠١٣٨٠٠١٣٨٠٠٠")  # Arabic-Indic digits
def test_anything_else_is_not_a_phone_number(phone):
    error = error_of({**HOME, "phone": phone})

    assert (error.field, error.code) == ("phone", "phone_invalid")


@given(
    postcode=st.one_of(
        st.from_regex(r"[A-Za-z0-9]{3,10}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9]{1,5}[ -][A-Za-z0-9]{1,4}", fullmatch=True).filter(lambda p: len(p) >= 3),
    )
)
@example(postcode="200000")  # Shanghai
@example(postcode="12345-6789")  # a ZIP+4 code
@example(postcode="k1a 0b1")  # Canada
@example(postcode="1234 AB")  # the Netherlands
def test_letters_and_digits_with_at_most_one_space_or_dash_are_a_postcode(postcode):
    assert clean_postal_address({**HOME, "postcode": postcode}).postcode == postcode.upper()


@given(
    postcode=st.one_of(
        st.from_regex(r"[A-Za-z0-9]{1,2}", fullmatch=True),  # too short
        st.from_regex(r"[A-Za-z0-9]{11,15}", fullmatch=True),  # too long
        st.from_regex(r"[A-Za-z0-9]{1,3}[ -][A-Za-z0-9]{1,2}[ -][A-Za-z0-9]{1,3}", fullmatch=True),  # two
        st.from_regex(r"[A-Za-z0-9]{2,4}[-]{2}[A-Za-z0-9]{2,4}", fullmatch=True),  # a double dash
        st.from_regex(r"(-[A-Za-z0-9]{3,8}|[A-Za-z0-9]{3,8}-)", fullmatch=True),  # a dash at an end
        st.from_regex(r"[0-9]{2,4}[#/.,_+éßı中][0-9]{2,4}", fullmatch=True),  # other characters
    )
)
def test_anything_else_is_not_a_postcode(postcode):
    error = error_of({**HOME, "postcode": postcode})

    assert (error.field, error.code) == ("postcode", "postcode_invalid")


@given(
    name=st.text(min_size=1, max_size=70),
    street=st.text(min_size=1, max_size=210),
    phone=st.text(alphabet="0123456789 -+" + full_width("13+"), max_size=20),
    postcode=st.text(alphabet="0123456789abcXYZ -", max_size=12),
)
def test_cleaning_is_all_or_nothing_and_a_cleaned_address_cleans_to_itself(name, street, phone, postcode):
    data = {**HOME, "name": name, "street": street, "phone": phone, "postcode": postcode}
    errors = address_errors(data)
    try:
        address = clean_postal_address(data)
    except AddressError as error:
        assert errors[error.field] == error.message
        return
    assert errors == {}
    assert clean_postal_address(address.as_dict()) == address
    assert all(value == value.strip() and value for value in address.as_dict().values())


# --- The address book -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_users_first_address_is_their_default_and_a_later_one_is_not_unless_asked():
    user = UserFactory()

    home = address_create(user=user, data=HOME)
    work = address_create(user=user, data=WORK)

    assert home.is_default
    assert not work.is_default
    assert default_address_of(user) == home
    assert [address.pk for address in addresses_of(user)] == [home.pk, work.pk]


@pytest.mark.django_db
def test_a_new_address_made_default_takes_over_from_the_old_one():
    user = UserFactory()
    home = address_create(user=user, data=HOME)

    work = address_create(user=user, data=WORK, make_default=True)

    assert default_address_of(user) == work
    assert Address.objects.filter(user=user, is_default=True).count() == 1
    home.refresh_from_db()
    assert not home.is_default


@pytest.mark.django_db
def test_the_book_lists_the_default_first_then_the_newest():
    user = UserFactory()
    first = address_create(user=user, data=HOME)
    second = address_create(user=user, data=WORK)
    third = address_create(user=user, data={**HOME, "name": "Chen Jing"})

    assert [address.pk for address in addresses_of(user)] == [first.pk, third.pk, second.pk]


@pytest.mark.django_db
def test_the_address_is_saved_as_cleaned_with_the_language_it_is_written_in():
    user = UserFactory()

    home = address_create(user=user, data={**HOME, "phone": "138 0013 8000", "postcode": " 310012 "})
    work = address_create(user=user, data=WORK)

    home.refresh_from_db()
    assert (home.phone, home.postcode, home.language) == ("13800138000", "310012", "en")
    work.refresh_from_db()
    assert (work.postcode, work.language) == ("EC2R 8EJ", "zh-hans")
    assert work.postal == clean_postal_address(WORK)


@pytest.mark.django_db
def test_bad_input_saves_nothing():
    user = UserFactory()

    with pytest.raises(AddressError) as caught:
        address_create(user=user, data={**HOME, "phone": "110"})

    assert caught.value.field == "phone"
    assert not Address.objects.exists()


@pytest.mark.django_db
def test_an_update_changes_the_fields_given_and_keeps_the_default():
    user = UserFactory()
    home = address_create(user=user, data=HOME)

    updated = address_update(user=user, address_id=home.pk, data={"street": " 20 Wensan Road ", "city": "Hz"})

    home.refresh_from_db()
    assert (home.street, home.city, home.name, home.phone) == (
        "20 Wensan Road",
        "Hz",
        "Zhou Min",
        "13800138000",
    )
    assert home.is_default
    assert updated.street == "20 Wensan Road"


@pytest.mark.django_db
def test_a_bad_update_changes_nothing():
    user = UserFactory()
    home = address_create(user=user, data=HOME)

    with pytest.raises(AddressError) as caught:
        address_update(user=user, address_id=home.pk, data={**WORK, "postcode": "?"})

    assert (caught.value.field, caught.value.code) == ("postcode", "postcode_invalid")
    home.refresh_from_db()
    assert home.postal.as_dict() == HOME


@pytest.mark.django_db
def test_deleting_the_default_makes_the_newest_address_left_the_default():
    user = UserFactory()
    home = address_create(user=user, data=HOME)
    older = address_create(user=user, data=WORK)
    newer = address_create(user=user, data={**HOME, "name": "Chen Jing"})

    after = address_delete(user=user, address_id=home.pk)

    assert after == newer
    assert default_address_of(user) == newer
    assert set(Address.objects.filter(user=user).values_list("pk", flat=True)) == {older.pk, newer.pk}


@pytest.mark.django_db
def test_deleting_another_address_keeps_the_default_and_deleting_the_last_leaves_none():
    user = UserFactory()
    home = address_create(user=user, data=HOME)
    work = address_create(user=user, data=WORK)

    assert address_delete(user=user, address_id=work.pk) == home
    assert default_address_of(user) == home
    assert address_delete(user=user, address_id=home.pk) is None
    assert default_address_of(user) is None
    assert addresses_of(user) == []


@pytest.mark.django_db
def test_making_an_address_the_default_moves_the_default():
    user = UserFactory()
    home = address_create(user=user, data=HOME)
    work = address_create(user=user, data=WORK)

    assert address_make_default(user=user, address_id=work.pk).is_default
    assert default_address_of(user) == work
    assert address_make_default(user=user, address_id=work.pk) == work  # again: nothing changes
    assert list(Address.objects.filter(user=user, is_default=True)) == [work]
    home.refresh_from_db()
    assert not home.is_default


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action",
    [
        lambda user, pk: address_update(user=user, address_id=pk, data=WORK),
        lambda user, pk: address_delete(user=user, address_id=pk),
        lambda user, pk: address_make_default(user=user, address_id=pk),
        lambda user, pk: address_of(user, pk),
    ],
    ids=["update", "delete", "make_default", "read"],
)
def test_another_users_address_is_the_same_as_a_missing_one(action):
    owner, stranger = UserFactory(), UserFactory()
    theirs = address_create(user=owner, data=HOME)
    address_create(user=stranger, data=WORK)  # the stranger's own book, untouched either way

    for address_id in (theirs.pk, theirs.pk + 1000):
        with pytest.raises(Address.DoesNotExist):
            action(stranger, address_id)

    theirs.refresh_from_db()
    assert theirs.postal.as_dict() == HOME
    assert theirs.is_default
    assert Address.objects.filter(user=stranger, is_default=True).count() == 1


@pytest.mark.django_db
def test_a_full_address_book_takes_no_more():
    user = UserFactory()
    for number in range(MAX_ADDRESSES):
        address_create(user=user, data={**HOME, "name": f"Person {number}"})

    with pytest.raises(AddressError) as caught:
        address_create(user=user, data=WORK, make_default=True)

    assert caught.value.code == "too_many_addresses"
    assert Address.objects.filter(user=user).count() == MAX_ADDRESSES
    assert default_address_of(user).name == "Person 0"


@pytest.mark.django_db
def test_the_database_refuses_a_second_default_for_one_user():
    user = UserFactory()
    address_create(user=user, data=HOME)

    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.create(user=user, is_default=True, **WORK)
    Address.objects.create(user=UserFactory(), is_default=True, **WORK)  # another user's default is fine


@pytest.mark.postgres
# serialized_rollback: the database is put back as migrations left it (content types included), as
# the other tests that commit for real expect to find it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_addresses_saved_at_once_leave_exactly_one_default():
    user = UserFactory()
    threads_count = 4
    start = threading.Barrier(threads_count)
    answers: list = [None] * threads_count

    def save(index: int) -> None:
        try:
            start.wait(30)
            answers[index] = address_create(user=user, data={**HOME, "name": f"Person {index}"})
        except Exception as error:  # kept to be shown by the assertion below
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(index,)) for index in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert all(isinstance(answer, Address) for answer in answers), answers
    assert Address.objects.filter(user=user).count() == threads_count
    assert Address.objects.filter(user=user, is_default=True).count() == 1
