/* The certificate maps of the ETR-AMI reduction (see reduction.c).
 *
 * Forward: a solution x becomes the network with
 *   H0: weight 1 on one, x_v on u_v, output weights (1, 0);
 *   H1: weight 1 on vone, x_v on t_v, output weights (0, 1);
 *   H2: weight 1 on done, x_v on d_v, output weights (1, 1);
 *   G_q for x_a * x_b = x_c: weight 1 on i_q, x_a on j_q, output weights
 *       (1, x_b);
 * and all biases 0.  Backward: x_v is the R-entry of the column of u_v in
 * the input-output matrix, sum_j a_{R,j} w_{j,u_v}. */
#include <stdlib.h>
#include <string.h>
#include "etrami_internal.h"

static void set_int(xt_algebraic_struct *a, long value)
{
    mpq_t q;

    mpq_init(q);
    mpq_set_si(q, value, 1);
    xt_algebraic_set_q(a, q);
    mpq_clear(q);
}

/* Returns the input weight of neuron j from input t. */
static xt_algebraic_struct *weight(xt_algebraic_network_t net, int j, int t)
{
    return &net->w[(long)j * net->d + t];
}

/* Sets the output weights (r, s) of neuron j to integers. */
static void set_outputs(xt_algebraic_network_t net, int j, long r, long s)
{
    set_int(&net->a[XT_ETRAMI_R * net->k + j], r);
    set_int(&net->a[XT_ETRAMI_S * net->k + j], s);
}

/* The weights of H0, H1 and H2. */
static void forward_directions(xt_algebraic_network_t net,
                               const xt_etrami_layout *lay,
                               const xt_etrami_solution_t sol)
{
    set_int(weight(net, XT_ETRAMI_H0, XT_ETRAMI_ONE_INPUT), 1);
    set_int(weight(net, XT_ETRAMI_H1, XT_ETRAMI_VONE_INPUT), 1);
    set_int(weight(net, XT_ETRAMI_H2, XT_ETRAMI_DONE_INPUT), 1);
    set_outputs(net, XT_ETRAMI_H0, 1, 0);
    set_outputs(net, XT_ETRAMI_H1, 0, 1);
    set_outputs(net, XT_ETRAMI_H2, 1, 1);
    for (int v = 0; v < lay->nvars; v++)
        xt_algebraic_set(weight(net, XT_ETRAMI_H0, xt_etrami_u(lay, v)),
                         &sol->value[v]);
    for (int cp = 0; cp < lay->copies; cp++) {
        const xt_algebraic_struct *x = &sol->value[lay->copied[cp]];
        xt_algebraic_set(weight(net, XT_ETRAMI_H1,
                                xt_etrami_t_input(lay, cp)), x);
        xt_algebraic_set(weight(net, XT_ETRAMI_H2,
                                xt_etrami_d_input(lay, cp)), x);
    }
}

int xt_etrami_forward(xt_algebraic_network_t out, const xt_etrami_t sys,
                      const xt_etrami_solution_t sol, xt_error_t *err)
{
    xt_etrami_layout lay;
    int status;

    if (sol->n != sys->nvars) {
        xt_error_set(err, "the solution has %d values but the system has %d "
                     "variables", sol->n, sys->nvars);
        return XT_ERR_INPUT;
    }
    status = xt_etrami_layout_init(&lay, sys, err);
    if (status != XT_OK)
        return status;
    status = xt_algebraic_network_resize(out, lay.d, lay.k, 2, err);
    if (status == XT_OK) {
        out->activation = XT_ACT_LINEAR;
        out->threshold_output = 0;
        out->has_output_bias = 1;
        forward_directions(out, &lay, sol);
        for (int c = 0; c < sys->count; c++) {
            const xt_etrami_constraint *con = &sys->constraints[c];
            int q = lay.mul_of[c], g;
            if (q < 0)
                continue;
            g = xt_etrami_g_neuron(&lay, q);
            set_int(weight(out, g, xt_etrami_i_input(&lay, q)), 1);
            xt_algebraic_set(weight(out, g, xt_etrami_j_input(&lay, q)),
                             &sol->value[con->a]);
            set_int(&out->a[XT_ETRAMI_R * out->k + g], 1);
            xt_algebraic_set(&out->a[XT_ETRAMI_S * out->k + g],
                             &sol->value[con->b]);
        }
    }
    xt_etrami_layout_clear(&lay);
    return status;
}

/* ------------------------------------------------------ backward map */

static int is_zero(const xt_algebraic_struct *a)
{
    return a->degree == 0 && mpq_sgn(a->lo) == 0;
}

