#!/bin/sh
# Makes the scale's TLS client identity, as the original ESP32 scale's generate_key_and_cert.bat did:
#   key.pem      private key (RSA 2048, readable by its owner only: never commit or share it)
#   request.csr  certificate signing request, for a CA such as your broker's
#   cert.pem     self-signed certificate (365 days), for brokers that trust it directly
#   key.der, cert.der   the same in DER, as the original's MicroPython client used them
# Usage: ./make-client-cert.sh [output-dir]   (default: this folder; fields from request.cnf)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
config=${REQUEST_CNF:-$here/request.cnf}
days=${DAYS:-365}

command -v openssl >/dev/null 2>&1 || { echo "openssl is not installed (Debian/Raspberry Pi OS: sudo apt install openssl; macOS: brew install openssl)" >&2; exit 1; }
[ -f "$config" ] || { echo "No $config: copy request.cnf and fill in [req_distinguished_name]" >&2; exit 1; }
mkdir -p "$out"
if [ -e "$out/key.pem" ] && [ "${FORCE:-}" != 1 ]; then
  echo "$out/key.pem exists already; set FORCE=1 to replace it (the old certificate will stop working)" >&2
  exit 1
fi

umask 077
openssl req -newkey rsa:2048 -nodes -keyout "$out/key.pem" -out "$out/request.csr" -config "$config"
openssl x509 -req -sha256 -days "$days" -in "$out/request.csr" -signkey "$out/key.pem" \
  -extfile "$config" -extensions client_extensions -out "$out/cert.pem"
openssl x509 -in "$out/cert.pem" -out "$out/cert.der" -outform DER
openssl rsa -in "$out/key.pem" -out "$out/key.der" -outform DER -traditional 2>/dev/null \
  || openssl rsa -in "$out/key.pem" -out "$out/key.der" -outform DER
chmod 600 "$out/key.pem" "$out/key.der"
chmod 644 "$out/cert.pem" "$out/cert.der" "$out/request.csr"

echo
echo "Made in $out:"
echo "  key.pem, key.der   private key (mode 600; keep it on the scale only)"
echo "  request.csr        send this to a CA if your broker wants certificates it signed"
echo "  cert.pem, cert.der self-signed certificate, valid $days days:"
openssl x509 -in "$out/cert.pem" -noout -subject -enddate | sed 's/^/    /'
echo "Use them with: scale.mqtt.client-cert=$out/cert.pem scale.mqtt.client-key=$out/key.pem"
