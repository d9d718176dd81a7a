/*
 * scn.c - the scenario file parser (format v1, docs/scenario-format.md):
 * the line loop - the top-level directive table, blocks, and
 * scn_parse_buf / scn_parse_file. The parser's other parts, by what they
 * read, are scn_top.c (header lines, cert), scn_zone.c (zone blocks and
 * lines, dnsbreak), scn_mx.c (mx blocks) and scn_expect.c
 * (expectations), all over scn_read.c (errors, words, values); suites
 * are scn_suite.c, the enum names and freeing scn_model.c. They share
 * the parser's state through scn_int.h, and call only down that list.
 *
 * The parser reads one line at a time and never stops at the first
 * problem: every error of a file is collected as "file:line: message" so
 * an author fixes them in one go. Hostile input (NUL bytes, huge lines,
 * unclosed quotes, blocks without "end", millions of lines) gives errors,
 * never a crash: lines, words, errors and items per scenario are bounded.
 *
 * DNS lines inside "zone ... end" are kept as text for the world builder,
 * which hands them to ldns after expansion; only their variables are
 * checked here. RR type mnemonics (dnsbreak, expect query) are checked
 * with ldns's own table (RFC 3597 TYPEnnn included).
 */
#include "scn_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "buf.h"
#include "vocab.h"
#include "xmalloc.h"

/* ---- the line loop ------------------------------------------------- */

/*
 * The top-level directives: the header's, then the world's blocks and
 * lines, then the expectations. A new directive is a row here and its
 * function.
 */
static const struct top_directive {
	const char *name;
	void (*fn)(struct parser *p);
} top_directives[] = {
    {"format", hdr_format},
    {"id", hdr_id},
    {"title", hdr_title},
    {"requirements", hdr_requirements},
    {"severity", hdr_severity},
    {"tags", hdr_tags},
    {"recipient", hdr_recipient},
    {"window", hdr_window},
    {"attempts", hdr_attempts},
    {"messages", hdr_messages},
    {"policy", hdr_policy},
    {"route", hdr_route},
    {"fallback-relay", hdr_fallback},
    {"mta-sts", hdr_mtasts},
    {"cert", do_cert},
    {"zone", do_zone},
    {"mx", do_mx},
    {"dnsbreak", do_dnsbreak},
    {"expect", do_expect},
};

/* top_directive_find - the row of d, or NULL. */
static const struct top_directive *
top_directive_find(const char *d)
{
	size_t i;

	for (i = 0; i < sizeof(top_directives) / sizeof(top_directives[0]); i++)
		if (strcmp(top_directives[i].name, d) == 0)
			return &top_directives[i];
	return NULL;
}

/* ends_mx_block - a top-level word that is no mx directive ("cert" is
 * both: inside a block it is the MX's). */
static int
ends_mx_block(const char *d)
{
	return top_directive_find(d) != NULL && mx_directive_find(d) == NULL;
}

/* close_unterminated - report the open block at end of file. */
static void
close_unterminated(struct parser *p)
{
	const char *what = p->blk == BLK_ZONE ? "zone" : "mx";
	perr(p, p->blk_line, "%s '%s' has no 'end' (file ends at line %d)",
	    what, p->blk_name, p->line);
	p->blk = BLK_NONE;
}

/* ttl_or_class - a master-file TTL ("300", "1h") or class word. */
static int
ttl_or_class(const char *w)
{
	long long v;

	if (strcasecmp(w, "IN") == 0 || strcasecmp(w, "CH") == 0 ||
	    strcasecmp(w, "HS") == 0 || strcasecmp(w, "CS") == 0)
		return 1;
	return isdigit((unsigned char)*w) && scn_parse_reltime(w, &v) == 0;
}

/*
 * zone_line_is_directive - inside a zone, a line that starts with a
 * scenario directive and is not shaped like an RR ("owner [ttl] [class]
 * type ...") means the zone's "end" is missing. "mx A 127.0.0.1" is an
 * RR of owner "mx"; "mx mx1" is the start of an mx block.
 */
static int
zone_line_is_directive(const char *raw)
{
	char w[4][64];
	int n, i;

	n = sscanf(raw, "%63s %63s %63s %63s", w[0], w[1], w[2], w[3]);
	if (n < 1 || top_directive_find(w[0]) == NULL)
		return 0;
	for (i = 1; i < n; i++) {
		if (ldns_get_rr_type_by_name(w[i]) != 0)
			return 0;
		if (!ttl_or_class(w[i]))
			break;
	}
	return 1;
}