/* Computes sum_j a_{R,j} w_{j,t} for input t in the context c. */
static int column_entry(xt_algebraic_struct *out, Z3_context c,
                        const xt_algebraic_network_t net, int t,
                        xt_error_t *err)
{
    mpq_t zero;
    Z3_ast sum;

    mpq_init(zero);
    sum = xt_z3_mk_rational(c, zero);
    mpq_clear(zero);
    for (int j = 0; j < net->k; j++) {
        const xt_algebraic_struct *a = &net->a[XT_ETRAMI_R * net->k + j];
        const xt_algebraic_struct *w = &net->w[(long)j * net->d + t];
        Z3_ast za, zw;
        if (is_zero(a) || is_zero(w))
            continue;
        za = xt_z3_mk_algebraic(c, a, err);
        zw = za ? xt_z3_mk_algebraic(c, w, err) : NULL;
        if (!zw)
            return XT_ERR_INTERNAL;
        sum = Z3_algebraic_add(c, sum, Z3_algebraic_mul(c, za, zw));
        if (xt_z3_failed(c, "the backward map's products", err))
            return XT_ERR_INTERNAL;
    }
    return xt_z3_get_algebraic(out, c, sum, err);
}

int xt_etrami_backward(xt_etrami_solution_t out, const xt_etrami_t sys,
                       const xt_algebraic_network_t net, xt_error_t *err)
{
    xt_etrami_layout lay;
    xt_etrami_solution_t tmp;
    Z3_context c;
    int status = xt_etrami_layout_init(&lay, sys, err);

    if (status != XT_OK)
        return status;
    if (net->d != lay.d || net->m != 2) {
        xt_error_set(err, "the network has %d inputs and %d outputs, but "
                     "the training instance of the system has %d and 2",
                     net->d, net->m, lay.d);
        xt_etrami_layout_clear(&lay);
        return XT_ERR_INPUT;
    }
    xt_etrami_solution_init(tmp);
    c = xt_z3_context_new();
    if (!c || xt_etrami_solution_resize(tmp, sys->nvars) != XT_OK) {
        xt_error_set(err, "cannot create a Z3 context or out of memory");
        status = XT_ERR_INTERNAL;
    }
    for (int v = 0; v < sys->nvars && status == XT_OK; v++)
        status = column_entry(&tmp->value[v], c, net, xt_etrami_u(&lay, v),
                              err);
    if (status == XT_OK) {
        xt_etrami_solution_struct swap = *out;
        *out = *tmp;
        *tmp = swap;
    }
    xt_etrami_solution_clear(tmp);
    xt_z3_context_free(c);
    xt_etrami_layout_clear(&lay);
    return status;
}

/* --------------------------------------------------------- conformance */

/* Checks the zero weights of the edges inst's architecture leaves out. */
static int check_missing_edges(const xt_algebraic_network_t net,
                               const xt_instance_t inst, xt_error_t *err)
{
    for (int j = 0; j < net->k; j++) {
        for (int t = 0; t < net->d; t++)
            if (!xt_instance_input_edge(inst, j, t) &&
                !is_zero(&net->w[(long)j * net->d + t])) {
                xt_error_set(err, "input %d does not feed neuron %d in the "
                             "instance's architecture, but its weight is "
                             "not 0", t + 1, j + 1);
                return XT_ERR_INPUT;
            }
        for (int o = 0; o < net->m; o++)
            if (!xt_instance_output_edge(inst, o, j) &&
                !is_zero(&net->a[o * net->k + j])) {
                xt_error_set(err, "neuron %d does not feed output %d in the "
                             "instance's architecture, but its output "
                             "weight is not 0", j + 1, o + 1);
                return XT_ERR_INPUT;
            }
    }
    return XT_OK;
}

int xt_etrami_network_conforms(const xt_algebraic_network_t net,
                               const xt_instance_t inst, xt_error_t *err)
{
    if (net->d != inst->d || net->m != inst->m || net->k != inst->hidden) {
        xt_error_set(err, "the network has %d inputs, %d neurons and %d "
                     "outputs, the instance %d, %d and %d", net->d, net->k,
                     net->m, inst->d, inst->hidden, inst->m);
        return XT_ERR_INPUT;
    }
    if (net->activation != inst->activation || net->threshold_output) {
        xt_error_set(err, "the network's activation is not the instance's "
                     "(%s)", xt_activation_name(inst->activation));
        return XT_ERR_INPUT;
    }
    if (net->has_output_bias && !inst->output_bias) {
        xt_error_set(err, "the network has an output bias but the instance "
                     "allows none");
        return XT_ERR_INPUT;
    }
    if (xt_instance_check_architecture(inst, err) != XT_OK)
        return XT_ERR_INPUT;
    return check_missing_edges(net, inst, err);
}
