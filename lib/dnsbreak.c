/*
 * dnsbreak.c - the table of DNS breaks (dnsbreak.h). A new break is one
 * row here plus its action: a dnssign.c case for a signing-time break,
 * a fakedns/dns_fault.c function and row for a serving-time one.
 */
#include "dnsbreak.h"

#include "vocab.h"

static const struct dnsbreak_spec break_table[SCN_BRK__COUNT] = {
    [SCN_BRK_RRSIG_EXPIRED] = {"rrsig-expired", 0, 1,
        "the RRset's RRSIG validity ended before now"},
    [SCN_BRK_RRSIG_FUTURE] = {"rrsig-future", 0, 1,
        "the RRset's RRSIG validity starts after now"},
    [SCN_BRK_RRSIG_CORRUPT] = {"rrsig-corrupt", 0, 1,
        "bytes of the RRset's RRSIG signature flipped"},
    [SCN_BRK_RRSIG_MISSING] = {"rrsig-missing", 0, 1,
        "the RRset left unsigned in a signed zone"},
    [SCN_BRK_SERVFAIL] = {"servfail", 0, 0, "answer SERVFAIL"},
    [SCN_BRK_REFUSED] = {"refused", 0, 0, "answer REFUSED"},
    [SCN_BRK_DROP] = {"drop", 0, 0, "no answer at all"},
    [SCN_BRK_DELAY] = {"delay", 1, 0, "the answer, ms= milliseconds late"},
    [SCN_BRK_TCP_REFUSE] = {"tcp-refuse", 0, 0,
        "UDP: empty truncated answer; TCP: connection closed"},
    [SCN_BRK_STRIP_RRSIG] = {"strip-rrsig", 0, 0,
        "every RRSIG removed from the answer"},
    [SCN_BRK_NOPROOF] = {"noproof", 0, 0,
        "NSEC/NSEC3 denial records removed from the answer"},
    [SCN_BRK_NXDOMAIN_NOPROOF] = {"nxdomain-noproof", 0, 0,
        "NXDOMAIN with the SOA but no denial proof"},
    [SCN_BRK_MALFORMED] = {"malformed", 0, 0,
        "a garbled packet instead of the answer"},
};

const struct dnsbreak_spec *
dnsbreak_spec(enum scn_break b)
{
	return &break_table[b];
}

const char *
scn_break_str(enum scn_break b)
{
	return (unsigned)b < SCN_BRK__COUNT ? break_table[b].name : "?";
}

int
scn_break_from_str(const char *s)
{
	const char *names[SCN_BRK__COUNT];
	int i;

	for (i = 0; i < SCN_BRK__COUNT; i++)
		names[i] = break_table[i].name;
	return vocab_lookup(names, SCN_BRK__COUNT, s);
}

int
scn_break_at_signing(enum scn_break b)
{
	return (unsigned)b < SCN_BRK__COUNT && break_table[b].at_signing;
}

const char *
dnsbreak_list(int serving)
{
	static char all[512], srv[512];
	const char *names[SCN_BRK__COUNT];
	int i;

	for (i = 0; i < SCN_BRK__COUNT; i++)
		names[i] = serving && break_table[i].at_signing
		               ? NULL
		               : break_table[i].name;
	return vocab_list(
	    serving ? srv : all, sizeof(all), names, SCN_BRK__COUNT);
}
