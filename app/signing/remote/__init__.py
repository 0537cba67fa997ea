"""Remote signing (Cloud Signature Consortium API v1 style services: the key in the provider's HSM,
each request confirmed on the signer's phone or with an OTP)."""
