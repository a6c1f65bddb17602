/* Planted and degenerate instances: a random teacher network labels
 * random points exactly, so its loss (0 without noise) is known.  The
 * degenerate kind puts the points where exact codes break: on a few lines
 * or planes, on top of each other, on the teacher's breaklines, and at
 * tiny and huge scales. */
#include <stdlib.h>
#include <string.h>
#include "gen_internal.h"

/* Runs the steps every teacher kind shares once the points are placed:
 * labels, noise, settings and the answer. */
static int finish_teacher(xt_gen_result_t res, const xt_network_t teacher,
                          xt_rng_t *rng, const xt_gen_options *opt,
                          xt_error_t *err)
{
    xt_gen_settings(res->instance, opt, opt->activation, opt->k,
                    opt->output_bias, opt->convex);
    xt_gen_label(res->instance, teacher);
    int rc = xt_gen_add_noise(res, rng, opt, err);
    if (rc == XT_OK)
        rc = xt_gen_set_answer(res, teacher, opt, err);
    if (rc == XT_OK && res->has_answer)
        rc = xt_gen_note_values(res, "exact loss of the teacher:",
                                &res->answer_loss, 1);
    return rc;
}

static int note_teacher(xt_gen_result_t res, const xt_gen_options *opt)
{
    return xt_gen_note(res, "teacher: %d %s neurons on %d inputs, %s "
                       "output weights, weight height %ld%s",
                       opt->k, xt_activation_name(opt->activation), opt->d,
                       opt->convex ? "+1" : opt->signs ? opt->signs
                                                       : "random-sign",
                       opt->weight_height,
                       opt->output_bias ? ", output bias" : "");
}

int xt_gen_planted(xt_gen_result_t res, const xt_gen_options *given,
                   xt_error_t *err)
{
    xt_gen_options defaults = xt_gen_with_defaults(given, 2, 2, 10);
    const xt_gen_options *opt = &defaults;
    int rc = xt_gen_check_teacher_options(opt, err);
    if (rc != XT_OK)
        return rc;
    xt_rng_t rng;
    xt_rng_seed(&rng, opt->seed);
    xt_network_t teacher;
    xt_network_init(teacher);
    rc = xt_gen_teacher(teacher, &rng, opt, err);
    if (rc == XT_OK)
        rc = xt_instance_resize(res->instance, opt->n, opt->d, 1, err);
    if (rc == XT_OK)
        rc = xt_gen_distinct_points(res->instance, 0, &rng, opt, err);
    if (rc == XT_OK)
        rc = note_teacher(res, opt);
    if (rc == XT_OK)
        rc = xt_gen_note(res, "points: %ld distinct, %s, bound %ld",
                         opt->n, opt->grid ? "integer grid" : "rational",
                         opt->coord_bound);
    if (rc == XT_OK)
        rc = finish_teacher(res, teacher, &rng, opt, err);
    xt_network_clear(teacher);
    return rc;
}

/* ---------------------------------------------------------- degenerate */

typedef enum {
    DEG_LINES, DEG_PLANES, DEG_REPEATED, DEG_BREAKLINES, DEG_SCALE,
    DEG_MIXED, DEG_COUNT
} deg_variant;

static const char *const deg_names[DEG_COUNT] = {
    "lines", "planes", "repeated", "breaklines", "scale", "mixed"
};

/* Affine flats of dimension dim: base point and dim direction vectors
 * with small integer entries. */
typedef struct {
    int count, dim, d;
    mpq_t *base;    /* count*d */
    mpq_t *dir;     /* count*dim*d */
} flats;

