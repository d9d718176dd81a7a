/*
 * mx_phase.c - the filter of phases in fakemx (mx_phase.h).
 */
#include "mx_phase.h"

int
mx_phase_find(const struct mx_listener *l, int attempt, int conn)
{
	size_t i;

	for (i = 0; i < l->nphases; i++)
		if (scn_when_holds(&l->phases[i].when, attempt, conn))
			return (int)i;
	return -1;
}

const struct mx_behave *
mx_phase_behave(const struct mx_listener *l, int attempt, int conn)
{
	int i = mx_phase_find(l, attempt, conn);

	return i < 0 ? &l->behave : &l->phases[i].behave;
}