/* do_line - one non-empty, non-comment line (p->raw). */
static void
do_line(struct parser *p)
{
	const struct top_directive *row;
	char lbuf[512];
	const char *d;

	if (p->blk == BLK_ZONE) {
		if (strcmp(p->raw, "end") == 0) {
			p->blk = BLK_NONE;
			return;
		}
		if (!zone_line_is_directive(p->raw)) {
			zone_line(p);
			return;
		}
		perr(p, p->blk_line, "zone '%s' has no 'end' before line %d",
		    p->blk_name, p->line);
		p->blk = BLK_NONE;
	}
	if (tokenize(p) == -1 || p->nw == 0)
		return;
	d = p->w[0].s;
	if (p->blk == BLK_MX) {
		if (strcmp(d, "end") == 0) {
			if (p->nw != 1)
				perr(p, 0, "'end' takes nothing");
			p->blk = BLK_NONE;
			return;
		}
		if (!ends_mx_block(d)) {
			mx_line(p);
			return;
		}
		/*
		 * A top-level directive inside an mx block means an "end"
		 * is missing: say so, close the block and carry on.
		 */
		perr(p, p->blk_line, "mx '%s' has no 'end' before line %d",
		    p->blk_name, p->line);
		p->blk = BLK_NONE;
	}
	p->ndirectives++;
	if ((row = top_directive_find(d)) != NULL)
		row->fn(p);
	else if (strcmp(d, "end") == 0)
		perr(p, 0, "'end' without an open zone or mx block");
	else
		perr(p, 0, "unknown directive '%s' (want %s)", d,
		    vocab_list_rows(lbuf, sizeof(lbuf), top_directives,
		        sizeof(top_directives) / sizeof(top_directives[0]),
		        sizeof(top_directives[0])));
}

/* check_required - the header directives that must be present. */
static void
check_required(struct parser *p)
{
	if (!p->l_id)
		perr(p, 1, "missing required 'id'");
	if (!p->l_title)
		perr(p, 1, "missing required 'title'");
	if (!p->l_req)
		perr(p, 1, "missing required 'requirements'");
	if (!p->l_sev)
		perr(p, 1, "missing required 'severity'");
}

struct scn *
scn_parse_buf(
    const char *path, const char *text, size_t len, struct scn_errors *errs)
{
	struct parser *p;
	struct scn *s;
	size_t pos = 0;
	char line[SCN_LINE_MAX + 1];

	p = xcalloc(1, sizeof(*p));
	p->path = path != NULL ? path : "(buffer)";
	p->errs = errs;
	p->s = s = xcalloc(1, sizeof(*s));
	s->file = xstrdup(p->path);
	if (text == NULL)
		len = 0;
	/* a UTF-8 byte order mark some editors write is not a directive */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
		size_t a = 0, i;
		int badc = 0;

		p->line++;
		if (p->nerr >= SCN_ERRORS_MAX)
			break;
		if (n > SCN_LINE_MAX) {
			perr(p, 0, "line longer than %d bytes", SCN_LINE_MAX);
			pos += n + 1;
			continue;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + 1;
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)line[i];

			if (c == 0) {
				perr(p, 0, "NUL byte in line");
				badc = 1;
				break;
			}
			if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
				perr(p, 0, "control character 0x%02x in line",
				    c);
				badc = 1;
				break;
			}
		}
		if (badc)
			continue;
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
		                    line[n - 1] == '\r'))
			line[--n] = '\0';
		while (line[a] == ' ' || line[a] == '\t' || line[a] == '\r')
			a++;
		if (line[a] == '\0' || line[a] == '#')
			continue;
		if (strchr(line + a, '\r') != NULL) {
			perr(p, 0, "carriage return inside a line");
			continue;
		}
		p->raw = line + a;
		do_line(p);
	}
	if (p->blk != BLK_NONE)
		close_unterminated(p);
	if (p->nerr == 0)
		mtasts_finish(p);
	if (p->nerr < SCN_ERRORS_MAX)
		check_required(p);
	if (p->nerr > 0) {
		scn_free(s);
		s = NULL;
	}
	free(p);
	return s;
}

struct scn *
scn_parse_file(const char *path, struct scn_errors *errs)
{
	struct buf b;
	char chunk[8192];
	struct scn *s = NULL;
	struct stat st;
	ssize_t r;
	int fd;

	buf_init(&b);
	/* O_NONBLOCK: a FIFO named .scn must not hang the open */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		scn_errors_add(
		    errs, "%s:0: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		scn_errors_add(errs, "%s:0: not a regular file", path);
		goto out;
	}
	for (;;) {
		r = read(fd, chunk, sizeof(chunk));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			scn_errors_add(
			    errs, "%s:0: read: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > SCN_FILE_MAX) {
			scn_errors_add(errs, "%s:0: file larger than %d bytes",
			    path, SCN_FILE_MAX);
			goto out;
		}
		buf_append(&b, chunk, (size_t)r);
	}
	s = scn_parse_buf(path, b.data != NULL ? b.data : "", b.len, errs);
out:
	close(fd);
	buf_free(&b);
	return s;
}
