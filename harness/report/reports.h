/*
 * reports.h - the four reports of a judged run, written together: by
 * "danesim analyse" (and so "danesim run") and by "danesim compare
 * --merge" for the merged shards.
 */
#ifndef DSIM_REPORTS_H
#define DSIM_REPORTS_H

#include "harness/report/html.h"
#include "harness/report/report.h"

/* Files a run keeps so that its analysis can be repeated anywhere. */
#define REPORTS_CATALOGUE "rfc7672-requirements.md"
#define REPORTS_PROFILE "conformance.profile"

/*
 * reports_write - write report.json, junit.xml, summary.md and (from the
 * same report.json tree, with the excerpts of hx, NULL: none)
 * report.html for rep into out_dir, stopping at the first that fails.
 * 0, or -1 when one could not be written; the caller says which reports
 * it was writing.
 */
int reports_write(const struct report *rep, const char *out_dir,
    const struct html_evidence *hx);

#endif /* DSIM_REPORTS_H */
