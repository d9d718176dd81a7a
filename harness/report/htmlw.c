/*
 * htmlw.c - element, attribute and text helpers over libxml2's
 * xmlTextWriter for the HTML pages (see htmlw.h).
 */
#include <libxml/xmlwriter.h>
#include <stdlib.h>

#include "harness/report/htmlw.h"
#include "harness/report/report.h"

void
htmlw_check(struct htmlw *hw, int rc)
{
	if (rc < 0)
		hw->err = 1;
}

void
htmlw_start(struct htmlw *hw, const char *name, const char *cls)
{
	htmlw_check(hw, xmlTextWriterStartElement(hw->w, BAD_CAST name));
	if (cls != NULL)
		htmlw_check(hw, xmlTextWriterWriteAttribute(
		                    hw->w, BAD_CAST "class", BAD_CAST cls));
}

void
htmlw_attr(struct htmlw *hw, const char *name, const char *value)
{
	char *c = report_clean_text(value != NULL ? value : "");

	htmlw_check(
	    hw, xmlTextWriterWriteAttribute(hw->w, BAD_CAST name, BAD_CAST c));
	free(c);
}

void
htmlw_end(struct htmlw *hw)
{
	htmlw_check(hw, xmlTextWriterFullEndElement(hw->w));
}

void
htmlw_text(struct htmlw *hw, const char *s)
{
	char *c;

	if (s == NULL)
		return;
	c = report_clean_text(s);
	htmlw_check(hw, xmlTextWriterWriteString(hw->w, BAD_CAST c));
	free(c);
}

void
htmlw_el(struct htmlw *hw, const char *name, const char *cls, const char *s)
{
	htmlw_start(hw, name, cls);
	htmlw_text(hw, s);
	htmlw_end(hw);
}
