/*
 * expkind.h - the one table of expectation kinds ("expect ..." lines of
 * a scenario): each kind's words, the arguments it takes, the fact it
 * is judged on, and the sentence a report shows when it fails.
 *
 * The parser (scn.c) reads the words and argument shapes, lint
 * (scn_lint.c) the facts, the judge (harness/score.c, one scoring
 * function per kind indexed by enum scn_expect_kind) and the HTML report
 * (harness/html.c) the explanations; docs/scenario-format.md lists the
 * same kinds (checked by a unit test).
 */
#ifndef DSIM_EXPKIND_H
#define DSIM_EXPKIND_H

#include <stddef.h>

/* No meaning in the order beyond the order of listings. */
enum scn_expect_kind {
	SCN_EXP_OUTCOME = 0,      /* expect outcome O [O...] */
	SCN_EXP_NEVER_CONNECT,    /* expect never connect HOST */
	SCN_EXP_NEVER_MAIL,       /* expect never mail HOST */
	SCN_EXP_NEVER_PLAIN_MAIL, /* expect never mail-plaintext [HOST] */
	SCN_EXP_NEVER_PLAIN_DATA, /* expect never data-plaintext [HOST] */
	SCN_EXP_NEVER_EARLY_CMD,  /* expect never early-command [HOST] */
	SCN_EXP_NEVER_PIPE_TLS,   /* expect never pipelined-after-tls [HOST] */
	SCN_EXP_NEVER_BDAT_TLS,   /* expect never bdat-after-tls [HOST] */
	SCN_EXP_NEVER_SSLV2,      /* expect never sslv2-hello [HOST] */
	SCN_EXP_NEVER_BAD_SNI,    /* expect never bad-sni [HOST] */
	SCN_EXP_MAIL_TLS,         /* expect mail-tls HOST */
	SCN_EXP_SNI,              /* expect sni HOST NAME */
	SCN_EXP_FIRST_AFTER_TLS,  /* expect first-after-tls HOST VERB */
	SCN_EXP_QUERY,            /* expect query NAME TYPE */
	SCN_EXP_NEVER_QUERY,      /* expect never query NAME TYPE */
	SCN_EXP_NEVER_LITERAL_TLSA, /* expect never literal-tlsa [HOST] */
	SCN_EXP_QUERY_ORDER, /* expect query-order NAME1 TYPES1 NAME2 TYPES2 */
	SCN_EXP_NEVER_STUB_CD, /* expect never stub-cd */
	SCN_EXP__COUNT
};

/* The arguments after a kind's words. */
enum expk_args {
	EXPK_ARGS_OUTCOMES = 0, /* OUTCOME... (one or more) */
	EXPK_ARGS_HOST,         /* HOST */
	EXPK_ARGS_OPT_HOST,     /* [HOST] */
	EXPK_ARGS_HOST_NAME,    /* HOST NAME (an SNI name) */
	EXPK_ARGS_NAME_TYPE,    /* NAME TYPE (a query) */
	EXPK_ARGS_HOST_VERB,    /* HOST VERB (an SMTP command verb) */
	EXPK_ARGS_QUERY_PAIR,   /* NAME1 TYPES1 NAME2 TYPES2 (two queries;
	                           TYPES a list such as A,AAAA) */
	EXPK_ARGS_NONE          /* nothing */
};

/* The facts a kind is judged on. */
enum expk_fact {
	EXPK_FACT_OUTCOME = 0, /* the message's fate: SUT status + conns */
	EXPK_FACT_SMTP,        /* SMTP connections: fakemx log, capture */
	EXPK_FACT_DNS          /* the query log of the scenario's servers */
};

struct expk_spec {
	const char *kind; /* words as written and in reports: "never mail" */
	int never;        /* forbids an event ("expect never ...") */
	enum expk_args args;
	enum expk_fact fact;
	const char *usage; /* the arguments, as docs/scenario-format.md */
	const char *doc;   /* one line: what passes */
	/*
	 * explain - the report's sentence when it fails: "{args}" becomes
	 * arg_pre + the arguments, or arg_none without any; "{outcome}"
	 * the judged outcome.
	 */
	const char *explain;
	const char *arg_pre;
	const char *arg_none;
};

/* expk_spec - the row of kind k (k must be in range). */
const struct expk_spec *expk_spec(enum scn_expect_kind k);
/* scn_expect_kind_str - the kind's words; "?" out of range. */
const char *scn_expect_kind_str(enum scn_expect_kind k);
/*
 * expk_find - the kind written as (never, word) - "expect never query"
 * is (1, "query") - or -1.
 */
int expk_find(int never, const char *word);
/* expk_from_str - the kind whose words are s ("never mail"), or -1. */
int expk_from_str(const char *s);
/*
 * expk_words_list - the words that may follow "expect" (never 0) or
 * "expect never" (never 1), each once, as "a, b, c" (static string).
 */
const char *expk_words_list(int never);

#endif /* DSIM_EXPKIND_H */
