/* The reduction from ETR-AMI to zero-error training of a two-layer
 * network with linear hidden units, two outputs (R, S) and a sparse first
 * layer.  The construction was derived for xtrain.  It uses two facts:
 * with linear units a network is a factorization M = B A of its
 * input-output matrix (plus a bias), and an architecture in which each
 * input feeds one neuron makes the columns of one neuron's inputs
 * parallel, which expresses products.  Abrahamsen, Kleist and Miltzow
 * ("Training neural networks is ER-complete", NeurIPS 2021) proved
 * training with a chosen architecture ER-complete.  This is a small
 * construction of that kind, checked by the verifier in verify.c, and
 * docs/er-reduction.md contains its proof.
 *
 * The network computes f(x) = M x + beta.  Every input feeds exactly one
 * neuron, so the column m_t of input t is a_h w_{h,t} for its neuron h:
 * the columns of one neuron's inputs are parallel.  The data points are
 *
 *   0 -> (0, 0)                         beta = 0
 *   e_one -> (1, 0), e_vone -> (0, 1), e_done -> (1, 1)
 *                                       directions of H0, H1 and H2
 *   e_{u_a} -> (1, 0)                   x_a = 1
 *   e_{u_a} + e_{u_b} - e_{u_c} -> 0    x_a + x_b = x_c
 *   e_{d_v} - e_{u_v} - e_{t_v} -> 0    the column of t_v is (0, x_v)
 *   e_{i_q} - e_one - e_{t_b} -> 0      the column of i_q is (1, x_b)
 *   e_{j_q} - e_{u_a} - e_{t_c} -> 0    the column of j_q is (x_a, x_c)
 *
 * and i_q, j_q feed the same neuron G_q, so (1, x_b) and (x_a, x_c) are
 * parallel: x_c = x_a x_b. */
#include <stdlib.h>
#include <string.h>
#include "etrami_internal.h"

const xt_real_reduction xt_reduction_etr_ami = {
    "etr-ami",
    "ETR-AMI (x = 1, x + y = z, x * y = z over the reals) -> zero-error "
    "sparse linear network with 2 outputs",
    "derived for xtrain (docs/er-reduction.md), after Abrahamsen, Kleist "
    "and Miltzow, NeurIPS 2021"
};

const char *const xt_etrami_size_names[XT_ETRAMI_SIZES] = {
    "vars", "ones", "adds", "muls", "copies"
};
const char xt_etrami_points_formula[] =
    "4 + ones + adds + copies + 2 * muls";
const char xt_etrami_inputs_formula[] = "3 + vars + 2 * copies + 2 * muls";
const char xt_etrami_hidden_formula[] = "3 + muls";

/* Marks the variables that need a vertical copy: the second factor and
 * the product of every multiplication.  Returns the number of copies. */
static int mark_copies(int *copy_of, const xt_etrami_t sys)
{
    int copies = 0;

    for (int v = 0; v < sys->nvars; v++)
        copy_of[v] = -1;
    for (int i = 0; i < sys->count; i++) {
        const xt_etrami_constraint *con = &sys->constraints[i];
        if (con->op == XT_ETRAMI_MUL) {
            copy_of[con->b] = 0;
            copy_of[con->c] = 0;
        }
    }
    for (int v = 0; v < sys->nvars; v++)
        if (copy_of[v] >= 0)
            copy_of[v] = copies++;
    return copies;
}

void xt_etrami_sizes(long out[XT_ETRAMI_SIZES], const xt_etrami_t sys)
{
    int *copy_of = malloc((size_t)(sys->nvars > 0 ? sys->nvars : 1) *
                          sizeof *copy_of);

    out[0] = sys->nvars;
    out[1] = xt_etrami_count_op(sys, XT_ETRAMI_ONE);
    out[2] = xt_etrami_count_op(sys, XT_ETRAMI_ADD);
    out[3] = xt_etrami_count_op(sys, XT_ETRAMI_MUL);
    out[4] = copy_of ? mark_copies(copy_of, sys) : -1;
    free(copy_of);
}

void xt_etrami_layout_clear(xt_etrami_layout *lay)
{
    free(lay->copy_of);
    free(lay->copied);
    free(lay->mul_of);
    memset(lay, 0, sizeof *lay);
}