/* Draws the flats.  Returns -1 when out of memory. */
static int flats_init(flats *f, int count, int dim, int d, xt_rng_t *rng,
                      const xt_gen_options *opt)
{
    f->count = count;
    f->dim = dim;
    f->d = d;
    f->base = xt_rat_array_new((size_t)count * (size_t)d);
    f->dir = xt_rat_array_new((size_t)count * (size_t)dim * (size_t)d);
    if (!f->base || !f->dir)
        return -1;
    for (long i = 0; i < (long)count * d; i++)
        xt_gen_coordinate(f->base[i], rng, opt);
    for (long v = 0; v < (long)count * dim; v++) {
        /* Random small integer direction, not zero.  Directions of one
         * plane may be parallel; the flat is then a line, still
         * degenerate. */
        int zero;
        do {
            zero = 1;
            for (int t = 0; t < d; t++) {
                mpq_set_si(f->dir[v * d + t], xt_gen_int(rng, -2, 2), 1);
                zero &= mpq_sgn(f->dir[v * d + t]) == 0;
            }
        } while (zero);
    }
    return 0;
}

static void flats_clear(flats *f)
{
    xt_rat_array_free(f->base, (size_t)f->count * (size_t)f->d);
    xt_rat_array_free(f->dir, (size_t)f->count * (size_t)f->dim *
                      (size_t)f->d);
}

/* Puts point i on flat number which: base + sum_v s_v dir_v with s_v
 * drawn like a coordinate. */
static void place_on_flat(xt_instance_t inst, long i, const flats *f,
                          int which, xt_rng_t *rng,
                          const xt_gen_options *opt)
{
    mpq_t s, term;
    mpq_inits(s, term, NULL);
    mpq_t *x = inst->x + i * inst->d;
    for (int t = 0; t < f->d; t++)
        mpq_set(x[t], f->base[which * f->d + t]);
    for (int v = 0; v < f->dim; v++) {
        xt_gen_coordinate(s, rng, opt);
        const mpq_t *dir = f->dir + ((long)which * f->dim + v) * f->d;
        for (int t = 0; t < f->d; t++) {
            mpq_mul(term, s, dir[t]);
            mpq_add(x[t], x[t], term);
        }
    }
    mpq_clears(s, term, NULL);
}

/* Sets x[col] so that w . x + b = 0, where w[col] != 0. */
static void solve_for(mpq_t *x, const mpq_t *w, const mpq_t b, int d,
                      int col)
{
    mpq_t sum, term;
    mpq_inits(sum, term, NULL);
    mpq_set(sum, b);
    for (int t = 0; t < d; t++)
        if (t != col) {
            mpq_mul(term, w[t], x[t]);
            mpq_add(sum, sum, term);
        }
    mpq_neg(sum, sum);
    mpq_div(x[col], sum, w[col]);
    mpq_clears(sum, term, NULL);
}

/* Tries to put x on the breaklines of neurons j and l at once: solves
 * the 2x2 system in the first pair of coordinates with a nonzero
 * determinant, the other coordinates kept.  Returns 0 when the two
 * breaklines are parallel (no such pair). */
static int place_on_two(mpq_t *x, const xt_network_t net, int j, int l)
{
    const mpq_t *u = net->w + j * net->d, *v = net->w + l * net->d;
    mpq_t det, t1, t2, r1, r2;
    int found = 0;
    mpq_inits(det, t1, t2, r1, r2, NULL);
    for (int p = 0; p < net->d && !found; p++)
        for (int q = p + 1; q < net->d && !found; q++) {
            mpq_mul(t1, u[p], v[q]);
            mpq_mul(t2, u[q], v[p]);
            mpq_sub(det, t1, t2);
            if (mpq_sgn(det) == 0)
                continue;
            /* r = -(b + sum of the other coordinates' terms). */
            mpq_set_si(x[p], 0, 1);
            mpq_set_si(x[q], 0, 1);
            mpq_set_si(r1, 0, 1);
            mpq_set_si(r2, 0, 1);
            for (int t = 0; t < net->d; t++) {
                mpq_mul(t1, u[t], x[t]);
                mpq_add(r1, r1, t1);
                mpq_mul(t2, v[t], x[t]);
                mpq_add(r2, r2, t2);
            }
            mpq_add(r1, r1, net->b[j]);
            mpq_add(r2, r2, net->b[l]);
            mpq_neg(r1, r1);
            mpq_neg(r2, r2);
            /* Cramer's rule. */
            mpq_mul(t1, r1, v[q]);
            mpq_mul(t2, r2, u[q]);
            mpq_sub(x[p], t1, t2);
            mpq_div(x[p], x[p], det);
            mpq_mul(t1, u[p], r2);
            mpq_mul(t2, v[p], r1);
            mpq_sub(x[q], t1, t2);
            mpq_div(x[q], x[q], det);
            found = 1;
        }
    mpq_clears(det, t1, t2, r1, r2, NULL);
    return found;
}

