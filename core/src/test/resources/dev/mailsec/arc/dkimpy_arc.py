# dkimpy (Debian python3-dkim) as the ARC peer of the tests: seal or verify the message on stdin.
#   seal KEYFILE SELECTOR DOMAIN SRVID ALG  -> the sealed message on stdout
#   verify RECORDS.json                     -> "cv<TAB>reason" on stdout
# DNS answers come from RECORDS.json (name -> TXT) through dkimpy's dnsfunc.
import json, sys, dkim

msg = sys.stdin.buffer.read()
if sys.argv[1] == 'seal':
    key = open(sys.argv[2], 'rb').read()
    a = dkim.ARC(msg, signature_algorithm=sys.argv[6].encode(), linesep=b'\r\n')
    fields = a.sign(sys.argv[3].encode(), sys.argv[4].encode(), key, sys.argv[5].encode(),
                    include_headers=[b'from', b'to', b'subject', b'date', b'message-id'])
    if not fields:
        sys.exit('dkimpy did not seal')
    sys.stdout.buffer.write(b''.join(fields) + msg)
else:
    records = json.load(open(sys.argv[2]))
    def dnsfunc(name, timeout=5):
        n = name.decode().rstrip('.')
        return records[n].encode() if n in records else None
    cv, results, reason = dkim.arc_verify(msg, dnsfunc=dnsfunc)
    sys.stdout.write((cv or b'none').decode() + '\t' + reason + '\n')