/* Checks the instance's sizes against the XT_MAX_* limits. */
static int check_limits(long d, long k, long n, xt_error_t *err)
{
    if (d > XT_MAX_DIM || k > XT_MAX_HIDDEN || n > XT_MAX_POINTS) {
        xt_error_set(err, "the training instance would have %ld inputs, %ld "
                     "hidden neurons and %ld points, above the limits %d, "
                     "%d and %d", d, k, n, XT_MAX_DIM, XT_MAX_HIDDEN,
                     XT_MAX_POINTS);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_etrami_layout_init(xt_etrami_layout *lay, const xt_etrami_t sys,
                          xt_error_t *err)
{
    long sizes[XT_ETRAMI_SIZES], d, k, n;
    int nv = sys->nvars > 0 ? sys->nvars : 1;

    memset(lay, 0, sizeof *lay);
    lay->copy_of = malloc((size_t)nv * sizeof *lay->copy_of);
    lay->copied = malloc((size_t)nv * sizeof *lay->copied);
    lay->mul_of = malloc((size_t)(sys->count > 0 ? sys->count : 1) *
                         sizeof *lay->mul_of);
    if (!lay->copy_of || !lay->copied || !lay->mul_of) {
        xt_etrami_layout_clear(lay);
        xt_error_set(err, "out of memory for the reduction's layout");
        return XT_ERR_NOMEM;
    }
    lay->nvars = sys->nvars;
    lay->copies = mark_copies(lay->copy_of, sys);
    for (int v = 0; v < sys->nvars; v++)
        if (lay->copy_of[v] >= 0)
            lay->copied[lay->copy_of[v]] = v;
    for (int i = 0; i < sys->count; i++)
        lay->mul_of[i] = sys->constraints[i].op == XT_ETRAMI_MUL
                         ? lay->muls++ : -1;
    xt_etrami_sizes(sizes, sys);
    d = 3L + sys->nvars + 2L * lay->copies + 2L * lay->muls;
    k = 3L + lay->muls;
    n = 4L + sizes[1] + sizes[2] + lay->copies + 2L * lay->muls;
    if (check_limits(d, k, n, err) != XT_OK) {
        xt_etrami_layout_clear(lay);
        return XT_ERR_INPUT;
    }
    lay->d = (int)d;
    lay->k = (int)k;
    lay->n = (int)n;
    return XT_OK;
}

/* ------------------------------------------------------ instance map */

/* Builds the architecture.  H0 reads one and every u_v, H1 vone and
 * every t_v, H2 done and every d_v, and G_q reads i_q and j_q.  Every
 * neuron feeds both outputs. */
static int set_architecture(xt_instance_t inst, const xt_etrami_layout *lay,
                            xt_error_t *err)
{
    int d = lay->d, k = lay->k, status;
    unsigned char *in = calloc((size_t)k * (size_t)d, 1);
    unsigned char *out = malloc((size_t)2 * (size_t)k);

    if (!in || !out) {
        free(in);
        free(out);
        xt_error_set(err, "out of memory for the architecture");
        return XT_ERR_NOMEM;
    }
    memset(out, 1, (size_t)2 * (size_t)k);
    in[XT_ETRAMI_H0 * d + XT_ETRAMI_ONE_INPUT] = 1;
    in[XT_ETRAMI_H1 * d + XT_ETRAMI_VONE_INPUT] = 1;
    in[XT_ETRAMI_H2 * d + XT_ETRAMI_DONE_INPUT] = 1;
    for (int v = 0; v < lay->nvars; v++)
        in[XT_ETRAMI_H0 * d + xt_etrami_u(lay, v)] = 1;
    for (int cp = 0; cp < lay->copies; cp++) {
        in[XT_ETRAMI_H1 * d + xt_etrami_t_input(lay, cp)] = 1;
        in[XT_ETRAMI_H2 * d + xt_etrami_d_input(lay, cp)] = 1;
    }
    for (int q = 0; q < lay->muls; q++) {
        int g = xt_etrami_g_neuron(lay, q);
        in[(long)g * d + xt_etrami_i_input(lay, q)] = 1;
        in[(long)g * d + xt_etrami_j_input(lay, q)] = 1;
    }
    status = xt_instance_set_architecture(inst, in, out, err);
    free(in);
    free(out);
    return status;
}

/* Adds coef to input t of point i. */
static void add_input(xt_instance_t inst, long i, int t, long coef)
{
    mpq_t *x = &inst->x[i * inst->d + t];

    /* every input is an integer, so only the numerator changes */
    if (coef >= 0)
        mpz_add_ui(mpq_numref(*x), mpq_numref(*x), (unsigned long)coef);
    else
        mpz_sub_ui(mpq_numref(*x), mpq_numref(*x), (unsigned long)-coef);
}

/* Sets the labels (r, s) of point i. */
static void set_label(xt_instance_t inst, long i, long r, long s)
{
    mpq_set_si(inst->y[i * 2 + XT_ETRAMI_R], r, 1);
    mpq_set_si(inst->y[i * 2 + XT_ETRAMI_S], s, 1);
}

/* Writes the points of the constraints, from point 4 on. */
static void constraint_points(xt_instance_t inst,
                              const xt_etrami_layout *lay,
                              const xt_etrami_t sys)
{
    long i = 4;

    for (int c = 0; c < sys->count; c++) {
        const xt_etrami_constraint *con = &sys->constraints[c];
        if (con->op == XT_ETRAMI_ONE) {
            add_input(inst, i, xt_etrami_u(lay, con->a), 1);
            set_label(inst, i++, 1, 0);
        } else if (con->op == XT_ETRAMI_ADD) {
            add_input(inst, i, xt_etrami_u(lay, con->a), 1);
            add_input(inst, i, xt_etrami_u(lay, con->b), 1);
            add_input(inst, i, xt_etrami_u(lay, con->c), -1);
            i++;
        }
    }
    for (int cp = 0; cp < lay->copies; cp++) {
        add_input(inst, i, xt_etrami_d_input(lay, cp), 1);
        add_input(inst, i, xt_etrami_u(lay, lay->copied[cp]), -1);
        add_input(inst, i++, xt_etrami_t_input(lay, cp), -1);
    }
    for (int c = 0; c < sys->count; c++) {
        const xt_etrami_constraint *con = &sys->constraints[c];
        int q = lay->mul_of[c];
        if (q < 0)
            continue;
        add_input(inst, i, xt_etrami_i_input(lay, q), 1);
        add_input(inst, i, XT_ETRAMI_ONE_INPUT, -1);
        add_input(inst, i++,
                  xt_etrami_t_input(lay, lay->copy_of[con->b]), -1);
        add_input(inst, i, xt_etrami_j_input(lay, q), 1);
        add_input(inst, i, xt_etrami_u(lay, con->a), -1);
        add_input(inst, i++,
                  xt_etrami_t_input(lay, lay->copy_of[con->c]), -1);
    }
}

/* Sets the training settings: zero-error l2 target, linear units. */
static void set_settings(xt_instance_t inst, int k)
{
    inst->hidden = k;
    inst->activation = XT_ACT_LINEAR;
    inst->has_activation = 1;
    inst->loss = XT_LOSS_L2;
    inst->has_loss = 1;
    inst->has_target = 1;
    mpq_set_ui(inst->target, 0, 1);
    inst->output_bias = 1;
    inst->has_output_bias = 1;
}

int xt_etrami_map(xt_instance_t out, const xt_etrami_t sys,
                  xt_error_t *err)
{
    xt_etrami_layout lay;
    xt_instance_t inst;
    int status = xt_etrami_layout_init(&lay, sys, err);

    if (status != XT_OK)
        return status;
    xt_instance_init(inst);
    status = xt_instance_resize(inst, lay.n, lay.d, 2, err);
    if (status == XT_OK) {
        set_settings(inst, lay.k);
        add_input(inst, 1, XT_ETRAMI_ONE_INPUT, 1);
        set_label(inst, 1, 1, 0);
        add_input(inst, 2, XT_ETRAMI_VONE_INPUT, 1);
        set_label(inst, 2, 0, 1);
        add_input(inst, 3, XT_ETRAMI_DONE_INPUT, 1);
        set_label(inst, 3, 1, 1);
        constraint_points(inst, &lay, sys);
        status = set_architecture(inst, &lay, err);
    }
    if (status == XT_OK) {
        xt_instance_struct swap = *out;
        *out = *inst;
        *inst = swap;
    }
    xt_instance_clear(inst);
    xt_etrami_layout_clear(&lay);
    return status;
}
