/*
 * expkind.c - the table of expectation kinds (expkind.h). A new kind is
 * one row here, a case in the parser's argument shapes if its arguments
 * are new, and its scoring function in harness/score.c.
 */
#include "expkind.h"

#include <stdio.h>
#include <string.h>

static const struct expk_spec kind_table[SCN_EXP__COUNT] = {
    [SCN_EXP_OUTCOME] = {"outcome", 0, EXPK_ARGS_OUTCOMES, EXPK_FACT_OUTCOME,
        "OUTCOME...", "the message ends in one of these",
        "The result was \"{outcome}\", but a correct DANE sender's result "
        "here is \"{args}\".",
        "", "another"},
    [SCN_EXP_NEVER_CONNECT] = {"never connect", 1, EXPK_ARGS_HOST,
        EXPK_FACT_SMTP, "HOST", "no TCP connection to HOST",
        "The sender connected to {args}, a server it must not contact in "
        "this situation.",
        "", "a host"},
    [SCN_EXP_NEVER_MAIL] = {"never mail", 1, EXPK_ARGS_HOST, EXPK_FACT_SMTP,
        "HOST", "no MAIL FROM at HOST, TLS or not",
        "The sender began handing the message to {args} (MAIL FROM), a "
        "server it must not trust with it.",
        "", "a host"},
    [SCN_EXP_NEVER_PLAIN_MAIL] = {"never mail-plaintext", 1, EXPK_ARGS_OPT_HOST,
        EXPK_FACT_SMTP, "[HOST]", "no MAIL FROM in clear",
        "The sender sent the envelope (MAIL FROM) without encryption{args}: "
        "an attacker on the network could read and change the mail.",
        " to ", ""},
    [SCN_EXP_NEVER_PLAIN_DATA] = {"never data-plaintext", 1, EXPK_ARGS_OPT_HOST,
        EXPK_FACT_SMTP, "[HOST]", "no DATA in clear",
        "The sender transmitted the message content without "
        "encryption{args}, where DANE requires authenticated TLS.",
        " to ", ""},
    [SCN_EXP_NEVER_EARLY_CMD] = {"never early-command", 1, EXPK_ARGS_OPT_HOST,
        EXPK_FACT_SMTP, "[HOST]",
        "no command sent before the reply it had to wait for",
        "The sender went on{args} before the server's real reply had been "
        "sent: it acted on bytes injected before TLS, which an attacker "
        "controls.",
        " at ", ""},
    [SCN_EXP_NEVER_PIPE_TLS] = {"never pipelined-after-tls", 1,
        EXPK_ARGS_OPT_HOST, EXPK_FACT_SMTP, "[HOST]",
        "no command inside TLS sent before the reply to the one before",
        "The sender pipelined commands inside TLS{args} although the EHLO "
        "reply it got after the handshake did not offer PIPELINING: it "
        "kept what the server said before TLS, which an attacker "
        "controls.",
        " at ", ""},
    [SCN_EXP_NEVER_BDAT_TLS] = {"never bdat-after-tls", 1, EXPK_ARGS_OPT_HOST,
        EXPK_FACT_SMTP, "[HOST]", "no BDAT inside TLS",
        "The sender used BDAT inside TLS{args} although the EHLO reply it "
        "got after the handshake did not offer CHUNKING: it kept what the "
        "server said before TLS, which an attacker controls.",
        " at ", ""},
    [SCN_EXP_NEVER_SSLV2] = {"never sslv2-hello", 1, EXPK_ARGS_OPT_HOST,
        EXPK_FACT_SMTP, "[HOST]",
        "no SSL 2.0-compatible ClientHello after STARTTLS (capture)",
        "The sender opened TLS{args} with an SSL 2.0-compatible "
        "ClientHello, which has no room for the SNI extension DANE "
        "requires.",
        " to ", ""},
    [SCN_EXP_NEVER_BAD_SNI] = {"never bad-sni", 1, EXPK_ARGS_OPT_HOST,
        EXPK_FACT_SMTP, "[HOST]",
        "no ClientHello whose server_name breaks RFC 6066 §3 (an address, "
        "a final dot, a non-ASCII name, two host names)",
        "The sender's ClientHello{args} carried a server_name that RFC "
        "6066 §3 forbids: a server choosing its certificate by name "
        "cannot use it.",
        " to ", ""},
    [SCN_EXP_MAIL_TLS] = {"mail-tls", 0, EXPK_ARGS_HOST, EXPK_FACT_SMTP, "HOST",
        "MAIL FROM arrived at HOST inside TLS",
        "The sender never started a mail transaction inside TLS at {args}, "
        "although that server was valid and usable.",
        "", "the MX host"},
    [SCN_EXP_SNI] = {"sni", 0, EXPK_ARGS_HOST_NAME, EXPK_FACT_SMTP, "HOST NAME",
        "every ClientHello to HOST carried SNI NAME",
        "The sender did not announce the expected server name in its TLS "
        "handshake (SNI: {args}).",
        "", "the MX host name"},
    [SCN_EXP_FIRST_AFTER_TLS] = {"first-after-tls", 0, EXPK_ARGS_HOST_VERB,
        EXPK_FACT_SMTP, "HOST VERB",
        "the first command inside every TLS session at HOST is VERB (or "
        "none)",
        "The sender's first command inside TLS was not the one required "
        "({args}).",
        "", "the expected command"},
    [SCN_EXP_QUERY] = {"query", 0, EXPK_ARGS_NAME_TYPE, EXPK_FACT_DNS,
        "NAME TYPE", "the resolver asked NAME/TYPE",
        "The sender never looked up {args}, so it did not check for the "
        "records DANE relies on.",
        "", "a required DNS record"},
    [SCN_EXP_NEVER_QUERY] = {"never query", 1, EXPK_ARGS_NAME_TYPE,
        EXPK_FACT_DNS, "NAME TYPE", "... and never asked this",
        "The sender looked up {args}, which it must not ask for in this "
        "situation.",
        "", "a DNS record"},
    [SCN_EXP_NEVER_LITERAL_TLSA] = {"never literal-tlsa", 1, EXPK_ARGS_OPT_HOST,
        EXPK_FACT_DNS, "[HOST]",
        "no TLSA query for a name made of HOST's address",
        "The sender looked up TLSA records for a name made of the "
        "address{args}, applying DANE to an address literal, to which it "
        "does not apply.",
        " of ", ""},
    [SCN_EXP_QUERY_ORDER] = {"query-order", 0, EXPK_ARGS_QUERY_PAIR,
        EXPK_FACT_DNS, "NAME1 TYPES1 NAME2 TYPES2",
        "NAME2/TYPES2 never asked before NAME1/TYPES1 (the SUT's own "
        "queries in the capture first, then the resolver's)",
        "The sender asked for the second of these before the first "
        "({args}): it looked up DNS records in an order RFC 7672 "
        "§2.2.2/§2.2.3 forbids (TLSA before the host's addresses, or the "
        "original name's TLSA before the expanded name's).",
        "", "two DNS lookups"},
    [SCN_EXP_NEVER_STUB_CD] = {"never stub-cd", 1, EXPK_ARGS_NONE,
        EXPK_FACT_DNS, "",
        "no query of the SUT to its resolver with the CD bit set "
        "(capture)",
        "The sender set the CD (checking disabled) bit on its own queries "
        "to its resolver: it does not validate itself, so it asked "
        "for answers that were never validated (RFC 4035 §4.9.2).",
        "", ""},
};

