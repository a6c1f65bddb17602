/* The caller's problem in internal form, and the way back (lp_form.c). */
#ifndef XT_LP_FORM_H
#define XT_LP_FORM_H

#include "lp_internal.h"

typedef struct {
    xt_lp_prob P;           /* internal form; P.hess NULL for an LP */
    int *orig;              /* caller's row index of each row of P */
    mpq_t *scale;           /* row i of P = scale[i] * caller's row */
    mpq_t obj_scale;        /* P.lin = obj_scale * c (LP objectives) */
    int nsq;                /* squares p */
    mpz_t *msq, *tsq;       /* sq_den * M and sq_den * t, integers */
    mpz_t sq_den;
} xt_lp_form;

/* Returns the first all-zero row that no x satisfies (0 >= b with b > 0,
 * or 0 = b with b != 0), or -1. */
int xt_lp_form_bad_zero_row(const xt_lp_t lp);

/* Builds the internal form of lp.  Returns XT_OK or XT_ERR_NOMEM; F must
 * be freed with xt_lp_form_free either way. */
int xt_lp_form_build(xt_lp_form *F, const xt_lp_t lp);
void xt_lp_form_free(xt_lp_form *F);

/* Writes the internal certificate C as the caller's result: the status, x
 * (point or direction), y (multipliers or Farkas ray) and the objective
 * value ||M x - t||^2 + c . x of an optimum.  res must be sized. */
void xt_lp_form_map_back(xt_lp_result_t res, const xt_lp_form *F,
                         const xt_lp_cert *C, const xt_lp_t lp);

#endif
