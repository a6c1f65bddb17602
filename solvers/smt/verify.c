/* The loss of a network with algebraic weights, proven two ways:
 *
 *   - MPFR interval arithmetic: every weight is enclosed in an interval
 *     of width 2^-p and the network is evaluated with outward rounding,
 *     so the exact loss lies in the resulting interval.  p grows from 64
 *     bits until the comparison with the target is decided;
 *   - exact real algebraic arithmetic with Z3_algebraic_add/mul/sub and
 *     the sign tests of Z3's algebraic number API (not its solver), in a
 *     fresh context that never saw a timeout.
 *
 * The exact loss must lie in every interval enclosure, and the final
 * comparison with the target uses xtrain's own exact comparison
 * (xt_algebraic_cmp).  Rational networks skip both and use
 * xt_network_loss in GMP rationals. */
#include <stdlib.h>
#include "smt_internal.h"
#include "xtrain/rat.h"

#define FIRST_BITS 64
#define MAX_BITS 4096

void xt_algebraic_loss_init(xt_algebraic_loss_t rep)
{
    rep->exact = 0;
    xt_algebraic_init(rep->loss);
    mpq_init(rep->loss_lo);
    mpq_init(rep->loss_hi);
    rep->has_target = 0;
    rep->meets_target = 0;
    rep->decided_by_intervals = 0;
    rep->precision = 0;
}

void xt_algebraic_loss_clear(xt_algebraic_loss_t rep)
{
    xt_algebraic_clear(rep->loss);
    mpq_clear(rep->loss_lo);
    mpq_clear(rep->loss_hi);
}

