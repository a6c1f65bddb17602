/* Rigidity conditions of planar levee instances, decided exactly in
 * rational arithmetic (see rigidity.h).
 *
 * Transversals: if some line meets three closed segments, one also
 * passes through two of their endpoints (translate it until it hits an
 * endpoint, then turn it about that endpoint until it hits another; it
 * meets all three segments throughout).  So it suffices to try the line
 * through every pair of segment endpoints. */
#include <stdlib.h>
#include "rigidity.h"

const int xt_planar_axis_t[XT_PLANAR_AXIS_POINTS] = {
    -24, -16, -10, -9, -7, -6, -2, -1, 1, 2, 6, 7, 9, 10, 16, 24
};

void xt_planar_layout_init(xt_planar_layout_t lay)
{
    lay->gadgets = lay->wires = 0;
    lay->p = lay->u = lay->n = lay->w = lay->wire = NULL;
    lay->member = NULL;
}

static void clear_rats(mpq_t *v, long count)
{
    for (long i = 0; v && i < count; i++)
        mpq_clear(v[i]);
    free(v);
}

void xt_planar_layout_clear(xt_planar_layout_t lay)
{
    long g = lay->gadgets;
    clear_rats(lay->p, 2 * g);
    clear_rats(lay->u, 4 * g);
    clear_rats(lay->n, 4 * g);
    clear_rats(lay->w, g);
    clear_rats(lay->wire, 2L * lay->wires);
    free(lay->member);
    xt_planar_layout_init(lay);
}

static mpq_t *new_rats(long count)
{
    mpq_t *v = malloc(sizeof(mpq_t) * (size_t)(count ? count : 1));
    for (long i = 0; v && i < count; i++)
        mpq_init(v[i]);
    return v;
}

int xt_planar_layout_resize(xt_planar_layout_t lay, int gadgets, int wires)
{
    xt_planar_layout_clear(lay);
    lay->gadgets = gadgets;
    lay->wires = wires;
    lay->p = new_rats(2L * gadgets);
    lay->u = new_rats(4L * gadgets);
    lay->n = new_rats(4L * gadgets);
    lay->w = new_rats(gadgets);
    lay->wire = new_rats(2L * wires);
    lay->member = malloc(sizeof(int) * XT_PLANAR_MEMBERS *
                         (size_t)(wires ? wires : 1));
    if (!lay->p || !lay->u || !lay->n || !lay->w || !lay->wire ||
        !lay->member) {
        xt_planar_layout_clear(lay);
        return XT_ERR_NOMEM;
    }
    for (long i = 0; i < (long)XT_PLANAR_MEMBERS * wires; i++)
        lay->member[i] = -1;
    return XT_OK;
}

long xt_planar_points(const xt_planar_layout_t lay)
{
    return (long)lay->gadgets * XT_PLANAR_GADGET_POINTS + lay->wires;
}

/* out = a . b for vectors of two entries. */
static void dot2(mpq_t out, const mpq_t *a, const mpq_t *b)
{
    mpq_t t;
    mpq_init(t);
    mpq_mul(out, a[0], b[0]);
    mpq_mul(t, a[1], b[1]);
    mpq_add(out, out, t);
    mpq_clear(t);
}

/* x = p + t * (w / (nT . u)) * u on axis a (0 or 1) of gadget g. */
static void axis_point(mpq_t *x, const xt_planar_layout_t lay, int g,
                       int a, const mpq_t t)
{
    const mpq_t *u = lay->u + 4 * g + 2 * a;
    mpq_t s, c;
    mpq_inits(s, c, NULL);
    dot2(s, lay->n + 4 * g, u);
    mpq_div(s, lay->w[g], s);
    mpq_mul(s, s, t);
    for (int i = 0; i < 2; i++) {
        mpq_mul(c, s, u[i]);
        mpq_add(x[i], lay->p[2 * g + i], c);
    }
    mpq_clears(s, c, NULL);
}

