/* Levee instances in the plane: sums of ridges supported on strips.
 *
 * Levee l has a normal n_l (integer vector), a pivot p_l and a width w_l
 * (positive rational).  With z_l(x) = n_l . (x - p_l) / w_l it is the
 * tent
 *
 *     T(z) = relu(z + 1) - 2 relu(z) + relu(z - 1),
 *
 * which is 1 on the centre line z = 0, falls linearly to 0 at |z| = 1
 * and is 0 outside the strip.  Its three neurons have parallel
 * breaklines, so every one of them must be placed exactly to fit the
 * data: an instance that needs each neuron in one place.  Froese and
 * Hertrich (NeurIPS 2023, "Training neural networks is NP-hard in fixed
 * dimension") build their planar reduction from such levees.
 *
 * A point sits at x = p_l + z w_l n_l / |n_l|^2 + t (-n_l2, n_l1): then
 * z_l(x) = z exactly, and t moves it along the levee. */
#include <stdlib.h>
#include <string.h>
#include "gen_internal.h"

typedef enum {
    PLACE_RIDGE, PLACE_SLOPE, PLACE_ZERO, PLACE_PINNED, PLACE_MIXED,
    PLACE_COUNT
} placement;

static const char *const place_names[PLACE_COUNT] = {
    "ridge", "slope", "zero", "pinned", "mixed"
};

typedef enum {
    DIR_RANDOM, DIR_PARALLEL, DIR_NEAR_PARALLEL, DIR_CROSSING, DIR_COUNT
} direction_mode;

static const char *const dir_names[DIR_COUNT] = {
    "random", "parallel", "near-parallel", "crossing"
};

/* Positions along one levee's transversal in pinned placement: two
 * points on each affine piece next to each kink, and one far out on each
 * side. */
static const long pinned_z[][2] = {
    {-10, 1}, {-2, 1}, {-3, 2}, {-3, 4}, {-1, 4},
    {1, 4}, {3, 4}, {3, 2}, {2, 1}, {10, 1}
};
enum { PINNED_PER_LINE = 10, PINNED_LINES = 2 };

typedef struct {
    int count;
    mpq_t *normal;   /* 2 per levee */
    mpq_t *pivot;    /* 2 per levee */
    mpq_t *width;    /* 1 per levee */
} levees;

static int levees_init(levees *lv, int count)
{
    lv->count = count;
    lv->normal = xt_rat_array_new(2 * (size_t)count);
    lv->pivot = xt_rat_array_new(2 * (size_t)count);
    lv->width = xt_rat_array_new((size_t)count);
    return lv->normal && lv->pivot && lv->width ? 0 : -1;
}

static void levees_clear(levees *lv)
{
    xt_rat_array_free(lv->normal, 2 * (size_t)lv->count);
    xt_rat_array_free(lv->pivot, 2 * (size_t)lv->count);
    xt_rat_array_free(lv->width, (size_t)lv->count);
}

/* Sets the pivot of levee l to c n / |n|^2 + t (-n2, n1), so that
 * n . pivot = c, with t drawn at random. */
static void set_pivot(levees *lv, int l, const mpq_t c, xt_rng_t *rng)
{
    mpq_t norm2, t, u;
    mpq_inits(norm2, t, u, NULL);
    const mpq_t *n = lv->normal + 2 * l;
    mpq_mul(norm2, n[0], n[0]);
    mpq_mul(u, n[1], n[1]);
    mpq_add(norm2, norm2, u);
    mpq_set_si(t, xt_gen_int(rng, -4, 4), 4);
    mpq_canonicalize(t);
    for (int s = 0; s < 2; s++) {
        mpq_mul(u, c, n[s]);
        mpq_div(lv->pivot[2 * l + s], u, norm2);
    }
    mpq_mul(u, t, n[1]);
    mpq_sub(lv->pivot[2 * l], lv->pivot[2 * l], u);
    mpq_mul(u, t, n[0]);
    mpq_add(lv->pivot[2 * l + 1], lv->pivot[2 * l + 1], u);
    mpq_clears(norm2, t, u, NULL);
}

/* Draws the normals.  Parallel levees share one normal; near-parallel
 * ones are (M, l) for a random M in [20, 50]; crossing ones have
 * pairwise different directions (1, s) with s in -3..3 shuffled. */