static int check_shape(const xt_algebraic_network_t net,
                       const xt_instance_t inst, xt_loss kind,
                       xt_error_t *err)
{
    if (net->d != inst->d || net->m != inst->m) {
        xt_error_set(err, "the network has %d inputs and %d outputs, the "
                     "instance %d and %d", net->d, net->m, inst->d,
                     inst->m);
        return XT_ERR_INPUT;
    }
    if ((unsigned)kind > XT_LOSS_ZERO_ONE) {
        xt_error_set(err, "unknown loss code %d", (int)kind);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

/* Compares the loss with the target: 1 when loss <= target (< when
 * strict) and 0 otherwise. */
static int meets(const xt_algebraic_t loss, const xt_algebraic_struct *target,
                 int strict)
{
    int c = xt_algebraic_cmp(loss, target);

    return strict ? c < 0 : c <= 0;
}

/* ------------------------------------------------ interval evaluation */

typedef struct {
    mpfr_prec_t prec;
    long count;
    xt_ival *w, *b, *a, *c;     /* enclosures of the weights */
} ival_network;

static void ival_array(xt_ival **out, const xt_algebraic_struct *v,
                       long count, mpfr_prec_t prec)
{
    *out = malloc((size_t)(count > 0 ? count : 1) * sizeof **out);
    if (!*out)
        abort();
    for (long i = 0; i < count; i++) {
        xt_ival_init(&(*out)[i], prec);
        xt_ival_set_algebraic(&(*out)[i], &v[i]);
    }
}

static void ival_array_free(xt_ival *v, long count)
{
    for (long i = 0; i < count; i++)
        xt_ival_clear(&v[i]);
    free(v);
}

static void ival_network_init(ival_network *iv,
                              const xt_algebraic_network_t net,
                              mpfr_prec_t prec)
{
    iv->prec = prec;
    ival_array(&iv->w, net->w, (long)net->k * net->d, prec);
    ival_array(&iv->b, net->b, net->k, prec);
    ival_array(&iv->a, net->a, (long)net->m * net->k, prec);
    ival_array(&iv->c, net->c, net->m, prec);
}

static void ival_network_clear(ival_network *iv,
                               const xt_algebraic_network_t net)
{
    ival_array_free(iv->w, (long)net->k * net->d);
    ival_array_free(iv->b, net->k);
    ival_array_free(iv->a, (long)net->m * net->k);
    ival_array_free(iv->c, net->m);
}

/* Encloses the step function [t > 0] of t in the interval v. */
static void ival_step(xt_ival *v)
{
    int low = mpfr_sgn(v->lo) > 0, high = mpfr_sgn(v->hi) > 0;

    mpfr_set_ui(v->lo, low ? 1 : 0, MPFR_RNDD);
    mpfr_set_ui(v->hi, high ? 1 : 0, MPFR_RNDU);
}

/* Encloses max(0, t) of t in the interval v. */
static void ival_relu(xt_ival *v)
{
    if (mpfr_sgn(v->lo) < 0)
        mpfr_set_zero(v->lo, 1);
    if (mpfr_sgn(v->hi) < 0)
        mpfr_set_zero(v->hi, 1);
}

/* Encloses the outputs of the network at point x in out[0..m). */
static void ival_eval(xt_ival *out, const ival_network *iv,
                      const xt_algebraic_network_t net, const mpq_t *x,
                      xt_ival *h, xt_ival *t)
{
    for (int o = 0; o < net->m; o++) {
        if (net->has_output_bias) {
            xt_ival_set(&out[o], &iv->c[o]);
        } else {
            mpfr_set_zero(out[o].lo, 1);
            mpfr_set_zero(out[o].hi, 1);
        }
    }
    for (int j = 0; j < net->k; j++) {
        xt_ival_set(h, &iv->b[j]);
        for (int s = 0; s < net->d; s++) {
            xt_ival_set_q(t, x[s]);
            xt_ival_mul(t, t, &iv->w[j * net->d + s]);
            xt_ival_add(h, h, t);
        }
        if (net->activation == XT_ACT_RELU)
            ival_relu(h);
        else if (net->activation == XT_ACT_THRESHOLD)
            ival_step(h);
        for (int o = 0; o < net->m; o++) {
            xt_ival_mul(t, &iv->a[o * net->k + j], h);
            xt_ival_add(&out[o], &out[o], t);
        }
    }
    if (net->threshold_output)
        for (int o = 0; o < net->m; o++)
            ival_step(&out[o]);
}

/* Adds the loss of one point (residual enclosures r[0..m)) to loss. */
static void ival_add_point_loss(xt_ival *loss, xt_ival *r, int m,
                                xt_loss kind, xt_ival *t)
{
    int wrong = 0, exact_zero = 1;

    for (int o = 0; o < m; o++) {
        switch (kind) {
        case XT_LOSS_L2:
            xt_ival_sqr(t, &r[o]);
            xt_ival_add(loss, loss, t);
            break;
        case XT_LOSS_L1:
            xt_ival_abs(t, &r[o]);
            xt_ival_add(loss, loss, t);
            break;
        case XT_LOSS_LINF:
            xt_ival_abs(t, &r[o]);
            xt_ival_max(loss, loss, t);
            break;
        default:
            wrong |= xt_ival_sign(&r[o]) != 0;
            exact_zero &= mpfr_zero_p(r[o].lo) && mpfr_zero_p(r[o].hi);
        }
    }
    if (kind == XT_LOSS_ZERO_ONE) {
        /* the indicator of "some output wrong" lies in [wrong, 1] */
        mpfr_set_ui(t->lo, wrong ? 1 : 0, MPFR_RNDD);
        mpfr_set_ui(t->hi, exact_zero && !wrong ? 0 : 1, MPFR_RNDU);
        xt_ival_add(loss, loss, t);
    }
}

/* Encloses the loss of net on inst at precision prec. */
static void ival_loss(mpq_t lo, mpq_t hi, const xt_algebraic_network_t net,
                      const xt_instance_t inst, xt_loss kind,
                      mpfr_prec_t prec)
{
    ival_network iv;
    xt_ival loss, h, t, *r;
    int m = net->m;

    ival_network_init(&iv, net, prec);
    xt_ival_init(&loss, prec);
    xt_ival_init(&h, prec);
    xt_ival_init(&t, prec);
    r = malloc((size_t)m * sizeof *r);
    if (!r)
        abort();
    for (int o = 0; o < m; o++)
        xt_ival_init(&r[o], prec);
    for (long i = 0; i < inst->n; i++) {
        ival_eval(r, &iv, net, (const mpq_t *)inst->x + i * inst->d, &h,
                  &t);
        for (int o = 0; o < m; o++) {
            xt_ival_set_q(&t, inst->y[i * m + o]);
            xt_ival_sub(&r[o], &r[o], &t);
        }
        ival_add_point_loss(&loss, r, m, kind, &t);
    }
    xt_ival_get_q(lo, hi, &loss);
    for (int o = 0; o < m; o++)
        xt_ival_clear(&r[o]);
    free(r);
    xt_ival_clear(&loss);
    xt_ival_clear(&h);
    xt_ival_clear(&t);
    ival_network_clear(&iv, net);
}

/* Decides the comparison with the target from the enclosure: returns 1
 * (meets), 0 (fails) or -1 (undecided). */
static int decide_by_enclosure(const mpq_t lo, const mpq_t hi,
                               const xt_algebraic_struct *target,
                               int strict)
{
    int c_hi = xt_algebraic_cmp_q(target, hi);  /* sign of target - hi */
    int c_lo = xt_algebraic_cmp_q(target, lo);

    if (strict ? c_hi > 0 : c_hi >= 0)
        return 1;
    if (strict ? c_lo <= 0 : c_lo < 0)
        return 0;
    return -1;
}

int xt_algebraic_network_loss_intervals(xt_algebraic_loss_t rep,
                                        const xt_algebraic_network_t net,
                                        const xt_instance_t inst,
                                        xt_loss kind,
                                        const xt_algebraic_struct *target,
                                        int strict, long max_bits,
                                        xt_error_t *err)
{
    if (check_shape(net, inst, kind, err) != XT_OK)
        return XT_ERR_INPUT;
    rep->exact = 0;
    rep->has_target = target != NULL;
    rep->meets_target = 0;
    rep->decided_by_intervals = 0;
    for (long bits = FIRST_BITS; bits <= max_bits; bits *= 2) {
        ival_loss(rep->loss_lo, rep->loss_hi, net, inst, kind,
                  (mpfr_prec_t)bits);
        rep->precision = bits;
        if (!target)
            break;
        int decision = decide_by_enclosure(rep->loss_lo, rep->loss_hi,
                                           target, strict);
        if (decision >= 0) {
            rep->meets_target = decision;
            rep->decided_by_intervals = 1;
            break;
        }
    }
    return XT_OK;
}

/* ---------------------------------------------------- exact evaluation */

typedef struct {
    Z3_context c;
    Z3_ast zero, one;
    Z3_ast *w, *b, *a, *cb;
} z3_network;

static int z3_array(Z3_ast **out, Z3_context c, const xt_algebraic_struct *v,
                    long count, xt_error_t *err)
{
    *out = malloc((size_t)(count > 0 ? count : 1) * sizeof **out);
    if (!*out)
        abort();
    for (long i = 0; i < count; i++) {
        (*out)[i] = xt_z3_mk_algebraic(c, &v[i], err);
        if (!(*out)[i])
            return XT_ERR_INTERNAL;
    }
    return XT_OK;
}

static int z3_network_init(z3_network *zn, const xt_algebraic_network_t net,
                           xt_error_t *err)
{
    mpq_t q;
    int status;

    zn->w = zn->b = zn->a = zn->cb = NULL;
    zn->c = xt_z3_context_new();
    if (!zn->c) {
        xt_error_set(err, "Z3 could not create a context");
        return XT_ERR_INTERNAL;
    }
    mpq_init(q);
    zn->zero = xt_z3_mk_rational(zn->c, q);
    mpq_set_ui(q, 1, 1);
    zn->one = xt_z3_mk_rational(zn->c, q);
    mpq_clear(q);
    status = z3_array(&zn->w, zn->c, net->w, (long)net->k * net->d, err);
    if (status == XT_OK)
        status = z3_array(&zn->b, zn->c, net->b, net->k, err);
    if (status == XT_OK)
        status = z3_array(&zn->a, zn->c, net->a, (long)net->m * net->k,
                          err);
    if (status == XT_OK)
        status = z3_array(&zn->cb, zn->c, net->c, net->m, err);
    return status;
}

static void z3_network_clear(z3_network *zn)
{
    free(zn->w);
    free(zn->b);
    free(zn->a);
    free(zn->cb);
    xt_z3_context_free(zn->c);
}

/* Computes the exact outputs of the network at point x into out. */
static void z3_eval(Z3_ast *out, const z3_network *zn,
                    const xt_algebraic_network_t net, const mpq_t *x)
{
    Z3_context c = zn->c;

    for (int o = 0; o < net->m; o++)
        out[o] = net->has_output_bias ? zn->cb[o] : zn->zero;
    for (int j = 0; j < net->k; j++) {
        Z3_ast h = zn->b[j];
        for (int s = 0; s < net->d; s++)
            if (mpq_sgn(x[s]) != 0)
                h = Z3_algebraic_add(c, h, Z3_algebraic_mul(
                        c, xt_z3_mk_rational(c, x[s]),
                        zn->w[j * net->d + s]));
        if (net->activation == XT_ACT_RELU)
            h = Z3_algebraic_is_pos(c, h) ? h : zn->zero;
        else if (net->activation == XT_ACT_THRESHOLD)
            h = Z3_algebraic_is_pos(c, h) ? zn->one : zn->zero;
        for (int o = 0; o < net->m; o++)
            out[o] = Z3_algebraic_add(c, out[o], Z3_algebraic_mul(
                         c, zn->a[o * net->k + j], h));
    }
    if (net->threshold_output)
        for (int o = 0; o < net->m; o++)
            out[o] = Z3_algebraic_is_pos(c, out[o]) ? zn->one : zn->zero;
}

/* Adds the loss of one point with residuals r[0..m) to *loss. */
static Z3_ast z3_add_point_loss(const z3_network *zn, Z3_ast loss,
                                const Z3_ast *r, int m, xt_loss kind)
{
    Z3_context c = zn->c;
    int wrong = 0;

    for (int o = 0; o < m; o++) {
        Z3_ast abs = Z3_algebraic_is_neg(c, r[o])
                         ? Z3_algebraic_sub(c, zn->zero, r[o]) : r[o];
        if (kind == XT_LOSS_L2)
            loss = Z3_algebraic_add(c, loss, Z3_algebraic_mul(c, r[o],
                                                              r[o]));
        else if (kind == XT_LOSS_L1)
            loss = Z3_algebraic_add(c, loss, abs);
        else if (kind == XT_LOSS_LINF)
            loss = Z3_algebraic_gt(c, abs, loss) ? abs : loss;
        else
            wrong |= !Z3_algebraic_is_zero(c, r[o]);
    }
    if (wrong)
        loss = Z3_algebraic_add(c, loss, zn->one);
    return loss;
}

/* Computes the exact loss with Z3's algebraic numbers into out. */
static int exact_loss(xt_algebraic_t out, const xt_algebraic_network_t net,
                      const xt_instance_t inst, xt_loss kind,
                      xt_error_t *err)
{
    z3_network zn;
    Z3_ast loss, *r;
    int status = z3_network_init(&zn, net, err);

    r = malloc((size_t)net->m * sizeof *r);
    if (!r)
        abort();
    loss = zn.zero;
    for (long i = 0; status == XT_OK && i < inst->n; i++) {
        z3_eval(r, &zn, net, (const mpq_t *)inst->x + i * inst->d);
        for (int o = 0; o < net->m; o++)
            r[o] = Z3_algebraic_sub(zn.c, r[o], xt_z3_mk_rational(
                                        zn.c, inst->y[i * net->m + o]));
        loss = z3_add_point_loss(&zn, loss, r, net->m, kind);
        if (xt_z3_failed(zn.c, "exact evaluation", err))
            status = XT_ERR_INTERNAL;
    }
    if (status == XT_OK)
        status = xt_z3_get_algebraic(out, zn.c, loss, err);
    free(r);
    z3_network_clear(&zn);
    return status;
}

/* The loss of a network whose weights are all rational. */
static int rational_loss(xt_algebraic_loss_t rep,
                         const xt_algebraic_network_t net,
                         const xt_instance_t inst, xt_loss kind,
                         xt_error_t *err)
{
    xt_network_t q;
    int status;

    xt_network_init(q);
    status = xt_algebraic_network_get_network(q, net, err);
    if (status == XT_OK)
        status = xt_network_loss(rep->loss_lo, NULL, q, inst, kind, err);
    if (status == XT_OK) {
        mpq_set(rep->loss_hi, rep->loss_lo);
        xt_algebraic_set_q(rep->loss, rep->loss_lo);
        rep->exact = 1;
    }
    xt_network_clear(q);
    return status;
}

int xt_algebraic_network_loss(xt_algebraic_loss_t rep,
                              const xt_algebraic_network_t net,
                              const xt_instance_t inst, xt_loss kind,
                              const xt_algebraic_struct *target, int strict,
                              xt_error_t *err)
{
    int status;

    if (check_shape(net, inst, kind, err) != XT_OK)
        return XT_ERR_INPUT;
    if (xt_algebraic_network_irrational(net) == 0) {
        rep->decided_by_intervals = 0;
        rep->precision = 0;
        status = rational_loss(rep, net, inst, kind, err);
    } else {
        status = xt_algebraic_network_loss_intervals(rep, net, inst, kind,
                                                     target, strict,
                                                     MAX_BITS, err);
        if (status == XT_OK)
            status = exact_loss(rep->loss, net, inst, kind, err);
        if (status == XT_OK &&
            (xt_algebraic_cmp_q(rep->loss, rep->loss_lo) < 0 ||
             xt_algebraic_cmp_q(rep->loss, rep->loss_hi) > 0)) {
            xt_error_set(err, "self-check failed: the exact loss of an "
                         "algebraic network lies outside its interval "
                         "enclosure");
            status = XT_ERR_INTERNAL;
        }
        rep->exact = status == XT_OK;
    }
    if (status != XT_OK)
        return status;
    rep->has_target = target != NULL;
    if (target) {
        int exact_meets = meets(rep->loss, target, strict);
        if (rep->decided_by_intervals && exact_meets != rep->meets_target) {
            xt_error_set(err, "self-check failed: interval and exact "
                         "evaluation disagree on the target");
            return XT_ERR_INTERNAL;
        }
        rep->meets_target = exact_meets;
    }
    return XT_OK;
}
