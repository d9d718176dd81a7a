/*
 * cmd_lint.c - "danesim lint", "danesim list" and "danesim coverage":
 * check a suite of scenario files, list it, and map it onto the RFC 7672
 * requirement catalogue (docs/rfc7672-requirements.md).
 *
 * None of these starts anything: they read files and print. Exit status:
 * 0 clean, 1 lint problems found, 2 usage or parse errors.
 */
#include "harness/cmd/cmd.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "harness/cmd/cli.h"
#include "log.h"
#include "scn.h"
#include "scn_lint.h"
#include "share.h"
#include "xmalloc.h"

/* Options shared by the three commands. */
struct lint_opts {
	const char *catalogue; /* --catalogue FILE, or NULL for the default */
	const char *out;       /* --out FILE (coverage) */
	int json;              /* --json (list) */
	char **paths;          /* scenario files or folders */
	size_t npaths;
	char *defpath; /* owned default path, if used */
};

/* usage_lint - help of danesim lint. */
static void
usage_lint(FILE *out)
{
	fprintf(out,
	    "usage: danesim lint [--catalogue FILE] [FILE|DIR...]\n"
	    "\n"
	    "Parse scenario files and reject the ones whose checks could\n"
	    "never fail or name nothing. Folders are searched recursively\n"
	    "for *.scn files; the default is the suite (scenarios/ of the\n"
	    "share folder, see 'danesim --help').\n"
	    "\n"
	    "Beyond syntax (docs/scenario-format.md) lint rejects:\n"
	    "  - an expectation without a requirement id;\n"
	    "  - a requirement id that is not a row of the catalogue;\n"
	    "  - an expectation about an MX label that is not declared or\n"
	    "    that no record of the scenario's zones points at;\n"
	    "  - a cert, issuer, key-of, chain or sni naming an undeclared\n"
	    "    certificate, an issuer that is not a CA or comes later;\n"
	    "  - ${TLSA(..)}, ${ADDR(..)} or ${ADDR6(..)} naming an "
	    "undeclared\n"
	    "    label;\n"
	    "  - a zone line that ldns rejects (variables given placeholder\n"
	    "    values), not of class IN, owned outside its zone, or an\n"
	    "    apex SOA, NS or DNSKEY (the world builder makes those);\n"
	    "  - a dnsbreak whose owner is in no zone of the scenario;\n"
	    "  - a query expectation whose name no zone of the scenario\n"
	    "    answers (or the DS of a zone whose parent is test.);\n"
	    "  - a zone outside the scenario's own names;\n"
	    "  - no 'expect outcome' line, or one listing every outcome;\n"
	    "  - 'messages N' without an 'attempts' header of at least N,\n"
	    "    or an outcome line's message=K above N;\n"
	    "  - an mx block that no expectation and no record mentions;\n"
	    "  - two scenarios with one id or one zone;\n"
	    "  - with a catalogue: an expectation whose severity= lowers\n"
	    "    what its requirement rows give (SEC > INT > OPS, C)\n"
	    "    without because=\"...\", a because= that explains no\n"
	    "    lower severity, or rows without a severity label.\n"
	    "\n"
	    "Every problem is printed as FILE:LINE: MESSAGE; then every\n"
	    "severity override (not a problem) as 'severity override:\n"
	    "FILE:LINE lowered to interop (catalogue: security, R-ID)\n"
	    "because \"...\"'; then a line 'N scenarios, M problems'.\n"
	    "\n"
	    "options:\n"
	    "  --catalogue FILE  the requirement catalogue (default\n"
	    "                    docs/rfc7672-requirements.md of the share\n"
	    "                    folder, see 'danesim --help'; without one,\n"
	    "                    requirement ids are checked for syntax only)\n"
	    "  -h, --help        this text\n"
	    "\n"
	    "exit status: 0 clean, 1 lint problems, 2 usage or parse "
	    "errors.\n"
	    "\n"
	    "example:\n"
	    "  danesim lint scenarios/tlsa scenarios/mx/mx-fallback.scn\n");
}

