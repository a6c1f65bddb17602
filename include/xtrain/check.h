/* The independent checker: verifies networks and certificates using
 * rational arithmetic, the instance and the arrangement enumeration only.
 * It never calls LP or solver code, so an answer is checked by code that
 * did not produce it (tests/checker_link.c enforces this at link time). */
#ifndef XTRAIN_CHECK_H
#define XTRAIN_CHECK_H

#include <stdio.h>
#include <gmp.h>
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"

typedef struct {
    int verified;        /* 1 when every claim in the certificate holds */
    int infeasible;      /* proven: no network reaches the target */
    int has_lower, has_upper;
    mpq_t lower;         /* proven lower bound on the optimum */
    mpq_t upper;         /* loss of the certificate's network */
    long patterns;       /* patterns (or tree nodes) verified */
    char kind[32];       /* certificate kind, e.g. "enum", "convex-tree" */
} xt_check_report_struct;
typedef xt_check_report_struct xt_check_report_t[1];

void xt_check_report_init(xt_check_report_t rep);
void xt_check_report_clear(xt_check_report_t rep);

/* Verifies the certificate in path for inst (settings as given there,
 * after command-line overrides).  Returns XT_OK when the file could be
 * read and checked; rep->verified tells whether it holds, and err then
 * describes the first failed claim. */
int xt_check_certificate_file(xt_check_report_t rep,
                              const xt_instance_t inst, const char *path,
                              xt_error_t *err);

#endif
