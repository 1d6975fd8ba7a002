"""Token sign-in for API clients: `POST /api/v1/auth/token/` with a username and password returns the
token to send as `Authorization: Token <key>` on later requests."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.services import auth_token_issue


class SignInThrottle(AnonRateThrottle):
    """Slows password guessing: a client address gets a handful of attempts a minute."""

    scope = "sign_in"
    rate = "10/minute"


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")


class TokenSignInView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (SignInThrottle,)

    @extend_schema(
        operation_id="auth_token_create",
        summary="Sign in and get an API token",
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Missing fields, or a username and password that do not match."),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token = auth_token_issue(user=serializer.validated_data["user"])
        return Response(TokenSerializer({"token": token.key}).data)