/* usage_list - help of danesim list. */
static void
usage_list(FILE *out)
{
	fprintf(out,
	    "usage: danesim list [--json] [FILE|DIR...]\n"
	    "\n"
	    "List the scenarios of a suite, sorted by id, one per line:\n"
	    "id, default severity, requirement ids (the header's), title. "
	    "Folders are searched recursively for\n"
	    "*.scn files; the default is the suite (scenarios/ of the share\n"
	    "folder, see 'danesim --help').\n"
	    "\n"
	    "options:\n"
	    "  --json      print a JSON array instead: for each scenario its\n"
	    "              id, file, title, severity, requirements (header\n"
	    "              and expectations), tags and number of\n"
	    "              expectations\n"
	    "  -h, --help  this text\n"
	    "\n"
	    "Files that do not parse are reported on stderr as\n"
	    "FILE:LINE: MESSAGE and left out of the list.\n"
	    "\n"
	    "exit status: 0 listed, 2 usage or parse errors.\n");
}

/* usage_coverage - help of danesim coverage. */
static void
usage_coverage(FILE *out)
{
	fprintf(out,
	    "usage: danesim coverage [--catalogue FILE] [--out FILE] "
	    "[--json]\n"
	    "                        [FILE|DIR...]\n"
	    "\n"
	    "Write a Markdown table of the requirement catalogue: for every\n"
	    "requirement id, in catalogue order, its section, keyword and\n"
	    "severity, and the scenarios whose header or expectations cite\n"
	    "it, or 'not yet covered'. Totals come first, with the share of\n"
	    "the testable rows covered; then the rows the catalogue marks\n"
	    "not testable black-box ('- Untestable: reason'), which never\n"
	    "count as covered; ids cited by scenarios but missing from the\n"
	    "catalogue are listed too, and every expectation whose\n"
	    "severity= differs from its rows' (with its because=).\n"
	    "The repository keeps the result in docs/coverage.md.\n"
	    "\n"
	    "options:\n"
	    "  --catalogue FILE  the requirement catalogue (default\n"
	    "                    docs/rfc7672-requirements.md of the share\n"
	    "                    folder, see 'danesim --help')\n"
	    "  --out FILE        write there (replaced atomically) instead of\n"
	    "                    standard output\n"
	    "  --json            the figures only, as one JSON object:\n"
	    "                    {\"rows\": N, \"covered\": N, "
	    "\"untestable\": N,\n"
	    "                     \"sec\": {\"rows\": N, \"covered\": N,\n"
	    "                     \"untestable\": N}} (covered counts\n"
	    "                    testable rows only; sec: rows whose\n"
	    "                    severity names SEC, INT/SEC included)\n"
	    "  -h, --help        this text\n"
	    "\n"
	    "Scenario folders are searched recursively for *.scn files;\n"
	    "the default is the suite (scenarios/ of the share folder).\n"
	    "\n"
	    "exit status: 0 written, 2 usage, catalogue or parse errors\n"
	    "(nothing is written then).\n"
	    "\n"
	    "example:\n"
	    "  danesim coverage --out docs/coverage.md\n");
}

/* default_scenarios - the share folder's suite (share.h); new string. */
static char *
default_scenarios(void)
{
	return share_path("scenarios");
}

/*
 * parse_opts - the options of one command (allowed: which of "c", "o",
 * "j"). Returns 0, 1 for --help (printed), or 2 for a usage error
 * (printed).
 */
static int
parse_opts(int argc, char **argv, const char *allowed, void (*usage)(FILE *),
    struct lint_opts *o)
{
	static const struct option all[] = {
	    {"catalogue", required_argument, NULL, 'c'},
	    {"out", required_argument, NULL, 'o'},
	    {"json", no_argument, NULL, 'j'},
	};
	struct option lopts[sizeof(all) / sizeof(all[0]) + 2];
	size_t i, n = 0;
	int ch;

