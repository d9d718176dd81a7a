/*
 * htmlw.h - the small layer over libxml2's xmlTextWriter that both HTML
 * pages (report.html, html.c; the comparison page, compare.c) write
 * through. Every string is made valid UTF-8 and XML character data
 * (report_clean_text) before the writer escapes it; every element is
 * closed with a full end tag so HTML parsers read it the same way.
 *
 * A writer failure does not stop the page: it is remembered in err and
 * the caller checks err once when the page is done.
 */
#ifndef DSIM_HTMLW_H
#define DSIM_HTMLW_H

#include <libxml/xmlwriter.h>

/* One page being written; the caller owns w. */
struct htmlw {
	xmlTextWriterPtr w;
	int err; /* 1 once a writer call failed */
};

/* htmlw_check - remember a failed writer call (rc < 0) in hw->err. */
void htmlw_check(struct htmlw *hw, int rc);

/* htmlw_start - open element name with class cls (NULL: none). */
void htmlw_start(struct htmlw *hw, const char *name, const char *cls);

/* htmlw_attr - attribute of the open element; the value is cleaned. */
void htmlw_attr(struct htmlw *hw, const char *name, const char *value);

/* htmlw_end - close the open element with a full end tag. */
void htmlw_end(struct htmlw *hw);

/* htmlw_text - cleaned, escaped character data (NULL writes nothing). */
void htmlw_text(struct htmlw *hw, const char *s);

/* htmlw_el - a whole element name (class cls) with text s. */
void htmlw_el(
    struct htmlw *hw, const char *name, const char *cls, const char *s);

#endif /* DSIM_HTMLW_H */
