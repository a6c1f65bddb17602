/* The subproblem of one activation pattern (Arora, Basu, Mianjy and
 * Mukherjee, "Understanding deep neural networks with rectified linear
 * units", ICLR 2018).  With the active set A_j and the sign a_j of every
 * neuron fixed, f(x_i) = c + sum_{j : i in A_j} a_j (w_j . x_i + b_j) is
 * linear in the weights, and the pattern's cell is the polyhedron
 *
 *     w_j . x_i + b_j >= 0  (i in A_j),   w_j . x_i + b_j <= 0  (otherwise),
 *
 * closed on both sides because the optimum may lie on a cell's boundary.
 * Minimizing the loss over it is an LP (l1, linf) or a convex QP (l2). */
#include <stdlib.h>
#include "enum_internal.h"
#include "xtrain/rat.h"

void xt_pattern_layout_set(xt_pattern_layout *lay, const xt_instance_t inst,
                           int k, long npoints)
{
    lay->d = inst->d;
    lay->k = k;
    lay->n = npoints;
    lay->has_bias = inst->output_bias;
    lay->loss = inst->loss;
    int col = k * (inst->d + 1);
    lay->bias_col = inst->output_bias ? col++ : -1;
    lay->aux_col = -1;
    if (inst->loss == XT_LOSS_L1) {
        lay->aux_col = col;
        col += (int)npoints;
    } else if (inst->loss == XT_LOSS_LINF) {
        lay->aux_col = col++;
    }
    lay->ncols = col;
}

/* Sets row to the coefficients of sigma * (w_j . x_i + b_j). */
static void neuron_row(mpq_t *row, const xt_pattern_layout *lay,
                       const xt_instance_t inst, int j, long i, int sigma)
{
    int base = j * (lay->d + 1);
    for (int t = 0; t < lay->d; t++) {
        mpq_set(row[base + t], inst->x[i * lay->d + t]);
        if (sigma < 0)
            mpq_neg(row[base + t], row[base + t]);
    }
    mpq_set_si(row[base + lay->d], sigma, 1);
}

/* Sets row to the linear part of f(x_i) under the pattern, where act[j]
 * tells whether neuron j is active at point i. */
static void output_row(mpq_t *row, const xt_pattern_layout *lay,
                       const xt_instance_t inst, const int *sign,
                       const unsigned char *act, long stride, long i)
{
    for (int col = 0; col < lay->ncols; col++)
        mpq_set_ui(row[col], 0, 1);
    for (int j = 0; j < lay->k; j++)
        if (act[j * stride])
            neuron_row(row, lay, inst, j, i, sign[j]);
    if (lay->bias_col >= 0)
        mpq_set_ui(row[lay->bias_col], 1, 1);
}

static void clear_row(mpq_t *row, int ncols)
{
    for (int col = 0; col < ncols; col++)
        mpq_set_ui(row[col], 0, 1);
}

/* Adds the two rows aux -+ (g . theta - y) >= 0 of one point, where row
 * holds g; row is negated twice and ends as it started. */
static void add_loss_rows(xt_lp_t lp, const xt_pattern_layout *lay,
                          mpq_t *row, const mpq_t y, int aux, mpq_t rhs)
{
    for (int col = 0; col < lay->ncols; col++)
        mpq_neg(row[col], row[col]);
    mpq_set_ui(row[aux], 1, 1);
    mpq_neg(rhs, y);
    xt_lp_add_row(lp, row, XT_ROW_GE, rhs);
    for (int col = 0; col < lay->ncols; col++)
        mpq_neg(row[col], row[col]);
    mpq_set_ui(row[aux], 1, 1);
    xt_lp_add_row(lp, row, XT_ROW_GE, y);
}

int xt_pattern_build_subset(xt_lp_t lp, const xt_pattern_layout *lay,
                            const xt_instance_t inst, const long *pts,
                            long npts, const int *sign,
                            const unsigned char *active)
{
    mpq_t *row = xt_rat_array_new((size_t)lay->ncols + 1);
    if (!row)
        return XT_ERR_NOMEM;
    mpq_t zero, rhs;
    mpq_inits(zero, rhs, NULL);

    for (int j = 0; j < lay->k; j++)
        for (long r = 0; r < npts; r++) {
            long i = pts ? pts[r] : r;
            clear_row(row, lay->ncols);
            neuron_row(row, lay, inst, j, i, active[j * npts + r] ? 1 : -1);
            xt_lp_add_row(lp, row, XT_ROW_GE, zero);
        }

    for (long r = 0; r < npts; r++) {
        long i = pts ? pts[r] : r;
        const mpq_t *y = (const mpq_t *)&inst->y[i * inst->m];
        output_row(row, lay, inst, sign, active + r, npts, i);
        if (lay->loss == XT_LOSS_L2) {
            xt_lp_add_square(lp, row, *y);
            continue;
        }
        int aux = lay->loss == XT_LOSS_L1 ? lay->aux_col + (int)r
                                          : lay->aux_col;
        add_loss_rows(lp, lay, row, *y, aux, rhs);
    }

    if (lay->aux_col >= 0) {
        int count = lay->loss == XT_LOSS_L1 ? (int)npts : 1;
        for (int t = 0; t < count; t++)
            mpq_set_ui(lp->c[lay->aux_col + t], 1, 1);
    }
    mpq_clears(zero, rhs, NULL);
    xt_rat_array_free(row, (size_t)lay->ncols + 1);
    return lp->nrows == (int)(lay->k * npts) +
                            (lay->loss == XT_LOSS_L2 ? 0 : 2 * (int)npts) &&
                   lp->nsq == (lay->loss == XT_LOSS_L2 ? (int)npts : 0)
               ? XT_OK
               : XT_ERR_NOMEM;
}

int xt_pattern_build(xt_lp_t lp, const xt_pattern_layout *lay,
                      const xt_instance_t inst,
                      const xt_dichotomy_list *sets, const xt_pattern *pat)
{
    long n = lay->n;
    unsigned char *active = malloc((size_t)(lay->k * n + 1));
    if (!active)
        return XT_ERR_NOMEM;
    for (int j = 0; j < lay->k; j++)
        for (long i = 0; i < n; i++)
            active[j * n + i] = (unsigned char)xt_dichotomy_has(
                sets, pat->set[j], i);
    int rc = xt_pattern_build_subset(lp, lay, inst, NULL, n, pat->sign,
                                     active);
    free(active);
    return rc;
}

void xt_pattern_network(xt_network_t net, const xt_pattern_layout *lay,
                        const int *sign, const mpq_t *x)
{
    xt_network_resize(net, lay->d, lay->k, 1, NULL);
    net->activation = XT_ACT_RELU;
    net->has_output_bias = lay->has_bias;
    for (int j = 0; j < lay->k; j++) {
        int base = j * (lay->d + 1);
        for (int t = 0; t < lay->d; t++)
            mpq_set(net->w[j * lay->d + t], x[base + t]);
        mpq_set(net->b[j], x[base + lay->d]);
        mpq_set_si(net->a[j], sign[j], 1);
    }
    if (lay->bias_col >= 0)
        mpq_set(net->c[0], x[lay->bias_col]);
    else
        mpq_set_ui(net->c[0], 0, 1);
}
