#!/bin/sh
# mktree.sh DIR [PORT] - build a small signed DNS tree for fakedns tests
# with ldnsutils (ldns-keygen, ldns-signzone, ldns-key2ds):
#
#   .  (127.53.0.1, NSEC)  ->  test.  (127.53.0.2, NSEC)  ->
#     secure.test.    127.53.0.3  NSEC, good DS
#     nsec3.test.     127.53.0.4  NSEC3, good DS
#     expired.test.   127.53.0.5  every RRSIG expired
#     future.test.    127.53.0.6  every RRSIG not yet valid
#     corrupt.test.   127.53.0.7  RRSIG of mx1.corrupt.test./A corrupted,
#                                 that of nosig.corrupt.test./A removed
#     wrongds.test.   127.53.0.8  parent DS matches no key of the zone
#     unsigned.test.  127.53.0.9  unsigned, no DS
#     insecure.nsec3.test. 127.53.0.10 unsigned, delegated from nsec3.test.
#
# Writes DIR/fakedns.json (query log DIR/dns.jsonl), DIR/zones/*.zone,
# DIR/trust-anchor.ds, DIR/root.hints. Faults in fakedns.json:
#   strip.secure.test./A strip-rrsig     sf.secure.test./A servfail
#   gone.secure.test./A nxdomain-noproof slow.secure.test./A delay 300 ms
#   noproof.nsec3.test./A, nope.noproof.nsec3.test./A noproof
#   drop.secure.test./A drop
#   tcp.secure.test./TXT tcp-refuse      mal.secure.test./A malformed
set -eu
dir=$1
mkdir -p "$dir/zones" "$dir/keys"
dir=$(cd "$dir" && pwd)
now=$(date +%s)
inc=$((now - 3600))
exp=$((now + 7 * 86400))

# keys ZONE - make a KSK and a ZSK for ZONE; sets ksk and zsk (base paths).
keys() {
	ksk=$(cd "$dir/keys" && ldns-keygen -a ECDSAP256SHA256 -r /dev/urandom -k "$1")
	zsk=$(cd "$dir/keys" && ldns-keygen -a ECDSAP256SHA256 -r /dev/urandom "$1")
	ksk="$dir/keys/$ksk"
	zsk="$dir/keys/$zsk"
}

# zhead ZONE ADDR - SOA, NS and name-server address lines of ZONE.
zhead() {
	printf '%s 300 IN SOA ns.%s hostmaster.%s 1 3600 600 86400 300\n' "$1" "$1" "$1"
	printf '%s 300 IN NS ns.%s\n' "$1" "$1"
	printf 'ns.%s 300 IN A %s\n' "$1" "$2"
}

# sign ZONE INC EXP [ldns-signzone options] - sign zones/ZONE.in into
# zones/ZONE.zone with a fresh key pair; the DS lands in keys/ZONE.ds.
sign() {
	z=$1 i=$2 e=$3 f=${1%.}
	shift 3
	keys "$z"
	ldns-signzone "$@" -i "$i" -e "$e" -f "$dir/zones/$f.zone" \
	    "$dir/zones/$f.in" "$zsk" "$ksk"
	ldns-key2ds -n -2 "$ksk.key" > "$dir/keys/$f.ds"
}

# secure.test.: the usual DANE shapes, NSEC
{
	zhead secure.test. 127.53.0.3
	cat <<'EOF'
secure.test. 300 IN MX 10 mx1.secure.test.
mx1.secure.test. 300 IN A 127.25.0.1
mx2.secure.test. 300 IN A 127.25.0.2
_25._tcp.mx1.secure.test. 300 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
_25._tcp.mx2.secure.test. 300 IN TXT "no TLSA here"
www.secure.test. 300 IN CNAME mx1.secure.test.
*.wild.secure.test. 300 IN A 127.25.0.9
strip.secure.test. 300 IN A 127.25.0.10
sf.secure.test. 300 IN A 127.25.0.11
gone.secure.test. 300 IN A 127.25.0.12
slow.secure.test. 300 IN A 127.25.0.13
drop.secure.test. 300 IN A 127.25.0.14
mal.secure.test. 300 IN A 127.25.0.15
tcp.secure.test. 300 IN TXT "tcp only"
EOF
	# a TXT RRset too big for 1232 bytes of UDP
	n=0
	while [ $n -lt 12 ]; do
		printf 'big.secure.test. 300 IN TXT "%s %02d"\n' \
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz" $n
		n=$((n + 1))
	done
} > "$dir/zones/secure.test.in"
sign secure.test. $inc $exp

