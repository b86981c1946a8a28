#!/bin/sh
# Regenerates the test-only TLS files in this folder (see README.md). Needs openssl 3.
set -e
cd "$(dirname "$0")"
days=36500
gen() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days $days "$@" 2>/dev/null; }
gen -keyout ca.key -out ca.pem -subj "/CN=promtool-swift test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
gen -keyout other-ca.key -out other-ca.pem -subj "/CN=promtool-swift other test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
leaf() { # name subject san extendedKeyUsage
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$3" "$4" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days $days -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}
leaf server "/CN=localhost" "DNS:localhost,DNS:target.test,IP:127.0.0.1" serverAuth
# Names only (no IP): for server_name, since NIOSSL also accepts an IP SAN matching the address dialled.
leaf named-server "/CN=target.test" "DNS:target.test" serverAuth
leaf client "/CN=promtool-swift test client" "DNS:client.test" clientAuth
rm -f ca.srl other-ca.key
