/* Positive One-in-Three 3-SAT -> exact training of a planar two-layer
 * ReLU network with rotated levees.  The construction was designed for
 * xtrain in the spirit of Froese and Hertrich, "Training neural networks
 * is NP-hard in fixed dimension", NeurIPS 2023; it is checked, not proven
 * (docs/reductions.md, "Planar 1-in-3 SAT with rotated levees").
 *
 * Each literal occurrence g gets a gadget (src/check/rigidity.h): data on
 * two perpendicular axes through a pivot p that three ReLUs fit with the
 * levee tent(nT . (x - p) / w) (true) or tent(nF . (x - p) / w) (false).
 * The three T centre lines of a clause meet in a clause point of label 1;
 * consecutive occurrences a, b of a variable share a copy point of label
 * 1 where a's T and b's F centre lines cross.  Target: squared loss 0 with
 * k = 3G neurons, no output bias.  The layout is drawn from a fixed seed
 * and drawn again until the rigidity conditions hold. */
#include <stdlib.h>
#include "xtrain/json.h"
#include "../reduction_internal.h"
#include "../../src/check/rigidity.h"
#include "planar.h"

#define PLANAR_SEED 0x706c616e6172ull
#define PLANAR_TRIES 1000

/* A random integer in [lo, hi]. */
static long pick(uint64_t *rng, long lo, long hi)
{
    return lo + xt_rng_below(rng, hi - lo + 1);
}

/* Returns 1 when 1/10 <= cos^2(angle(n, u)) <= 9/10. */
static int oblique(long n0, long n1, long u0, long u1)
{
    long d = n0 * u0 + n1 * u1;
    long nn = n0 * n0 + n1 * n1, uu = u0 * u0 + u1 * u1;
    return 10 * d * d >= nn * uu && 10 * d * d <= 9 * nn * uu;
}

/* Places gadget g on the T centre line through the clause point q. */
static void place_gadget(xt_planar_layout_t lay, int g, const long *q,
                         uint64_t *rng)
{
    long a, b, c, e, t = pick(rng, 3, 8);
    do {
        a = pick(rng, -6, 6);
        b = pick(rng, -6, 6);
    } while (a == 0 && b == 0);
    long n0 = -b, n1 = a;
    do {
        c = pick(rng, -6, 6);
        e = pick(rng, -6, 6);
    } while ((c == 0 && e == 0) || !oblique(n0, n1, c, e));
    mpq_set_si(lay->p[2 * g], q[0] + t * a, 1);
    mpq_set_si(lay->p[2 * g + 1], q[1] + t * b, 1);
    mpq_t *u = lay->u + 4 * g, *n = lay->n + 4 * g;
    mpq_set_si(u[0], c, 1);
    mpq_set_si(u[1], e, 1);
    mpq_set_si(u[2], -e, 1);
    mpq_set_si(u[3], c, 1);
    mpq_set_si(n[0], n0, 1);
    mpq_set_si(n[1], n1, 1);
    /* nF = 2 (nT . u1) / (u1 . u1) u1 - nT */
    long dot = n0 * c + n1 * e, uu = c * c + e * e;
    mpq_set_si(n[2], 2 * dot * c, (unsigned long)uu);
    mpq_set_si(n[3], 2 * dot * e, (unsigned long)uu);
    mpq_canonicalize(n[2]);
    mpq_canonicalize(n[3]);
    mpq_sub(n[2], n[2], n[0]);
    mpq_sub(n[3], n[3], n[1]);
    mpq_set_si(lay->w[g], labs(n0) + labs(n1), 8);
    mpq_canonicalize(lay->w[g]);
}

/* Sets x to the crossing of the centre lines (g, o) and (h, r); returns
 * 0 when they are parallel. */
static int crossing(mpq_t *x, const xt_planar_layout_t lay, int g, int o,
                    int h, int r)
{
    const mpq_t *n = lay->n + 4 * g + 2 * o, *m = lay->n + 4 * h + 2 * r;
    mpq_t det, c1, c2, t;
    mpq_inits(det, c1, c2, t, NULL);
    mpq_mul(det, n[0], m[1]);
    mpq_mul(t, n[1], m[0]);
    mpq_sub(det, det, t);
    int ok = mpq_sgn(det) != 0;
    if (ok) {
        mpq_mul(c1, n[0], lay->p[2 * g]);
        mpq_mul(t, n[1], lay->p[2 * g + 1]);
        mpq_add(c1, c1, t);
        mpq_mul(c2, m[0], lay->p[2 * h]);
        mpq_mul(t, m[1], lay->p[2 * h + 1]);
        mpq_add(c2, c2, t);
        /* Cramer: x0 = (c1 m1 - n1 c2) / det, x1 = (n0 c2 - c1 m0) / det */
        mpq_mul(x[0], c1, m[1]);
        mpq_mul(t, n[1], c2);
        mpq_sub(x[0], x[0], t);
        mpq_div(x[0], x[0], det);
        mpq_mul(x[1], n[0], c2);
        mpq_mul(t, c1, m[0]);
        mpq_sub(x[1], x[1], t);
        mpq_div(x[1], x[1], det);
    }
    mpq_clears(det, c1, c2, t, NULL);
    return ok;
}