# insecure.nsec3.test.: unsigned child of the NSEC3 zone
{
	zhead insecure.nsec3.test. 127.53.0.10
	echo 'mx1.insecure.nsec3.test. 300 IN A 127.25.0.20'
} > "$dir/zones/insecure.nsec3.test.zone"

# nsec3.test.: NSEC3 (no salt, 0 iterations: RFC 9276)
{
	zhead nsec3.test. 127.53.0.4
	cat <<'EOF'
nsec3.test. 300 IN MX 10 mx1.nsec3.test.
mx1.nsec3.test. 300 IN A 127.25.0.3
_25._tcp.mx1.nsec3.test. 300 IN TLSA 3 1 1 fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
_25._tcp.mx2.nsec3.test. 300 IN TXT "no TLSA here"
*.wild.nsec3.test. 300 IN A 127.25.0.4
noproof.nsec3.test. 300 IN A 127.25.0.5
insecure.nsec3.test. 300 IN NS ns.insecure.nsec3.test.
ns.insecure.nsec3.test. 300 IN A 127.53.0.10
EOF
} > "$dir/zones/nsec3.test.in"
sign nsec3.test. $inc $exp -n -t 0

# the bogus ones
for z in expired future corrupt wrongds; do
	n=$(case $z in expired) echo 5;; future) echo 6;; corrupt) echo 7;; wrongds) echo 8;; esac)
	{
		zhead $z.test. 127.53.0.$n
		printf '%s.test. 300 IN MX 10 mx1.%s.test.\n' $z $z
		printf 'mx1.%s.test. 300 IN A 127.25.1.%s\n' $z $n
		printf 'nosig.%s.test. 300 IN A 127.25.2.%s\n' $z $n
	} > "$dir/zones/$z.test.in"
done
# (beyond Unbound's allowed clock skew: 10% of the validity, at most 1 day)
sign expired.test. $((now - 30 * 86400)) $((now - 3 * 86400))
sign future.test. $((now + 3 * 86400)) $((now + 30 * 86400))
sign corrupt.test. $inc $exp
sign wrongds.test. $inc $exp
# corrupt.test.: change one base64 character of one signature, and
# remove the signature of nosig.corrupt.test./A
awk '$1 == "nosig.corrupt.test." && $4 == "RRSIG" && $5 == "A" { next }
	$1 == "mx1.corrupt.test." && $4 == "RRSIG" && $5 == "A" {
	s = $NF; c = substr(s, 20, 1); r = (c == "A") ? "B" : "A"
	$NF = substr(s, 1, 19) r substr(s, 21) }
	{ print }' "$dir/zones/corrupt.test.zone" > "$dir/zones/corrupt.tmp"
mv "$dir/zones/corrupt.tmp" "$dir/zones/corrupt.test.zone"
# wrongds.test.: the parent publishes the DS of an unrelated key
keys wrongds.test.
ldns-key2ds -n -2 "$ksk.key" > "$dir/keys/wrongds.test.ds"

# unsigned.test.
{
	zhead unsigned.test. 127.53.0.9
	echo 'mx1.unsigned.test. 300 IN A 127.25.0.30'
} > "$dir/zones/unsigned.test.zone"

# test.: delegations with glue and DS
{
	zhead test. 127.53.0.2
	echo 'ns.root-servers.test. 300 IN A 127.53.0.1'
	n=3
	for z in secure nsec3 expired future corrupt wrongds unsigned; do
		case $z in expired) n=5;; future) n=6;; corrupt) n=7;; wrongds) n=8;; unsigned) n=9;; secure) n=3;; nsec3) n=4;; esac
		printf '%s.test. 300 IN NS ns.%s.test.\n' $z $z
		printf 'ns.%s.test. 300 IN A 127.53.0.%s\n' $z $n
		[ $z = unsigned ] || cat "$dir/keys/$z.test.ds"
	done
} > "$dir/zones/test.in"
sign test. $inc $exp