static void draw_normals(levees *lv, direction_mode mode, xt_rng_t *rng)
{
    long first[2], slopes[7] = {-3, -2, -1, 0, 1, 2, 3};
    long big = xt_gen_int(rng, 20, 50);
    do {
        first[0] = xt_gen_int(rng, -3, 3);
        first[1] = xt_gen_int(rng, -3, 3);
    } while (first[0] == 0 && first[1] == 0);
    for (int i = 6; i > 0; i--) {
        long j = xt_gen_int(rng, 0, i), tmp = slopes[i];
        slopes[i] = slopes[j];
        slopes[j] = tmp;
    }
    for (int l = 0; l < lv->count; l++) {
        mpq_t *n = lv->normal + 2 * l;
        long a = first[0], b = first[1];
        if (mode == DIR_NEAR_PARALLEL) {
            a = big;
            b = l;
        } else if (mode == DIR_CROSSING) {
            a = 1;
            b = slopes[l % 7];
        } else if (mode == DIR_RANDOM && l > 0) {
            do {
                a = xt_gen_int(rng, -3, 3);
                b = xt_gen_int(rng, -3, 3);
            } while (a == 0 && b == 0);
        }
        mpq_set_si(n[0], a, 1);
        mpq_set_si(n[1], b, 1);
    }
}

/* Draws widths in [1/2, 2] (quarters) and pivots.  Parallel and
 * near-parallel levees get disjoint strips near the origin: the strip of
 * levee l is |n . x - n . p_l| <= w_l, and n . p_l steps by
 * 11 (w_{l-1} + w_l), so even the far pinned points (|z| = 10) stay out
 * of the neighbours' strips.  The others pass near the origin and so
 * cross there. */
static void draw_levees(levees *lv, direction_mode mode, xt_rng_t *rng)
{
    mpq_t c, step, eleven;
    mpq_inits(c, step, eleven, NULL);
    mpq_set_si(eleven, 11, 1);
    draw_normals(lv, mode, rng);
    for (int l = 0; l < lv->count; l++) {
        mpq_set_si(lv->width[l], xt_gen_int(rng, 2, 8), 4);
        mpq_canonicalize(lv->width[l]);
    }
    for (int l = 0; l < lv->count; l++) {
        if (mode == DIR_PARALLEL || mode == DIR_NEAR_PARALLEL) {
            if (l > 0) {
                mpq_add(step, lv->width[l - 1], lv->width[l]);
                mpq_mul(step, step, eleven);
                mpq_add(c, c, step);
            }
        } else {
            mpq_set_si(c, xt_gen_int(rng, -4, 4), 2);
            mpq_canonicalize(c);
        }
        set_pivot(lv, l, c, rng);
    }
    mpq_clears(c, step, eleven, NULL);
}

/* Puts point i at offset z across levee l and t along it. */
static void place_point(xt_instance_t inst, long i, const levees *lv,
                        int l, const mpq_t z, const mpq_t t)
{
    const mpq_t *n = lv->normal + 2 * l;
    mpq_t norm2, s, u;
    mpq_inits(norm2, s, u, NULL);
    mpq_mul(norm2, n[0], n[0]);
    mpq_mul(u, n[1], n[1]);
    mpq_add(norm2, norm2, u);
    mpq_mul(s, z, lv->width[l]);
    mpq_div(s, s, norm2);
    mpq_t *x = inst->x + 2 * i;
    for (int c = 0; c < 2; c++) {
        mpq_mul(u, s, n[c]);
        mpq_add(x[c], lv->pivot[2 * l + c], u);
    }
    mpq_mul(u, t, n[1]);
    mpq_sub(x[0], x[0], u);
    mpq_mul(u, t, n[0]);
    mpq_add(x[1], x[1], u);
    mpq_clears(norm2, s, u, NULL);
}

/* Draws z for a point placed on the ridge (0), on a slope (0 < |z| < 1)
 * or in the zero region of its own levee (|z| >= 1). */
