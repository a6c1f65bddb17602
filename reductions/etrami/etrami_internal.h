/* Private pieces of the ETR-AMI source problem and its reduction: the
 * layout of the training instance, and the bridge to Z3's real algebraic
 * numbers, which this module shares with the SMT backend. */
#ifndef XT_ETRAMI_INTERNAL_H
#define XT_ETRAMI_INTERNAL_H

#include <z3.h>
#include "xtrain/etrami.h"
/* xt_z3_context_new, xt_z3_failed, xt_z3_mk_algebraic and
 * xt_z3_get_algebraic: the conversions between xt_algebraic_t and Z3
 * values, with the workarounds for Z3 4.8.12 that solvers/smt needs. */
#include "../../solvers/smt/smt_internal.h"
/* xt_read_whole_file and the splitmix64 generator xt_rng_next. */
#include "../reduction_internal.h"

/* Where each piece of the reduction sits in the training instance.
 *
 * Inputs: one, vone, done; u_v for every variable; t_v and d_v for every
 * copied variable; i_q and j_q for every multiplication q.  Hidden
 * neurons: H0, H1, H2 and G_q.  Outputs: R and S. */
typedef struct {
    int nvars, copies, muls;
    int d, k, n;        /* inputs, hidden neurons, data points */
    int *copy_of;       /* nvars entries: copy index of v, or -1 */
    int *copied;        /* copies entries: the variable of each copy */
    int *mul_of;        /* constraint count entries: mul index or -1 */
} xt_etrami_layout;

enum { XT_ETRAMI_ONE_INPUT = 0, XT_ETRAMI_VONE_INPUT = 1,
       XT_ETRAMI_DONE_INPUT = 2 };
enum { XT_ETRAMI_H0 = 0, XT_ETRAMI_H1 = 1, XT_ETRAMI_H2 = 2 };
enum { XT_ETRAMI_R = 0, XT_ETRAMI_S = 1 };

/* Builds the layout of sys.  Returns XT_OK, XT_ERR_INPUT (the instance
 * would exceed the XT_MAX_* limits) or XT_ERR_NOMEM. */
int xt_etrami_layout_init(xt_etrami_layout *lay, const xt_etrami_t sys,
                          xt_error_t *err);
void xt_etrami_layout_clear(xt_etrami_layout *lay);

static inline int xt_etrami_u(const xt_etrami_layout *lay, int v)
{
    return 3 + v;
}
static inline int xt_etrami_t_input(const xt_etrami_layout *lay, int cp)
{
    return 3 + lay->nvars + cp;
}
static inline int xt_etrami_d_input(const xt_etrami_layout *lay, int cp)
{
    return 3 + lay->nvars + lay->copies + cp;
}
static inline int xt_etrami_i_input(const xt_etrami_layout *lay, int q)
{
    return 3 + lay->nvars + 2 * lay->copies + 2 * q;
}
static inline int xt_etrami_j_input(const xt_etrami_layout *lay, int q)
{
    return xt_etrami_i_input(lay, q) + 1;
}
static inline int xt_etrami_g_neuron(const xt_etrami_layout *lay, int q)
{
    return 3 + q;
}

#endif
