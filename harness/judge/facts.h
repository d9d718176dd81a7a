/*
 * facts.h - what was observed in a run, per scenario, from one source:
 * the fake servers' event logs (dns.jsonl, smtp.jsonl) or the packet
 * capture. The verdict engine (score.h) compares the two sources.
 *
 * Ownership: a struct facts owns every string and array in it;
 * facts_free() releases all. The scn pointers are borrowed from the suite.
 */
#ifndef DSIM_FACTS_H
#define DSIM_FACTS_H

#include <stddef.h>
#include <stdio.h>

#include "harness/judge/evlog.h"
#include "harness/world/model.h"
#include "scn.h"

enum facts_source { FACTS_SRC_LOGS = 0, FACTS_SRC_CAPTURE };

/*
 * The format of the client's first record after the 220 to STARTTLS, as
 * the capture saw it (RFC 5246 §6.2.1 and Appendix E.2).
 */
enum facts_hello_fmt {
	FACTS_HELLO_NONE = 0, /* no client byte seen there (or too few) */
	FACTS_HELLO_TLS,      /* a TLS record: 0x16 0x03 ... */
	FACTS_HELLO_SSLV2,    /* SSL 2.0-compatible: high bit, type 1 */
	FACTS_HELLO_OTHER     /* neither (clear text, garbage) */
};

/* One message fakemx stored on a connection (logs only). */
struct facts_stored {
	char *message_id; /* its Message-ID header, or NULL if none */
	char *file;       /* relative to the run folder, or NULL */
	int tls;          /* accepted inside TLS */
};

/* One TCP connection from the SUT to an MX host of a scenario. */
struct facts_conn {
	char *host;   /* MX label */
	char *client; /* "ip:port" */
	double t_start;
	double t_end;      /* 0 if not seen closing */
	int starttls_sent; /* the client sent STARTTLS */
	int starttls_code; /* the server's reply code, 0 if none seen */
	int client_hello;  /* a TLS ClientHello was seen */
	char *sni;         /* SNI of the ClientHello; NULL if absent */
	int tls_ok;        /* handshake completed */
	char *tls_version; /* "TLSv1.3" etc. or NULL */
	char *tls_alert;   /* alert text or NULL */
	int mail_plain;    /* MAIL FROM sent in clear */
	int mail_tls;      /* MAIL FROM sent inside TLS (logs only: a
	                      capture sees it only if decrypted) */
	int rcpt_plain, rcpt_tls;
	int data_plain, data_tls;
	int msg_plain;   /* a message was accepted in clear */
	int msg_tls;     /* a message was accepted inside TLS */
	int gap;         /* capture: a gap in the stream (not guessed) */
	long id;         /* fakemx's connection number; 0 if unknown */
	char *mail_from; /* first MAIL FROM address, or NULL */
	char *msg_file;  /* stored message, relative to the run; or NULL */
	/* logs only (inside TLS the capture cannot see the order): */
	int early;           /* commands sent before the reply they had
	                        to wait for was written (fakemx "early") */
	int tls_resumed;     /* the handshake resumed an earlier session */
	char early_verb[16]; /* the first such command's verb */
	char early_wait[16]; /* what it should have waited for: "EHLO" */
	int pipelined_tls;   /* commands inside TLS sent before the reply
	                        to the one before was written (fakemx
	                        "pipelined") */
	char pipe_verb[16];  /* the first such command's verb */
	char pipe_after[16]; /* the command whose reply it did not wait for */
	int bdat_tls;        /* BDAT inside TLS */
	char first_tls_verb[16]; /* the first command inside TLS ("EHLO"),
	                            "" when none was sent */
	/* capture only; inline so that facts_free has nothing to release: */
	char tls_offered[40]; /* ClientHello versions, "TLSv1.3,TLSv1.2" */
	char tls_suites[400]; /* ClientHello cipher suites, hex "1302,c02c" */
	enum facts_hello_fmt hello_fmt; /* the client's first record */
	int sni_names; /* host_name entries in the ClientHello's
	                  server_name extension (RFC 6066 §3: at most one) */
	/*
	 * Set by the capture check (analyse.c) before scoring, on the
	 * connection of the side it came from: the other source shows this
	 * connection otherwise. cap_diff names both sides ("tls_ok: logs 1,
	 * capture 0"); inline, so facts_free has nothing to release.
	 */
	int cap_disagree;
	char cap_diff[240];
	int attempt; /* the delivery attempt it began in (facts_set_attempts);
	                0: not known */
	struct facts_stored *stored; /* logs: the messages stored on it, in
	                                order (msg_plain/msg_tls sum them) */
	size_t nstored;
};

/* One DNS query the resolver made (or the SUT made: its AD and CD bits). */
struct facts_query {
	double t;
	char *qname; /* absolute, lower case, final dot */
	char *qtype; /* mnemonic */
	char *rcode; /* "NOERROR", "SERVFAIL", ...; NULL if no answer */
	int do_bit;
	int cd;      /* CD bit of the query (or, its query not captured, of
	                the answer, which copies it: RFC 4035 §3.2.2); -1
	                unknown (fakedns's log) */
	int ad;      /* AD bit of the answer, -1 unknown */
	char *fault; /* fakedns fault applied, or NULL */
	int to_sut;  /* 1: between the SUT and its resolver (capture);
	                0: between the resolver and fakedns */
	int attempt; /* delivery attempt (facts_set_attempts); 0: unknown */
};

struct facts_scn {
	const struct scn *scn;    /* borrowed */
	struct facts_conn *conns; /* in order of t_start */
	size_t nconns;
	struct facts_query *queries;
	size_t nqueries;
};

