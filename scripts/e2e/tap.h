/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every e2e program reports with: TAP-style 'ok N - name' lines that
 * scripts/lib/e2e_report.py counts, exit status 1 if a check failed
 * (return tap_status() from main) and 2 if the set-up failed (die()).
 */
#ifndef E2E_TAP_H
#define E2E_TAP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_checks, tap_failures;

static void check(int ok, const char *name)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++tap_checks, name);
	if (!ok)
		tap_failures++;
}

/* The set-up failed: say what, with errno, and end with status 2. */
static void die(const char *what)
{
	printf("%s: %s: %s\n", program_invocation_short_name, what, strerror(errno));
	exit(2);
}

static int tap_status(void)
{
	return tap_failures ? 1 : 0;
}

#endif