	memset(o, 0, sizeof(*o));
	memset(lopts, 0, sizeof(lopts));
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strchr(allowed, all[i].val) != NULL)
			lopts[n++] = all[i];
	lopts[n].name = "help";
	lopts[n].has_arg = no_argument;
	lopts[n].val = 'h';
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->catalogue = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			cli_bad_option(argv[0], ch, argv, lopts);
			return 2;
		}
	}
	if (optind < argc) {
		o->paths = argv + optind;
		o->npaths = (size_t)(argc - optind);
	} else {
		o->defpath = default_scenarios();
		o->paths = &o->defpath;
		o->npaths = 1;
	}
	return 0;
}

/*
 * load_catalogue - the catalogue named by --catalogue (required to load)
 * or the default one (optional unless need). Returns 0 with cat filled,
 * 1 when none was found and none is needed, -1 on failure (printed).
 */
static int
load_catalogue(
    const char *cmd, const char *path, int need, struct scn_catalogue *cat)
{
	char *def = NULL;
	int rc;

	memset(cat, 0, sizeof(*cat));
	if (path == NULL) {
		def = scn_catalogue_default();
		if (def == NULL) {
			if (need) {
				fprintf(stderr,
				    "danesim %s: no catalogue: give "
				    "--catalogue FILE or set DANESIM_SHARE\n",
				    cmd);
				return -1;
			}
			fprintf(stderr,
			    "danesim %s: no requirement catalogue found; "
			    "requirement ids are checked for syntax only\n",
			    cmd);
			return 1;
		}
		path = def;
	}
	rc = scn_catalogue_load(path, cat);
	if (rc == -1)
		fprintf(
		    stderr, "danesim %s: cannot use catalogue %s\n", cmd, path);
	free(def);
	return rc;
}

/* print_errors - every message to out. */
static void
print_errors(FILE *out, const struct scn_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		fprintf(out, "%s\n", e->msg[i]);
}

/*
 * print_overrides - every expectation whose severity= differs from what
 * its catalogue rows give, one "severity override: FILE:LINE ..." line
 * each (not problems: a lower one carries its reason).
 */
static void
print_overrides(
    FILE *out, const struct scn_catalogue *cat, const struct scn_suite *suite)
{
	size_t i, j;
	char *o;

	for (i = 0; i < suite->n; i++)
		for (j = 0; j < suite->items[i]->nexpects; j++) {
			o = scn_severity_override(
			    cat, suite->items[i], &suite->items[i]->expects[j]);
			if (o != NULL)
				fprintf(out, "severity override: %s\n", o);
			free(o);
		}
}

int
cmd_lint(int argc, char **argv)
{
	struct lint_opts o;
	struct scn_catalogue cat;
	struct scn_suite suite = {NULL, 0};
	struct scn_errors errs = {NULL, 0};
	size_t i;
	int rc, have_cat, problems = 0;

	if ((rc = parse_opts(argc, argv, "c", usage_lint, &o)) != 0)
		return rc == 1 ? 0 : 2;
	have_cat =
	    load_catalogue("lint", o.catalogue, o.catalogue != NULL, &cat);
	if (have_cat == -1) {
		free(o.defpath);
		return 2;
	}
	rc = scn_suite_load(&suite, o.paths, o.npaths, &errs) == -1 ? 2 : 0;
	for (i = 0; i < suite.n; i++)
		problems += scn_lint_with_catalogue(
		    suite.items[i], have_cat == 0 ? &cat : NULL, &errs);
	print_errors(stdout, &errs);
	if (have_cat == 0)
		print_overrides(stdout, &cat, &suite);
	printf("%zu scenario%s, %zu problem%s\n", suite.n,
	    suite.n == 1 ? "" : "s", errs.n, errs.n == 1 ? "" : "s");
	if (rc == 0 && suite.n == 0) {
		fprintf(stderr, "danesim lint: no *.scn files found\n");
		rc = 2;
	}
	if (rc == 0 && problems > 0)
		rc = 1;
	scn_suite_free(&suite);
	scn_errors_free(&errs);
	scn_catalogue_free(&cat);
	free(o.defpath);
	return rc;
}