int xt_planar_wires(const xt_clauses_t src)
{
    int wires = src->nclauses, occ = 3 * src->nclauses;
    for (int v = 1; v <= src->nvars; v++) {
        int count = 0;
        for (int i = 0; i < occ; i++)
            count += src->lits[i] == v;
        wires += count;
    }
    return wires;
}

/* Sets x to the padding point of gadget g: t = 5 on its u1 axis, beyond
 * the gadget's own points, where both levees are 0. */
static void pad_point(mpq_t *x, const xt_planar_layout_t lay, int g)
{
    const mpq_t *u = lay->u + 4 * g, *n = lay->n + 4 * g;
    mpq_t s, t;
    mpq_inits(s, t, NULL);
    mpq_mul(s, n[0], u[0]);
    mpq_mul(t, n[1], u[1]);
    mpq_add(s, s, t);
    mpq_div(s, lay->w[g], s);
    mpq_set_ui(t, 5, 1);
    mpq_mul(s, s, t);
    for (int i = 0; i < 2; i++) {
        mpq_mul(t, s, u[i]);
        mpq_add(x[i], lay->p[2 * g + i], t);
    }
    mpq_clears(s, t, NULL);
}

/* One random attempt at the layout; returns 0 when two wiring lines are
 * parallel. */
static int draw_layout(xt_planar_layout_t lay, const xt_clauses_t src,
                       uint64_t *rng)
{
    int m = src->nclauses, occ = 3 * m, e = 0;
    long box = 40L * occ;
    for (int j = 0; j < m; j++) {
        long q[2] = {pick(rng, 0, box), pick(rng, 0, box)};
        for (int t = 0; t < 3; t++) {
            place_gadget(lay, 3 * j + t, q, rng);
            lay->member[XT_PLANAR_MEMBERS * e + t] = 2 * (3 * j + t);
        }
        mpq_set_si(lay->wire[2 * e], q[0], 1);
        mpq_set_si(lay->wire[2 * e + 1], q[1], 1);
        e++;
    }
    for (int v = 1; v <= src->nvars; v++) {
        int prev = -1;
        for (int g = 0; g < occ; g++) {
            if (src->lits[g] != v)
                continue;
            if (prev >= 0) {
                if (!crossing(lay->wire + 2 * e, lay, prev, 0, g, 1))
                    return 0;
                lay->member[XT_PLANAR_MEMBERS * e] = 2 * prev;
                lay->member[XT_PLANAR_MEMBERS * e + 1] = 2 * g + 1;
                e++;
            } else {
                pad_point(lay->wire + 2 * e++, lay, g);
            }
            prev = g;
        }
    }
    return 1;
}

int xt_planar_layout(xt_planar_layout_t lay, const xt_clauses_t src,
                     xt_error_t *err)
{
    if (src->nclauses < 1 || src->start[src->nclauses] != 3 * src->nclauses) {
        xt_error_set(err, "the planar reduction needs clauses of three "
                     "literals");
        return XT_ERR_INPUT;
    }
    if (xt_planar_layout_resize(lay, 3 * src->nclauses,
                                xt_planar_wires(src)) != XT_OK) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    uint64_t rng = PLANAR_SEED;
    for (int tries = 0; tries < PLANAR_TRIES; tries++) {
        for (long i = 0; i < (long)XT_PLANAR_MEMBERS * lay->wires; i++)
            lay->member[i] = -1;
        int rigid = 0;
        if (!draw_layout(lay, src, &rng))
            continue;
        int rc = xt_planar_rigidity(&rigid, lay, NULL, err);
        if (rc != XT_OK)
            return rc;
        if (rigid) {
            xt_error_clear(err);
            return XT_OK;
        }
    }
    xt_error_set(err, "no rigid layout found in %d attempts", PLANAR_TRIES);
    return XT_ERR_LIMIT;
}