/* Puts point i on the breakline of neuron i mod k, and every third point
 * (d >= 2, k >= 2) where two breaklines cross, when they do. */
static void place_on_breakline(xt_instance_t inst, long i,
                               const xt_network_t net, xt_rng_t *rng,
                               const xt_gen_options *opt)
{
    mpq_t *x = inst->x + i * inst->d;
    int j = (int)(i % net->k);
    for (int t = 0; t < inst->d; t++)
        xt_gen_coordinate(x[t], rng, opt);
    if (inst->d >= 2 && net->k >= 2 && i % 3 == 2 &&
        place_on_two(x, net, j, (j + 1) % net->k))
        return;
    const mpq_t *w = net->w + j * net->d;
    int col = 0;
    while (mpq_sgn(w[col]) == 0)
        col++;
    solve_for(x, w, net->b[j], inst->d, col);
}

/* Multiplies each coordinate of point i by 10^e, e in {-E, 0, E}. */
static void scale_point(xt_instance_t inst, long i, xt_rng_t *rng,
                        const mpq_t tiny, const mpq_t huge)
{
    mpq_t *x = inst->x + i * inst->d;
    for (int t = 0; t < inst->d; t++) {
        long pick = xt_gen_int(rng, 0, 2);
        if (pick == 0)
            mpq_mul(x[t], x[t], tiny);
        else if (pick == 2)
            mpq_mul(x[t], x[t], huge);
    }
}

/* Point i copies a random earlier point among the first distinct ones. */
static void place_repeat(xt_instance_t inst, long i, long distinct,
                         xt_rng_t *rng)
{
    long from = xt_gen_int(rng, 0, distinct - 1);
    for (int t = 0; t < inst->d; t++)
        mpq_set(inst->x[i * inst->d + t], inst->x[from * inst->d + t]);
}