const struct expk_spec *
expk_spec(enum scn_expect_kind k)
{
	return &kind_table[k];
}

const char *
scn_expect_kind_str(enum scn_expect_kind k)
{
	return (unsigned)k < SCN_EXP__COUNT ? kind_table[k].kind : "?";
}

/* word_of - the word after "never " of a never kind, else the kind. */
static const char *
word_of(const struct expk_spec *k)
{
	return k->never ? k->kind + strlen("never ") : k->kind;
}

int
expk_find(int never, const char *word)
{
	int i;

	for (i = 0; word != NULL && i < SCN_EXP__COUNT; i++)
		if (kind_table[i].never == !!never &&
		    strcmp(word_of(&kind_table[i]), word) == 0)
			return i;
	return -1;
}

int
expk_from_str(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < SCN_EXP__COUNT; i++)
		if (strcmp(kind_table[i].kind, s) == 0)
			return i;
	return -1;
}

const char *
expk_words_list(int never)
{
	static char buf[2][256];
	char *b = buf[!!never];
	size_t off = 0;
	int i, j, seen;

	b[0] = '\0';
	for (i = 0; i < SCN_EXP__COUNT; i++) {
		const char *w =
		    never
		        ? word_of(&kind_table[i])
		        : (kind_table[i].never ? "never" : kind_table[i].kind);

		if (never && !kind_table[i].never)
			continue;
		for (j = 0, seen = 0; j < i && !seen; j++) {
			const char *v = never ? word_of(&kind_table[j])
			                : kind_table[j].never
			                    ? "never"
			                    : kind_table[j].kind;

			seen = (!never || kind_table[j].never) &&
			       strcmp(v, w) == 0;
		}
		if (seen)
			continue;
		off += (size_t)snprintf(b + off, sizeof(buf[0]) - off, "%s%s",
		    off > 0 ? ", " : "", w);
		if (off >= sizeof(buf[0]))
			break;
	}
	return b;
}
