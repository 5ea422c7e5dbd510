#!/bin/bash
# Builds the DKIM peer corpus: keys, a BIND zone file with their public halves, and messages signed
# by dkimpy (python3-dkim) and OpenDKIM (opendkim -t, test mode). Run by DkimPeerCorpusTest at test
# time, so the signatures come from the real peers of this machine; usable by hand too:
#   make-corpus.sh OUTDIR
# Needs: opendkim opendkim-tools python3-dkim python3-nacl (Debian), Debian's /usr/bin/python3.
# opendkim refuses key paths under directories writable by others (such as /tmp) unless told
# RequireSafeKeys false, which the configurations below say, so the corpus builds wherever CI clones us.
set -euo pipefail
OUT=${1:?usage: make-corpus.sh OUTDIR}
PY=/usr/bin/python3
mkdir -p "$OUT/keys" "$OUT/signed"
OUT=$(cd "$OUT" && pwd)
chmod 700 "$OUT" "$OUT/keys"
cd "$OUT"

# ---- keys: OpenDKIM's generator for RSA (it also writes the zone snippet), dkimpy's for ed25519
for spec in rsa2048:2048 rsa1024:1024 rsa512:512; do
  sel=${spec%%:*}; bits=${spec##*:}
  opendkim-genkey -b "$bits" -d example.com -s "$sel" -D keys 2>/dev/null
done
(cd keys && dknewkey --ktype ed25519 ed25519 >/dev/null 2>&1)

{
  echo '$ORIGIN example.com.'
  echo '$TTL 3600'
  cat keys/rsa2048.txt keys/rsa512.txt
  # rsa1024 also serves the rsa-sha1 signatures: drop the h=sha256 restriction opendkim-genkey writes
  sed 's/h=sha256; //' keys/rsa1024.txt
  printf 'ed25519._domainkey 300 IN TXT "%s"\n' "$(cat keys/ed25519.dns)"
  echo 'revoked._domainkey IN TXT "v=DKIM1; k=rsa; p="'
} > keys.zone

# ---- unsigned messages (CRLF line ends, as on the wire)
crlf() { sed 's/$/\r/'; }
crlf > plain.eml <<'MSG'
From: Alice Example <alice@example.com>
To: Bob <bob@example.org>
Subject: Quarterly figures
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <plain-1@example.com>

Hello Bob,

the figures  are	attached   
with trailing whitespace  

and empty lines at the end.


MSG
crlf > folded.eml <<'MSG'
Received: from mx1.example.net by mx2.example.net; Mon, 23 Nov 2026 10:00:01 +0000
Received: from client by mx1.example.net; Mon, 23 Nov 2026 10:00:00 +0000
From: "Alice, Sales" <alice@mail.example.com>
To: bob@example.org,
   carol@example.org
Subject:   A folded
	 subject   line  
Date: Mon, 23 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln — UTF-8 body
--b1
Content-Type: text/html; charset=utf-8

<p>Grüße</p>
--b1--
MSG
printf 'From: alice@example.com\r\nTo: bob@example.org\r\nSubject: empty body\r\n\r\n' > empty.eml

# ---- dkimpy signatures
sign_dkimpy() { # name message selector keyfile algorithm header-canon body-canon [length] [identity]
  "$PY" - "$@" <<'PYEOF'
import sys, dkim
name, msg, sel, keyfile, alg, hc, bc = sys.argv[1:8]
length = len(sys.argv) > 8 and sys.argv[8] == "length"
identity = sys.argv[9].encode() if len(sys.argv) > 9 else None
message = open(msg, "rb").read()
key = open(keyfile, "rb").read()
sig = dkim.sign(message, sel.encode(), b"example.com", key,
                identity=identity, canonicalize=(hc.encode(), bc.encode()),
                signature_algorithm=alg.encode(), length=length,
                include_headers=[b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type"],
                linesep=b"\r\n")
open(name, "wb").write(sig + message)
PYEOF
}
for msg in plain folded empty; do
  for c in simple/simple relaxed/relaxed relaxed/simple simple/relaxed; do
    hc=${c%/*}; bc=${c#*/}
    sign_dkimpy "signed/dkimpy-rsa2048-$hc-$bc-$msg.eml" "$msg.eml" rsa2048 keys/rsa2048.private rsa-sha256 "$hc" "$bc"
    sign_dkimpy "signed/dkimpy-ed25519-$hc-$bc-$msg.eml" "$msg.eml" ed25519 keys/ed25519.key ed25519-sha256 "$hc" "$bc"
  done
done
sign_dkimpy signed/dkimpy-rsa1024-relaxed-relaxed-plain.eml plain.eml rsa1024 keys/rsa1024.private rsa-sha256 relaxed relaxed
sign_dkimpy signed/policy-dkimpy-rsa512-relaxed-relaxed-plain.eml plain.eml rsa512 keys/rsa512.private rsa-sha256 relaxed relaxed
sign_dkimpy signed/policy-dkimpy-rsasha1-relaxed-relaxed-plain.eml plain.eml rsa1024 keys/rsa1024.private rsa-sha1 relaxed relaxed
sign_dkimpy signed/dkimpy-length-relaxed-relaxed-plain.eml plain.eml rsa2048 keys/rsa2048.private rsa-sha256 relaxed relaxed length
sign_dkimpy signed/dkimpy-identity-relaxed-relaxed-folded.eml folded.eml ed25519 keys/ed25519.key ed25519-sha256 relaxed relaxed no alice@mail.example.com
sign_dkimpy signed/permerror-dkimpy-revoked-relaxed-relaxed-plain.eml plain.eml revoked keys/rsa2048.private rsa-sha256 relaxed relaxed

# ---- OpenDKIM signatures (test mode prints the field it would insert)
sign_opendkim() { # name message selector keyfile canon algorithm
  local conf="$OUT/keys/opendkim-$3-${5/\//-}.conf"
  cat > "$conf" <<CONF
Mode s
Domain example.com
Selector $3
KeyFile $OUT/$4
Canonicalization $5
SignatureAlgorithm $6
OversignHeaders From
SubDomains yes
Syslog no
RequireSafeKeys false
CONF
  opendkim -x "$conf" -t "$2" -vvv 2>&1 | "$PY" -c '
import sys, re
out = sys.stdin.read()
m = re.search(r"### INSHEADER: idx=0 hname=.DKIM-Signature. hvalue=.(.*?).\s*$", out, re.S)
if not m:
    sys.exit("opendkim did not sign: " + out[-500:])
value = m.group(1).replace("\r\n", "\n").replace("\n", "\r\n")
sys.stdout.buffer.write(b"DKIM-Signature: " + value.encode() + b"\r\n")
' > "$1.sig"
  cat "$1.sig" "$2" > "$1" && rm "$1.sig"
}
# OpenDKIM's test mode goes through its milter emulation, which rebuilds folded header fields: with
# simple header canonicalisation its signatures of folded.eml do not match the bytes (dkimpy's
# verifier says so too), so those are expected to fail.
for msg in plain folded; do
  for c in relaxed/relaxed relaxed/simple simple/relaxed simple/simple; do
    prefix=""
    if [ "$msg" = folded ] && [ "${c%/*}" = simple ]; then prefix="fail-"; fi
    sign_opendkim "signed/${prefix}opendkim-rsa2048-${c%/*}-${c#*/}-$msg.eml" "$msg.eml" rsa2048 keys/rsa2048.private "$c" rsa-sha256
  done
done
sign_opendkim signed/policy-opendkim-rsasha1-relaxed-relaxed-plain.eml plain.eml rsa1024 keys/rsa1024.private relaxed/relaxed rsa-sha1
echo "corpus in $OUT: $(ls signed | wc -l) signed messages"
