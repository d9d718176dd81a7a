/*
 * reports.c - the four reports of a judged run, written together (see
 * reports.h).
 */
#include <stdlib.h>

#include "harness/report/html.h"
#include "harness/report/report.h"
#include "harness/report/reports.h"
#include "xmalloc.h"

int
reports_write(const struct report *rep, const char *out_dir,
    const struct html_evidence *hx)
{
	json_t *tree = report_json(rep);
	char *p;
	int rc;

	p = xasprintf("%s/report.json", out_dir);
	rc = report_write_json_tree(tree, p);
	free(p);
	if (rc == 0) {
		p = xasprintf("%s/junit.xml", out_dir);
		rc = report_write_junit(rep, p);
		free(p);
	}
	if (rc == 0) {
		p = xasprintf("%s/summary.md", out_dir);
		rc = report_write_summary(rep, p);
		free(p);
	}
	if (rc == 0)
		rc = html_write_report(out_dir, tree, hx);
	json_decref(tree);
	return rc;
}
