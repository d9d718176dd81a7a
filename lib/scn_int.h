/*
 * scn_int.h - inside the scenario parser: the bounds, the state of the
 * file being parsed, and the functions its parts share, each defined
 * (and described) in the file it is listed under. The parts call only
 * down this order: scn_suite.c (suites) -> scn.c (the line loop) ->
 * scn_top.c, scn_zone.c, scn_mx.c, scn_expect.c (the directives) ->
 * scn_read.c (errors, words, values) -> scn_model.c (enum names,
 * freeing). Nothing outside the parser includes this; its contract is
 * scn.h.
 */
#ifndef DSIM_SCN_INT_H
#define DSIM_SCN_INT_H

#include <stddef.h>

#include "scn.h"

#define SCN_LINE_MAX 4096          /* bytes per line, without newline */
#define SCN_FILE_MAX (1024 * 1024) /* bytes per scenario file */
#define SCN_WORDS_MAX 128          /* words per line */
#define SCN_ERRORS_MAX 100         /* errors kept per file */
#define SCN_ITEMS_MAX 256          /* certs, zones, mx, breaks per file */
#define SCN_EXPECTS_MAX 1024       /* expectations per file */
#define SCN_RRS_MAX 20000          /* zone lines per file */
#define SCN_ID_MAX 40
#define SCN_DIR_DEPTH_MAX 32

/* One word of a line, unescaped; eq is the offset of "=" or -1. */
struct word {
	char *s;    /* points into the line's word buffer */
	size_t off; /* offset of the word in the raw line */
	int quoted; /* some part of the word was quoted */
	int eq;     /* attribute: offset of the first unquoted '=' */
};

enum block { BLK_NONE = 0, BLK_ZONE, BLK_MX };

/* Parser state for one file. */
struct parser {
	const char *path;
	struct scn_errors *errs;
	struct scn *s;
	int nerr;        /* errors of this file */
	int line;        /* current line number */
	const char *raw; /* current line, trimmed */
	struct word w[SCN_WORDS_MAX];
	int nw;
	char wbuf[SCN_LINE_MAX + 1];
	enum block blk;
	size_t blk_idx;
	int blk_line;
	char blk_name[72]; /* the block's name as written, for messages */
	int ndirectives;
	int nrr;
	/* header lines seen (0 = not yet) */
	int l_format, l_id, l_title, l_req, l_sev, l_tags, l_recip, l_window;
	int l_attempts, l_messages;
	int l_policy, l_route, l_fallback;
	int l_outcome[SCN_MESSAGES_MAX + 1]; /* per message=K (0: none) */
	int l_mtasts;
	/* directives seen in the current mx block (see mx_line) */
	unsigned mx_seen;
	unsigned delay_seen;
	size_t raw_cut; /* > 0: the line's text ends here (a phase
	                   qualifier follows, see take_when) */
};

/* scn_top.c */
void hdr_format(struct parser *p);
void hdr_id(struct parser *p);
void hdr_title(struct parser *p);
void hdr_requirements(struct parser *p);
void hdr_severity(struct parser *p);
void hdr_tags(struct parser *p);
void hdr_recipient(struct parser *p);
void hdr_window(struct parser *p);
void hdr_attempts(struct parser *p);
void hdr_messages(struct parser *p);
void hdr_policy(struct parser *p);
void hdr_route(struct parser *p);
void hdr_fallback(struct parser *p);
void hdr_mtasts(struct parser *p);
void mtasts_finish(struct parser *p);
void do_cert(struct parser *p);

/* scn_zone.c */
void do_zone(struct parser *p);
void zone_line(struct parser *p);
void do_dnsbreak(struct parser *p);

/* scn_mx.c */
struct mx_directive; /* a row of the mx block directive table */
void do_mx(struct parser *p);
const struct mx_directive *mx_directive_find(const char *d);
void mx_line(struct parser *p);

/* scn_expect.c */
void do_expect(struct parser *p);

/* scn_read.c */
void __attribute__((format(printf, 3, 4)))
perr(struct parser *p, int line, const char *fmt, ...);
void *grow(void *p, size_t n, size_t size);
int tokenize(struct parser *p);
char *rest_text(struct parser *p, int i);
int valid_id(const char *s);
int valid_label(const char *s);
int valid_req_id(const char *s);
char *expand_ph(struct parser *p, const char *text, int line);
int valid_dname(const char *s, int wild);
int check_name(struct parser *p, const char *name, const char *what, int wild);
char *upper_dup(const char *s);
int check_rrtype(struct parser *p, const char *t);
int parse_long(const char *s, long lo, long hi, long *out);
const char *attr_key(const struct word *w, char *k, size_t ksz);
int reltime_attr(
    struct parser *p, const char *key, const char *val, struct scn_reltime *rt);
int take_when(struct parser *p, struct scn_when *w);

/* scn_model.c */
extern const char *const sev_names[]; /* by enum scn_severity */
void free_strv(char **v, size_t n);
void mx_release(struct scn_mx *m);

#endif /* DSIM_SCN_INT_H */
