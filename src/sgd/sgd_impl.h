/* Helpers shared by the files of the SGD core; not a public interface. */
#ifndef XT_SGD_IMPL_H
#define XT_SGD_IMPL_H

#include <gmp.h>
#include "xtrain/sgd.h"

/* Rounds q to the nearest double (ties to even).  Returns 0, or -1 when
 * the result overflows. */
int xt_sgd_round_rational(double *out, const mpq_t q);

/* Reads a whole file into a NUL-terminated malloc'd buffer.  Returns NULL
 * and sets err (XT_ERR_IO or XT_ERR_NOMEM in *status) on failure. */
char *xt_sgd_read_text(const char *path, int *status, xt_error_t *err);

/* State of one optimizer over count parameters. */
typedef struct {
    xt_sgd_optimizer kind;
    size_t count;
    double *velocity;   /* momentum buffer, or Adam's first moment */
    double *second;     /* Adam's second moment */
    double beta1_power, beta2_power;
} xt_sgd_state;

int xt_sgd_state_init(xt_sgd_state *st, xt_sgd_optimizer kind,
                      size_t count, xt_error_t *err);
void xt_sgd_state_clear(xt_sgd_state *st);

/* Applies one update with learning rate lr and gradient grad to the
 * parameters whose mask entry is 1 (all when mask is NULL). */
void xt_sgd_state_step(xt_sgd_state *st, double *param, const double *grad,
                       const unsigned char *mask, double lr,
                       const xt_sgd_options *opt);

#endif
