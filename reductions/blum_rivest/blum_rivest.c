/* Set Splitting -> training a 3-node threshold network: two hidden
 * threshold neurons and a threshold output (Blum and Rivest, "Training a
 * 3-node neural network is NP-complete", Neural Networks 5(1):117-127,
 * 1992; NIPS 1988, pp. 494-501).
 *
 * Elements s_1..s_n and subsets c_1..c_m give points in {0,1}^(n+3) with
 * zero-one loss target 0 and labels 1 (+) and 0 (-):
 *   + the origin;  - each unit vector e_i, i <= n;
 *   + the indicator vector of each subset c_j;
 *   a gadget on the last three coordinates (the first n are 0):
 *   + (1,0,1), (0,1,1);  - (1,0,0), (0,1,0), (0,0,1), (1,1,1).
 * A neuron fires when w.x + b > 0.
 *
 * Forward: from the split (S1, S2) take the plane a.x = -1/2 with
 * a_i = -1 on S1 and a_i = n elsewhere, extended by x_{n+1} + x_{n+2} -
 * x_{n+3}; the second plane is built from S2 and extended by -x_{n+1} -
 * x_{n+2} + x_{n+3}.  Each hidden neuron fires on the origin's side of its
 * plane, and the output is their AND.  A subset c_j not inside S1 has an element with
 * coefficient n, so a.c_j >= n - (|c_j| - 1) >= 1 > -1/2.
 *
 * Backward: S1 is the set of elements whose unit vector the first hidden
 * neuron separates from the origin (h_1(e_i) != h_1(0)); the other
 * elements go to S2.  The gadget is what rules out the networks for which
 * this reading fails.
 *
 * The variant "blum-rivest-broken" leaves the gadget out (points in
 * {0,1}^n); it is wrong, for instance on the triangle {1,2}, {2,3},
 * {1,3}, and exists to test that the verifier catches it. */
#include <string.h>
#include "../reduction_internal.h"

