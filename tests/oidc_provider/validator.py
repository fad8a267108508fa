from oauth2_provider.oauth2_validators import OAuth2Validator

# People in this group get `email_verified: false`: a provider that never confirmed the address.
UNVERIFIED_GROUP = "unverified-email"


class Validator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.groups.filter(name=UNVERIFIED_GROUP).exists(),
            "name": user.get_full_name(),
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