static void draw_z(mpq_t z, placement where, xt_rng_t *rng)
{
    long q = xt_gen_int(rng, 2, 8);
    if (where == PLACE_RIDGE) {
        mpq_set_si(z, 0, 1);
    } else if (where == PLACE_SLOPE) {
        mpq_set_si(z, xt_gen_int(rng, 1, q - 1), (unsigned long)q);
    } else {
        mpq_set_si(z, q + xt_gen_int(rng, 0, 2 * q), (unsigned long)q);
    }
    mpq_canonicalize(z);
    if (where != PLACE_RIDGE && xt_gen_int(rng, 0, 1))
        mpq_neg(z, z);
}

static void place_all(xt_instance_t inst, const levees *lv, placement where,
                      xt_rng_t *rng, const xt_gen_options *opt)
{
    mpq_t z, t;
    mpq_inits(z, t, NULL);
    if (where == PLACE_PINNED) {
        long i = 0;
        for (int l = 0; l < lv->count; l++)
            for (int line = 0; line < PINNED_LINES; line++) {
                /* The transversals sit at t = -(1 + u) and t = 1 + u for
                 * random u >= 0, so they are at least 2 apart. */
                xt_gen_rat(t, rng, opt->coord_bound);
                mpq_abs(t, t);
                mpq_set_si(z, line ? 1 : -1, 1);
                mpq_add(t, t, z);
                if (!line)
                    mpq_neg(t, t);
                for (int s = 0; s < PINNED_PER_LINE; s++, i++) {
                    mpq_set_si(z, pinned_z[s][0],
                               (unsigned long)pinned_z[s][1]);
                    place_point(inst, i, lv, l, z, t);
                }
            }
    } else {
        static const placement cycle[3] = {PLACE_RIDGE, PLACE_SLOPE,
                                           PLACE_ZERO};
        for (long i = 0; i < inst->n; i++) {
            placement p = where == PLACE_MIXED ? cycle[i % 3] : where;
            draw_z(z, p, rng);
            xt_gen_coordinate(t, rng, opt);
            mpq_div_2exp(t, t, 2);
            place_point(inst, i, lv, (int)(i % lv->count), z, t);
        }
    }
    mpq_clears(z, t, NULL);
}

/* The network of the levees: neurons 3l, 3l+1, 3l+2 are
 * relu(z_l + 1), relu(z_l), relu(z_l - 1) with output weights 1, -2, 1. */
static int levee_network(xt_network_t net, const levees *lv,
                         xt_error_t *err)
{
    int rc = xt_network_resize(net, 2, 3 * lv->count, 1, err);
    if (rc != XT_OK)
        return rc;
    net->activation = XT_ACT_RELU;
    net->has_output_bias = 0;
    mpq_t offset;
    mpq_init(offset);
    for (int l = 0; l < lv->count; l++) {
        const mpq_t *n = lv->normal + 2 * l;
        mpq_t *p = lv->pivot + 2 * l;
        mpq_mul(offset, n[0], p[0]);
        mpq_t u;
        mpq_init(u);
        mpq_mul(u, n[1], p[1]);
        mpq_add(offset, offset, u);
        mpq_div(offset, offset, lv->width[l]);
        for (int s = 0; s < 3; s++) {
            int j = 3 * l + s;
            for (int c = 0; c < 2; c++)
                mpq_div(net->w[2 * j + c], n[c], lv->width[l]);
            mpq_set_si(u, 1 - s, 1);
            mpq_sub(net->b[j], u, offset);
            mpq_set_si(net->a[j], s == 1 ? -2 : 1, 1);
        }
        mpq_clear(u);
    }
    mpq_clear(offset);
    return XT_OK;
}

static int parse_name(int *out, const char *name, const char *const *names,
                      int count, int fallback, const char *what,
                      xt_error_t *err)
{
    if (!name) {
        *out = fallback;
        return XT_OK;
    }
    for (int i = 0; i < count; i++)
        if (!strcmp(name, names[i])) {
            *out = i;
            return XT_OK;
        }
    xt_error_set(err, "unknown levee %s \"%s\"", what, name);
    return XT_ERR_INPUT;
}