static int check_degenerate(deg_variant v, const xt_gen_options *opt,
                            xt_error_t *err)
{
    if ((v == DEG_LINES && opt->d < 2) || (v == DEG_PLANES && opt->d < 3)) {
        xt_error_set(err, "degenerate variant %s needs at least %d inputs",
                     deg_names[v], v == DEG_LINES ? 2 : 3);
        return XT_ERR_INPUT;
    }
    if (opt->flats < 1 || opt->flats > 1000) {
        xt_error_set(err, "invalid number of flats %d (expected 1 to "
                     "1000)", opt->flats);
        return XT_ERR_INPUT;
    }
    if (opt->exponent < 1 || opt->exponent > XT_GEN_MAX_EXPONENT) {
        xt_error_set(err, "invalid exponent %ld (expected 1 to %d)",
                     opt->exponent, XT_GEN_MAX_EXPONENT);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

static int parse_degenerate(deg_variant *out, const char *name,
                            xt_error_t *err)
{
    if (!name) {
        *out = DEG_MIXED;
        return XT_OK;
    }
    for (int v = 0; v < DEG_COUNT; v++)
        if (!strcmp(name, deg_names[v])) {
            *out = (deg_variant)v;
            return XT_OK;
        }
    xt_error_set(err, "unknown degenerate variant \"%s\" (expected lines, "
                 "planes, repeated, breaklines, scale or mixed)", name);
    return XT_ERR_INPUT;
}

/* The variant that point i of a mixed instance gets. */
static deg_variant mixed_part(long i, int d)
{
    static const deg_variant cycle[] = {DEG_LINES, DEG_BREAKLINES,
                                        DEG_REPEATED, DEG_SCALE};
    deg_variant v = cycle[i % 4];
    return v == DEG_LINES && d < 2 ? DEG_BREAKLINES : v;
}

/* The variant of point i.  A repeated instance draws its first third of
 * points afresh and unscaled (DEG_COUNT) and repeats them after. */
static deg_variant point_part(deg_variant variant, long i, long distinct,
                              int d)
{
    if (variant == DEG_MIXED)
        return mixed_part(i, d);
    if (variant == DEG_REPEATED && i < distinct)
        return DEG_COUNT;
    return variant;
}

/* Places every point for the variant.  Repeats copy points placed
 * before them, so they are placed in a second pass.  Returns XT_OK or
 * XT_ERR_NOMEM. */
static int place_degenerate(xt_instance_t inst, deg_variant variant,
                            const xt_network_t teacher, xt_rng_t *rng,
                            const xt_gen_options *opt)
{
    flats f;
    int d = inst->d;
    if (flats_init(&f, opt->flats, variant == DEG_PLANES ? 2 : 1, d, rng,
                   opt) != 0) {
        flats_clear(&f);
        return XT_ERR_NOMEM;
    }
    mpq_t tiny, huge;
    mpq_inits(tiny, huge, NULL);
    mpz_ui_pow_ui(mpq_numref(huge), 10, (unsigned long)opt->exponent);
    mpq_inv(tiny, huge);

    long distinct = variant == DEG_REPEATED ? (inst->n + 2) / 3 : inst->n;
    for (int pass = 0; pass < 2; pass++)
        for (long i = 0; i < inst->n; i++) {
            deg_variant v = point_part(variant, i, distinct, d);
            if ((v == DEG_REPEATED) != (pass == 1))
                continue;
            if (v == DEG_LINES || v == DEG_PLANES) {
                place_on_flat(inst, i, &f, (int)(i % f.count), rng, opt);
            } else if (v == DEG_BREAKLINES) {
                place_on_breakline(inst, i, teacher, rng, opt);
            } else if (v == DEG_REPEATED) {
                place_repeat(inst, i, variant == DEG_MIXED ? i : distinct,
                             rng);
            } else {
                for (int t = 0; t < d; t++)
                    xt_gen_coordinate(inst->x[i * d + t], rng, opt);
                if (v == DEG_SCALE)
                    scale_point(inst, i, rng, tiny, huge);
            }
        }
    mpq_clears(tiny, huge, NULL);
    flats_clear(&f);
    return XT_OK;
}

int xt_gen_degenerate(xt_gen_result_t res, const xt_gen_options *given,
                      xt_error_t *err)
{
    xt_gen_options defaults = xt_gen_with_defaults(given, 2, 2, 12);
    const xt_gen_options *opt = &defaults;
    deg_variant variant;
    int rc = parse_degenerate(&variant, opt->variant, err);
    if (rc == XT_OK)
        rc = xt_gen_check_teacher_options(opt, err);
    if (rc == XT_OK)
        rc = check_degenerate(variant, opt, err);
    if (rc != XT_OK)
        return rc;
    xt_rng_t rng;
    xt_rng_seed(&rng, opt->seed);
    xt_network_t teacher;
    xt_network_init(teacher);
    rc = xt_gen_teacher(teacher, &rng, opt, err);
    if (rc == XT_OK)
        rc = xt_instance_resize(res->instance, opt->n, opt->d, 1, err);
    if (rc == XT_OK) {
        rc = place_degenerate(res->instance, variant, teacher, &rng, opt);
        if (rc != XT_OK)
            xt_error_set(err, "out of memory for %d flats", opt->flats);
    }
    if (rc == XT_OK)
        rc = note_teacher(res, opt);
    if (rc == XT_OK)
        rc = xt_gen_note(res, "degenerate points: %s, %d flats, scale "
                         "10^-%ld and 10^%ld", deg_names[variant],
                         opt->flats, opt->exponent, opt->exponent);
    if (rc == XT_OK)
        rc = finish_teacher(res, teacher, &rng, opt, err);
    xt_network_clear(teacher);
    return rc;
}
