from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from operations.staff_menu import desks_for


def staff_menu(request: HttpRequest) -> dict:
    """`staff_desks` for the header. Lazy: the roles are read only where the header shows the menu,
    which it does for staff accounts alone, so shoppers' pages make no query for it."""
    return {"staff_desks": SimpleLazyObject(lambda: desks_for(request.user))}