/* Gadget points on coordinates n+1..n+3 and their labels. */
static const int gadget[6][4] = {
    {1, 0, 1, 1}, {0, 1, 1, 1},
    {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {1, 1, 1, 0}
};

/* r->data points to one of these: whether the gadget is included. */
static const int gadget_on = 1, gadget_off = 0;

static int with_gadget(const xt_reduction *r)
{
    return *(const int *)r->data;
}

static void set_settings(xt_instance_t inst)
{
    inst->hidden = 2;
    inst->activation = XT_ACT_THRESHOLD;
    inst->has_activation = 1;
    inst->loss = XT_LOSS_ZERO_ONE;
    inst->has_loss = 1;
    inst->has_target = 1;
    mpq_set_ui(inst->target, 0, 1);
    inst->output_bias = 1;
    inst->has_output_bias = 1;
    inst->convex = 0;
}

static int br_map(const xt_reduction *r, xt_instance_t out,
                  const xt_clauses_t src, xt_error_t *err)
{
    int n = src->nvars, m = src->nclauses, gadgets = with_gadget(r) ? 6 : 0;
    int d = n + (with_gadget(r) ? 3 : 0);
    if (n < 1) {
        xt_error_set(err, "the reduction needs at least one element");
        return XT_ERR_INPUT;
    }
    int rc = xt_instance_resize(out, 1 + n + m + gadgets, d, 1, err);
    if (rc != XT_OK)
        return rc;
    set_settings(out);
    long row = 0;
    mpq_set_ui(out->y[row++], 1, 1);
    for (int i = 0; i < n; i++, row++)
        mpq_set_ui(out->x[row * d + i], 1, 1);
    for (int j = 0; j < m; j++, row++) {
        const int *lits = xt_clause_lits(src, j);
        for (int t = 0; t < xt_clause_size(src, j); t++)
            mpq_set_ui(out->x[row * d + lits[t] - 1], 1, 1);
        mpq_set_ui(out->y[row], 1, 1);
    }
    for (int g = 0; g < gadgets; g++, row++) {
        for (int c = 0; c < 3; c++)
            mpq_set_ui(out->x[row * d + n + c], (unsigned)gadget[g][c], 1);
        mpq_set_ui(out->y[row], (unsigned)gadget[g][3], 1);
    }
    return XT_OK;
}

/* Sets hidden neuron j: on the origin's side of the plane built from the
 * part (elements with value part), i.e. a.x + ext.x + 1/2 > 0. */
static void set_plane(xt_network_t net, int j, const xt_assignment_t cert,
                      int part, int n, int gadget_sign)
{
    int d = net->d;
    for (int i = 0; i < n; i++)
        mpq_set_si(net->w[j * d + i], cert->value[i] == part ? -1 : n, 1);
    if (gadget_sign) {
        mpq_set_si(net->w[j * d + n], gadget_sign, 1);
        mpq_set_si(net->w[j * d + n + 1], gadget_sign, 1);
        mpq_set_si(net->w[j * d + n + 2], -gadget_sign, 1);
    }
    mpq_set_si(net->b[j], 1, 2);
}

static int br_forward(const xt_reduction *r, xt_network_t out,
                      const xt_clauses_t src, const xt_instance_t inst,
                      const xt_assignment_t cert, xt_error_t *err)
{
    int n = src->nvars;
    int rc = xt_network_resize(out, inst->d, 2, 1, err);
    if (rc != XT_OK)
        return rc;
    out->activation = XT_ACT_THRESHOLD;
    out->threshold_output = 1;
    out->has_output_bias = 1;
    set_plane(out, 0, cert, 1, n, with_gadget(r) ? 1 : 0);
    set_plane(out, 1, cert, 0, n, with_gadget(r) ? -1 : 0);
    mpq_set_ui(out->a[0], 1, 1);
    mpq_set_ui(out->a[1], 1, 1);
    mpq_set_si(out->c[0], -3, 2);
    return XT_OK;
}

/* [w_j . x + b_j > 0] at the origin (unit < 0) or at e_unit. */
static int fires(const xt_network_t net, int j, int unit)
{
    mpq_t t;
    mpq_init(t);
    mpq_set(t, net->b[j]);
    if (unit >= 0)
        mpq_add(t, t, net->w[j * net->d + unit]);
    int on = mpq_sgn(t) > 0;
    mpq_clear(t);
    return on;
}

static int br_backward(const xt_reduction *r, xt_assignment_t out,
                       const xt_clauses_t src, const xt_instance_t inst,
                       const xt_network_t net, xt_error_t *err)
{
    (void)r;
    int n = src->nvars;
    if (net->k != 2 || net->d != inst->d ||
        net->activation != XT_ACT_THRESHOLD) {
        xt_error_set(err, "expected a network with two threshold neurons "
                     "over %d inputs", inst->d);
        return XT_ERR_INPUT;
    }
    if (xt_assignment_resize(out, n) != XT_OK) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    int origin = fires(net, 0, -1);
    for (int i = 0; i < n; i++)
        out->value[i] = (unsigned char)(fires(net, 0, i) != origin);
    return XT_OK;
}

const xt_reduction xt_reduction_blum_rivest = {
    "blum-rivest",
    "Set Splitting -> 3-node threshold network (two hidden neurons, "
    "threshold output), zero-one loss 0",
    "A. L. Blum and R. L. Rivest, Training a 3-node neural network is "
    "NP-complete, Neural Networks 5(1):117-127, 1992",
    &xt_source_set_splitting,
    "n + m + 7", "n + 3", "2",
    br_map, br_forward, br_backward, NULL, (void *)&gadget_on
};

const xt_reduction xt_reduction_blum_rivest_broken = {
    "blum-rivest-broken",
    "Blum-Rivest without the six-point gadget: deliberately wrong, a "
    "test case for the verifier",
    "none: the gadget of Blum and Rivest is removed on purpose",
    &xt_source_set_splitting,
    "n + m + 1", "n", "2",
    br_map, br_forward, br_backward, NULL, (void *)&gadget_off
};