void xt_planar_gadget_point(mpq_t *x, mpq_t y, const xt_planar_layout_t lay,
                            int g, int i)
{
    if (i == 0) {
        mpq_set(x[0], lay->p[2 * g]);
        mpq_set(x[1], lay->p[2 * g + 1]);
        mpq_set_ui(y, 1, 1);
        return;
    }
    int a = (i - 1) / XT_PLANAR_AXIS_POINTS;
    int e = xt_planar_axis_t[(i - 1) % XT_PLANAR_AXIS_POINTS];
    mpq_t t;
    mpq_init(t);
    mpq_set_si(t, e, 8);
    mpq_canonicalize(t);
    axis_point(x, lay, g, a, t);
    int ae = abs(e);
    mpq_set_ui(y, ae < 8 ? (unsigned)(8 - ae) : 0, 8);
    mpq_canonicalize(y);
    mpq_clear(t);
}

/* Returns 1 when x lies in the open strip |n . (x - p)| < w of gadget g
 * in orientation o. */
static int in_strip(const mpq_t *x, const xt_planar_layout_t lay, int g,
                    int o)
{
    const mpq_t *n = lay->n + 4 * g + 2 * o;
    mpq_t v, q;
    mpq_inits(v, q, NULL);
    dot2(v, n, x);
    dot2(q, n, lay->p + 2 * g);
    mpq_sub(v, v, q);
    mpq_abs(v, v);
    int inside = mpq_cmp(v, lay->w[g]) < 0;
    mpq_clears(v, q, NULL);
    return inside;
}

/* Returns 1 when x is on the centre line of gadget g in orientation o. */
static int on_centre(const mpq_t *x, const xt_planar_layout_t lay, int g,
                     int o)
{
    const mpq_t *n = lay->n + 4 * g + 2 * o;
    mpq_t v, q;
    mpq_inits(v, q, NULL);
    dot2(v, n, x);
    dot2(q, n, lay->p + 2 * g);
    int on = mpq_equal(v, q);
    mpq_clears(v, q, NULL);
    return on;
}

/* Checks the axes, normals and width of gadget g. */
static int gadget_shape(const xt_planar_layout_t lay, int g,
                        xt_error_t *err)
{
    const mpq_t *u1 = lay->u + 4 * g, *u2 = u1 + 2;
    const mpq_t *nt = lay->n + 4 * g, *nf = nt + 2;
    mpq_t a, b, c;
    mpq_inits(a, b, c, NULL);
    int ok = 1;
    dot2(a, u1, u2);
    ok = mpq_sgn(a) == 0 && mpq_sgn(lay->w[g]) > 0;
    dot2(a, nt, u1);
    dot2(b, nt, u2);
    ok = ok && mpq_sgn(a) != 0 && mpq_sgn(b) != 0;
    dot2(b, u1, u1);
    if (ok && mpq_sgn(b) != 0) {
        /* nF = 2 (nT . u1) / (u1 . u1) u1 - nT */
        mpq_div(a, a, b);
        mpq_add(a, a, a);
        for (int i = 0; i < 2 && ok; i++) {
            mpq_mul(c, a, u1[i]);
            mpq_sub(c, c, nt[i]);
            ok = mpq_equal(c, nf[i]);
        }
    } else {
        ok = 0;
    }
    mpq_clears(a, b, c, NULL);
    if (!ok)
        xt_error_set(err, "gadget %d: the axes must be perpendicular, nF "
                     "the mirror image of nT across u1, nT oblique to both "
                     "axes and w > 0", g);
    return ok;
}

/* Checks wiring point e: on its members' centre lines and in no other
 * strip. */