int xt_planar_instance(xt_instance_t out, const xt_planar_layout_t lay,
                       xt_error_t *err)
{
    long n = xt_planar_points(lay);
    int rc = xt_instance_resize(out, n, 2, 1, err);
    if (rc != XT_OK)
        return rc;
    out->hidden = 3 * lay->gadgets;
    out->activation = XT_ACT_RELU;
    out->has_activation = 1;
    out->loss = XT_LOSS_L2;
    out->has_loss = 1;
    out->has_target = 1;
    mpq_set_ui(out->target, 0, 1);
    out->output_bias = 0;
    out->has_output_bias = 1;
    out->convex = 0;
    long row = 0;
    for (int g = 0; g < lay->gadgets; g++)
        for (int i = 0; i < XT_PLANAR_GADGET_POINTS; i++, row++)
            xt_planar_gadget_point(out->x + 2 * row, out->y[row], lay, g, i);
    for (int e = 0; e < lay->wires; e++, row++) {
        mpq_set(out->x[2 * row], lay->wire[2 * e]);
        mpq_set(out->x[2 * row + 1], lay->wire[2 * e + 1]);
        mpq_set_ui(out->y[row], lay->member[XT_PLANAR_MEMBERS * e] >= 0, 1);
    }
    return XT_OK;
}

/* Builds the layout of src and checks that inst is its instance. */
static int layout_for(xt_planar_layout_t lay, const xt_clauses_t src,
                      const xt_instance_t inst, xt_error_t *err)
{
    int rc = xt_planar_layout(lay, src, err);
    if (rc != XT_OK)
        return rc;
    int rigid = 0;
    rc = xt_planar_rigidity(&rigid, lay, inst, err);
    if (rc == XT_OK && !rigid)
        rc = XT_ERR_INPUT;
    return rc;
}

static int planar_map(const xt_reduction *r, xt_instance_t out,
                      const xt_clauses_t src, xt_error_t *err)
{
    (void)r;
    xt_planar_layout_t lay;
    xt_planar_layout_init(lay);
    int rc = xt_planar_layout(lay, src, err);
    if (rc == XT_OK)
        rc = xt_planar_instance(out, lay, err);
    xt_planar_layout_clear(lay);
    return rc;
}

void xt_planar_levee(xt_network_t net, const xt_planar_layout_t lay, int g,
                     int o)
{
    const mpq_t *n = lay->n + 4 * g + 2 * o;
    mpq_t np;
    mpq_init(np);
    mpq_mul(np, n[0], lay->p[2 * g]);
    mpq_t t;
    mpq_init(t);
    mpq_mul(t, n[1], lay->p[2 * g + 1]);
    mpq_add(np, np, t);
    mpq_div(np, np, lay->w[g]);
    for (int c = 0; c < 3; c++) {
        int j = 3 * g + c;
        mpq_div(net->w[2 * j], n[0], lay->w[g]);
        mpq_div(net->w[2 * j + 1], n[1], lay->w[g]);
        mpq_set_si(t, 1 - c, 1);
        mpq_sub(net->b[j], t, np);
        mpq_set_si(net->a[j], c == 1 ? -2 : 1, 1);
    }
    mpq_clears(np, t, NULL);
}

static int planar_forward(const xt_reduction *r, xt_network_t out,
                          const xt_clauses_t src, const xt_instance_t inst,
                          const xt_assignment_t cert, xt_error_t *err)
{
    (void)r;
    xt_planar_layout_t lay;
    xt_planar_layout_init(lay);
    int rc = layout_for(lay, src, inst, err);
    if (rc == XT_OK)
        rc = xt_network_resize(out, 2, 3 * lay->gadgets, 1, err);
    if (rc == XT_OK) {
        out->activation = XT_ACT_RELU;
        out->has_output_bias = 0;
        for (int g = 0; g < lay->gadgets; g++)
            xt_planar_levee(out, lay, g, cert->value[src->lits[g] - 1] ? 0
                                                                       : 1);
    }
    xt_planar_layout_clear(lay);
    return rc;
}

/* Returns 1 when neuron j's breakline passes through p and is parallel
 * to the centre line with normal n. */
static int serves(const xt_network_t net, int j, const mpq_t *p,
                  const mpq_t *n)
{
    const mpq_t *w = net->w + 2 * j;
    if (!mpq_sgn(w[0]) && !mpq_sgn(w[1]))
        return 0;
    mpq_t s, t;
    mpq_inits(s, t, NULL);
    mpq_mul(s, w[0], n[1]);
    mpq_mul(t, w[1], n[0]);
    int ok = mpq_equal(s, t);
    mpq_mul(s, w[0], p[0]);
    mpq_mul(t, w[1], p[1]);
    mpq_add(s, s, t);
    mpq_add(s, s, net->b[j]);
    ok = ok && mpq_sgn(s) == 0 && mpq_sgn(net->a[j]) != 0;
    mpq_clears(s, t, NULL);
    return ok;
}