/* all_reqs - the distinct requirement ids a scenario cites, in order. */
static void
all_reqs(const struct scn *s, char ***out, size_t *n)
{
	size_t i, j, k;

	*out = NULL;
	*n = 0;
	for (i = 0; i <= s->nexpects; i++) {
		char **v = i == 0 ? s->req : s->expects[i - 1].req;
		size_t nv = i == 0 ? s->nreq : s->expects[i - 1].nreq;

		for (j = 0; j < nv; j++) {
			for (k = 0; k < *n; k++)
				if (strcmp((*out)[k], v[j]) == 0)
					break;
			if (k < *n)
				continue;
			*out = xreallocarray(*out, *n + 1, sizeof(**out));
			(*out)[(*n)++] = v[j];
		}
	}
}

/* list_json - the suite as a JSON array on stdout. */
static int
list_json(const struct scn_suite *suite)
{
	json_t *arr = json_array();
	size_t i, j, nr;
	char **r;
	int rc = 0;

	for (i = 0; i < suite->n; i++) {
		const struct scn *s = suite->items[i];
		json_t *o = json_object(), *reqs = json_array(),
		       *tags = json_array();

		all_reqs(s, &r, &nr);
		for (j = 0; j < nr; j++)
			json_array_append_new(reqs, json_string(r[j]));
		free(r);
		for (j = 0; j < s->ntags; j++)
			json_array_append_new(tags, json_string(s->tags[j]));
		json_object_set_new(o, "id", json_string(s->id));
		json_object_set_new(o, "file", json_string(s->file));
		json_object_set_new(o, "title", json_string(s->title));
		json_object_set_new(
		    o, "severity", json_string(scn_severity_str(s->severity)));
		json_object_set_new(o, "requirements", reqs);
		json_object_set_new(o, "tags", tags);
		json_object_set_new(
		    o, "expectations", json_integer((json_int_t)s->nexpects));
		json_array_append_new(arr, o);
	}
	if (json_dumpf(arr, stdout, JSON_INDENT(2)) == -1) {
		fprintf(stderr, "danesim list: cannot write JSON\n");
		rc = -1;
	} else
		fputc('\n', stdout);
	json_decref(arr);
	return rc;
}

/* header_reqs - the scenario's "requirements" joined by commas, into b. */
static void
header_reqs(struct buf *b, const struct scn *s)
{
	size_t j;

	buf_reset(b);
	buf_puts(b, "");
	for (j = 0; j < s->nreq; j++)
		buf_printf(b, "%s%s", j ? "," : "", s->req[j]);
}

/*
 * list_table - the suite as a text table on stdout: id, severity, the
 * header's requirement ids, title.
 */
static void
list_table(const struct scn_suite *suite)
{
	size_t i, wid = 2, wreq = 12;
	struct buf b;

	buf_init(&b);
	for (i = 0; i < suite->n; i++) {
		size_t l = strlen(suite->items[i]->id);

		if (l > wid)
			wid = l;
		header_reqs(&b, suite->items[i]);
		if (b.len > wreq)
			wreq = b.len;
	}
	printf("%-*s  %-8s  %-*s  %s\n", (int)wid, "ID", "SEVERITY", (int)wreq,
	    "REQUIREMENTS", "TITLE");
	for (i = 0; i < suite->n; i++) {
		const struct scn *s = suite->items[i];

		header_reqs(&b, s);
		printf("%-*s  %-8s  %-*s  %s\n", (int)wid, s->id,
		    scn_severity_str(s->severity), (int)wreq, buf_cstr(&b),
		    s->title);
	}
	printf("%zu scenario%s\n", suite->n, suite->n == 1 ? "" : "s");
	buf_free(&b);
}

int
cmd_list(int argc, char **argv)
{
	struct lint_opts o;
	struct scn_suite suite = {NULL, 0};
	struct scn_errors errs = {NULL, 0};
	int rc;

	if ((rc = parse_opts(argc, argv, "j", usage_list, &o)) != 0)
		return rc == 1 ? 0 : 2;
	rc = scn_suite_load(&suite, o.paths, o.npaths, &errs) == -1 ? 2 : 0;
	print_errors(stderr, &errs);
	if (o.json) {
		if (list_json(&suite) == -1)
			rc = 2;
	} else
		list_table(&suite);
	scn_suite_free(&suite);
	scn_errors_free(&errs);
	free(o.defpath);
	return rc;
}

