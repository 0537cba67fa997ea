#!/usr/bin/env bash
# Authenticode-signs Windows executables in place with osslsigncode, with an RFC 3161 timestamp.
#   installer/authenticode.sh FILE.exe...
# The certificate comes from the environment; with none given the files are left unsigned:
#   SIGN_PKCS12=cert.p12 [SIGN_PASSWORD_FILE=file | SIGN_PASSWORD=...]   a PKCS#12 file, or
#   SIGN_PKCS11_MODULE=/usr/lib/.../driver.so SIGN_PKCS11_KEY='pkcs11:object=...;type=private'
#     SIGN_CERTS=chain.pem [SIGN_PASSWORD_FILE=pin-file]                 a PKCS#11 token
#   SIGN_TS_URL=http://tsa.example/tsr     RFC 3161 time-stamping server (strongly advised: without
#                                          it the signature dies with the certificate)
#   SIGN_NAME, SIGN_URL                    description and link shown in Windows' UAC prompt
set -euo pipefail

if [ -z "${SIGN_PKCS12:-}" ] && [ -z "${SIGN_PKCS11_MODULE:-}" ]; then
  exit 0
fi
args=(sign -h sha256 -n "${SIGN_NAME:-Liên Thông Desk}")
[ -n "${SIGN_URL:-}" ] && args+=(-i "$SIGN_URL")
if [ -n "${SIGN_PKCS12:-}" ]; then
  args+=(-pkcs12 "$SIGN_PKCS12")
else
  args+=(-pkcs11module "$SIGN_PKCS11_MODULE" -key "$SIGN_PKCS11_KEY" -certs "$SIGN_CERTS")
fi
if [ -n "${SIGN_PASSWORD_FILE:-}" ]; then
  args+=(-readpass "$SIGN_PASSWORD_FILE")
elif [ -n "${SIGN_PASSWORD:-}" ]; then
  args+=(-pass "$SIGN_PASSWORD")
fi
[ -n "${SIGN_TS_URL:-}" ] && args+=(-ts "$SIGN_TS_URL")

for file in "$@"; do
  tmp="$file.signing"
  rm -f "$tmp"
  if ! out=$(osslsigncode "${args[@]}" -in "$file" -out "$tmp" 2>&1); then
    rm -f "$tmp"
    echo "authenticode: cannot sign $file:" >&2
    echo "$out" >&2
    exit 1
  fi
  mv -f "$tmp" "$file"
  echo "authenticode: signed $(basename "$file")"
done