static int check_levee_options(const xt_gen_options *opt, xt_error_t *err)
{
    if (opt->d != 2) {
        xt_error_set(err, "levee instances are planar: --dim must be 2, "
                     "not %d", opt->d);
    } else if (opt->levees < 1 || opt->levees > XT_MAX_HIDDEN / 3) {
        xt_error_set(err, "invalid number of levees %d (expected 1 to %d)",
                     opt->levees, XT_MAX_HIDDEN / 3);
    } else if (opt->n < 1 || opt->n > XT_GEN_MAX_POINTS) {
        xt_error_set(err, "invalid point count %ld", opt->n);
    } else if (opt->coord_bound < 1 || opt->coord_bound > XT_GEN_MAX_HEIGHT) {
        xt_error_set(err, "invalid coordinate bound %ld", opt->coord_bound);
    } else if (opt->hidden < 0 || opt->hidden > XT_MAX_HIDDEN) {
        xt_error_set(err, "invalid hidden count %d", opt->hidden);
    } else if (opt->noise < 0 || opt->noise > opt->n) {
        xt_error_set(err, "invalid noise count %ld", opt->noise);
    } else {
        return XT_OK;
    }
    return XT_ERR_INPUT;
}

static int note_levees(xt_gen_result_t res, const levees *lv,
                       const char *where, const char *directions)
{
    int rc = xt_gen_note(res, "%d levees, directions %s, points %s; each "
                         "levee is relu(z+1) - 2 relu(z) + relu(z-1) with "
                         "z = n . (x - p) / w", lv->count, directions,
                         where);
    for (int l = 0; l < lv->count && rc == XT_OK; l++) {
        char label[64];
        mpq_t v[5];
        for (int s = 0; s < 5; s++)
            mpq_init(v[s]);
        mpq_set(v[0], lv->normal[2 * l]);
        mpq_set(v[1], lv->normal[2 * l + 1]);
        mpq_set(v[2], lv->pivot[2 * l]);
        mpq_set(v[3], lv->pivot[2 * l + 1]);
        mpq_set(v[4], lv->width[l]);
        snprintf(label, sizeof label, "levee %d: n1 n2 p1 p2 w =", l + 1);
        rc = xt_gen_note_values(res, label, v, 5);
        for (int s = 0; s < 5; s++)
            mpq_clear(v[s]);
    }
    return rc;
}

int xt_gen_levee(xt_gen_result_t res, const xt_gen_options *given,
                 xt_error_t *err)
{
    xt_gen_options defaults = xt_gen_with_defaults(given, 2, 0, 12);
    const xt_gen_options *opt = &defaults;
    int where, mode;
    int rc = parse_name(&where, opt->variant, place_names, PLACE_COUNT,
                        PLACE_MIXED, "placement", err);
    if (rc == XT_OK)
        rc = parse_name(&mode, opt->directions, dir_names, DIR_COUNT,
                        DIR_RANDOM, "direction mode", err);
    if (rc == XT_OK)
        rc = check_levee_options(opt, err);
    if (rc != XT_OK)
        return rc;

    xt_rng_t rng;
    xt_rng_seed(&rng, opt->seed);
    levees lv;
    xt_network_t net;
    xt_network_init(net);
    if (levees_init(&lv, opt->levees) != 0) {
        levees_clear(&lv);
        xt_error_set(err, "out of memory for %d levees", opt->levees);
        return XT_ERR_NOMEM;
    }
    draw_levees(&lv, (direction_mode)mode, &rng);
    long n = where == PLACE_PINNED
           ? (long)opt->levees * PINNED_LINES * PINNED_PER_LINE : opt->n;
    rc = xt_instance_resize(res->instance, n, 2, 1, err);
    if (rc == XT_OK) {
        place_all(res->instance, &lv, (placement)where, &rng, opt);
        rc = levee_network(net, &lv, err);
    }
    if (rc == XT_OK)
        rc = note_levees(res, &lv, place_names[where], dir_names[mode]);
    if (rc == XT_OK) {
        xt_gen_settings(res->instance, opt, XT_ACT_RELU, net->k, 0, 0);
        xt_gen_label(res->instance, net);
        rc = xt_gen_add_noise(res, &rng, opt, err);
    }
    if (rc == XT_OK)
        rc = xt_gen_set_answer(res, net, opt, err);
    xt_network_clear(net);
    levees_clear(&lv);
    return rc;
}
