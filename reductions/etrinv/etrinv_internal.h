/* Private declarations of the ETR-INV module. */
#ifndef XT_ETRINV_INTERNAL_H
#define XT_ETRINV_INTERNAL_H

#include "xtrain/etrinv.h"
/* The Z3 bridge (xt_z3_*), the child-process check (xt_smt_run_check)
 * and MPFR intervals (xt_ival_*) of the SMT backend. */
#include "../../solvers/smt/smt_internal.h"

/* Sets out to a + b (add) or a * b (otherwise), computed exactly with
 * Z3's real algebraic numbers in the context c. */
int xt_etrinv_combine(xt_algebraic_t out, Z3_context c,
                      const xt_algebraic_t a, const xt_algebraic_t b,
                      int add, xt_error_t *err);

#endif
