/*
 * test_vocab.c - one name per word at every hop: every STARTTLS mode,
 * stage, yes/no MX behaviour and DNS break of the lib/ tables goes from
 * a scenario word through the parser's enum, the world builder's JSON
 * and the fake's reader (fakemx/mx_conf.c, fakedns/dns_world.c) back to
 * the same name. Every expectation kind parses from its words, has a
 * scoring function, and is listed in docs/scenario-format.md.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "destpolicy.h"
#include "dnsbreak.h"
#include "expkind.h"
#include "fakedns/dns_fault.h"
#include "fakedns/dns_world.h"
#include "fakemx/mx_conf.h"
#include "harness/judge/score.h"
#include "harness/world/world.h"
#include "mxspec.h"
#include "scn.h"
#include "vocab.h"
#include "xmalloc.h"

/* scenario_text - a scenario using every word of the MX and break
 * tables: mx "m<mode>" per STARTTLS mode, "mxf" with every flag and a
 * reply and delay per stage, one break per owner "b<break>". */
static char *
scenario_text(void)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_puts(&b, "format 1\nid vocab\ntitle every word\n"
	             "requirements R-2.2-a\nseverity security\n"
	             "zone ${DOMAIN}\n@ MX 10 mxf\nmxf A ${ADDR(mxf)}\n");
	for (i = 0; i < MXS_STLS__COUNT; i++)
		buf_printf(&b, "@ MX 20 m%d\nm%d A ${ADDR(m%d)}\n", i, i, i);
	for (i = 0; i < SCN_BRK__COUNT; i++)
		buf_printf(&b, "b%d A 127.0.0.%d\n", i, i + 1);
	buf_puts(&b, "end\n");
	for (i = 0; i < SCN_BRK__COUNT; i++)
		buf_printf(&b, "dnsbreak b%d.${DOMAIN} A %s%s\n", i,
		    scn_break_str(i),
		    dnsbreak_spec(i)->takes_ms ? " ms=7" : "");
	for (i = 0; i < MXS_STLS__COUNT; i++)
		buf_printf(
		    &b, "mx m%d\nstarttls %s\nend\n", i, mxs_starttls_str(i));
	buf_puts(&b, "mx mxf\n");
	for (i = 0; i < MXS_FLAG__COUNT; i++)
		buf_printf(
		    &b, "%s %s\n", mxs_flag(i)->directive, mxs_flag(i)->value);
	for (i = 0; i < MXS_STAGE__COUNT; i++)
		buf_printf(&b, "reply %s %d x\ndelay %s %d\n", mxs_stage_str(i),
		    450 + i, mxs_stage_str(i), 10 + i);
	for (i = 0; i < MXS_PHASE__COUNT; i++)
		buf_printf(&b, "ehlo-keywords %s K%d \"SIZE %d\"\n",
		    mxs_tls_phase_str(i), i, 1000 + i);
	buf_puts(&b, "end\nexpect never mail-plaintext\n");
	return buf_steal(&b);
}

/* listener - the fakemx listener of MX label host, or NULL. */
static const struct mx_listener *
listener(const struct mx_conf *c, const char *host)
{
	size_t i;

	for (i = 0; i < c->nlisteners; i++)
		if (c->listeners[i].host != NULL &&
		    strcmp(c->listeners[i].host, host) == 0)
			return &c->listeners[i];
	return NULL;
}

