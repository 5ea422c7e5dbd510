#!/bin/bash
# Test fixture for MailsecCheckTest: a James home with the pack, laid down by the steps of run_james in
# ./mailsec (stock James 3.8.1, its library folder, the bundle's jars in extensions-jars/mailsec/, the sample
# conf/, a keystore, a DKM store with James's and the portal's identities, DKIM and rights keys, an S/MIME
# certificate folder), without starting James. The 'mailsec install' command will replace this fixture.
# Also writes the portal's own conf (HOME/portal/) and the zone file of the DKIM records (HOME/dkim.zone).
# usage: james-home.sh CLI_JAR STOCK_JAMES STOCK_LIB BUNDLE SAMPLE_CONF HOME PORTAL_PORT
set -euo pipefail
CLI_JAR=$1 STOCK=$2 LIB=$3 BUNDLE=$4 SAMPLE=$5 H=$6 PORTAL_PORT=$7
cli() { java -jar "$CLI_JAR" "$@"; }
trap 'echo "james-home.sh: failed at line $LINENO" >&2' ERR

mkdir -p "$H"
# from James's home, as James starts: relative paths of the configuration resolve against it
cd "$H"
cp -R "$STOCK/." "$H/"
mkdir -p "$H/james-server-memory-app.lib" "$H/extensions-jars/mailsec"
cp "$LIB"/*.jar "$H/james-server-memory-app.lib/"
cp "$BUNDLE"/extensions-jars/*.jar "$H/extensions-jars/mailsec/"

S="$H/var/mailsec" D="$H/var/mailsec/dkm"
A="$D/credentials/admin.cred"
mkdir -p "$S"
for f in "$SAMPLE"/*; do
  sed -e 's/CHANGE-ME-KEYSTORE-SECRET/fixture-secret/' -e "s#file:../../state/rights#file:$S/rights#" \
      -e "s/127\.0\.0\.1:8090/127.0.0.1:$PORTAL_PORT/" -e "s/port=\"8090\"/port=\"$PORTAL_PORT\"/" \
      "$f" > "$H/conf/$(basename "$f")"
done
keytool -genkeypair -alias james -keyalg RSA -keysize 2048 -validity 825 -dname "CN=localhost" \
  -storetype PKCS12 -keystore "$H/conf/keystore.p12" -storepass fixture-secret -keypass fixture-secret 2>/dev/null

cli dkm --store "$D" init
cli dkm --store "$D" --identity "$A" identity create james-transport
cli dkm --store "$D" --identity "$A" identity create rights-portal
cli dkm --store "$D" --identity "$A" group create mail
cli dkm --store "$D" --identity "$A" group add mail james-transport
cli dkim keygen mailsec.test --store "$D" --identity "$A" --group mail > "$S/dkim-rsa.log"
cli dkim keygen mailsec.test --algorithm ed25519 --store "$D" --identity "$A" --group mail > "$S/dkim-ed25519.log"
cat "$S"/dkim-*.log | grep '_domainkey' > "$H/dkim.zone"
printf '%s\n' "store=file:$D/data" "identity=$D/credentials/james-transport.cred" > "$H/conf/dkm.properties"

cli dkm --store "$D" --identity "$A" group create rights
cli dkm --store "$D" --identity "$A" group add rights james-transport
cli dkm --store "$D" --identity "$A" group add rights rights-portal
cli rights init --store "$D" --identity "$A" --group rights --config "$H/conf/rights.xml"
mkdir -p "$H/portal"
cp "$H/conf/rights.xml" "$H/portal/rights.xml"
printf '%s\n' "store=file:$D/data" "identity=$D/credentials/rights-portal.cred" > "$H/portal/dkm.properties"

# S/MIME: a CA and bob's certificate (public material only; the sample pipeline encrypts with it)
mkdir -p "$H/conf/smime/certs"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$S/ca.key" -out "$H/conf/smime/ca.pem" -days 3650 \
  -subj "/CN=fixture SMIME CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$S/bob.key" -out "$H/conf/smime/certs/bob.pem" -days 800 \
  -subj "/CN=Bob/emailAddress=bob@mailsec.test" -CA "$H/conf/smime/ca.pem" -CAkey "$S/ca.key" \
  -addext "subjectAltName=email:bob@mailsec.test" -addext "extendedKeyUsage=emailProtection" 2>/dev/null
chmod 600 "$H/conf/dkm.properties" "$H/portal/dkm.properties"