/* md_cell - text for a Markdown table cell ('|' escaped, no newlines). */
static void
md_cell(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			buf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			buf_putc(b, ' ');
		else
			buf_putc(b, *s);
	}
}

/* cites - scenario s cites requirement id (header or expectations). */
static int
cites(const struct scn *s, const char *id)
{
	size_t i, j;

	for (i = 0; i < s->nreq; i++)
		if (strcmp(s->req[i], id) == 0)
			return 1;
	for (i = 0; i < s->nexpects; i++)
		for (j = 0; j < s->expects[i].nreq; j++)
			if (strcmp(s->expects[i].req[j], id) == 0)
				return 1;
	return 0;
}

/*
 * overrides_md - the expectations judged at another severity than their
 * catalogue rows give (severity= on the line), with the reason.
 */
static void
overrides_md(struct buf *b, const struct scn_catalogue *cat,
    const struct scn_suite *suite)
{
	enum scn_severity sev;
	const char *req;
	size_t i, j, n = 0;

	for (i = 0; i < suite->n; i++) {
		const struct scn *s = suite->items[i];

		for (j = 0; j < s->nexpects; j++) {
			const struct scn_expect *e = &s->expects[j];

			if (!e->severity_set ||
			    scn_expect_catalogue_severity(
			        cat, s, e, &sev, &req) == -1 ||
			    sev == e->severity)
				continue;
			if (n++ == 0)
				buf_puts(b,
				    "## Severity overrides\n"
				    "\n"
				    "An expectation is judged as severe as the "
				    "most severe catalogue row it cites (SEC "
				    "is security; INT, OPS and C are "
				    "interoperability; a row's label is the "
				    "first before any `/`). These lines set "
				    "another severity; a lower one says why.\n"
				    "\n"
				    "| scenario | line | expectation | "
				    "catalogue | judged as | because |\n"
				    "|---|---|---|---|---|---|\n");
			buf_printf(b, "| %s | %d | `", s->id, e->line);
			md_cell(b, scn_expect_kind_str(e->kind));
			if (e->host != NULL)
				buf_printf(b, " %s", e->host);
			buf_printf(b, "` | %s (%s) | %s | ",
			    scn_severity_str(sev), req,
			    scn_severity_str(e->severity));
			md_cell(b, e->because ? e->because : "");
			buf_puts(b, " |\n");
		}
	}
}

/* Coverage figures of a suite against the catalogue. */
struct coverage {
	char *hit;         /* per catalogue row: cited by a scenario */
	size_t rows;       /* catalogue rows */
	size_t covered;    /* testable rows cited by a scenario */
	size_t untestable; /* rows marked not testable black-box */
	size_t sec, sec_covered, sec_untestable; /* the same for SEC rows */
};

/* is_sec - the row's severity names SEC ("SEC", "INT/SEC", "OPS/SEC"),
   as the report's scope line counts security rows. */
static int
is_sec(const struct scn_catalogue_entry *e)
{
	return strstr(e->severity, "SEC") != NULL;
}

/*
 * coverage_count - fill c (c->hit is new, caller frees). A row marked
 * untestable is never counted as covered, even if a scenario cites it.
 */
static void
coverage_count(struct coverage *c, const struct scn_catalogue *cat,
    const struct scn_suite *suite)
{
	size_t i, j;

	memset(c, 0, sizeof(*c));
	c->hit = xcalloc(cat->n ? cat->n : 1, 1);
	c->rows = cat->n;
	for (i = 0; i < cat->n; i++) {
		int sec = is_sec(&cat->e[i]);
		int off = cat->e[i].untestable != NULL;

		for (j = 0; j < suite->n && !c->hit[i]; j++)
			c->hit[i] = (char)cites(suite->items[j], cat->e[i].id);
		c->untestable += off;
		c->covered += !off && c->hit[i];
		c->sec += sec;
		c->sec_untestable += sec && off;
		c->sec_covered += sec && !off && c->hit[i];
	}
}