static int wire_ok(const xt_planar_layout_t lay, int e, xt_error_t *err)
{
    const mpq_t *x = lay->wire + 2 * e;
    const int *mem = lay->member + XT_PLANAR_MEMBERS * e;
    for (int k = 0; k < XT_PLANAR_MEMBERS; k++) {
        int m = mem[k];
        if (m >= 2 * lay->gadgets || (m >= 0 && !on_centre(x, lay, m / 2,
                                                          m % 2))) {
            xt_error_set(err, "wiring point %d is not on the centre line "
                         "of member %d", e, m);
            return 0;
        }
    }
    for (int g = 0; g < lay->gadgets; g++)
        for (int o = 0; o < 2; o++) {
            int member = 0;
            for (int k = 0; k < XT_PLANAR_MEMBERS; k++)
                member |= mem[k] == 2 * g + o;
            if (!member && in_strip(x, lay, g, o)) {
                xt_error_set(err, "wiring point %d lies in the %c strip "
                             "of gadget %d", e, o ? 'F' : 'T', g);
                return 0;
            }
        }
    return 1;
}

/* Checks that no point of gadget g lies in a strip of another gadget,
 * and, when inst is given, that the instance contains g's points. */
static int gadget_points_ok(const xt_planar_layout_t lay, int g,
                            const xt_instance_t inst, xt_error_t *err)
{
    mpq_t x[2], y;
    mpq_inits(x[0], x[1], y, NULL);
    int ok = 1;
    for (int i = 0; i < XT_PLANAR_GADGET_POINTS && ok; i++) {
        xt_planar_gadget_point(x, y, lay, g, i);
        long row = (long)g * XT_PLANAR_GADGET_POINTS + i;
        if (inst && (!mpq_equal(inst->x[2 * row], x[0]) ||
                     !mpq_equal(inst->x[2 * row + 1], x[1]) ||
                     !mpq_equal(inst->y[row], y))) {
            xt_error_set(err, "data point %ld is not point %d of gadget "
                         "%d", row + 1, i, g);
            ok = 0;
        }
        for (int h = 0; h < lay->gadgets && ok; h++)
            for (int o = 0; o < 2 && ok && h != g; o++)
                if (in_strip(x, lay, h, o)) {
                    xt_error_set(err, "point %d of gadget %d lies in the "
                                 "%c strip of gadget %d", i, g,
                                 o ? 'F' : 'T', h);
                    ok = 0;
                }
    }
    mpq_clears(x[0], x[1], y, NULL);
    return ok;
}

static int instance_shape_ok(const xt_planar_layout_t lay,
                             const xt_instance_t inst, xt_error_t *err)
{
    if (inst->d != 2 || inst->m != 1 || inst->n != xt_planar_points(lay)) {
        xt_error_set(err, "the instance must have %ld points in the plane "
                     "with one label", xt_planar_points(lay));
        return 0;
    }
    long base = (long)lay->gadgets * XT_PLANAR_GADGET_POINTS;
    for (long e = 0; e < lay->wires; e++) {
        long row = base + e;
        unsigned long label = lay->member[XT_PLANAR_MEMBERS * e] >= 0;
        if (!mpq_equal(inst->x[2 * row], lay->wire[2 * e]) ||
            !mpq_equal(inst->x[2 * row + 1], lay->wire[2 * e + 1]) ||
            mpq_cmp_ui(inst->y[row], label, 1) != 0) {
            xt_error_set(err, "data point %ld is not wiring point %ld with "
                         "label %lu", row + 1, e, label);
            return 0;
        }
    }
    return 1;
}

/* Kink points: per gadget, axis a and kink k in {-1, 0, 1}, index
 * 6 g + 3 a + (k + 1); interval endpoints 2 per kink. */
typedef struct {
    long count;          /* kinks */
    mpq_t *point;        /* 2 per kink */
    mpq_t *end;          /* 4 per kink: two endpoints */
    mpz_t *iend;         /* the endpoints times a common denominator */
} kink_table;

/* Multiplies the endpoints by the least common multiple of their
 * denominators, so that side tests need integers only. */
