/*
 * dnsbreak.h - the one table of DNS breaks ("dnsbreak OWNER TYPE BREAK
 * [ms=N]" in a scenario): each break's name, whether it takes ms=, and
 * whether the world builder applies it when signing (RRSIG validity and
 * bytes) or fakedns when serving (rcodes, drops, stripped records).
 *
 * The scenario parser, the world builder (signing, fakedns.json) and
 * fakedns's fault table (fakedns/dns_fault.c, keyed by these names) all
 * read it: the scenario word is the JSON "fault" string and the name
 * fakedns logs.
 */
#ifndef DSIM_DNSBREAK_H
#define DSIM_DNSBREAK_H

#include <stddef.h>

/* What a "dnsbreak" line does. No meaning in the order: ask the table. */
enum scn_break {
	SCN_BRK_RRSIG_EXPIRED = 0, /* RRSIG validity ended in the past */
	SCN_BRK_RRSIG_FUTURE,      /* RRSIG inception in the future */
	SCN_BRK_RRSIG_CORRUPT,     /* RRSIG signature bytes altered */
	SCN_BRK_RRSIG_MISSING,     /* RRset left unsigned in a signed zone */
	SCN_BRK_SERVFAIL,
	SCN_BRK_REFUSED,
	SCN_BRK_DROP,             /* no answer at all */
	SCN_BRK_DELAY,            /* answer after ms= milliseconds */
	SCN_BRK_TCP_REFUSE,       /* UDP answer truncated (TC=1), TCP refused */
	SCN_BRK_STRIP_RRSIG,      /* RRSIGs removed from the answer */
	SCN_BRK_NOPROOF,          /* NSEC/NSEC3 proof omitted */
	SCN_BRK_NXDOMAIN_NOPROOF, /* NXDOMAIN, no proof, in a signed zone */
	SCN_BRK_MALFORMED,        /* a garbled packet instead of the answer */
	SCN_BRK__COUNT
};

struct dnsbreak_spec {
	const char *name; /* scenario word == fakedns.json "fault" */
	int takes_ms;     /* needs ms=N (and no other break takes it) */
	int at_signing;   /* 1: world builder at signing; 0: fakedns */
	const char *doc;  /* one line for usage texts */
};

/* dnsbreak_spec - the row of b (b must be in range). */
const struct dnsbreak_spec *dnsbreak_spec(enum scn_break b);
/* scn_break_str - the break's name; "?" out of range. */
const char *scn_break_str(enum scn_break b);
/* scn_break_from_str - inverse of scn_break_str; -1 if unknown. */
int scn_break_from_str(const char *s);
/* scn_break_at_signing - 1 if the world builder applies b, 0 if fakedns. */
int scn_break_at_signing(enum scn_break b);
/*
 * dnsbreak_list - the break names as "a, b or c"; serving 1: only the
 * serving-time ones (fakedns's usage). Static string.
 */
const char *dnsbreak_list(int serving);

#endif /* DSIM_DNSBREAK_H */
