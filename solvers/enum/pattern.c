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
                           int k)
{
    lay->d = inst->d;
    lay->k = k;
    lay->n = inst->n;
    lay->has_bias = inst->output_bias;
    lay->loss = inst->loss;
    int col = k * (inst->d + 1);
    lay->bias_col = inst->output_bias ? col++ : -1;
    lay->aux_col = -1;
    if (inst->loss == XT_LOSS_L1) {
        lay->aux_col = col;
        col += (int)inst->n;
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

/* Sets row to the linear part of f(x_i) under the pattern. */
static void output_row(mpq_t *row, const xt_pattern_layout *lay,
                       const xt_instance_t inst,
                       const xt_dichotomy_list *sets, const xt_pattern *pat,
                       long i)
{
    for (int col = 0; col < lay->ncols; col++)
        mpq_set_ui(row[col], 0, 1);
    for (int j = 0; j < lay->k; j++)
        if (xt_dichotomy_has(sets, pat->set[j], i))
            neuron_row(row, lay, inst, j, i, pat->sign[j]);
    if (lay->bias_col >= 0)
        mpq_set_ui(row[lay->bias_col], 1, 1);
}

static void clear_row(mpq_t *row, int ncols)
{
    for (int col = 0; col < ncols; col++)
        mpq_set_ui(row[col], 0, 1);
}

void xt_pattern_build(xt_lp_t lp, const xt_pattern_layout *lay,
                      const xt_instance_t inst,
                      const xt_dichotomy_list *sets, const xt_pattern *pat)
{
    mpq_t *row = xt_rat_array_new((size_t)lay->ncols + 1);
    mpq_t zero, rhs;
    mpq_inits(zero, rhs, NULL);

    for (int j = 0; j < lay->k; j++)
        for (long i = 0; i < lay->n; i++) {
            int in = xt_dichotomy_has(sets, pat->set[j], i);
            clear_row(row, lay->ncols);
            neuron_row(row, lay, inst, j, i, in ? 1 : -1);
            xt_lp_add_row(lp, row, XT_ROW_GE, zero);
        }

    for (long i = 0; i < lay->n; i++) {
        const mpq_t *y = (const mpq_t *)&inst->y[i * inst->m];
        output_row(row, lay, inst, sets, pat, i);
        if (lay->loss == XT_LOSS_L2) {
            xt_lp_add_square(lp, row, *y);
            continue;
        }
        /* aux - (g . theta - y) >= 0, i.e. aux - g . theta >= -y. */
        int aux = lay->loss == XT_LOSS_L1 ? lay->aux_col + (int)i
                                          : lay->aux_col;
        for (int col = 0; col < lay->ncols; col++)
            mpq_neg(row[col], row[col]);
        mpq_set_ui(row[aux], 1, 1);
        mpq_neg(rhs, *y);
        xt_lp_add_row(lp, row, XT_ROW_GE, rhs);
        /* aux + (g . theta - y) >= 0, i.e. aux + g . theta >= y. */
        for (int col = 0; col < lay->ncols; col++)
            mpq_neg(row[col], row[col]);
        mpq_set_ui(row[aux], 1, 1);
        xt_lp_add_row(lp, row, XT_ROW_GE, *y);
    }

    if (lay->aux_col >= 0) {
        int count = lay->loss == XT_LOSS_L1 ? (int)lay->n : 1;
        for (int t = 0; t < count; t++)
            mpq_set_ui(lp->c[lay->aux_col + t], 1, 1);
    }
    mpq_clears(zero, rhs, NULL);
    xt_rat_array_free(row, (size_t)lay->ncols + 1);
}

void xt_pattern_network(xt_network_t net, const xt_pattern_layout *lay,
                        const xt_pattern *pat, const mpq_t *x)
{
    xt_network_resize(net, lay->d, lay->k, 1, NULL);
    net->activation = XT_ACT_RELU;
    net->has_output_bias = lay->has_bias;
    for (int j = 0; j < lay->k; j++) {
        int base = j * (lay->d + 1);
        for (int t = 0; t < lay->d; t++)
            mpq_set(net->w[j * lay->d + t], x[base + t]);
        mpq_set(net->b[j], x[base + lay->d]);
        mpq_set_si(net->a[j], pat->sign[j], 1);
    }
    if (lay->bias_col >= 0)
        mpq_set(net->c[0], x[lay->bias_col]);
    else
        mpq_set_ui(net->c[0], 0, 1);
}