/* test_roundtrip - scenario word -> enum -> world JSON -> fake -> name. */
static void
test_roundtrip(void)
{
	struct scn_errors errs = {0};
	struct scn_suite suite = {0};
	struct world *w = NULL;
	struct mx_conf *mc = NULL;
	struct dns_world *dw = NULL;
	char dir[] = "/tmp/dsim-vocab-XXXXXX", err[512], *text, *cmd;
	const struct mx_listener *l;
	const struct scn *s;
	size_t i, j;
	int k, found;

	text = scenario_text();
	s = scn_parse_buf("t/vocab.scn", text, strlen(text), &errs);
	free(text);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* hop 1: the words parsed to the tables' enums */
	CU_ASSERT_EQUAL_FATAL(s->nbreaks, SCN_BRK__COUNT);
	for (i = 0; i < s->nbreaks; i++)
		CU_ASSERT_EQUAL(s->breaks[i].what, (enum scn_break)i);
	for (i = 0; i < MXS_STLS__COUNT; i++)
		CU_ASSERT_EQUAL(s->mxs[i].starttls, (enum mxs_starttls)i);
	for (k = 0; k < MXS_FLAG__COUNT; k++)
		CU_ASSERT_EQUAL(s->mxs[MXS_STLS__COUNT].flag[k], 1);

	suite.items = xcalloc(1, sizeof(*suite.items));
	suite.items[0] = (struct scn *)s;
	suite.n = 1;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	w = world_build(&suite, dir, time(NULL), &errs);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);

	/* hops 2 and 3: fakemx.json read by fakemx */
	mc = mx_conf_load(w->fakemx_conf, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
	for (i = 0; i < MXS_STLS__COUNT; i++) {
		char host[16];

		snprintf(host, sizeof(host), "m%zu", i);
		l = listener(mc, host);
		CU_ASSERT_PTR_NOT_NULL_FATAL(l);
		CU_ASSERT_STRING_EQUAL(
		    mxs_starttls_str(l->behave.starttls), mxs_starttls_str(i));
	}
	l = listener(mc, "mxf");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	for (k = 0; k < MXS_FLAG__COUNT; k++)
		CU_ASSERT_EQUAL(l->behave.flag[k], 1);
	for (k = 0; k < MXS_PHASE__COUNT; k++) {
		char kw[8];

		snprintf(kw, sizeof(kw), "K%d", k);
		CU_ASSERT_EQUAL(
		    mxs_tls_phase_from_str(mxs_tls_phase_str(k)), k);
		CU_ASSERT_EQUAL(l->behave.kw_set[k], 1);
		CU_ASSERT_EQUAL_FATAL(l->behave.nkw[k], 2);
		CU_ASSERT_STRING_EQUAL(l->behave.kw[k][0], kw);
		CU_ASSERT_EQUAL(
		    mx_behave_max_size(&l->behave, k == MXS_PHASE_AFTER_TLS),
		    (size_t)(1000 + k));
	}
	for (k = 0; k < MXS_STAGE__COUNT; k++) {
		CU_ASSERT_EQUAL(l->behave.reply[k].code, 450 + k);
		CU_ASSERT_EQUAL(l->behave.delay_ms[k], 10 + k);
		CU_ASSERT_EQUAL(mxs_stage_from_str(mxs_stage_str(k)), k);
	}

	/* hops 2 and 3: fakedns.json read by fakedns; the signing-time
	 * breaks are the world builder's and never reach fakedns */
	dw = dns_world_load(w->fakedns_conf, err, sizeof(err));
	if (dw == NULL)
		fprintf(stderr, "%s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dw);
	for (k = 0; k < SCN_BRK__COUNT; k++) {
		for (j = 0, found = 0; j < dw->nfaults; j++)
			if (dw->faults[j].ops->what == (enum scn_break)k) {
				found = 1;
				CU_ASSERT_STRING_EQUAL(
				    scn_break_str(dw->faults[j].ops->what),
				    scn_break_str(k));
				CU_ASSERT_EQUAL(dw->faults[j].ms,
				    dnsbreak_spec(k)->takes_ms ? 7 : 0);
			}
		CU_ASSERT_EQUAL(found, !scn_break_at_signing(k));
		/* fakedns has an action for exactly the serving-time ones */
		CU_ASSERT_EQUAL(
		    dns_fault_of(k) != NULL, !scn_break_at_signing(k));
	}

	/* an out-of-range STARTTLS mode is an error, not a silent "offer" */
	world_free(w);
	suite.items[0]->mxs[0].starttls = (enum mxs_starttls)MXS_STLS__COUNT;
	scn_errors_free(&errs);
	w = world_build(&suite, dir, time(NULL), &errs);
	CU_ASSERT_PTR_NULL(w);
	CU_ASSERT(
	    errs.n > 0 && strstr(errs.msg[0], "no STARTTLS mode") != NULL);

	world_free(w);
	mx_conf_free(mc);
	dns_world_free(dw);
	scn_errors_free(&errs);
	scn_suite_free(&suite);
	cmd = xasprintf("rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
}

/* test_names - each table's names look up to themselves; lists. */
static void
test_names(void)
{
	int i;

	for (i = 0; i < SCN_BRK__COUNT; i++)
		CU_ASSERT_EQUAL(scn_break_from_str(scn_break_str(i)), i);
	for (i = 0; i < MXS_STLS__COUNT; i++)
		CU_ASSERT_EQUAL(mxs_starttls_from_str(mxs_starttls_str(i)), i);
	for (i = 0; i < MXS_FLAG__COUNT; i++) {
		CU_ASSERT_EQUAL(
		    mxs_flag_by_directive(mxs_flag(i)->directive), i);
		CU_ASSERT_EQUAL(mxs_flag_by_json(mxs_flag_json(i)), i);
	}
	for (i = 0; i < SCN_SUT__COUNT; i++)
		CU_ASSERT_EQUAL(scn_sut_from_str(scn_sut_str(i)), i);
	CU_ASSERT_EQUAL(scn_break_from_str("explode"), -1);
	CU_ASSERT_EQUAL(mxs_stage_from_str("helo"), MXS_STAGE_NONE);
	CU_ASSERT_STRING_EQUAL(mxs_starttls_list(), "offer, strip or mangle");
	CU_ASSERT_STRING_EQUAL(mxs_stage_list(),
	    "banner, ehlo, starttls, mail, rcpt, data or dot");
	CU_ASSERT_PTR_NULL(strstr(dnsbreak_list(1), "rrsig-"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dnsbreak_list(0), "rrsig-missing"));
}

/* test_flag_json - one rule turns a behaviour's words into its key. */
static void
test_flag_json(void)
{
	char buf[8];

	CU_ASSERT_STRING_EQUAL(
	    mxs_flag_json(MXS_FLAG_HANDSHAKE_FAIL), "handshake_fail");
	CU_ASSERT_STRING_EQUAL(mxs_flag_json(MXS_FLAG_CLOSE_AFTER_HANDSHAKE),
	    "after_handshake_close");
	CU_ASSERT_STRING_EQUAL(mxs_flag_json(MXS_FLAG_EHLO_AFTER_TLS_STARTTLS),
	    "ehlo_after_tls_starttls");
	CU_ASSERT_EQUAL(mxs_flag_json_key(buf, sizeof(buf), "a-b", "c"), 0);
	CU_ASSERT_STRING_EQUAL(buf, "a_b_c");
	CU_ASSERT_EQUAL(mxs_flag_json_key(buf, sizeof(buf), "abc-d", "ef"), -1);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_EQUAL(mxs_flag_by_json("close_after_handshake"), -1);
}

/* test_list_rows - the words of a table of structures, as a list. */
static void
test_list_rows(void)
{
	static const struct {
		const char *word;
		int n;
	} rows[] = {{"alpha", 1}, {NULL, 2}, {"beta", 3}, {"gamma", 4}};
	char buf[64], small[8];

	CU_ASSERT_STRING_EQUAL(
	    vocab_list_rows(buf, sizeof(buf), rows, 4, sizeof(rows[0])),
	    "alpha, beta or gamma");
	CU_ASSERT_STRING_EQUAL(
	    vocab_list_rows(buf, sizeof(buf), rows, 1, sizeof(rows[0])),
	    "alpha");
	CU_ASSERT_STRING_EQUAL(
	    vocab_list_rows(buf, sizeof(buf), rows, 0, sizeof(rows[0])), "");
	CU_ASSERT_STRING_EQUAL(
	    vocab_list_rows(small, sizeof(small), rows, 4, sizeof(rows[0])),
	    "alpha, ");
}

/* kind_line - "expect KIND ARGS" with arguments of the kind's shape. */
static char *
kind_line(enum scn_expect_kind k)
{
	static const char *const args[] = {
	    [EXPK_ARGS_OUTCOMES] = "deferred",
	    [EXPK_ARGS_HOST] = "mx1",
	    [EXPK_ARGS_OPT_HOST] = "mx1",
	    [EXPK_ARGS_HOST_NAME] = "mx1 mx1.${DOMAIN}",
	    [EXPK_ARGS_NAME_TYPE] = "_25._tcp.mx1.${DOMAIN} TLSA",
	    [EXPK_ARGS_HOST_VERB] = "mx1 EHLO",
	    [EXPK_ARGS_QUERY_PAIR] =
	        "mx1.${DOMAIN} A,AAAA _25._tcp.mx1.${DOMAIN} TLSA",
	    [EXPK_ARGS_NONE] = "",
	};

	return xasprintf(
	    "expect %s %s\n", scn_expect_kind_str(k), args[expk_spec(k)->args]);
}

/* test_kinds - every kind parses from its words and is judged. */
static void
test_kinds(void)
{
	struct scn_errors errs = {0};
	struct buf b;
	struct scn *s;
	int k;

	buf_init(&b);
	buf_puts(&b, "format 1\nid vocab\ntitle kinds\nrequirements R-2.2-a\n"
	             "severity security\n");
	for (k = 0; k < SCN_EXP__COUNT; k++) {
		char *l = kind_line(k);

		buf_puts(&b, l);
		free(l);
	}
	s = scn_parse_buf("t/vocab.scn", buf_cstr(&b), b.len, &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->nexpects, SCN_EXP__COUNT);
	for (k = 0; k < SCN_EXP__COUNT; k++) {
		CU_ASSERT_EQUAL(s->expects[k].kind, (enum scn_expect_kind)k);
		CU_ASSERT_EQUAL(expk_from_str(scn_expect_kind_str(k)), k);
		CU_ASSERT(score_judges(k));
		CU_ASSERT_PTR_NOT_NULL(expk_spec(k)->explain);
	}
	scn_free(s);
	buf_free(&b);
	scn_errors_free(&errs);
}

/* test_docs_kinds - docs/scenario-format.md's list under
 * "## Expectations" names exactly the table's kinds, in its order. */
static void
test_docs_kinds(void)
{
	const char *top = getenv("DANESIM_SRCDIR");
	char *path = xasprintf("%s/docs/scenario-format.md", top ? top : ".");
	FILE *f = fopen(path, "r");
	char line[512];
	int in = 0, k = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *l = line + strspn(line, " ");

		if (strncmp(line, "## ", 3) == 0) {
			in = strcmp(line, "## Expectations\n") == 0;
			continue;
		}
		if (!in || strncmp(line, "    expect ", 11) != 0)
			continue;
		l += strlen("expect ");
		CU_ASSERT_FATAL(k < SCN_EXP__COUNT);
		/* "never mail HOST   text": the kind, then its arguments */
		CU_ASSERT_EQUAL(strncmp(l, scn_expect_kind_str(k),
		                    strlen(scn_expect_kind_str(k))),
		    0);
		l += strlen(scn_expect_kind_str(k));
		CU_ASSERT(*l == ' ');
		CU_ASSERT_EQUAL(strncmp(l + 1, expk_spec(k)->usage,
		                    strlen(expk_spec(k)->usage)),
		    0);
		k++;
	}
	CU_ASSERT_EQUAL(k, SCN_EXP__COUNT);
	fclose(f);
	free(path);
}

/* read_doc - the file rel of the source tree (new string) or NULL. */
static char *
read_doc(const char *rel)
{
	const char *top = getenv("DANESIM_SRCDIR");
	char *path = xasprintf("%s/%s", top ? top : ".", rel);
	char *text = unit_file_text(path);

	free(path);
	return text;
}

/* doc_breaks - check that the `words` of text[from, to) that are break
 * names are exactly the breaks with at_signing == signing. */
static void
doc_breaks(const char *from, const char *to, int signing)
{
	int seen[SCN_BRK__COUNT] = {0}, i;
	const char *p = from, *q;

	while ((p = memchr(p, '`', (size_t)(to - p))) != NULL &&
	       (q = memchr(p + 1, '`', (size_t)(to - p - 1))) != NULL) {
		char w[64];

		snprintf(w, sizeof(w), "%.*s", (int)(q - p - 1), p + 1);
		if ((i = scn_break_from_str(w)) >= 0)
			seen[i]++;
		p = q + 1;
	}
	for (i = 0; i < SCN_BRK__COUNT; i++)
		CU_ASSERT_EQUAL(seen[i], scn_break_at_signing(i) == signing);
}

/* test_docs_breaks - "DNS breakage" in docs/scenario-format.md lists
 * the signing-time and the serving-time breaks of the table. */
static void
test_docs_breaks(void)
{
	char *doc = read_doc("docs/scenario-format.md");
	const char *sec, *sign, *serve, *end;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	sec = strstr(doc, "## DNS breakage\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sec);
	sign = strstr(sec, "Applied at signing time");
	serve = sign != NULL ? strstr(sign, "Applied at serving time") : NULL;
	end = serve != NULL ? strstr(serve, "\n\n") : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(end);
	doc_breaks(sign, serve, 1);
	doc_breaks(serve, end, 0);
	free(doc);
}

/* test_docs_levels - "Per-destination policy" in
 * docs/scenario-format.md has a row per policy level of lib/destpolicy.c,
 * and the header table's policy line names them all. */
static void
test_docs_levels(void)
{
	char *doc = read_doc("docs/scenario-format.md"), *w;
	const char *sec, *end;
	struct buf hdr;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	sec = strstr(doc, "## Per-destination policy\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sec);
	end = strstr(sec + 1, "\n## ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(end);
	buf_init(&hdr);
	buf_puts(&hdr, "| `policy ");
	for (i = 1; i < DP_LEVEL__COUNT; i++) {
		w = xasprintf("\n| `%s` | ", dp_level_str(i));
		if (strstr(sec, w) == NULL || strstr(sec, w) > end)
			fprintf(stderr, "\n  level %s has no row\n",
			    dp_level_str(i));
		CU_ASSERT_PTR_NOT_NULL(strstr(sec, w));
		CU_ASSERT(strstr(sec, w) != NULL && strstr(sec, w) < end);
		free(w);
		buf_printf(&hdr, "%s%s", i > 1 ? "\\|" : "", dp_level_str(i));
	}
	buf_puts(&hdr, "` |");
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, buf_cstr(&hdr)));
	buf_free(&hdr);
	free(doc);
}

/* test_schema_kinds - docs/report-schema.json's enum of expectation
 * kinds names every kind of the table (a report with a new kind would
 * otherwise not validate). */
static void
test_schema_kinds(void)
{
	const char *top = getenv("DANESIM_SRCDIR");
	char *path = xasprintf("%s/docs/report-schema.json", top ? top : ".");
	json_t *root = json_load_file(path, 0, NULL), *e;
	int k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	e = json_object_get(
	    json_object_get(
	        json_object_get(json_object_get(json_object_get(root, "$defs"),
	                            "expectation"),
	            "properties"),
	        "kind"),
	    "enum");
	CU_ASSERT_TRUE_FATAL(json_is_array(e));
	for (k = 0; k < SCN_EXP__COUNT; k++) {
		size_t i;
		json_t *v;
		int found = 0;

		json_array_foreach(e, i, v) found |=
		    strcmp(json_string_value(v), scn_expect_kind_str(k)) == 0;
		if (!found)
			fprintf(stderr, "report-schema.json lacks kind '%s'\n",
			    scn_expect_kind_str(k));
		CU_ASSERT_TRUE(found);
	}
	json_decref(root);
	free(path);
}

static CU_TestInfo tests[] = {
    {"roundtrip", test_roundtrip},
    {"names", test_names},
    {"flag json", test_flag_json},
    {"list rows", test_list_rows},
    {"kinds", test_kinds},
    {"docs_kinds", test_docs_kinds},
    {"schema_kinds", test_schema_kinds},
    {"docs_breaks", test_docs_breaks},
    {"docs_levels", test_docs_levels},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("vocab", NULL, NULL, tests);
