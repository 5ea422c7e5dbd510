# Drives Debian's python3-spf (pyspf) for SpfPeerInteropTest: argv[1] is a loopback DNS port;
# each stdin line "ip<TAB>sender<TAB>helo" (sender may be empty, the null reverse-path) gets one
# stdout line "result<TAB>explanation" from spf.check2.
import sys

import dns.resolver
import spf

port = int(sys.argv[1])
resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = ["127.0.0.1"]
resolver.port = port
resolver.cache = None
# pyspf 2.0.14 with dnspython calls dns.resolver.query, which asks the default resolver
dns.resolver.default_resolver = resolver
assert spf.DNSLookup is spf.DNSLookup_dnspython, "pyspf is not using dnspython"

for line in sys.stdin:
    ip, sender, helo = line.rstrip("\n").split("\t")
    result, explanation = spf.check2(i=ip, s=sender, h=helo, querytime=20)
    print(result + "\t" + explanation.replace("\t", " ").replace("\n", " "), flush=True)