int xt_planar_orientation(int *o, const xt_network_t net,
                          const xt_planar_layout_t lay, int g,
                          xt_error_t *err)
{
    int found[2] = {0, 0};
    for (int j = 0; j < net->k; j++)
        for (int r = 0; r < 2; r++)
            found[r] |= serves(net, j, lay->p + 2 * g, lay->n + 4 * g + 2 * r);
    if (found[0] == found[1]) {
        xt_error_set(err, "gadget %d: %s", g, found[0] ? "breaklines of "
                     "both orientations pass through the pivot" : "no "
                     "breakline parallel to a levee passes through the "
                     "pivot");
        return XT_ERR_INPUT;
    }
    *o = found[1];
    return XT_OK;
}

static int planar_backward(const xt_reduction *r, xt_assignment_t out,
                           const xt_clauses_t src, const xt_instance_t inst,
                           const xt_network_t net, xt_error_t *err)
{
    (void)r;
    if (net->d != 2 || net->m != 1 || net->activation != XT_ACT_RELU) {
        xt_error_set(err, "expected a ReLU network with two inputs");
        return XT_ERR_INPUT;
    }
    xt_planar_layout_t lay;
    xt_planar_layout_init(lay);
    int rc = layout_for(lay, src, inst, err);
    if (rc == XT_OK && xt_assignment_resize(out, src->nvars) != XT_OK)
        rc = XT_ERR_NOMEM;
    unsigned char *seen = calloc((size_t)src->nvars + 1, 1);
    if (rc == XT_OK && !seen)
        rc = XT_ERR_NOMEM;
    for (int g = 0; rc == XT_OK && g < lay->gadgets; g++) {
        int o = 0, v = src->lits[g];
        rc = xt_planar_orientation(&o, net, lay, g, err);
        if (rc == XT_OK && !seen[v]) {
            out->value[v - 1] = (unsigned char)(o == 0);
            seen[v] = 1;
        }
    }
    free(seen);
    xt_planar_layout_clear(lay);
    return rc;
}

const xt_reduction xt_reduction_planar = {
    "planar-1in3",
    "Positive One-in-Three 3-SAT -> planar ReLU network (k = 9m), squared "
    "loss 0, rotated levees; a conjecture checked on instances",
    "designed for xtrain in the spirit of V. Froese and C. Hertrich, "
    "Training neural networks is NP-hard in fixed dimension, NeurIPS 2023",
    &xt_source_1in3sat,
    "103 * m", "2", "9 * m",
    planar_map, planar_forward, planar_backward, NULL, NULL
};

static void write_pair(FILE *stream, const char *key, const mpq_t *v)
{
    fprintf(stream, "\"%s\": [", key);
    xt_json_write_rat(stream, v[0]);
    fputs(", ", stream);
    xt_json_write_rat(stream, v[1]);
    fputs("]", stream);
}

void xt_planar_write_certificate(FILE *stream, const xt_planar_layout_t lay)
{
    fputs("{\"format\": \"xtrain-certificate\", \"version\": 1, "
          "\"kind\": \"planar-rigidity\",\n \"gadgets\": [", stream);
    for (int g = 0; g < lay->gadgets; g++) {
        fputs(g ? ",\n  {" : "\n  {", stream);
        write_pair(stream, "p", lay->p + 2 * g);
        fputs(", ", stream);
        write_pair(stream, "u1", lay->u + 4 * g);
        fputs(", ", stream);
        write_pair(stream, "u2", lay->u + 4 * g + 2);
        fputs(", ", stream);
        write_pair(stream, "nT", lay->n + 4 * g);
        fputs(", ", stream);
        write_pair(stream, "nF", lay->n + 4 * g + 2);
        fputs(", \"w\": ", stream);
        xt_json_write_rat(stream, lay->w[g]);
        fputs("}", stream);
    }
    fputs("],\n \"wiring\": [", stream);
    for (int e = 0; e < lay->wires; e++) {
        fputs(e ? ",\n  {" : "\n  {", stream);
        write_pair(stream, "x", lay->wire + 2 * e);
        fputs(", \"members\": [", stream);
        for (int k = 0; k < XT_PLANAR_MEMBERS; k++) {
            int m = lay->member[XT_PLANAR_MEMBERS * e + k];
            if (m >= 0)
                fprintf(stream, "%s%d", k ? ", " : "", m);
        }
        fputs("]}", stream);
    }
    fputs("]}\n", stream);
}