# the root
{
	printf '. 300 IN SOA ns.root-servers.test. hostmaster.test. 1 3600 600 86400 300\n'
	printf '. 300 IN NS ns.root-servers.test.\n'
	printf 'ns.root-servers.test. 300 IN A 127.53.0.1\n'
	printf 'test. 300 IN NS ns.test.\n'
	printf 'ns.test. 300 IN A 127.53.0.2\n'
	cat "$dir/keys/test.ds"
} > "$dir/zones/root.in"
keys .
ldns-signzone -i $inc -e $exp -o . -f "$dir/zones/root.zone" "$dir/zones/root.in" "$zsk" "$ksk"
ldns-key2ds -n -2 "$ksk.key" > "$dir/trust-anchor.ds"
printf '. 3600000 IN NS ns.root-servers.test.\nns.root-servers.test. 3600000 IN A 127.53.0.1\n' > "$dir/root.hints"

# nsec3.test. is signed before it knows its child has no DS: fine, the
# delegation is unsigned and the NSEC3 of insecure.nsec3.test. shows no DS.

zone() { # NAME FILE ADDR SIGNED NSEC3
	printf '    {"name": "%s", "file": "%s", "address": "%s", "signed": %s, "nsec3": %s, "scenario": %s}' \
	    "$1" "$dir/zones/$2" "$3" "$4" "$5" "$6"
}
{
	printf '{\n  "log": "%s/dns.jsonl",\n  "zones": [\n' "$dir"
	zone . root.zone 127.53.0.1 true false null; echo ,
	zone test. test.zone 127.53.0.2 true false null; echo ,
	zone secure.test. secure.test.zone 127.53.0.3 true false '"secure"'; echo ,
	zone nsec3.test. nsec3.test.zone 127.53.0.4 true true '"nsec3"'; echo ,
	zone expired.test. expired.test.zone 127.53.0.5 true false '"expired"'; echo ,
	zone future.test. future.test.zone 127.53.0.6 true false '"future"'; echo ,
	zone corrupt.test. corrupt.test.zone 127.53.0.7 true false '"corrupt"'; echo ,
	zone wrongds.test. wrongds.test.zone 127.53.0.8 true false '"wrongds"'; echo ,
	zone unsigned.test. unsigned.test.zone 127.53.0.9 false false '"unsigned"'; echo ,
	zone insecure.nsec3.test. insecure.nsec3.test.zone 127.53.0.10 false false '"nsec3"'; echo
	cat <<'EOF'
  ],
  "faults": [
    {"owner": "strip.secure.test.", "type": "A", "fault": "strip-rrsig", "ms": 0, "scenario": "secure"},
    {"owner": "sf.secure.test.", "type": "A", "fault": "servfail", "ms": 0, "scenario": "secure"},
    {"owner": "gone.secure.test.", "type": "A", "fault": "nxdomain-noproof", "ms": 0, "scenario": "secure"},
    {"owner": "slow.secure.test.", "type": "A", "fault": "delay", "ms": 300, "scenario": "secure"},
    {"owner": "drop.secure.test.", "type": "A", "fault": "drop", "ms": 0, "scenario": "secure"},
    {"owner": "mal.secure.test.", "type": "A", "fault": "malformed", "ms": 0, "scenario": "secure"},
    {"owner": "tcp.secure.test.", "type": "TXT", "fault": "tcp-refuse", "ms": 0, "scenario": "secure"},
    {"owner": "noproof.nsec3.test.", "type": "A", "fault": "noproof", "ms": 0, "scenario": "nsec3"},
    {"owner": "nope.noproof.nsec3.test.", "type": "A", "fault": "noproof", "ms": 0, "scenario": "nsec3"}
  ]
}
EOF
} > "$dir/fakedns.json"
