/* Worst cases for the enumeration solver: points on the moment curve
 * x(t) = (t, t^2, ..., t^d).
 *
 * Any d + 1 distinct points of the curve are affinely independent (their
 * matrix with a column of ones is a Vandermonde matrix), so the points
 * are in general position and have the maximum number of affine
 * dichotomies, 2 sum_{i=0}^{d} C(n-1, i) (Cover, 1965).  Labels that
 * alternate along the curve are the hardest to fit: a piecewise linear
 * function needs a kink between each pair of neighbours. */
#include <stdlib.h>
#include <string.h>
#include "gen_internal.h"

typedef enum { LABEL_ALTERNATING, LABEL_RANDOM, LABEL_TEACHER } label_mode;

static int parse_labels(label_mode *out, const char *name, xt_error_t *err)
{
    if (!name || !strcmp(name, "alternating"))
        *out = LABEL_ALTERNATING;
    else if (!strcmp(name, "random"))
        *out = LABEL_RANDOM;
    else if (!strcmp(name, "teacher"))
        *out = LABEL_TEACHER;
    else {
        xt_error_set(err, "unknown moment labels \"%s\" (expected "
                     "alternating, random or teacher)", name);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

static int compare_rat(const void *pa, const void *pb)
{
    return mpq_cmp(*(const mpq_t *)pa, *(const mpq_t *)pb);
}

/* Draws n distinct curve parameters, sorted: integers in [-R, R] on the
 * grid (R raised to n when smaller), rationals of height R otherwise. */
static int draw_parameters(mpq_t *t, long n, xt_rng_t *rng,
                           const xt_gen_options *opt, xt_error_t *err)
{
    xt_instance_t line;
    xt_gen_options wide = *opt;
    if (wide.grid && wide.coord_bound < n)
        wide.coord_bound = n;
    xt_instance_init(line);
    int rc = xt_instance_resize(line, n, 1, 1, err);
    if (rc == XT_OK)
        rc = xt_gen_distinct_points(line, 0, rng, &wide, err);
    if (rc == XT_OK) {
        for (long i = 0; i < n; i++)
            mpq_set(t[i], line->x[i]);
        qsort(t, (size_t)n, sizeof(mpq_t), compare_rat);
    }
    xt_instance_clear(line);
    return rc;
}

static void set_curve_point(xt_instance_t inst, long i, const mpq_t t)
{
    mpq_t *x = inst->x + i * inst->d;
    mpq_set(x[0], t);
    for (int c = 1; c < inst->d; c++)
        mpq_mul(x[c], x[c - 1], t);
}

int xt_gen_moment(xt_gen_result_t res, const xt_gen_options *given,
                  xt_error_t *err)
{
    xt_gen_options defaults = xt_gen_with_defaults(given, 2, 2, 8);
    const xt_gen_options *opt = &defaults;
    label_mode labels;
    int rc = parse_labels(&labels, opt->variant, err);
    if (rc == XT_OK)
        rc = xt_gen_check_teacher_options(opt, err);
    if (rc != XT_OK)
        return rc;
    xt_rng_t rng;
    xt_rng_seed(&rng, opt->seed);
    xt_instance_struct *inst = res->instance;
    mpq_t *t = xt_rat_array_new((size_t)opt->n);
    xt_network_t teacher;
    xt_network_init(teacher);
    if (!t) {
        xt_error_set(err, "out of memory for %ld points", opt->n);
        return XT_ERR_NOMEM;
    }
    rc = draw_parameters(t, opt->n, &rng, opt, err);
    if (rc == XT_OK)
        rc = xt_instance_resize(inst, opt->n, opt->d, 1, err);
    if (rc == XT_OK && labels == LABEL_TEACHER)
        rc = xt_gen_teacher(teacher, &rng, opt, err);
    if (rc == XT_OK) {
        for (long i = 0; i < opt->n; i++)
            set_curve_point(inst, i, t[i]);
        xt_gen_settings(inst, opt, opt->activation, opt->k,
                        opt->output_bias, opt->convex);
        if (labels == LABEL_TEACHER)
            xt_gen_label(inst, teacher);
        for (long i = 0; i < opt->n && labels != LABEL_TEACHER; i++)
            mpq_set_si(inst->y[i], labels == LABEL_ALTERNATING ? i % 2
                       : xt_gen_int(&rng, -opt->weight_height,
                                    opt->weight_height), 1);
        rc = xt_gen_note(res, "moment curve (t, t^2, ..., t^%d) at %ld "
                         "sorted %s parameters t, %s labels; general "
                         "position, so 2 sum_{i<=%d} C(%ld, i) affine "
                         "dichotomies", opt->d, opt->n,
                         opt->grid ? "integer" : "rational",
                         labels == LABEL_ALTERNATING ? "alternating 0/1"
                         : labels == LABEL_RANDOM ? "random integer"
                                                  : "teacher",
                         opt->d, opt->n - 1);
    }
    if (rc == XT_OK)
        rc = xt_gen_add_noise(res, &rng, opt, err);
    if (rc == XT_OK && labels == LABEL_TEACHER)
        rc = xt_gen_set_answer(res, teacher, opt, err);
    xt_network_clear(teacher);
    xt_rat_array_free(t, (size_t)opt->n);
    return rc;
}
