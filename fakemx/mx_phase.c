/*
 * mx_phase.c - the filter of phases in fakemx (mx_phase.h).
 */
#include "mx_phase.h"

const struct mx_behave *
mx_phase_behave(const struct mx_listener *l, int attempt, int conn)
{
	size_t i;

	for (i = 0; i < l->nphases; i++)
		if (scn_when_holds(&l->phases[i].when, attempt, conn))
			return &l->phases[i].behave;
	return &l->behave;
}