/* pct - part of whole in whole percent, rounded down; 0 for nothing. */
static size_t
pct(size_t part, size_t whole)
{
	return whole ? part * 100 / whole : 0;
}

/* md_row_start - "| id | section | [keyword | ]severity | " of row e. */
static void
md_row_start(struct buf *b, const struct scn_catalogue_entry *e, int keyword)
{
	buf_printf(b, "| %s | ", e->id);
	md_cell(b, e->section);
	buf_puts(b, " | ");
	if (keyword) {
		md_cell(b, e->keyword);
		buf_puts(b, " | ");
	}
	md_cell(b, e->severity);
	buf_puts(b, " | ");
}

/* coverage_md - the whole Markdown document into b. */
static void
coverage_md(struct buf *b, const struct scn_catalogue *cat,
    const struct scn_suite *suite)
{
	size_t i, j, nunknown = 0, nuntestable = 0;
	const char *part = NULL;
	struct coverage c;
	struct buf unknown;

	buf_init(&unknown);
	coverage_count(&c, cat, suite);
	for (j = 0; j < suite->n; j++) {
		char **r;
		size_t nr, k;

		all_reqs(suite->items[j], &r, &nr);
		for (k = 0; k < nr; k++)
			if (scn_catalogue_find(cat, r[k]) == NULL) {
				buf_printf(&unknown, "- `%s` in %s\n", r[k],
				    suite->items[j]->file);
				nunknown++;
			}
		free(r);
	}
	buf_printf(b,
	    "# Requirement coverage\n"
	    "\n"
	    "Generated by `danesim coverage` from `%s` and %zu scenario%s. "
	    "Do not edit by hand: run `danesim coverage --out "
	    "docs/coverage.md`.\n"
	    "\n"
	    "| | count |\n"
	    "|---|---|\n"
	    "| requirements in the catalogue | %zu |\n"
	    "| not testable black-box (listed below) | %zu |\n"
	    "| testable requirements covered by at least one scenario | "
	    "%zu of %zu (%zu%%) |\n"
	    "| testable requirements not yet covered | %zu |\n"
	    "| testable security requirements (severity names SEC) "
	    "covered | "
	    "%zu of %zu (%zu%%) |\n"
	    "| security requirements not testable black-box | %zu "
	    "|\n"
	    "| scenarios | %zu |\n"
	    "\n",
	    cat->path, suite->n, suite->n == 1 ? "" : "s", c.rows, c.untestable,
	    c.covered, c.rows - c.untestable,
	    pct(c.covered, c.rows - c.untestable),
	    c.rows - c.untestable - c.covered, c.sec_covered,
	    c.sec - c.sec_untestable,
	    pct(c.sec_covered, c.sec - c.sec_untestable), c.sec_untestable,
	    suite->n);
	buf_puts(b,
	    "Which wrong-on-purpose refsut switch or real MTA makes each "
	    "security scenario fail: docs/refsut.md (\"WHAT THE CORE SUITE "
	    "CATCHES\", the exact expectations per switch, checked by "
	    "tests/e2e/refsut-matrix.test, and any security scenario no "
	    "switch catches) and docs/comparing.md (Postfix and "
	    "Exim).\n\n");
	if (nunknown > 0)
		buf_printf(b,
		    "Requirement ids cited by scenarios but not in the "
		    "catalogue:\n\n%s\n",
		    buf_cstr(&unknown));
	for (i = 0; i < cat->n; i++) {
		const struct scn_catalogue_entry *e = &cat->e[i];

		if (e->untestable == NULL)
			continue;
		if (nuntestable++ == 0)
			buf_puts(b,
			    "## Not testable black-box\n"
			    "\n"
			    "Rows that no run of a sender through the harness "
			    "can judge: the catalogue marks each with its "
			    "reason (a line `- Untestable: ...`). They are "
			    "never counted as covered.\n"
			    "\n"
			    "| requirement | section | severity | reason |\n"
			    "|---|---|---|---|\n");
		md_row_start(b, e, 0);
		md_cell(b, e->untestable);
		buf_puts(b, " |\n");
	}
	if (nuntestable > 0)
		buf_puts(b, "\n");
	overrides_md(b, cat, suite);
	for (i = 0; i < cat->n; i++) {
		const struct scn_catalogue_entry *e = &cat->e[i];
		int n = 0;

		if (part == NULL || strcmp(part, e->part) != 0) {
			part = e->part;
			buf_printf(b,
			    "\n## %s\n\n"
			    "| requirement | section | keyword | severity | "
			    "scenarios |\n"
			    "|---|---|---|---|---|\n",
			    *part != '\0' ? part : "Requirements");
		}
		md_row_start(b, e, 1);
		for (j = 0; j < suite->n; j++)
			if (cites(suite->items[j], e->id))
				buf_printf(b, "%s%s", n++ ? ", " : "",
				    suite->items[j]->id);
		if (e->untestable != NULL)
			buf_printf(b, "%snot testable black-box",
			    n ? " (not counted: " : "");
		if (e->untestable != NULL && n)
			buf_puts(b, ")");
		else if (n == 0 && e->untestable == NULL)
			buf_puts(b, "not yet covered");
		buf_puts(b, " |\n");
	}
	free(c.hit);
	buf_free(&unknown);
}

