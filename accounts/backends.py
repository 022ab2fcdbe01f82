"""The lockout check of django-axes as the first authentication backend."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked (username, IP) pair; authenticates no one itself (ModelBackend does).

    A call without a request (Django's test client, management code) has no IP to throttle
    by and is left to ModelBackend, instead of axes raising for the missing request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