struct facts {
	enum facts_source src;
	int complete;           /* 0: source missing or partial */
	char *note;             /* why incomplete, or NULL */
	struct facts_scn *scns; /* one per suite scenario, suite order */
	size_t n;
	int have_dns;  /* logs: dns.jsonl was read */
	int have_smtp; /* logs: smtp.jsonl was read */
	size_t nbad;   /* malformed lines / records skipped */
	size_t nstray; /* records of no scenario of the suite */
};

/*
 * facts_from_logs - read run_dir/dns.jsonl and run_dir/smtp.jsonl and
 * attribute every record to its scenario. Malformed lines are skipped and
 * counted in note. Returns a new struct facts (never NULL; complete = 0
 * when a log is missing).
 */
struct facts *facts_from_logs(const struct world *w, const char *run_dir);

/*
 * facts_from_streams - as facts_from_logs, from open streams of the two
 * logs (NULL: that log is missing). The streams stay the caller's.
 */
struct facts *facts_from_streams(const struct world *w, FILE *dns, FILE *smtp);

/*
 * A builder takes the events of the logs one by one, as the event-log
 * reader hands them (evlog.h), so that other readers of the same events
 * (the HTML report's excerpts) share one pass over the logs:
 *   b = facts_builder_new(w);
 *   evlog_read_run(run_dir, facts_builder_event, b, &have_dns, &have_smtp);
 *   f = facts_builder_end(b, have_dns, have_smtp);
 */
struct facts_builder;

/* facts_builder_new - a builder for the suite of w (borrowed). Never NULL. */
struct facts_builder *facts_builder_new(const struct world *w);

/*
 * facts_builder_event - an evlog_fn: apply one event (arg is the
 * builder); a missing, flawed or malformed event is counted in the note.
 */
void facts_builder_event(
    void *arg, enum evlog_log log, json_t *ev, enum evlog_flaw flaw);

/*
 * facts_builder_end - the facts (new; never NULL), the builder freed.
 * have_dns, have_smtp: whether each log was there at all (complete = 0
 * and a note when one was not).
 */
struct facts *facts_builder_end(
    struct facts_builder *b, int have_dns, int have_smtp);

/*
 * The run loop reads the logs while they grow: a tail keeps a builder
 * and each log's offset, and each facts_tail_read reads only the whole
 * lines the logs gained since the one before (evlog_tail), applying them
 * to the same facts. What it returns is what facts_from_logs would give
 * for the logs' whole lines so far.
 */
struct facts_tail;

/* facts_tail_new - a tail of run_dir's logs for the suite of w
   (borrowed: it must outlive the tail). Never NULL. */
struct facts_tail *facts_tail_new(const struct world *w, const char *run_dir);

/*
 * facts_tail_read - apply what the logs gained since the last call.
 * Returns the facts so far, owned by the tail: valid until the next call
 * or facts_tail_free. Never NULL.
 */
struct facts *facts_tail_read(struct facts_tail *t);

/* facts_tail_free - release t and its facts (NULL allowed). */
void facts_tail_free(struct facts_tail *t);

/*
 * facts_set_attempts - give every connection and query of fs the number
 * of the delivery attempt it began in: attempt n[k] runs from started[k]
 * to started[k + 1] (the first takes everything before the second, the
 * last everything after its start), as the report lists the attempts.
 * With count 0 nothing is known (attempt 0).
 */
void facts_set_attempts(
    struct facts_scn *fs, const double *started, const int *n, size_t count);
/*
 * facts_of_message - fs seen from one message of its scenario: the same
 * connections and queries, but a connection's msg_plain, msg_tls and
 * msg_file speak only of the stored messages whose Message-ID is
 * message_id. A new facts_scn whose arrays are owned and whose strings
 * are borrowed from fs (facts_view_free); NULL when fs is NULL.
 */
struct facts_scn *facts_of_message(
    const struct facts_scn *fs, const char *message_id);

/* facts_view_free - release a view of a facts_scn whose arrays are its
 * own and whose strings are borrowed (facts_of_message, score.c's cut to
 * some attempts); NULL is fine. */
void facts_view_free(struct facts_scn *v);

/*
 * facts_sni_flaw - what makes connection c's SNI break RFC 6066 §3's
 * HostName rules (more than one host_name, an IPv4/IPv6 address, a final
 * dot, a byte outside letters, digits, '-', '_' and '.': a non-ASCII name
 * not given as an A-label), as a static phrase, or NULL when it has none
 * (no SNI included).
 */
const char *facts_sni_flaw(const struct facts_conn *c);

/*
 * facts_literal_scn - the scenario one of whose MX host addresses the
 * DNS name qname spells as four of its labels ("_25._tcp.127.25.0.1.",
 * brackets ignored: "_25._tcp.[127.25.0.1]."), its index in w's suite,
 * or -1. A sender that applies DANE to an address literal asks such
 * names (RFC 7672 §2.2); they belong to no zone, so both fact sources
 * attribute them this way.
 */
long facts_literal_scn(const struct world *w, const char *qname);

/*
 * facts_name_spells - whether the DNS name qname spells address addr
 * (dotted IPv4) as four of its labels, brackets ignored.
 */
int facts_name_spells(const char *qname, const char *addr);

/* facts_hello_fmt_str - "-", "tls", "sslv2" or "other". */
const char *facts_hello_fmt_str(enum facts_hello_fmt f);

/* facts_free - release everything; NULL is fine. */
void facts_free(struct facts *f);

/* facts_for - the facts of scenario s, or NULL. Borrowed. */
struct facts_scn *facts_for(struct facts *f, const struct scn *s);

#endif /* DSIM_FACTS_H */