static int kinks_scale(kink_table *kt)
{
    long count = 4 * kt->count;
    kt->iend = malloc(sizeof(mpz_t) * (size_t)(count ? count : 1));
    if (!kt->iend)
        return XT_ERR_NOMEM;
    mpz_t den;
    mpz_init_set_ui(den, 1);
    for (long i = 0; i < count; i++)
        mpz_lcm(den, den, mpq_denref(kt->end[i]));
    for (long i = 0; i < count; i++) {
        mpz_init(kt->iend[i]);
        mpz_divexact(kt->iend[i], den, mpq_denref(kt->end[i]));
        mpz_mul(kt->iend[i], kt->iend[i], mpq_numref(kt->end[i]));
    }
    mpz_clear(den);
    return XT_OK;
}

static int kinks_build(kink_table *kt, const xt_planar_layout_t lay)
{
    kt->count = 6L * lay->gadgets;
    kt->point = new_rats(2 * kt->count);
    kt->end = new_rats(4 * kt->count);
    if (!kt->point || !kt->end)
        return XT_ERR_NOMEM;
    mpq_t t;
    mpq_init(t);
    for (long q = 0; q < kt->count; q++) {
        int g = (int)(q / 6), a = (int)(q % 6) / 3, k = (int)(q % 3) - 1;
        mpq_set_si(t, k, 1);
        axis_point(kt->point + 2 * q, lay, g, a, t);
        mpq_set_si(t, 8 * k - 1, 8);
        axis_point(kt->end + 4 * q, lay, g, a, t);
        mpq_set_si(t, 8 * k + 1, 8);
        axis_point(kt->end + 4 * q + 2, lay, g, a, t);
    }
    mpq_clear(t);
    return kinks_scale(kt);
}

static void kinks_free(kink_table *kt)
{
    clear_rats(kt->point, 2 * kt->count);
    clear_rats(kt->end, 4 * kt->count);
    for (long i = 0; kt->iend && i < 4 * kt->count; i++)
        mpz_clear(kt->iend[i]);
    free(kt->iend);
}

/* Counts the gadgets whose kink intervals meet the line through
 * endpoints i and j (distinct points); side is scratch, one value per
 * endpoint. */
static int gadgets_met(const kink_table *kt, long i, long j, mpz_t *side)
{
    const mpz_t *a = kt->iend + 2 * i, *b = kt->iend + 2 * j;
    mpz_t nu0, nu1, c;
    mpz_inits(nu0, nu1, c, NULL);
    mpz_sub(nu0, a[1], b[1]);
    mpz_sub(nu1, b[0], a[0]);
    mpz_mul(c, nu0, a[0]);
    mpz_addmul(c, nu1, a[1]);
    for (long e = 0; e < 2 * kt->count; e++) {
        mpz_mul(side[e], nu0, kt->iend[2 * e]);
        mpz_addmul(side[e], nu1, kt->iend[2 * e + 1]);
        mpz_sub(side[e], side[e], c);
    }
    int met = 0;
    for (long g = 0; g < kt->count / 6; g++) {
        int hit = 0;
        for (long q = 6 * g; q < 6 * g + 6 && !hit; q++)
            hit = mpz_sgn(side[2 * q]) * mpz_sgn(side[2 * q + 1]) <= 0;
        met += hit;
    }
    mpz_clears(nu0, nu1, c, NULL);
    return met;
}

static int transversals_ok(const kink_table *kt, xt_error_t *err)
{
    long ends = 2 * kt->count;
    mpz_t *side = malloc(sizeof(mpz_t) * (size_t)(ends ? ends : 1));
    if (!side)
        return -1;
    for (long e = 0; e < ends; e++)
        mpz_init(side[e]);
    int ok = 1;
    for (long i = 0; i < ends && ok; i++)
        for (long j = i + 1; j < ends && ok; j++) {
            const mpz_t *a = kt->iend + 2 * i, *b = kt->iend + 2 * j;
            if (!mpz_cmp(a[0], b[0]) && !mpz_cmp(a[1], b[1]))
                continue;
            if (gadgets_met(kt, i, j, side) >= 3) {
                xt_error_set(err, "the line through kink interval ends %ld "
                             "and %ld (gadgets %ld and %ld) meets kink "
                             "intervals of three gadgets", i, j, i / 12,
                             j / 12);
                ok = 0;
            }
        }
    for (long e = 0; e < ends; e++)
        mpz_clear(side[e]);
    free(side);
    return ok;
}

