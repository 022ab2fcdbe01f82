from django.utils.functional import SimpleLazyObject

from accounts.access import Scope


class ScopeMiddleware:
    """Attach request.scope, computed on first use (one query) and reused by every check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: Scope.for_user(request.user))
        return self.get_response(request)