/*
 * coverage_json - the figures as one JSON object into b: {"rows": N,
 * "covered": N, "untestable": N, "sec": {"rows": N, "covered": N,
 * "untestable": N}}, then a newline.
 */
static void
coverage_json(struct buf *b, const struct scn_catalogue *cat,
    const struct scn_suite *suite)
{
	struct coverage c;

	coverage_count(&c, cat, suite);
	buf_printf(b,
	    "{\"rows\": %zu, \"covered\": %zu, \"untestable\": %zu, "
	    "\"sec\": {\"rows\": %zu, \"covered\": %zu, \"untestable\": "
	    "%zu}}\n",
	    c.rows, c.covered, c.untestable, c.sec, c.sec_covered,
	    c.sec_untestable);
	free(c.hit);
}

/* write_atomic - write text to path via a temporary file and rename. */
static int
write_atomic(const char *path, const char *text, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	FILE *fp = fopen(tmp, "w");
	int rc = -1;

	if (fp == NULL) {
		log_warn("%s", tmp);
		goto out;
	}
	if (fwrite(text, 1, len, fp) != len || fflush(fp) != 0) {
		log_warn("%s: write", tmp);
		fclose(fp);
		unlink(tmp);
		goto out;
	}
	if (fclose(fp) != 0 || rename(tmp, path) == -1) {
		log_warn("%s", path);
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

int
cmd_coverage(int argc, char **argv)
{
	struct lint_opts o;
	struct scn_catalogue cat;
	struct scn_suite suite = {NULL, 0};
	struct scn_errors errs = {NULL, 0};
	struct buf b;
	int rc;

	buf_init(&b);
	if ((rc = parse_opts(argc, argv, "coj", usage_coverage, &o)) != 0)
		return rc == 1 ? 0 : 2;
	if (load_catalogue("coverage", o.catalogue, 1, &cat) != 0) {
		free(o.defpath);
		return 2;
	}
	if (scn_suite_load(&suite, o.paths, o.npaths, &errs) == -1) {
		print_errors(stderr, &errs);
		fprintf(stderr, "danesim coverage: scenario errors, nothing "
		                "written\n");
		rc = 2;
		goto out;
	}
	if (o.json)
		coverage_json(&b, &cat, &suite);
	else
		coverage_md(&b, &cat, &suite);
	if (o.out == NULL) {
		if (fwrite(b.data, 1, b.len, stdout) != b.len ||
		    fflush(stdout) != 0) {
			log_warn("stdout");
			rc = 2;
		}
	} else if (write_atomic(o.out, b.data, b.len) == -1)
		rc = 2;
out:
	buf_free(&b);
	scn_suite_free(&suite);
	scn_errors_free(&errs);
	scn_catalogue_free(&cat);
	free(o.defpath);
	return rc;
}