/* out = J |nT . u| / (w |nu . u|) for kink q, or 0 when nu . u = 0. */
static void jump_ratio(mpq_t out, const xt_planar_layout_t lay, long q,
                       const mpq_t *nu)
{
    int g = (int)(q / 6), a = (int)(q % 6) / 3, k = (int)(q % 3) - 1;
    const mpq_t *u = lay->u + 4 * g + 2 * a;
    mpq_t s;
    mpq_init(s);
    dot2(s, nu, u);
    if (mpq_sgn(s) == 0) {
        mpq_set_ui(out, 0, 1);
    } else {
        mpq_abs(s, s);
        mpq_mul(s, s, lay->w[g]);
        dot2(out, lay->n + 4 * g, u);
        mpq_abs(out, out);
        mpq_div(out, out, s);
        if (k == 0)
            mpq_mul_2exp(out, out, 1), mpq_neg(out, out);
    }
    mpq_clear(s);
}

/* A ReLU c relu(nu . x + beta) changes the slope along u by c |nu . u|
 * where it crosses its breakline; a tent kink needs J |nT . u| / w with
 * J = 1 at the outer kinks and -2 at the peak. */
static int jumps_ok(const kink_table *kt, const xt_planar_layout_t lay,
                    xt_error_t *err)
{
    mpq_t nu[2], ra, rb;
    mpq_inits(nu[0], nu[1], ra, rb, NULL);
    int ok = 1;
    for (long i = 0; i < kt->count && ok; i++)
        for (long j = i + 1; j < kt->count && ok; j++) {
            if (i / 6 == j / 6)
                continue;
            const mpq_t *a = kt->point + 2 * i, *b = kt->point + 2 * j;
            mpq_sub(nu[0], a[1], b[1]);
            mpq_sub(nu[1], b[0], a[0]);
            if (!mpq_sgn(nu[0]) && !mpq_sgn(nu[1])) {
                xt_error_set(err, "kink points %ld and %ld of different "
                             "gadgets coincide", i, j);
                ok = 0;
                break;
            }
            jump_ratio(ra, lay, i, nu);
            jump_ratio(rb, lay, j, nu);
            if (mpq_sgn(ra) != 0 && mpq_equal(ra, rb)) {
                xt_error_set(err, "the line through kink points %ld and "
                             "%ld (gadgets %ld and %ld) has the gradient "
                             "jump both require", i, j, i / 6, j / 6);
                ok = 0;
            }
        }
    mpq_clears(nu[0], nu[1], ra, rb, NULL);
    return ok;
}

int xt_planar_rigidity(int *rigid, const xt_planar_layout_t lay,
                       const xt_instance_t inst, xt_error_t *err)
{
    *rigid = 0;
    if (inst && !instance_shape_ok(lay, inst, err))
        return XT_OK;
    for (int g = 0; g < lay->gadgets; g++)
        if (!gadget_shape(lay, g, err))
            return XT_OK;
    for (int e = 0; e < lay->wires; e++)
        if (!wire_ok(lay, e, err))
            return XT_OK;
    for (int g = 0; g < lay->gadgets; g++)
        if (!gadget_points_ok(lay, g, inst, err))
            return XT_OK;
    kink_table kt = {0, NULL, NULL, NULL};
    int rc = kinks_build(&kt, lay);
    int t = rc == XT_OK ? transversals_ok(&kt, err) : -1;
    if (t < 0)
        rc = XT_ERR_NOMEM;
    else if (t)
        *rigid = jumps_ok(&kt, lay, err);
    kinks_free(&kt);
    return rc;
}
