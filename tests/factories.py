"""factory_boy factories shared by every app's tests."""

from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from listings.models import Brand, CatalogModel, Category, Grade, Listing, ListingSource, ListingStatus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Sequence(lambda n: f"Seller {n}")
    city = "Shanghai"
    password = factory.django.Password("a-long-test-password")
    # Confirmed, as an account that buys and sells is; tests of confirmation pass None.
    email_confirmed_at = factory.LazyFunction(timezone.now)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    name_zh = factory.Sequence(lambda n: f"类目{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    parent = None


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class CatalogModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogModel

    brand = factory.SubFactory(BrandFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Model {n}")
    launch_price = Decimal("5999.00")
    launch_year = 2023


class ListingFactory(factory.django.DjangoModelFactory):
    """An active listing, on sale in the channel."""

    class Meta:
        model = Listing

    seller = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Listing {n}")
    description = "Works perfectly, light marks on the back."
    category = factory.SubFactory(CategoryFactory)
    brand = factory.SubFactory(BrandFactory)
    price = Decimal("1299.00")
    grade = Grade.EXCELLENT
    status = ListingStatus.ACTIVE
    source = ListingSource.PERSON
    published_at = factory.LazyFunction(timezone.now)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A submission as the seller left it after describing the item (draft)."""

    class Meta:
        model = "recycling.Submission"

    seller = factory.SubFactory(UserFactory)
    category = factory.SubFactory(CategoryFactory)
    brand = factory.SubFactory(BrandFactory)
    title = factory.Sequence(lambda n: f"Submitted item {n}")
    declared_grade = Grade.VERY_GOOD


class InspectionFactory(factory.django.DjangoModelFactory):
    """A received item waiting in the inspection queue."""

    class Meta:
        model = "inspection.Inspection"

    subject_code = factory.Sequence(lambda n: f"RLTEST{n:04d}")
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Inspected item {n}")
    declared_grade = Grade.VERY_GOOD
